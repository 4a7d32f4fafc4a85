"""Grapheme clusters: what a reader sees as one character, and the cursor never splits.

An emoji ZWJ sequence, a flag or a letter with combining marks is one cluster
(UAX #29, through the `regex` module's \\X).
"""

from __future__ import annotations

import regex

GRAPHEME = regex.compile(r"\X", regex.DOTALL)
# Two characters between which a grapheme boundary always is (UAX #29: Other, Other);
# searched backwards, so `search` finds the last one in a range.
SURE_BREAK = regex.compile(
    r"\p{Grapheme_Cluster_Break=Other}(?=\p{Grapheme_Cluster_Break=Other})", regex.REVERSE
)
# Characters that join the grapheme before them.
JOINS_LEFT = regex.compile(
    r"[\p{Grapheme_Cluster_Break=Extend}\p{Grapheme_Cluster_Break=SpacingMark}"
    r"\p{Grapheme_Cluster_Break=ZWJ}]"
)


def boundaries(text: str, start: int, end: int) -> list[int]:
    """Grapheme boundaries of text[start:end], both ends included."""
    return [start, *(m.end() for m in GRAPHEME.finditer(text, start, end))]
