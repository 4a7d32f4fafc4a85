"""Wrapping geometry: rows of the text at a width, and offsets <-> screen cells.

Blocks (`reader.text.blocks`) are wrapped lazily, per width, the first time a
row of theirs is needed; until then their row count is an estimate from their
length. A Fenwick tree over the row counts maps row <-> block in O(log n) and
absorbs the corrections, so opening or resizing a 3 MB text costs what is on
screen. Pure Python (Rich's cell widths only), tested without an App.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import OrderedDict
from math import ceil

from reader.text.blocks import TextBlocks
from reader.text.cells import cells_between, grapheme_width, is_simple, offset_at_cell
from reader.text.chunks import CHUNK
from reader.text.graphemes import GRAPHEME
from reader.text.spans import Span

MEASURE = 88  # the widest text column, in cells: a readable line length
GUTTER = 4  # cells each side for list markers, quote bars and label initials
_BREAKS = frozenset(" \t\u3000")  # where a row may wrap (after them)


def measure(pane_width: int) -> tuple[int, int]:
    """(x of the text column, wrap width) for a pane this wide.

    The text column is the wrap width plus one cell, for the cursor after the last
    character and a space hanging at the end of a full row; it is centred, with a
    gutter each side when there is room.
    """
    gutter = GUTTER if pane_width >= 40 else 0
    width = max(min(MEASURE, pane_width - 2 * gutter - 1), 4)
    used = width + 1 + 2 * gutter
    return max((pane_width - used) // 2, 0) + gutter, width


# -- wrapping one block ----------------------------------------------------------


def wrap_block(text: str, start: int, end: int, width: int, final: bool = True) -> list[int]:
    """Row start offsets of text[start:end] wrapped to `width` cells.

    Greedy: a row takes what fits; a row that overflows breaks after its last
    space (a single space may hang in cell `width`), else at the grapheme that
    does not fit (a long word is split). When the block ends its paragraph
    (`final`) and its last row is full, an empty row follows, so the position
    after the last character has a cell of its own.
    """
    if is_simple(text[start:end]):
        return _wrap_simple(text, start, end, width, final)
    return _wrap_general(text, start, end, width, final)


def _wrap_simple(text: str, start: int, end: int, width: int, final: bool) -> list[int]:
    # One cell per code point and only " " breaks: the same rows as _wrap_general
    # (a test checks), by string search instead of a loop over characters.
    starts = [start]
    pos = start
    while end - pos > width:
        if text[pos + width] == " ":
            if end - pos == width + 1:
                break  # the last space hangs; the row ends the block
            nxt = pos + width + 1
        else:
            space = text.rfind(" ", pos, pos + width)
            nxt = space + 1 if space >= 0 else pos + width
        starts.append(nxt)
        pos = nxt
    if final and end - pos > width:
        starts.append(end)
    return starts


def _wrap_general(text: str, start: int, end: int, width: int, final: bool) -> list[int]:
    spans = [m.span() for m in GRAPHEME.finditer(text, start, end)]
    widths = [grapheme_width(text[a:b]) for a, b in spans]
    breaks = [text[a] in _BREAKS and b - a == 1 for a, b in spans]
    starts = [start]
    count = len(spans)
    i = first = cells = 0
    after_break = -1  # index of the grapheme after the row's last space
    while i < count:
        w = widths[i]
        if i == first or cells + w <= width or (breaks[i] and cells + w <= width + 1):
            cells += w
            i += 1
            if breaks[i - 1]:
                after_break = i
            continue
        if after_break > first:
            i = after_break
        first = i
        starts.append(spans[i][0])
        cells = 0
        after_break = -1
    if final and cells > width:
        starts.append(end)
    return starts


# -- row counts: a Fenwick tree ----------------------------------------------------


class Fenwick:
    """Prefix sums of row counts with O(log n) update and row -> index search."""

    def __init__(self, values: list[int]) -> None:
        self.size = len(values)
        tree = [0, *values]
        for i in range(1, self.size + 1):
            j = i + (i & -i)
            if j <= self.size:
                tree[j] += tree[i]
        self._tree = tree
        self.total = sum(values)
        self._top = 1 << max(self.size.bit_length() - 1, 0) if self.size else 0

    def add(self, index: int, delta: int) -> None:
        self.total += delta
        i = index + 1
        tree = self._tree
        while i <= self.size:
            tree[i] += delta
            i += i & -i

    def prefix(self, index: int) -> int:
        """Sum of values[:index]."""
        total = 0
        tree = self._tree
        i = index
        while i > 0:
            total += tree[i]
            i -= i & -i
        return total

    def search(self, row: int) -> tuple[int, int]:
        """(index, row within it) for 0 <= row < total."""
        pos = 0
        rest = row
        step = self._top
        tree = self._tree
        while step:
            nxt = pos + step
            if nxt <= self.size and tree[nxt] <= rest:
                pos = nxt
                rest -= tree[nxt]
            step >>= 1
        return pos, rest


class Wrap:
    """The text wrapped at one width: rows, lazily, with estimates until known."""

    def __init__(self, blocks: TextBlocks, width: int) -> None:
        self.blocks = blocks
        self.width = width
        per_row = width * 0.92  # prose fills about this much of a row
        counts = [
            max(ceil((e - s) / per_row), 1) + (1 if f else 0)
            for s, e, f in zip(blocks.starts, blocks.ends, blocks.final, strict=True)
        ]
        if counts and blocks.final[-1]:
            counts[-1] -= 1  # no blank row after the last paragraph
        self._counts = counts
        self._tree = Fenwick(counts)
        self._rows: dict[int, list[int]] = {}

    @property
    def total(self) -> int:
        """Rows of the whole text (exact where wrapped, estimated elsewhere)."""
        return self._tree.total

    def rows(self, k: int) -> list[int]:
        """Row starts of block k, wrapping it now if it was not yet."""
        rows = self._rows.get(k)
        if rows is None:
            blocks = self.blocks
            rows = wrap_block(
                blocks.text, blocks.starts[k], blocks.ends[k], self.width, blocks.final[k]
            )
            self._rows[k] = rows
            count = len(rows) + (1 if blocks.final[k] and k + 1 < len(blocks.starts) else 0)
            if count != self._counts[k]:
                self._tree.add(k, count - self._counts[k])
                self._counts[k] = count
        return rows

    def first_row(self, k: int) -> int:
        return self._tree.prefix(k)

    def locate(self, y: int) -> tuple[int, int]:
        """(block, row within the block) of screen row y, wrapping as needed.

        The row within may equal len(rows(block)): the blank row after a paragraph.
        y is clamped to the text's rows.
        """
        if not self._counts:
            return 0, 0
        while True:
            y = min(max(y, 0), self.total - 1)
            k, r = self._tree.search(y)
            if k in self._rows:
                return k, r
            self.rows(k)  # now exact; the search may land elsewhere

    def next_row(self, k: int, r: int) -> tuple[int, int] | None:
        """The row after row r of block k (a wrapped block), or None after the last."""
        if r + 1 < self._counts[k]:
            return k, r + 1
        if k + 1 < len(self._counts):
            self.rows(k + 1)
            return k + 1, 0
        return None

    def row_span(self, k: int, r: int) -> Span | None:
        """Offsets of row r of block k; None for the blank row after a paragraph."""
        rows = self.rows(k)
        if r >= len(rows):
            return None
        end = rows[r + 1] if r + 1 < len(rows) else self.blocks.ends[k]
        return rows[r], end

    def is_last_row(self, k: int, r: int) -> bool:
        return r == len(self.rows(k)) - 1

    # -- offsets <-> screen -------------------------------------------------

    def to_screen(self, offset: int) -> tuple[int, int]:
        """(row, cell in the text column) of the cursor position for an offset."""
        blocks = self.blocks
        if not blocks.starts:
            return 0, 0
        pos = blocks.position(offset)
        k = blocks.block_of(pos)
        rows = self.rows(k)
        r = bisect_right(rows, pos) - 1
        return self.first_row(k) + r, cells_between(blocks.text, rows[r], pos)

    def from_screen(self, y: int, cell: int) -> int:
        """The cursor position drawn at (row, cell); past a row's end, its last one."""
        blocks = self.blocks
        if not blocks.starts:
            return 0
        k, r = self.locate(y)
        span = self.row_span(k, r)
        if span is None:  # the blank row after a paragraph: that paragraph's end
            return blocks.ends[k]
        start, end = span
        pos = offset_at_cell(blocks.text, start, end, cell)
        if pos >= end and not (self.is_last_row(k, r) and blocks.final[k]):
            return self.row_last(k, r)
        return pos

    def row_last(self, k: int, r: int) -> int:
        """The last cursor position on row r of block k."""
        start, end = self.row_span(k, r) or (self.blocks.ends[k], self.blocks.ends[k])
        if self.is_last_row(k, r) and self.blocks.final[k]:
            return end
        if end == start:
            return start
        bounds = self.blocks.boundaries(k)
        return bounds[bisect_left(bounds, end) - 1]

    def row_of(self, offset: int) -> int:
        return self.to_screen(offset)[0]

    def text_row(self, y: int, direction: int) -> int:
        """y, or the nearest row in `direction` that holds text (skips blank rows)."""
        k, r = self.locate(y)
        if self.row_span(k, r) is not None:
            return self.first_row(k) + r
        if direction > 0 and k + 1 < len(self.blocks.starts):
            return self.first_row(k + 1)
        return self.first_row(k) + len(self.rows(k)) - 1

    def prepare(self, top: int, height: int) -> None:
        """Wrap every block shown in rows [top, top + height)."""
        if not self._counts:
            return
        y = max(top, 0)
        while y < top + height and y < self.total:
            k, _ = self.locate(y)
            y = self.first_row(k) + self._counts[k]


class TextGeometry(TextBlocks):
    """The text's blocks, and their rows at the last few widths asked for."""

    def __init__(self, text: str, chunk: int = CHUNK) -> None:
        super().__init__(text, chunk)
        self._wraps: OrderedDict[int, Wrap] = OrderedDict()

    def wrap(self, width: int) -> Wrap:
        """The wrapping at this width (the last few widths are kept)."""
        wrap = self._wraps.get(width)
        if wrap is None:
            wrap = self._wraps[width] = Wrap(self, width)
            while len(self._wraps) > 3:
                self._wraps.popitem(last=False)
        else:
            self._wraps.move_to_end(width)
        return wrap
