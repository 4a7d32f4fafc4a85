"""Spans of the text, and an index of spans by block: which spans touch a row, fast.

A span is a half-open [start, end) pair of code point offsets into the text.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from operator import itemgetter
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reader.text.blocks import TextBlocks

Span = tuple[int, int]
Item = tuple[int, int, Any]  # (start, end, what the span is: an annotation, a style)

_SPAN_START = itemgetter(0)  # no key tuples: 10,000 fewer objects at open


class SpanIndex:
    """Spans (start, end, item) bucketed by block: which spans touch a row, fast.

    Annotations can be long (a whole paragraph) and many (10,000), so a row asks
    only the bucket of its own block. Buckets keep spans sorted by start.
    """

    def __init__(self, blocks: TextBlocks, spans: Iterable[Item] = ()) -> None:
        self.blocks = blocks
        starts, ends = blocks.starts, blocks.ends
        buckets: list[list[Item]] = [[] for _ in starts]
        self._buckets = buckets
        if not starts:
            return
        # Appending spans in start order keeps every bucket sorted: one pass,
        # and most spans lie within one block, so one bisect each.
        for span in sorted(spans, key=_SPAN_START):
            start, end = span[0], span[1]
            k = bisect_right(starts, start) - 1
            if k < 0:
                k = 0
            if end <= ends[k]:
                buckets[k].append(span)
                continue
            last = bisect_right(starts, end - 1) - 1
            for j in range(k, last + 1):
                buckets[j].append(span)

    def in_block(self, k: int) -> list[Item]:
        """The spans touching block k, by start."""
        return self._buckets[k] if 0 <= k < len(self._buckets) else []

    def _blocks(self, start: int, end: int) -> range:
        blocks = self.blocks
        if not blocks.starts:
            return range(0)
        first = blocks.block_of(start)
        last = blocks.block_of(max(end - 1, start))
        return range(first, last + 1)

    def add(self, start: int, end: int, item: object) -> range:
        """Add a span; returns the blocks it touches."""
        span = (start, end, item)
        blocks = self._blocks(start, end)
        for k in blocks:
            bucket = self._buckets[k]
            if bucket and bucket[-1][0] > start:
                bucket.insert(bisect_right(bucket, start, key=_SPAN_START), span)
            else:
                bucket.append(span)
        return blocks

    def remove(self, start: int, end: int, item: object) -> range:
        blocks = self._blocks(start, end)
        for k in blocks:
            bucket = self._buckets[k]
            for i, span in enumerate(bucket):
                if span[2] is item or span[2] == item:
                    del bucket[i]
                    break
        return blocks

    def overlapping(self, start: int, end: int) -> list[Item]:
        """Spans with some text in [start, end) (or holding start when start == end)."""
        found = []
        blocks = self._blocks(start, end)
        stop = max(end, start + 1)
        buckets = self._buckets
        if len(blocks) == 1:
            return [s for s in buckets[blocks[0]] if s[0] < stop and s[1] > start]
        seen: set[int] = set()
        for k in blocks:
            for span in buckets[k]:
                if span[0] < stop and span[1] > start and id(span) not in seen:
                    seen.add(id(span))
                    found.append(span)
        return found
