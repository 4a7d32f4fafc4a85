"""The chunk rule: a long paragraph cut into pieces no step has to take whole.

Sentence splitting (pysbd, about 6 ms per 1,000 characters), wrapping and
grapheme walks all work per piece, so a 1 MB single line never costs more than
a chunk at a time. The reading pane's blocks and `sentence_spans` cut the same
way, so a sentence is never split differently in two places.
"""

from __future__ import annotations

import re

from reader.text.graphemes import GRAPHEME, JOINS_LEFT, SURE_BREAK
from reader.text.spans import Span

CHUNK = 2000  # longest piece, in code points
# Where a sentence probably ends: not after an initial or a title ("U.S. cloud",
# "J. Smith", "Mr. Nadella") and not before a lowercase letter. Only a place to
# cut; the sentences themselves are pysbd's.
LIKELY_END = re.compile(
    r"(?<!\b[A-Z])(?<!\b(?:Mr|Ms|Dr|St|Jr|Sr|vs))(?<!\bMrs)[.!?][\"”’)\]]*\s+(?![a-z])"
)


def chunks(text: str, start: int, end: int, chunk: int = CHUNK) -> list[Span]:
    """text[start:end] (one paragraph) as pieces of at most `chunk` code points.

    Cut after a sentence end where there is one in the second half of the chunk,
    else after a space, else between two characters that always break (letters,
    ideographs, digits: no regex walk over a megabyte of CJK or of one "word"),
    else at the last grapheme boundary that fits. Never inside a cluster.
    """
    pieces = []
    while end - start > chunk:
        limit = start + chunk
        half = start + chunk // 2
        cut = -1
        for end_match in LIKELY_END.finditer(text, half, limit):
            if not JOINS_LEFT.match(text, end_match.end()):
                cut = end_match.end()
        if cut < 0:
            space = text.rfind(" ", half, limit - 1)
            while space >= 0 and JOINS_LEFT.match(text, space + 1):
                space = text.rfind(" ", half, space)
            cut = space + 1 if space >= 0 else -1
        if cut < 0:
            m = SURE_BREAK.search(text, half, limit)  # the last one: searches backwards
            cut = m.end() if m else -1
        if cut < 0:
            cut = start
            for m in GRAPHEME.finditer(text, start, end):  # lazy: stops near limit
                if m.end() > limit:
                    break
                cut = m.end()
            if cut == start:  # a single cluster longer than a chunk: keep it whole
                m = GRAPHEME.match(text, start, end)
                cut = m.end() if m else limit
        if cut >= end:
            break
        pieces.append((start, cut))
        start = cut
    pieces.append((start, end))
    return pieces
