"""The one text model: an article's text as blocks, with positions inside them.

Each paragraph is one *block*, except paragraphs longer than `CHUNK` code points,
which are cut into several (the chunk rule, `reader.text.chunks`), so that
nothing, not even a 1 MB single line, is ever wrapped or segmented in one go.
Graphemes, words and sentences are found per block the first time they are
asked for, then cached (the last few hundred blocks), so opening a 3 MB text
costs one paragraph scan.

Cursor *positions* are the grapheme boundaries inside paragraphs, both ends
included; offsets between paragraphs snap back to the end of the paragraph
before. Motions over positions are in `reader.text.motions`; rows at a width in
`reader.text.wrapping`. All offsets are code point indices (Python str indices).
"""

from __future__ import annotations

from bisect import bisect_right
from collections import OrderedDict
from typing import Any

from reader.text.cells import is_simple
from reader.text.chunks import CHUNK, chunks
from reader.text.graphemes import boundaries
from reader.text.paragraphs import paragraph_spans
from reader.text.sentences import sentence_spans
from reader.text.spans import Span
from reader.text.words import WORD


class TextBlocks:
    """Blocks of a text, and what can be asked of them without a width."""

    def __init__(self, text: str, chunk: int = CHUNK) -> None:
        self.text = text
        starts: list[int] = []
        ends: list[int] = []
        final: list[bool] = []
        for p_start, p_end in paragraph_spans(text):
            if p_end - p_start <= chunk:
                starts.append(p_start)
                ends.append(p_end)
                final.append(True)
                continue
            for a, b in chunks(text, p_start, p_end, chunk):
                starts.append(a)
                ends.append(b)
                final.append(b == p_end)
        self.starts = starts
        self.ends = ends
        self.final = final  # the block ends its paragraph (a blank row follows)
        self._simple = bytearray(len(starts))  # 0 unknown, 1 simple, 2 not
        self._graphemes: OrderedDict[int, list[int]] = OrderedDict()
        self._words: OrderedDict[int, list[Span]] = OrderedDict()
        self._sentences: OrderedDict[int, list[Span]] = OrderedDict()

    def __len__(self) -> int:
        return len(self.starts)

    # -- positions ----------------------------------------------------------

    @property
    def first(self) -> int:
        return self.starts[0] if self.starts else 0

    @property
    def last(self) -> int:
        return self.ends[-1] if self.ends else 0

    def block_of(self, offset: int) -> int:
        """The block holding a *position* (a paragraph's end belongs to its last block)."""
        return max(bisect_right(self.starts, offset) - 1, 0)

    def is_simple(self, k: int) -> bool:
        """Block k is all one-cell, one-code-point graphemes: every offset is a boundary."""
        known = self._simple[k]
        if not known:
            known = 1 if is_simple(self.text[self.starts[k] : self.ends[k]]) else 2
            self._simple[k] = known
        return known == 1

    def position(self, offset: int) -> int:
        """The cursor position for an offset: a grapheme boundary inside a paragraph."""
        if not self.starts:
            return 0
        if offset <= self.starts[0]:
            return self.starts[0]
        k = self.block_of(offset)
        if offset >= self.ends[k]:
            return self.ends[k] if self.final[k] else self.starts[k + 1]
        return self._floor(k, offset)

    def snap(self, offset: int) -> int:
        """The grapheme boundary at or before offset (between paragraphs: offset itself)."""
        if not self.starts or offset <= self.starts[0]:
            return offset
        k = self.block_of(offset)
        if offset >= self.ends[k]:
            return offset
        return self._floor(k, offset)

    def _floor(self, k: int, offset: int) -> int:
        """The grapheme boundary at or before an offset inside block k."""
        if self.is_simple(k):
            return offset
        bounds = self.boundaries(k)
        return bounds[bisect_right(bounds, offset) - 1]

    def boundaries(self, k: int) -> list[int]:
        """Grapheme boundaries of block k, both ends included."""
        cached = self._graphemes.get(k)
        if cached is None:
            start, end = self.starts[k], self.ends[k]
            if self.is_simple(k):
                cached = list(range(start, end + 1))
            else:
                cached = boundaries(self.text, start, end)
            _remember(self._graphemes, k, cached)
        return cached

    def paragraph_first_block(self, k: int) -> int:
        """The first block of the paragraph block k is part of."""
        while k > 0 and not self.final[k - 1]:
            k -= 1
        return k

    # -- words and sentences, per block (never a whole 1 MB line) -------------

    def words(self, k: int) -> list[Span]:
        cached = self._words.get(k)
        if cached is None:
            cached = [m.span() for m in WORD.finditer(self.text, self.starts[k], self.ends[k])]
            _remember(self._words, k, cached)
        return cached

    def sentences(self, k: int) -> list[Span]:
        cached = self._sentences.get(k)
        if cached is None:
            cached = sentence_spans(self.text, self.starts[k], self.ends[k])
            _remember(self._sentences, k, cached)
        return cached


def _remember(cache: OrderedDict[int, Any], key: int, value: object, size: int = 512) -> None:
    cache[key] = value
    if len(cache) > size:
        cache.popitem(last=False)
