"""Sentences, by pysbd's Golden Rules: "U.S.", "Mr." and "$6.6 billion" stay whole."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from reader.text.chunks import chunks
from reader.text.spans import Span

if TYPE_CHECKING:
    import pysbd


@lru_cache(maxsize=1)
def _segmenter() -> pysbd.Segmenter:
    import pysbd  # 30 ms of import: paid at the first sentence, not at opening

    return pysbd.Segmenter(language="en", clean=False)


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
