"""`reader export --format TOOL`: the chosen articles and spans in another tool's format.

Files are written atomically (`-o` replaces only a regular file); doccano,
Label Studio, W3C and CoNLL go to stdout without `-o`; brat needs a folder and
spaCy a file. The same data always gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from reader.errors import ReaderError
from reader.store import Store

from . import DEFAULT_UNITS
from .common import Item, Warn, chosen_labels, items, write_chunks


@dataclass
class Written:
    articles: int = 0
    annotations: int = 0
    also: Path | None = None  # a second file written (Label Studio's config)


class _Counting:
    """The items, counted as they go by."""

    def __init__(self, source: Iterator[Item], written: Written) -> None:
        self._source = source
        self._written = written

    def __iter__(self) -> Iterator[Item]:
        for item in self._source:
            self._written.articles += 1
            self._written.annotations += len(item.annotations)
            yield item


def export_tool(
    store: Store,
    fmt: str,
    output: Path | None,
    stdout: BinaryIO,
    article_ids: Sequence[str] | None,
    labels: Sequence[str] | None,
    units: str | None,
    warn: Warn,
) -> Written:
    from . import brat, conll, doccano, label_studio, spacy, w3c

    units = units or DEFAULT_UNITS.get(fmt, "codepoints")
    if fmt in ("conll", "spacy") and units != "codepoints":
        raise ReaderError(f"--offsets does not apply to {fmt}: it has tokens, not offsets")
    written = Written()
    chosen = _Counting(items(store, article_ids, labels), written)
    declared = chosen_labels(store, labels)
    if fmt == "brat":
        if output is None:
            raise ReaderError("the brat format writes a folder: give it with -o DIR")
        brat.export(chosen, output, declared, units, warn)
        return written
    if output is not None and output.is_dir():
        raise ReaderError(f"cannot write {output}: it is a folder")
    if fmt == "spacy":
        if output is None and stdout.isatty():
            raise ReaderError("the spacy format is binary: give a file with -o FILE.spacy")
        chunks: Iterator[bytes] = iter([spacy.export(chosen, warn)])
    elif fmt == "doccano":
        chunks = doccano.export(chosen, units)
    elif fmt == "label-studio":
        chunks = label_studio.export(chosen, units)
    elif fmt == "w3c":
        chunks = w3c.export(chosen, units)
    elif fmt == "conll":
        chunks = conll.export(chosen, [label.name for label in declared], warn)
    else:
        raise ReaderError(f"unknown export format {fmt!r}")
    if output is None:
        for chunk in chunks:
            stdout.write(chunk)
        stdout.flush()
    else:
        write_chunks(output, chunks)
    if fmt == "label-studio":
        if output is not None:
            written.also = label_studio.config_path(output)
            write_chunks(written.also, [label_studio.config(declared)])
        else:
            warn("the labelling config is written beside the tasks with -o FILE, not to stdout")
    return written
