"""JSONL out (formats `annotations` and `spans`) and `annotations` JSONL back in (merge).

The output is deterministic: rows sorted by article, start, end, id; compact
JSON (no spaces), UTF-8 unescaped, "\\n" line ends, so the same data always
gives the same bytes and export -> merge -> export is the identity.
"""

from __future__ import annotations

import collections
import contextlib
import json
import os
import queue
import sqlite3
import tempfile
import threading
from collections.abc import Callable, Generator, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO, Literal, TextIO

from reader.anchoring import anchor
from reader.errors import NotFound, ReaderError, StoreError
from reader.models import Annotation, Article
from reader.store import BUSY_TIMEOUT_S, LABEL_NAME_MAX, Store, describe, is_label_name
from reader.text.normalize import normalize

Format = Literal["annotations", "spans"]
FORMATS: tuple[str, ...] = ("annotations", "spans")

# The `annotations` format, built by SQLite itself: json_object() keeps the key
# order and writes compact JSON with non-ASCII unescaped (as json.dumps with
# ensure_ascii=False and separators (",", ":") does; a test holds it to that).
# One query per article, its title/source/sha256 bound as parameters: the
# annotations table is clustered by (article_id, start, end, id), so each query
# is a range scan already in export order, with no join and no sort; and
# group_concat hands Python one bytes value per article, not one per line.
# (SQLite 3.40 has no ORDER BY inside group_concat; it concatenates in the
# order the ordered subquery yields, which the tests hold it to.)
_ANNOTATION_JSON = """
SELECT count(*), CAST(group_concat(line, char(10)) AS BLOB) FROM (
    SELECT json_object(
        'id', id, 'article_id', article_id, 'article_title', :title,
        'article_source', :source, 'article_sha256', :sha256, 'start', start,
        'end', "end", 'text', quote, 'prefix', prefix, 'suffix', suffix,
        'label', label, 'note', note, 'annotator', annotator,
        'created_at', created_at, 'updated_at', updated_at, 'origin', origin{deleted}
    ) AS line
    FROM annotations
    WHERE article_id = :article_id{where}
    ORDER BY article_id, start, "end", id
)
"""
_ARTICLES_PER_TASK = 16
_SLICE = 1 << 20  # bytes per write(2)
_FLUSH_EVERY = 32 << 20
_READERS = 2  # connections building lines at once: SQLite releases the GIL meanwhile


