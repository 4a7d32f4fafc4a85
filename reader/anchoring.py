"""Find where a quote sits in a text again, from its quote, prefix and suffix.

Merge uses this when an annotation's offsets no longer point at its quote
(the article was imported from a slightly different file, or the offsets came
from another tool). The result is always an offset where the quote really is,
or None: a wrong offset would silently mislabel text, which is worse than
reporting the annotation as lost.
"""

from __future__ import annotations

# Past this many occurrences (a one-letter quote in a huge text) we stop
# scoring each one: the nearest to the hint among the best scored so far is
# still a real occurrence, just chosen on less evidence.
MAX_CANDIDATES = 100_000


def anchor(text: str, quote: str, prefix: str, suffix: str, hint: int) -> int | None:
    """Start offset of `quote` in `text`, or None when the quote is not there.

    Among the occurrences, the one whose surroundings agree best with `prefix`
    (the text just before) and `suffix` (just after) wins; ties go to the one
    nearest `hint` (the old start offset), then to the earlier one.
    """
    if not quote:
        return None
    best: tuple[int, int, int] | None = None  # (-agreement, distance, start)
    position = text.find(quote)
    seen = 0
    while position != -1 and seen < MAX_CANDIDATES:
        agreement = _common_suffix(text, position, prefix) + _common_prefix(
            text, position + len(quote), suffix
        )
        key = (-agreement, abs(position - hint), position)
        if best is None or key < best:
            best = key
        seen += 1
        # Step one code point, not len(quote): occurrences may overlap ("aaa").
        position = text.find(quote, position + 1)
    return None if best is None else best[2]


def _common_suffix(text: str, end: int, prefix: str) -> int:
    """How many code points just before `end` in text match the end of prefix."""
    n = 0
    limit = min(len(prefix), end)
    while n < limit and text[end - n - 1] == prefix[-n - 1]:
        n += 1
    return n


def _common_prefix(text: str, start: int, suffix: str) -> int:
    """How many code points from `start` in text match the start of suffix."""
    n = 0
    limit = min(len(suffix), len(text) - start)
    while n < limit and text[start + n] == suffix[n]:
        n += 1
    return n
