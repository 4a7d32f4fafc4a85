"""`annotations` JSONL back in (`reader merge`): validated whole, then upserted by id,
streamed (a line at a time), each batch decided inside its write transaction.

The newer `updated_at` wins; a quote whose offsets moved is re-anchored by its
text and context; what cannot be placed is reported and skipped, never stored
at wrong offsets. A malformed file is refused whole, naming its line.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import sys
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from reader.anchoring import anchor
from reader.errors import NotFound, ReaderError
from reader.labels import LABEL_NAME_MAX, is_label_name
from reader.models import Annotation, Article
from reader.store import Store
from reader.text.normalize import normalize
from reader.text.sanitize import clean_line, clean_note


@dataclass
class MergeReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    reanchored: int = 0
    skipped: int = 0
    problems: list[str] = field(default_factory=list)
    created_labels: list[str] = field(default_factory=list)
    mapped_labels: dict[str, str] = field(default_factory=dict)  # merged name -> ours

    def summary(self) -> str:
        text = (
            f"{self.added} added, {self.updated} updated, {self.unchanged} unchanged, "
            f"{self.reanchored} re-anchored, {self.skipped} skipped"
        )
        if self.created_labels:
            text += f"; new labels: {', '.join(self.created_labels)}"
        if self.mapped_labels:
            pairs = ", ".join(
                f"{clean_line(a)} → {clean_line(b)}" for a, b in self.mapped_labels.items()
            )
            text += f"; labels taken as ours (case): {pairs}"
        return text

    def as_json(self, files: int) -> dict[str, Any]:
        """`merge --json`: the counts, the labels made or taken as ours, the problems."""
        return {
            "files": files,
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "reanchored": self.reanchored,
            "skipped": self.skipped,
            "new_labels": [clean_line(name) for name in self.created_labels],
            "mapped_labels": {clean_line(a): clean_line(b) for a, b in self.mapped_labels.items()},
            "problems": [clean_line(problem) for problem in self.problems],
        }


@dataclass(frozen=True)
class _Record:
    where: str  # "file:line", for messages
    data: dict[str, Any]


# field -> (type, required). None is accepted for the optional ones.
_FIELDS: dict[str, tuple[type, bool]] = {
    "id": (str, True),
    "article_id": (str, True),
    "start": (int, True),
    "end": (int, True),
    "text": (str, True),
    "label": (str, True),
    "updated_at": (str, True),
    "article_sha256": (str, False),
    "prefix": (str, False),
    "suffix": (str, False),
    "note": (str, False),
    "annotator": (str, False),
    "created_at": (str, False),
    "origin": (str, False),
    "deleted_at": (str, False),
}
_ID_MAX = 200  # ids are UUIDs; a longer one is not from an export


BATCH = 2000  # records decided and written per transaction


def merge(store: Store, paths: Sequence[Path | str]) -> MergeReport:
    """Bring `annotations` JSONL files in: validated whole first, then upserted by id.

    A malformed file raises ReaderError naming file:line, and nothing from any
    of the files is stored. The files are read twice, a line at a time (a
    million records need no more memory than one): once to validate, once to
    store. Each batch of records is decided inside its own write transaction,
    against the rows as they are then, so an edit another process (the TUI)
    commits while the merge runs is compared, not overwritten blindly. "-" is
    stdin (spooled to a temporary file, to be read twice).
    """
    with _spooled(paths) as files:
        for path in files:
            for _ in _records(path):
                pass  # validation: a bad line raises before anything is written
        report = MergeReport()
        articles: dict[str, Article | None] = {}
        batch: list[_Record] = []
        for path in files:
            for record in _records(path):
                batch.append(record)
                if len(batch) >= BATCH:
                    _merge_batch(store, batch, articles, report)
                    batch = []
        if batch:
            _merge_batch(store, batch, articles, report)
    return report


@contextlib.contextmanager
def _spooled(paths: Sequence[Path | str]) -> Iterator[list[Path]]:
    """The files to read, "-" (stdin) copied to a temporary file first."""
    with tempfile.TemporaryDirectory(prefix="reader-merge-") as spool:
        files: list[Path] = []
        for given in paths:
            if str(given) == "-":
                copy = Path(spool) / f"stdin-{len(files)}.jsonl"
                with copy.open("wb") as out:
                    shutil.copyfileobj(sys.stdin.buffer, out)
                files.append(copy)
            else:
                files.append(Path(given))
        yield files


def _merge_batch(
    store: Store, batch: list[_Record], articles: dict[str, Article | None], report: MergeReport
) -> None:
    """Decide and write one batch in one transaction, against the rows as stored now."""
    with store.write():
        known_labels = {label.name for label in store.labels()}
        # names are unique without regard to case: a merged `Claim` is our `claim`
        folded = {name.casefold(): name for name in known_labels}
        existing = store.annotations_by_id(r.data["id"] for r in batch)
        planned: dict[str, Annotation] = {}
        for record in batch:
            candidate = _candidate(store, record, articles, folded, report)
            if candidate is None:
                continue
            annotation, moved = candidate
            current = planned.get(annotation.id) or existing.get(annotation.id)
            if current is not None and not _newer(annotation.updated_at, current.updated_at):
                report.unchanged += 1
                continue
            if current is None:
                report.added += 1
            else:
                report.updated += 1
            report.reanchored += moved
            planned[annotation.id] = annotation
            if annotation.label not in known_labels:
                store.ensure_label(annotation.label)
                known_labels.add(annotation.label)
                folded[annotation.label.casefold()] = annotation.label
                report.created_labels.append(annotation.label)
        store.put_annotations(planned.values())


def _candidate(
    store: Store,
    record: _Record,
    articles: dict[str, Article | None],
    folded: dict[str, str],
    report: MergeReport,
) -> tuple[Annotation, bool] | None:
    """The annotation a record stands for, placed in its article, and whether it moved;
    None (reported, skipped) when it cannot be placed."""
    data = record.data

    def skip(why: str) -> None:
        report.skipped += 1
        report.problems.append(f"{record.where}: annotation {data['id']}: {why}; skipped")

    article = _find_article(store, data, articles)
    if article is None:
        skip(f"no article {data['article_id']} in this database (import it first)")
        return None
    label = data["label"]
    ours = folded.get(label.casefold())
    if ours is not None and ours != label:  # `Claim` or `HEDGE`: the label we have
        report.mapped_labels[label] = ours
        label = ours
    if ours is None and not is_label_name(label):
        skip(f"{label!r} is not a valid label name (one word, at most {LABEL_NAME_MAX} characters)")
        return None
    placed = _place(article.text, data)
    if placed is None:
        skip(f"its text {_excerpt(data['text'])} is not in article {article.id}")
        return None
    start, end, moved = placed
    annotation = Annotation.over(
        article.text,
        article.id,
        start,
        end,
        id=data["id"],
        label=label,
        note=data.get("note") or None,
        annotator=data.get("annotator") or "unknown",
        created_at=data.get("created_at") or data["updated_at"],
        updated_at=data["updated_at"],
        origin=data.get("origin") or "merge",
        deleted_at=data.get("deleted_at"),
    )
    return annotation, moved


def _records(path: Path) -> Iterator[_Record]:
    """Every record of a file, validated, a line at a time; ReaderError at the first
    bad line."""
    try:
        if not path.is_file() and path.exists():
            raise ReaderError(f"cannot read {path}: not a regular file")
        handle = path.open("rb")
    except OSError as exc:
        raise ReaderError(f"cannot read {path}: {exc.strerror or exc}") from None
    with handle:
        for number, raw in enumerate(handle, start=1):
            if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            if raw.strip():
                yield _parse(raw, f"{path}:{number}")


def _parse(raw: bytes, where: str) -> _Record:
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ReaderError(f"{where}: not UTF-8 (byte 0x{raw[exc.start]:02x})") from None
    try:
        value = json.loads(line)
    except RecursionError:
        raise ReaderError(f"{where}: JSON nested too deeply") from None
    except ValueError as exc:  # JSONDecodeError, and ints past the digit limit
        raise ReaderError(f"{where}: not valid JSON ({clean_line(exc)})") from None
    if not isinstance(value, dict):
        raise ReaderError(f"{where}: expected a JSON object, got {type(value).__name__}")
    problem = _check(value)
    if problem:
        raise ReaderError(f"{where}: {problem}")
    return _Record(where, _cleaned(value))


def _check(value: dict[str, Any]) -> str | None:
    """Why a record is not an annotation we can merge, or None."""
    for name, (kind, required) in _FIELDS.items():
        if name not in value or value[name] is None:
            if required:
                return f"missing field {name!r}"
            continue
        item = value[name]
        # bool is an int in Python, not an offset in JSON
        if not isinstance(item, kind) or isinstance(item, bool):
            return f"field {name!r} must be {'an integer' if kind is int else 'a string'}"
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return f"field {name!r} holds an unpaired surrogate (\\ud800-\\udfff)"
    if not value["id"].strip() or len(value["id"]) > _ID_MAX:
        return f"field 'id' must be a non-empty string of at most {_ID_MAX} characters"
    if not value["text"]:
        return "field 'text' (the quote) is empty"
    if not 0 <= value["start"] < value["end"]:
        return f"offsets must satisfy 0 <= start < end, got {value['start']}, {value['end']}"
    for name in ("updated_at", "created_at", "deleted_at"):
        if value.get(name) is not None and _instant(value[name]) is None:
            return f"field {name!r} is not an ISO-8601 time: {_excerpt(value[name])}"
    return None


def _cleaned(value: dict[str, Any]) -> dict[str, Any]:
    """The record's strings from outside, cleaned once they are decoded from JSON
    (the quote and its context are matched against the article's own text)."""
    for name in ("label", "annotator", "origin"):
        if value.get(name) is not None:
            value[name] = clean_line(value[name])
    if value.get("note") is not None:
        value["note"] = clean_note(value["note"])
    return value


def _find_article(
    store: Store, data: dict[str, Any], cache: dict[str, Article | None]
) -> Article | None:
    """The record's article: by id, else by its text's SHA-256 (whose prefix is the id)."""
    key = f"{data['article_id']}\0{data.get('article_sha256') or ''}"
    if key not in cache:
        found = None
        with contextlib.suppress(NotFound):
            found = store.article(data["article_id"])
        sha = (data.get("article_sha256") or "").lower()
        if found is None and len(sha) >= 12:
            with contextlib.suppress(NotFound):
                candidate = store.article(sha[:12])
                if candidate.sha256.startswith(sha):
                    found = candidate
        cache[key] = found
    return cache[key]


def _place(text: str, data: dict[str, Any]) -> tuple[int, int, bool] | None:
    """(start, end, re-anchored?) of the record's quote in text, or None."""
    start, end, quote = data["start"], data["end"], data["text"]
    prefix, suffix = data.get("prefix") or "", data.get("suffix") or ""
    if (
        text[start:end] == quote
        and text[max(0, start - len(prefix)) : start] == prefix
        and text[end : end + len(suffix)] == suffix
    ):
        return start, end, False
    # The quote is elsewhere, or here but in other surroundings (the text
    # shifted and the quote also occurs at the old offsets): let context decide.
    found = anchor(text, quote, prefix, suffix, start)
    if found is None:
        # A quote written by another tool may not be in NFC, as our texts are.
        canonical = normalize(quote)
        if canonical != quote and canonical:
            found = anchor(text, canonical, normalize(prefix), normalize(suffix), start)
            quote = canonical
    if found is None:
        return None
    return found, found + len(quote), (found, found + len(quote)) != (start, end)


def _instant(value: str) -> datetime | None:
    """An ISO-8601 time as an aware datetime (UTC when it names no zone), or None."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _newer(stamp: str, than: str) -> bool:
    """Is ISO time `stamp` later than `than`? (An unreadable stored time is the oldest.)"""
    oldest = datetime.min.replace(tzinfo=UTC)
    return (_instant(stamp) or oldest) > (_instant(than) or oldest)


def _excerpt(value: str, limit: int = 40) -> str:
    return repr(value if len(value) <= limit else value[:limit] + "…")