def _dumps(obj: dict[str, Any]) -> bytes:
    """Compact, unescaped UTF-8 JSON: the same bytes SQLite's json_object() writes."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


# -- export ----------------------------------------------------------------


def export(
    store: Store,
    out: TextIO,
    fmt: Format = "annotations",
    article_ids: Sequence[str] | None = None,
    labels: Sequence[str] | None = None,
    include_deleted: bool = False,
    annotators: Sequence[str] | None = None,
) -> int:
    """Write annotations as JSONL to `out`; returns the number of lines written.
    `annotators` keeps only the annotations signed by one of them (sync uses it)."""

    def write(chunk: bytes) -> None:
        out.write(chunk.decode("utf-8"))

    return _export(store, write, fmt, article_ids, labels, include_deleted, annotators)


def export_bytes(
    store: Store,
    out: BinaryIO,
    fmt: Format = "annotations",
    article_ids: Sequence[str] | None = None,
    labels: Sequence[str] | None = None,
    include_deleted: bool = False,
    annotators: Sequence[str] | None = None,
) -> int:
    """export() to a binary stream: the UTF-8 bytes as they are, no decoding."""

    def write(chunk: bytes) -> None:
        # In slices: a pipe whose reader left mid-way accepts part of a large
        # write without an error; the next slice then raises.
        view = memoryview(chunk)
        for at in range(0, len(view), _SLICE):
            out.write(view[at : at + _SLICE])

    return _export(store, write, fmt, article_ids, labels, include_deleted, annotators)


def export_to_file(store: Store, path: Path, **kwargs: Any) -> int:
    """export() into `path`, atomically: a reader of `path` sees the old file or the new one."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise ReaderError(f"cannot write {path}: {exc.strerror}") from None
    try:
        with open(fd, "wb") as out, _EarlyFlush(out) as flushing:
            count = export_bytes(store, flushing, **kwargs)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, 0o644)  # mkstemp makes it 0600; an export is an ordinary file
        os.replace(temp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise ReaderError(f"cannot write {path}: {exc.strerror or exc}") from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    return count


class _EarlyFlush:
    """A file whose data goes to disk while the export goes on.

    Every _FLUSH_EVERY bytes a thread asks the kernel to write what is there
    (fdatasync releases the GIL), so the fsync that makes the finished file
    durable has little left to do: on a large export it would otherwise add
    a second or more at the end."""

    def __init__(self, out: BinaryIO) -> None:
        self._out = out
        self._unflushed = 0
        self._thread: threading.Thread | None = None

    def write(self, data: bytes | memoryview) -> int:
        written = self._out.write(data)
        self._unflushed += len(data)
        if self._unflushed >= _FLUSH_EVERY and not (self._thread and self._thread.is_alive()):
            self._out.flush()
            self._unflushed = 0
            self._thread = threading.Thread(
                target=os.fdatasync, args=(self._out.fileno(),), daemon=True
            )
            self._thread.start()
        return written

    def __enter__(self) -> _EarlyFlush:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._thread is not None:
            self._thread.join()


def _export(
    store: Store,
    write: Callable[[bytes], object],
    fmt: str,
    article_ids: Sequence[str] | None,
    labels: Sequence[str] | None,
    include_deleted: bool,
    annotators: Sequence[str] | None = None,
) -> int:
    if fmt == "annotations":
        chunks = _annotation_chunks(store, article_ids, labels, include_deleted, annotators)
    elif fmt == "spans":
        if include_deleted:
            raise ReaderError("deleted annotations can only be exported in the annotations format")
        chunks = _span_chunks(store, article_ids, labels, annotators)
    else:
        raise ReaderError(f"unknown export format {fmt!r}; use one of: {', '.join(FORMATS)}")
    count = 0
    # closing(): the chunks hold read transactions, ended here, not by the GC
    with contextlib.closing(chunks):
        for lines, chunk in chunks:
            write(chunk)
            count += lines
    return count


def _annotation_chunks(
    store: Store,
    article_ids: Sequence[str] | None,
    labels: Sequence[str] | None,
    include_deleted: bool,
    annotators: Sequence[str] | None = None,
) -> Generator[tuple[int, bytes], None, None]:
    """(line count, bytes) of `annotations` lines, a few articles at a time, in order."""
    where, base = "", {}
    if not include_deleted:
        where += " AND deleted_at IS NULL"
    if labels is not None:
        where += " AND label IN (SELECT value FROM json_each(:labels))"
        base["labels"] = json.dumps(list(labels))
    if annotators is not None:
        where += " AND annotator IN (SELECT value FROM json_each(:annotators))"
        base["annotators"] = json.dumps(list(annotators))
    sql = _ANNOTATION_JSON.format(
        deleted=", 'deleted_at', deleted_at" if include_deleted else "", where=where
    )
    with snapshot_readers(store, _READERS) as readers:
        heads = {
            row[0]: row[1:]
            for row in readers[0].execute("SELECT id, title, source, sha256 FROM articles")
        }
        wanted = sorted(heads if article_ids is None else set(article_ids) & heads.keys())
        free: queue.Queue[sqlite3.Connection] = queue.Queue()
        for conn in readers:
            free.put(conn)

        def lines_of(batch: list[str]) -> tuple[int, bytes]:
            conn = free.get()
            try:
                count, parts = 0, []
                for article_id in batch:
                    title, source, sha256 = heads[article_id]
                    params = dict(base, article_id=article_id, title=title)
                    params.update(source=source, sha256=sha256)
                    lines, blob = conn.execute(sql, params).fetchone()
                    if lines:
                        count += lines
                        parts.append(blob)
                return count, b"\n".join(parts) + b"\n" if parts else b""
            finally:
                free.put(conn)

        batches = [
            wanted[i : i + _ARTICLES_PER_TASK] for i in range(0, len(wanted), _ARTICLES_PER_TASK)
        ]
        if len(readers) == 1:
            for batch in batches:
                yield lines_of(batch)
            return
        with ThreadPoolExecutor(len(readers), thread_name_prefix="reader-export") as pool:
            pending: collections.deque[Future[tuple[int, bytes]]] = collections.deque()
            for batch in batches:
                pending.append(pool.submit(lines_of, batch))
                if len(pending) > 2 * len(readers):  # bounded: a few batches in memory
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()


@contextlib.contextmanager
def snapshot_readers(store: Store, count: int) -> Iterator[list[sqlite3.Connection]]:
    """Up to `count` connections that all read the same state of the database.

    Extra read-only connections open their read transactions while the store
    holds the write lock, so no commit can land between them; a database that
    cannot give that (in memory, read-only, locked) is read through the store's
    own connection alone.
    """
    extra: list[sqlite3.Connection] = []
    conn = store.conn
    try:
        if count > 1 and str(store.path) != ":memory:" and not conn.in_transaction:
            # A writer elsewhere holding the lock is not waited for long: one
            # connection then reads alone, which is only slower.
            conn.execute("PRAGMA busy_timeout = 200")
            with contextlib.suppress(sqlite3.Error):
                conn.execute("BEGIN IMMEDIATE")
                try:
                    for _ in range(count):
                        reader = sqlite3.connect(
                            f"{store.path.resolve().as_uri()}?mode=ro",
                            uri=True,
                            isolation_level=None,
                            check_same_thread=False,
                        )
                        extra.append(reader)
                        reader.execute("BEGIN")
                        reader.execute("SELECT 1 FROM labels LIMIT 1").fetchall()  # the snapshot
                finally:
                    conn.execute("ROLLBACK")
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        if len(extra) == count:
            yield extra
        else:
            with store.snapshot() as own:
                yield [own]
    except sqlite3.Error as exc:
        raise StoreError(describe(exc, store.path)) from None
    finally:
        for reader in extra:
            with contextlib.suppress(sqlite3.Error):
                reader.close()


def _span_chunks(
    store: Store,
    article_ids: Sequence[str] | None,
    labels: Sequence[str] | None,
    annotators: Sequence[str] | None = None,
) -> Generator[tuple[int, bytes], None, None]:
    """One line per article that has spans: the article is loaded once, its spans follow."""
    article_id: str | None = None
    spans: list[dict[str, Any]] = []
    wanted = None if annotators is None else set(annotators)
    for row in store.annotation_rows(article_ids, labels):
        if wanted is not None and row[9] not in wanted:
            continue
        if row[1] != article_id:
            if spans and article_id is not None:
                yield 1, _article_line(store.article(article_id), spans)
            article_id, spans = row[1], []
        spans.append(
            {
                "id": row[0],
                "start": row[2],
                "end": row[3],
                "label": row[7],
                "text": row[4],
                "note": row[8],
                "annotator": row[9],
            }
        )
    if spans and article_id is not None:
        yield 1, _article_line(store.article(article_id), spans)


def _article_line(article: Article, spans: list[dict[str, Any]]) -> bytes:
    record = {
        "id": article.id,
        "title": article.title,
        "source": article.source,
        "url": article.url,
        "published": article.published,
        "text": article.text,
        "spans": spans,
    }
    return _dumps(record) + b"\n"


# -- merge -----------------------------------------------------------------


@dataclass
class MergeReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    reanchored: int = 0
    skipped: int = 0
    problems: list[str] = field(default_factory=list)
    created_labels: list[str] = field(default_factory=list)

    def summary(self) -> str:
        text = (
            f"{self.added} added, {self.updated} updated, {self.unchanged} unchanged, "
            f"{self.reanchored} re-anchored, {self.skipped} skipped"
        )
        if self.created_labels:
            text += f"; new labels: {', '.join(self.created_labels)}"
        return text


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


def merge(store: Store, paths: Sequence[Path]) -> MergeReport:
    """Bring `annotations` JSONL files in: validated whole first, then upserted by id.

    A malformed file raises ReaderError naming file:line, and nothing from any
    of the files is stored. Records whose article is unknown or whose quote
    cannot be found are reported and skipped; the rest go in one transaction.
    """
    records = [record for path in paths for record in _read_jsonl(Path(path))]
    report = MergeReport()
    articles: dict[str, Article | None] = {}
    known_labels = {label.name for label in store.labels()}
    existing = store.annotations_by_id(r.data["id"] for r in records)
    planned: dict[str, Annotation] = {}
    new_labels: dict[str, None] = {}  # insertion-ordered set

    for record in records:
        data = record.data
        article = _find_article(store, data, articles)
        if article is None:
            report.skipped += 1
            report.problems.append(
                f"{record.where}: annotation {data['id']}: no article {data['article_id']} "
                "in this database (import it first); skipped"
            )
            continue
        label = data["label"]
        if label not in known_labels and not is_label_name(label):
            report.skipped += 1
            report.problems.append(
                f"{record.where}: annotation {data['id']}: {label!r} is not a valid label "
                f"name (one word, at most {LABEL_NAME_MAX} characters); skipped"
            )
            continue
        placed = _place(article.text, data)
        if placed is None:
            report.skipped += 1
            report.problems.append(
                f"{record.where}: annotation {data['id']}: its text {_excerpt(data['text'])} "
                f"is not in article {article.id}; skipped"
            )
            continue
        start, end, moved = placed
        candidate = Annotation.over(
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
        current = planned.get(candidate.id) or existing.get(candidate.id)
        if current is not None and _instant(candidate.updated_at) <= _instant(current.updated_at):
            report.unchanged += 1
            continue
        if current is None:
            report.added += 1
        else:
            report.updated += 1
        report.reanchored += moved
        planned[candidate.id] = candidate
        if label not in known_labels:
            new_labels[label] = None

    if planned:
        # Labels and annotations in one transaction: all of it or none of it.
        with store.write():
            for name in new_labels:
                store.ensure_label(name)
            store.put_annotations(planned.values())
        report.created_labels = list(new_labels)
    return report


def _read_jsonl(path: Path) -> list[_Record]:
    """Every record of a file, validated; ReaderError at the first bad line."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReaderError(f"cannot read {path}: {exc.strerror or exc}") from None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    records = []
    for number, raw in enumerate(data.split(b"\n"), start=1):
        where = f"{path}:{number}"
        if not raw.strip():
            continue
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ReaderError(f"{where}: not UTF-8 (byte 0x{raw[exc.start]:02x})") from None
        try:
            value = json.loads(line)
        except RecursionError:
            raise ReaderError(f"{where}: JSON nested too deeply") from None
        except ValueError as exc:  # JSONDecodeError, and ints past the digit limit
            raise ReaderError(f"{where}: not valid JSON ({_one_line(exc)})") from None
        if not isinstance(value, dict):
            raise ReaderError(f"{where}: expected a JSON object, got {type(value).__name__}")
        problem = _check(value)
        if problem:
            raise ReaderError(f"{where}: {problem}")
        records.append(_Record(where, value))
    return records


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
        if kind is str:
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


def _excerpt(value: str, limit: int = 40) -> str:
    return repr(value if len(value) <= limit else value[:limit] + "…")


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())
