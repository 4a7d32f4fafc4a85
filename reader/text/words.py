"""Words, for motions and counts."""

from __future__ import annotations

import regex

# Letters/digits, with inner apostrophes ("OpenAI’s" is one word) and inner
# hyphens or dots in numbers ("6.6").
WORD = regex.compile(r"\w+(?:[’'\-.,]\w+)*")


def count_words(text: str) -> int:
    return sum(1 for _ in WORD.finditer(text))


_WORD_CHAR = regex.compile(r"\w")
_INNER = "’'-.,"  # inside a word when a word character is on both sides (as WORD)


def _is_word_at(text: str, i: int) -> bool:
    """Is text[i] part of a word (WORD's rule: inner apostrophes, hyphens, dots)?"""
    if not 0 <= i < len(text):
        return False
    c = text[i]
    if _WORD_CHAR.match(c):
        return True
    return (
        c in _INNER
        and i > 0
        and i + 1 < len(text)
        and bool(_WORD_CHAR.match(text[i - 1]))
        and bool(_WORD_CHAR.match(text[i + 1]))
    )


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """[start, end) without leading and trailing whitespace (empty if all space)."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def word_span(text: str, start: int, end: int) -> tuple[int, int]:
    """[start, end) trimmed, then widened to whole words at both ends."""
    start, end = trim_span(text, start, end)
    if start == end:
        return start, end
    while start > 0 and _is_word_at(text, start - 1) and _is_word_at(text, start):
        start -= 1
    while end < len(text) and _is_word_at(text, end) and _is_word_at(text, end - 1):
        end += 1
    return start, end
