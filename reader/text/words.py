"""Words, for motions and counts."""

from __future__ import annotations

import regex

# Letters/digits, with inner apostrophes ("OpenAI’s" is one word) and inner
# hyphens or dots in numbers ("6.6").
WORD = regex.compile(r"\w+(?:[’'\-.,]\w+)*")


def count_words(text: str) -> int:
    return sum(1 for _ in WORD.finditer(text))
