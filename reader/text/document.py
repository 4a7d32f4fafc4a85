"""Paragraphs, words, sentences and graphemes of a text, computed lazily.

The reading pane asks "where is the next sentence after offset N" on every
keystroke, on texts of several megabytes, so nothing here walks the whole text
more than once: the paragraph index is one regex scan at open, and words,
sentences and grapheme boundaries are computed per paragraph (per chunk of a
very long paragraph) the first time they are needed, then cached.

All offsets are code point indices into the text (Python str indices).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from functools import lru_cache

import pysbd
import regex

Span = tuple[int, int]

_PARAGRAPH = re.compile(r"[^\n]*\S[^\n]*")
# A word for motions and counts: letters/digits, with inner apostrophes
# ("OpenAI’s" is one word) and inner hyphens or dots in numbers ("6.6").
WORD = regex.compile(r"\w+(?:[’'\-.,]\w+)*")
_GRAPHEME = regex.compile(r"\X", regex.DOTALL)
# pysbd costs about 6 ms per 1,000 characters; longer paragraphs are split
# into chunks at a likely sentence end so no single step costs more than that.
_CHUNK = 2000
_LIKELY_END = re.compile(r"[.!?][\"”’)\]]*\s+")


@lru_cache(maxsize=1)
def _segmenter() -> pysbd.Segmenter:
    return pysbd.Segmenter(language="en", clean=False)


def paragraph_spans(text: str) -> list[Span]:
    """Each line with something other than white space is a paragraph."""
    return [m.span() for m in _PARAGRAPH.finditer(text)]


def count_words(text: str) -> int:
    return sum(1 for _ in WORD.finditer(text))


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Sentences of text[start:end] (one paragraph), trailing white space excluded."""
    end = len(text) if end is None else end
    spans: list[Span] = []
    for chunk_start, chunk_end in _chunks(text, start, end):
        spans.extend(_sentences_in(text, chunk_start, chunk_end))
    return spans


def _chunks(text: str, start: int, end: int) -> list[Span]:
    chunks = []
    while end - start > _CHUNK:
        m = _LIKELY_END.search(text, start + _CHUNK, end)
        if not m or m.end() >= end:
            break
        chunks.append((start, m.end()))
        start = m.end()
    chunks.append((start, end))
    return chunks


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


class Document:
    """A text with lazily computed structure. Immutable, like the text."""

    def __init__(self, text: str) -> None:
        self.text = text
        spans = paragraph_spans(text)
        self.paragraphs: list[Span] = spans
        self._para_starts = [s for s, _ in spans]
        self._sentences: dict[int, list[Span]] = {}
        self._words: dict[int, list[Span]] = {}
        self._graphemes: dict[int, list[int]] = {}

    def __len__(self) -> int:
        return len(self.text)

    # -- paragraphs -------------------------------------------------------

    def paragraph_index(self, offset: int) -> int:
        """Index of the paragraph holding offset, else the one before it (or 0)."""
        return max(bisect_right(self._para_starts, offset) - 1, 0)

    def paragraph_at(self, offset: int) -> Span | None:
        """The paragraph containing offset (end inclusive), or None between paragraphs."""
        if not self.paragraphs:
            return None
        start, end = self.paragraphs[self.paragraph_index(offset)]
        return (start, end) if start <= offset <= end else None

    def next_paragraph(self, offset: int) -> int:
        i = bisect_right(self._para_starts, offset)
        return self._para_starts[i] if i < len(self._para_starts) else len(self.text)

    def previous_paragraph(self, offset: int) -> int:
        i = bisect_left(self._para_starts, offset) - 1
        return self._para_starts[i] if i >= 0 else 0

    # -- sentences --------------------------------------------------------

    def sentences(self, paragraph: int) -> list[Span]:
        cached = self._sentences.get(paragraph)
        if cached is None:
            start, end = self.paragraphs[paragraph]
            cached = self._sentences[paragraph] = sentence_spans(self.text, start, end)
        return cached

    def sentence_at(self, offset: int) -> Span | None:
        """The sentence containing offset; at a gap, the sentence just before it."""
        if not self.paragraphs:
            return None
        index = self.paragraph_index(offset)
        start, _end = self.paragraphs[index]
        if offset < start:
            return None
        sentences = self.sentences(index)
        best = None
        for span in sentences:
            if span[0] <= offset:
                best = span
            else:
                break
        return best

    def next_sentence(self, offset: int) -> int:
        return self._next_start(offset, self.sentences)

    def previous_sentence(self, offset: int) -> int:
        return self._previous_start(offset, self.sentences)

    def _next_start(self, offset: int, spans_of: Callable[[int], list[Span]]) -> int:
        """The first span start after offset, paragraph by paragraph (else the end)."""
        index = self.paragraph_index(offset)
        while index < len(self.paragraphs):
            for start, _ in spans_of(index):
                if start > offset:
                    return start
            index += 1
        return len(self.text)

    def _previous_start(self, offset: int, spans_of: Callable[[int], list[Span]]) -> int:
        """The last span start before offset, paragraph by paragraph (else 0)."""
        index = self.paragraph_index(offset)
        while index >= 0:
            for start, _ in reversed(spans_of(index)):
                if start < offset:
                    return start
            index -= 1
        return 0

    # -- words ------------------------------------------------------------

    def words(self, paragraph: int) -> list[Span]:
        cached = self._words.get(paragraph)
        if cached is None:
            start, end = self.paragraphs[paragraph]
            cached = self._words[paragraph] = [
                m.span() for m in WORD.finditer(self.text, start, end)
            ]
        return cached

    def next_word(self, offset: int) -> int:
        return self._next_start(offset, self.words)

    def previous_word(self, offset: int) -> int:
        return self._previous_start(offset, self.words)

    def word_end(self, offset: int) -> int:
        """End of the word at or after offset (vim's `e`)."""
        index = self.paragraph_index(offset)
        while index < len(self.paragraphs):
            for _, end in self.words(index):
                if end > offset + 1:
                    return end
            index += 1
        return len(self.text)

    # -- graphemes --------------------------------------------------------

    def _boundaries(self, offset: int) -> list[int]:
        """Grapheme boundaries of the paragraph around offset (start and end included)."""
        if not self.paragraphs:
            return [0, len(self.text)]
        index = self.paragraph_index(offset)
        cached = self._graphemes.get(index)
        if cached is None:
            start, end = self.paragraphs[index]
            cached = [start]
            cached.extend(m.end() for m in _GRAPHEME.finditer(self.text, start, end))
            self._graphemes[index] = cached
        return cached

    def snap(self, offset: int) -> int:
        """The grapheme boundary at or before offset: never inside a cluster."""
        offset = min(max(offset, 0), len(self.text))
        bounds = self._boundaries(offset)
        if offset <= bounds[0] or offset >= bounds[-1]:
            return offset
        return bounds[bisect_right(bounds, offset) - 1]

    def next_grapheme(self, offset: int) -> int:
        if offset >= len(self.text):
            return len(self.text)
        bounds = self._boundaries(offset)
        if bounds[0] <= offset < bounds[-1]:
            return bounds[bisect_right(bounds, offset)]
        return offset + 1  # a newline or white space between paragraphs

    def previous_grapheme(self, offset: int) -> int:
        if offset <= 0:
            return 0
        bounds = self._boundaries(offset - 1)
        if bounds[0] < offset <= bounds[-1]:
            return bounds[bisect_left(bounds, offset) - 1]
        return offset - 1
