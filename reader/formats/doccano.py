"""doccano's sequence-labeling JSONL: one text per line with `label: [[start, end, "claim"]]`.

The file doccano's "Import Dataset" reads for a sequence labeling project (and
what its export writes): every key besides `text` and `label` becomes the
example's metadata, so our article id, title, source, url and date go there.
doccano counts offsets in UTF-16 code units, as its web frontend does.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from reader.errors import ReaderError

from .common import (
    ForeignDocument,
    ForeignSpan,
    Item,
    Units,
    dumps,
    metadata,
    parse_json,
    read_bytes,
)

_META = ("title", "author", "source", "url", "published")


def export(items: Iterable[Item], units: str) -> Iterator[bytes]:
    for item in items:
        text = item.article.text
        where = Units(text, units)
        labels = [[where.out(a.start), where.out(a.end), a.label] for a in item.annotations]
        record = {"text": text, "label": labels, **metadata(item.article)}
        yield (dumps(record) + "\n").encode("utf-8")


def read(path: Path, units: str = "codepoints") -> list[ForeignDocument]:
    data = read_bytes(path)
    values = parse_json(data, path, lines=not _is_array(data))
    if len(values) == 1 and isinstance(values[0][1], list):  # a JSON array of examples
        values = [(f"{path}:{i}", v) for i, v in enumerate(values[0][1], 1)]
    return [_document(where, value) for where, value in values]


def _is_array(data: bytes) -> bool:
    return data[:64].lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"[")


def _document(where: str, value: Any) -> ForeignDocument:
    if not isinstance(value, dict):
        raise ReaderError(f"{where}: expected a JSON object, got {type(value).__name__}")
    text = value.get("text", value.get("data"))
    if not isinstance(text, str):
        raise ReaderError(f'{where}: no "text" string')
    spans_in: object = next((value[k] for k in ("label", "labels", "entities") if k in value), [])
    if not isinstance(spans_in, list):
        raise ReaderError(f'{where}: "label" must be a list of [start, end, label]')
    spans = [_span(where, i, item) for i, item in enumerate(spans_in, 1)]
    meta = {k: value[k] for k in _META if isinstance(value.get(k), str)}
    return ForeignDocument(where, text, meta, spans)


def _span(where: str, number: int, item: Any) -> ForeignSpan:
    here = f"{where}: label {number}"
    if isinstance(item, list | tuple) and len(item) >= 3:
        return ForeignSpan(item[0], item[1], item[2], where=here)
    if isinstance(item, dict):  # the relation projects' {"start_offset", "end_offset", "label"}
        start, end = item.get("start_offset"), item.get("end_offset")
        return ForeignSpan(start, end, item.get("label"), where=here)
    raise ReaderError(f"{here}: expected [start, end, label]")
