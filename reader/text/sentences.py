"""Sentences, by pysbd's Golden Rules: "U.S.", "Mr." and "$6.6 billion" stay whole."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from reader.text.chunks import chunks
from reader.text.spans import Span

_LOCAL = threading.local()

if TYPE_CHECKING:
    import pysbd


def _segmenter() -> pysbd.Segmenter:
    """One segmenter per thread: a Segmenter keeps the text it is splitting on
    itself, so two threads sharing one (the TUI's aligner and the reading pane)
    get each other's sentences."""
    segmenter = getattr(_LOCAL, "segmenter", None)
    if segmenter is None:
        import pysbd  # 30 ms of import: paid at the first sentence, not at opening

        segmenter = _LOCAL.segmenter = pysbd.Segmenter(language="en", clean=False)
    return segmenter


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Sentences of text[start:end] (one paragraph), trailing white space excluded.

    A long paragraph is split per chunk (see `chunks`), so no single call to the
    segmenter takes more than a chunk.
    """
    end = len(text) if end is None else end
    spans: list[Span] = []
    for chunk_start, chunk_end in chunks(text, start, end):
        spans.extend(_sentences_in(text, chunk_start, chunk_end))
    return spans


def _sentences_in(text: str, start: int, end: int) -> list[Span]:
    piece = text[start:end]
    spans: list[Span] = []
    pos = 0
    for sentence in _segmenter().segment(piece):
        stripped = sentence.strip()
        if not stripped:
            continue
        found = piece.find(stripped, pos)
        if found < 0:  # pysbd altered the text; fall back to where we are
            found = pos
        spans.append((start + found, start + found + len(stripped)))
        pos = found + len(stripped)
    return spans
