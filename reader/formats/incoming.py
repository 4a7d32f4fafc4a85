"""`reader import --from TOOL PATH...`: other tools' texts as articles, their spans as
annotations.

A text is normalized as every import normalizes it; each span's offsets are
converted from the tool's unit, mapped through the normalization, and checked
against the text the tool says is there. A span whose offsets do not hold is
found again by its quote (and the context around it); one that cannot be
placed is reported and skipped, never stored at wrong offsets. Labels are
created as merge creates them. A file that cannot be read is one failed line,
and nothing from it is stored; the other files go on.

Importing twice adds nothing: articles are known by their text, annotations by
their id (a UUID the tool kept, as our own exports give it) or else by their
article, offsets and label.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from reader.anchoring import anchor
from reader.errors import NotFound, ReaderError
from reader.importing import article_from_text, file_json
from reader.labels import is_label_name
from reader.models import CONTEXT, Annotation, Article, stamp_after, utc_now
from reader.store import Store
from reader.text.normalize import normalize
from reader.text.offsets import normalize_mapped
from reader.text.sanitize import clean_line, clean_note

from .common import ForeignDocument, ForeignSpan, Units

NOTE_MAX = 10_000
_NAME_MAX = 200
_TITLE_MAX = 300
# Ids made for spans that came without one: the same span gives the same id.
_NAMESPACE = uuid.UUID("6f1d3c1e-2b0a-4f4e-9a47-1f8e0c5d2a93")


@dataclass
class DocumentResult:
    where: str
    status: str  # "imported" | "present" | "failed"
    article: Article | None = None
    message: str = ""
    added: int = 0


@dataclass
class ForeignReport:
    documents: list[DocumentResult] = field(default_factory=list)
    added: int = 0
    updated: int = 0
    present: int = 0
    skipped: int = 0
    problems: list[str] = field(default_factory=list)
    created_labels: list[str] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return sum(1 for d in self.documents if d.status == "failed")

    def summary(self) -> str:
        counts = {
            s: sum(1 for d in self.documents if d.status == s) for s in ("imported", "present")
        }
        text = (
            f"{counts['imported']} imported, {counts['present']} already present, "
            f"{self.failed} failed; spans: {self.added} added, {self.updated} updated, "
            f"{self.present} already present, {self.skipped} skipped"
        )
        if self.created_labels:
            text += f"; new labels: {', '.join(self.created_labels)}"
        return text

    def as_json(self) -> dict[str, Any]:
        """`import --from T --json`: import's shape, with the spans' counts."""
        statuses = [d.status for d in self.documents]
        return {
            "imported": statuses.count("imported"),
            "present": statuses.count("present"),
            "failed": statuses.count("failed"),
            "spans": {
                "added": self.added,
                "updated": self.updated,
                "present": self.present,
                "skipped": self.skipped,
            },
            "new_labels": [clean_line(name) for name in self.created_labels],
            "files": [_document_json(d) for d in self.documents],
            "problems": [clean_line(problem) for problem in self.problems],
        }


def _document_json(doc: DocumentResult) -> dict[str, Any]:
    return file_json(doc.where, doc.status, doc.article, doc.message) | {"spans_added": doc.added}


def readers() -> dict[str, Callable[[Path, str], list[ForeignDocument]]]:
    from . import brat, doccano, label_studio, w3c

    return {
        "doccano": doccano.read,
        "label-studio": label_studio.read,
        "brat": brat.read,
        "w3c": w3c.read,
    }


def import_foreign(
    store: Store, fmt: str, paths: Sequence[Path], units: str, annotator: str
) -> ForeignReport:
    """Each file (a folder for brat) read, placed, and stored in one transaction."""
    read = readers()[fmt]
    report = ForeignReport()
    for path in paths:
        try:
            documents = read(Path(path), units)
        except ReaderError as exc:
            report.documents.append(DocumentResult(str(path), "failed", message=_after(exc, path)))
            continue
        _Placer(store, fmt, units, annotator, report).store_documents(documents)
    return report


def _after(exc: ReaderError, path: Path) -> str:
    """The message without the file name the result line already shows."""
    return str(exc).removeprefix(f"{path}: ")


class _Placer:
    def __init__(
        self, store: Store, fmt: str, units: str, annotator: str, report: ForeignReport
    ) -> None:
        self.store = store
        self.fmt = fmt
        self.units = units
        self.annotator = annotator
        self.report = report
        self.labels = {label.name.lower(): label.name for label in store.labels()}

    def store_documents(self, documents: list[ForeignDocument]) -> None:
        planned: list[tuple[DocumentResult, Article, bool, list[Annotation]]] = []
        new_labels: dict[str, None] = {}
        for doc in documents:
            result = DocumentResult(doc.where, "failed", message=doc.problem or "")
            self.report.documents.append(result)
            self.report.problems.extend(doc.notices)
            if doc.problem:
                continue
            try:
                article, new, raw = self._article(doc)
            except ReaderError as exc:
                result.message = str(exc)
                continue
            result.article = article
            placed = [self._annotation(doc, article, raw, span, new_labels) for span in doc.spans]
            planned.append((result, article, new, [a for a in placed if a is not None]))
        # One transaction per file: its articles, labels and annotations, or nothing.
        with self.store.write():
            fresh = [article for _, article, new, _ in planned if new]
            stored = dict.fromkeys(a.id for a, is_new in self.store.add_articles(fresh) if is_new)
            for name in new_labels:
                self.store.ensure_label(name)
            for result, article, _, annotations in planned:
                result.status = "imported" if article.id in stored else "present"
                result.added = self._put(article, annotations)
        self.report.created_labels.extend(new_labels)

    # -- articles -----------------------------------------------------------

    def _article(self, doc: ForeignDocument) -> tuple[Article, bool, tuple[str, Any] | None]:
        """(the article, whether it is new, (raw text, offset map)) of a document."""
        if doc.text is None:
            return self._target(doc), False, None
        if not isinstance(doc.text, str):
            raise ReaderError("its text is not a string")
        text, where = normalize_mapped(doc.text)
        if not text:
            raise ReaderError("its text is empty")
        front: dict[str, object] = {
            k: _clean(v, _TITLE_MAX) for k, v in doc.metadata.items() if isinstance(v, str)
        }
        name = Path(doc.where.split(":")[0]).stem
        article = article_from_text(text, [], front, doc.where, self.fmt, name)
        with contextlib.suppress(NotFound):
            return self.store.article(article.id), False, (doc.text, where)
        return article, True, (doc.text, where)

    def _target(self, doc: ForeignDocument) -> Article:
        """The stored article an annotation without a text points at."""
        source = doc.source or ""
        if source.lower().startswith("urn:sha256:"):
            sha = source[len("urn:sha256:") :].lower()
            with contextlib.suppress(NotFound):
                found = self.store.article(sha[:12])
                if found.sha256 == sha:
                    return found
        else:
            ids = self.store.articles_with_url(source)
            if len(ids) == 1:
                return self.store.article(ids[0])
            if len(ids) > 1:
                raise ReaderError(f"{len(ids)} articles have the url {_short(source)}")
        raise ReaderError(f"no article {_short(source)} in this database (import it first)")

    # -- spans --------------------------------------------------------------

    def _annotation(
        self,
        doc: ForeignDocument,
        article: Article,
        raw: tuple[str, Any] | None,
        span: ForeignSpan,
        new_labels: dict[str, None],
    ) -> Annotation | None:
        where = span.where or doc.where
        if span.problem:
            self._skip(where, span.problem)
            return None
        label = self._label(span.label)
        if label is None:
            self._skip(where, f"{_short(span.label)} is not a valid label name")
            return None
        placed = self._place(article.text, raw, span)
        if placed is None:
            quote = f" {_short(span.quote)}" if span.quote else ""
            self._skip(where, f"span{quote} at {span.start}-{span.end} cannot be placed")
            return None
        if label.lower() not in self.labels:
            self.labels[label.lower()] = label
            new_labels[label] = None
        start, end = placed
        annotator = _clean(span.annotator, _NAME_MAX) or self.annotator
        now = utc_now()
        created = _time(span.created_at) or _time(span.updated_at) or now
        return Annotation.over(
            article.text,
            article.id,
            start,
            end,
            id=_id(span.id)
            or str(uuid.uuid5(_NAMESPACE, f"{article.id}:{start}:{end}:{label}:{annotator}")),
            label=label,
            note=_clean(span.note, NOTE_MAX, one_line=False),
            annotator=annotator,
            created_at=created,
            updated_at=_time(span.updated_at) or created,
            origin="merge",
        )

    def _label(self, value: object) -> str | None:
        if not isinstance(value, str):
            return None
        name = clean_line(value)
        if name.lower() in self.labels:  # "CLAIM" from a tool is our "claim"
            return self.labels[name.lower()]
        return name if is_label_name(name) else None

    def _place(
        self, text: str, raw: tuple[str, Any] | None, span: ForeignSpan
    ) -> tuple[int, int] | None:
        """(start, end) in the article's text, or None."""
        source = raw[0] if raw is not None else text
        units = Units(source, self.units)
        ok = all(isinstance(v, int) and not isinstance(v, bool) for v in (span.start, span.end))
        s0 = units.back(span.start) if ok else None
        e0 = units.back(span.end) if ok else None
        quote = normalize(span.quote) if span.quote else None
        prefix = normalize(span.prefix) if span.prefix else ""
        suffix = normalize(span.suffix) if span.suffix else ""
        hint = 0
        if s0 is not None and e0 is not None and 0 <= s0 < e0 <= len(source):
            here = source[s0:e0]
            if quote is None or normalize(here) == quote:
                start, end = (raw[1](s0), raw[1](e0)) if raw is not None else (s0, e0)
                found = text[start:end]
                if end > start and found in (normalize(here), normalize(here).strip()):
                    return start, end
                quote = quote or normalize(here).strip()
                prefix = prefix or normalize(source[max(0, s0 - CONTEXT) : s0])
                suffix = suffix or normalize(source[e0 : e0 + CONTEXT])
                hint = start
        if not quote:
            return None
        # The offsets do not hold (or the tool's text moved): find the quote.
        found_at = anchor(text, quote, prefix, suffix, hint)
        return None if found_at is None else (found_at, found_at + len(quote))

    def _skip(self, where: str, why: str) -> None:
        self.report.skipped += 1
        self.report.problems.append(f"{where}: {why}; skipped")

    # -- storing --------------------------------------------------------------

    def _put(self, article: Article, annotations: list[Annotation]) -> int:
        """Store what is new (inside the file's transaction); the number added."""
        existing = self.store.annotations_by_id(a.id for a in annotations)
        live = {(a.start, a.end, a.label) for a in self.store.annotations(article.id)}
        put: list[Annotation] = []
        added = 0
        for candidate in annotations:
            current = existing.get(candidate.id)
            if current is not None:
                same = (current.start, current.end, current.label, current.note) == (
                    candidate.start,
                    candidate.end,
                    candidate.label,
                    candidate.note,
                )
                if same or current.deleted:  # a span deleted here stays deleted
                    self.report.present += 1
                    continue
                put.append(
                    Annotation.over(
                        article.text,
                        article.id,
                        candidate.start,
                        candidate.end,
                        **{
                            **_fields(candidate),
                            "created_at": current.created_at,
                            "updated_at": stamp_after(current.updated_at),
                        },
                    )
                )
                self.report.updated += 1
            elif (candidate.start, candidate.end, candidate.label) in live:
                self.report.present += 1
                continue
            else:
                put.append(candidate)
                self.report.added += 1
                added += 1
            live.add((candidate.start, candidate.end, candidate.label))
            existing[candidate.id] = candidate
        self.store.put_annotations(put)
        return added


def _fields(a: Annotation) -> dict[str, Any]:
    return {
        "id": a.id,
        "label": a.label,
        "note": a.note,
        "annotator": a.annotator,
        "created_at": a.created_at,
        "updated_at": a.updated_at,
        "origin": a.origin,
    }


def _id(value: object) -> str | None:
    """A UUID (bare or urn:uuid:), as our exports give it; another tool's ids are not used."""
    if not isinstance(value, str):
        return None
    try:
        return str(uuid.UUID(value.removeprefix("urn:uuid:")))
    except ValueError:
        return None


def _time(value: object) -> str | None:
    """An ISO-8601 time as our UTC form, or None."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _clean(value: object, limit: int, one_line: bool = True) -> str | None:
    """A name or note from another tool: normalized, cut to `limit`; None when empty."""
    if value is None:
        return None
    text = clean_line(value) if one_line else clean_note(value)
    return text[:limit] or None


def _short(value: object, limit: int = 40) -> str:
    text = str(value)
    return repr(text if len(text) <= limit else text[:limit] + "…")
