"""What the tool formats share: the articles and spans to export, offsets in a tool's
unit, compact JSON, atomic files, and the records other tools' files are read into."""

from __future__ import annotations

import json
import stat
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from reader.errors import ReaderError
from reader.files import write_output
from reader.models import Annotation, Article, Label
from reader.store import Store
from reader.text.offsets import Utf16

Warn = Callable[[str], None]


@dataclass(frozen=True)
class Item:
    """An article and its live annotations (those of the chosen labels), in reading order."""

    article: Article
    annotations: list[Annotation]


def items(
    store: Store, article_ids: Sequence[str] | None, labels: Sequence[str] | None
) -> Iterator[Item]:
    """Every chosen article, by id, with its spans: an article without any is
    exported too (a text to annotate in the other tool)."""
    with store.snapshot():
        ids = sorted(article_ids) if article_ids is not None else sorted(store.article_heads())
        wanted = None if labels is None else set(labels)
        for article_id in ids:
            spans = store.annotations(article_id)
            if wanted is not None:
                spans = [a for a in spans if a.label in wanted]
            yield Item(store.article(article_id), spans)


def chosen_labels(store: Store, labels: Sequence[str] | None) -> list[Label]:
    """The labels a tool's configuration declares: the chosen ones, in their order."""
    every = store.labels()
    return every if labels is None else [label for label in every if label.name in set(labels)]


class Units:
    """Offsets of one text in a tool's unit: code points, or UTF-16 code units."""

    def __init__(self, text: str, units: str) -> None:
        self._utf16 = Utf16(text) if units == "utf16" else None

    def out(self, offset: int) -> int:
        return offset if self._utf16 is None else self._utf16.to_utf16(offset)

    def back(self, offset: int) -> int | None:
        """A tool's offset as a code point offset; None when it falls inside a character."""
        return offset if self._utf16 is None else self._utf16.from_utf16(offset)


def dumps(value: Any) -> str:
    """Compact JSON, non-ASCII as it is: what our own JSONL writes."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def metadata(article: Article) -> dict[str, Any]:
    """Our article's id and metadata, as the formats carry them beside the text."""
    return {
        "article_id": article.id,
        "title": article.title,
        "author": article.author,
        "source": article.source,
        "url": article.url,
        "published": article.published,
    }


def write_chunks(path: Path, chunks: Iterable[bytes]) -> None:
    """The chunks into `path` (reader.files: a regular file whole, a FIFO written into)."""

    def produce(out: BinaryIO) -> None:
        for chunk in chunks:
            out.write(chunk)

    write_output(Path(path), produce)


# -- what other tools' files are read into ----------------------------------


@dataclass(frozen=True)
class ForeignSpan:
    """A span as another tool stored it: offsets in its unit, into its text."""

    start: Any  # checked on import: an int is expected
    end: Any
    label: Any
    quote: str | None = None  # the text the tool says is there
    prefix: str | None = None
    suffix: str | None = None
    note: str | None = None
    annotator: str | None = None
    id: str | None = None
    created_at: str | None = None
    updated_at: str | None = None
    where: str = ""  # "file:line", "T3"... for messages
    problem: str | None = None  # why it cannot be imported, found while reading


@dataclass
class ForeignDocument:
    """A text from another tool (None when it carries none, as W3C annotations),
    its metadata and its spans."""

    where: str
    text: str | None
    metadata: dict[str, Any] = field(default_factory=dict)
    spans: list[ForeignSpan] = field(default_factory=list)
    # W3C: the article is found by its source (urn:sha256:..., or its url)
    source: str | None = None
    problem: str | None = None  # why this document cannot be read (the file's others can)
    notices: list[str] = field(default_factory=list)  # what was read but not imported


def read_bytes(path: Path) -> bytes:
    """A file's bytes ("-": stdin's), or a ReaderError that names it. A FIFO or a
    device is refused unread (it could block, or never end)."""
    from reader.importing import MAX_BYTES, STDIN, read_stdin

    if str(path) == STDIN:
        return read_stdin()
    try:
        if path.is_dir():
            raise ReaderError(f"{path}: is a folder")
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise ReaderError(f"{path}: is not a regular file (a FIFO, socket or device); not read")
        size = info.st_size
        if size > MAX_BYTES:
            raise ReaderError(f"{path}: {size // (1 << 20)} MB is larger than the limit")
        return path.read_bytes()
    except FileNotFoundError:
        raise ReaderError(f"{path}: no such file") from None
    except PermissionError:
        raise ReaderError(f"{path}: permission denied") from None
    except OSError as exc:
        raise ReaderError(f"{path}: cannot be read ({exc.strerror or exc})") from None


def read_json(path: Path, lines: bool) -> list[tuple[str, Any]]:
    """(where, value) of a JSON file (lines=False) or of each line of a JSONL file."""
    return parse_json(read_bytes(path), path, lines)


def parse_json(data: bytes, path: Path, lines: bool) -> list[tuple[str, Any]]:
    """read_json of bytes already read (stdin can be read once)."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ReaderError(f"{path}: not UTF-8 (byte 0x{data[exc.start]:02x})") from None
    chunks = [(f"{path}:{n}", line) for n, line in enumerate(text.split("\n"), 1)]
    if not lines:
        chunks = [(str(path), text)]
    values = []
    for where, chunk in chunks:
        if not chunk.strip():
            continue
        try:
            values.append((where, json.loads(chunk)))
        except RecursionError:
            raise ReaderError(f"{where}: JSON nested too deeply") from None
        except ValueError as exc:
            raise ReaderError(f"{where}: not valid JSON ({' '.join(str(exc).split())})") from None
    return values
