"""JSONL out: formats `annotations` (one line per annotation) and `spans` (per article).

The output is deterministic: rows sorted by article, start, end, id; compact
JSON (no spaces), UTF-8 unescaped, "\\n" line ends, so the same data always
gives the same bytes and export -> merge -> export is the identity.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
from collections.abc import Callable, Generator, Sequence
from pathlib import Path
from typing import Any, BinaryIO, Literal, Protocol, TextIO

from reader.errors import ReaderError
from reader.files import write_output
from reader.models import Article
from reader.store import Store

Format = Literal["annotations", "spans"]
FORMATS: tuple[str, ...] = ("annotations", "spans")

_SLICE = 1 << 20  # bytes per write(2)
_FLUSH_EVERY = 32 << 20


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


class BytesOut(Protocol):
    """Where export_bytes writes: a binary file, stdout's buffer, _EarlyFlush."""

    def write(self, data: bytes | memoryview, /) -> object: ...


def export_bytes(
    store: Store,
    out: BytesOut,
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
    """export() into `path`: a regular file atomically (a reader of `path` sees the
    old file or the new one), a FIFO or a device written into (reader.files)."""

    def produce(out: BinaryIO) -> int:
        with _EarlyFlush(out) as flushing:
            return export_bytes(store, flushing, **kwargs)

    return write_output(Path(path), produce)[1]


def _datasync(fd: int) -> None:
    with contextlib.suppress(OSError):  # a FIFO or a device has nothing to sync
        os.fdatasync(fd)


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
                target=_datasync, args=(self._out.fileno(),), daemon=True
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
        chunks = store.annotation_json_chunks(article_ids, labels, include_deleted, annotators)
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


def _span_chunks(
    store: Store,
    article_ids: Sequence[str] | None,
    labels: Sequence[str] | None,
    annotators: Sequence[str] | None = None,
) -> Generator[tuple[int, bytes], None, None]:
    """One line per article that has spans: the article is loaded once, its spans follow."""
    article_id: str | None = None
    spans: list[dict[str, Any]] = []
    work = store.work()  # each article's status goes with it
    wanted = set(annotators) if annotators is not None else None
    for row in store.annotation_rows(article_ids, labels):
        if wanted is not None and row[9] not in wanted:
            continue
        if row[1] != article_id:
            if spans and article_id is not None:
                yield 1, _article_line(store.article(article_id), spans, work)
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
        yield 1, _article_line(store.article(article_id), spans, work)


def _article_line(
    article: Article, spans: list[dict[str, Any]], work: dict[str, tuple[str, float | None]]
) -> bytes:
    record = {
        "article_id": article.id,
        "title": article.title,
        "author": article.author,
        "source": article.source,
        "url": article.url,
        "published": article.published,
        "text": article.text,
        "status": work.get(article.id, ("new", None))[0],
        "spans": spans,
    }
    return _dumps(record) + b"\n"
