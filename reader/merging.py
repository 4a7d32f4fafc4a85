"""`annotations` JSONL back in (`reader merge`): validated whole, then upserted by id,
streamed (a line at a time): placed outside any transaction, then decided and written
in write transactions short enough (WRITE_BUDGET_S) for a save in the TUI to get in
between two of them.

The newer `updated_at` wins; a quote whose offsets moved is re-anchored by its
text and context; what cannot be placed is reported and skipped, never stored
at wrong offsets. A malformed file is refused whole, naming its line.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
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


WRITE_BUDGET_S = 0.02  # about how long one transaction holds the write lock
CHUNK = 64  # records decided and written between two looks at the clock
ROUND_MAX = 8192  # records placed ahead of a transaction, at most (memory)


def merge(store: Store, paths: Sequence[Path | str]) -> MergeReport:
    """Bring `annotations` JSONL files in: validated whole first, then upserted by id.

    A malformed file raises ReaderError naming file:line, and nothing from any
    of the files is stored. The files are read twice, a line at a time (a
    million records need no more memory than one): once to validate, once to
    store. Records are placed in their articles (parsing, anchoring: most of the
    work) outside any transaction, for texts never change; then each round is
    decided and written inside a write transaction of about WRITE_BUDGET_S, against
    the rows as they are then, so an edit another process (the TUI) commits while
    the merge runs is compared, not overwritten blindly, and waits no longer than
    one such transaction for the lock. Each transaction commits whole records, and
    merging again changes nothing: a merge cut short is finished by running it
    again. "-" is stdin (spooled to a temporary file, to be read twice).
    """
    with _spooled(paths) as files:
        for path in files:
            for _ in _records(path):
                pass  # validation: a bad line raises before anything is written
        report = MergeReport()
        placed = _placed_records(store, files, report)
        pending: list[_Placed] = []
        size = CHUNK
        while True:
            # placing the next records happens between transactions: the lock is
            # free meanwhile for whoever waits for it
            pending.extend(itertools.islice(placed, size))
            if not pending:
                break
            written = _write_round(store, pending, report)
            del pending[:written]
            # as many new records as the last transaction could take in its time
            size = max(CHUNK, written) if pending else min(size * 2, ROUND_MAX)
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


@dataclass(frozen=True)
class _Placed:
    """A record as the annotation it stands for, placed in its article's text; its
    label as the record names it (mapped to ours inside the transaction)."""

    annotation: Annotation
    moved: bool  # re-anchored: the record's offsets were not the quote's
    where: str  # the record's "file:line", for messages


def _placed_records(store: Store, files: list[Path], report: MergeReport) -> Iterator[_Placed]:
    """Every record of the files placed in its article, those that cannot be skipped
    (and reported). Reads only the articles, whose texts never change: no lock."""
    articles: dict[str, Article | None] = {}
    # the labels as they are now: for refusing invalid names only (a label this
    # merge or anyone creates meanwhile is a valid name); the mapping to ours is
    # decided inside each transaction
    folded = {label.name.casefold() for label in store.labels()}
    for path in files:
        for record in _records(path):
            placed = _candidate(store, record, articles, folded, report)
            if placed is not None:
                yield placed


def _write_round(store: Store, pending: list[_Placed], report: MergeReport) -> int:
    """Decide and write pending records, a chunk at a time, in one transaction that
    ends once WRITE_BUDGET_S has passed (after one chunk at least): how many it took."""
    done = 0
    with store.write():
        began = time.perf_counter()
        labels = _Labels(store, report)
        while done < len(pending) and (not done or time.perf_counter() - began < WRITE_BUDGET_S):
            chunk = pending[done : done + CHUNK]
            _write_chunk(store, chunk, labels, report)
            done += len(chunk)
    return done


class _Labels:
    """The labels as stored inside the current transaction: a merged `Claim` is our
    `claim`, an unknown label is created (with the records that need it)."""

    def __init__(self, store: Store, report: MergeReport) -> None:
        self.store, self.report = store, report
        self.known = {label.name for label in store.labels()}
        # names are unique without regard to case: a merged `Claim` is our `claim`
        self.folded = {name.casefold(): name for name in self.known}

    def ours(self, name: str) -> str:
        ours = self.folded.get(name.casefold(), name)
        if ours != name:  # `Claim` or `HEDGE`: the label we have
            self.report.mapped_labels[name] = ours
        return ours

    def ensure(self, name: str) -> None:
        if name not in self.known:
            self.store.ensure_label(name)
            self.known.add(name)
            self.folded[name.casefold()] = name
            self.report.created_labels.append(name)


def _write_chunk(store: Store, chunk: list[_Placed], labels: _Labels, report: MergeReport) -> None:
    """Decide and write records inside the caller's transaction, each against its
    row as stored now (earlier chunks of the transaction included)."""
    existing = store.annotations_by_id(placed.annotation.id for placed in chunk)
    # an article deleted (in the TUI) since its records were placed: they are skipped,
    # not a foreign-key failure that would stop the merge half-way
    present = store.present_articles(placed.annotation.article_id for placed in chunk)
    planned: dict[str, Annotation] = {}
    for placed in chunk:
        annotation = placed.annotation
        if annotation.article_id not in present:
            report.skipped += 1
            report.problems.append(
                f"{placed.where}: annotation {annotation.id}: article {annotation.article_id} "
                "was deleted while merging; skipped"
            )
            continue
        label = labels.ours(annotation.label)
        if label != annotation.label:
            annotation = replace(annotation, label=label)
        current = planned.get(annotation.id) or existing.get(annotation.id)
        if current is not None and not _newer(annotation.updated_at, current.updated_at):
            report.unchanged += 1
            continue
        if current is None:
            report.added += 1
        else:
            report.updated += 1
        report.reanchored += placed.moved
        planned[annotation.id] = annotation
        labels.ensure(annotation.label)
    store.put_annotations(planned.values())


def _candidate(
    store: Store,
    record: _Record,
    articles: dict[str, Article | None],
    folded: set[str],
    report: MergeReport,
) -> _Placed | None:
    """The annotation a record stands for, placed in its article, and whether it moved;
    None (reported, skipped) when it cannot be placed. `folded`: the labels known (in
    lower case)."""
    data = record.data

    def skip(why: str) -> None:
        report.skipped += 1
        report.problems.append(f"{record.where}: annotation {data['id']}: {why}; skipped")

    article = _find_article(store, data, articles)
    if article is None:
        skip(f"no article {data['article_id']} in this database (import it first)")
        return None
    label = data["label"]
    if label.casefold() not in folded and not is_label_name(label):
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
    return _Placed(annotation, moved, record.where)


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
