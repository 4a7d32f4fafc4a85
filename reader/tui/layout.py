"""The reading pane's text model: blocks, soft wrapping and offset <-> screen mapping.

Pure Python (Rich's cell widths only, no Textual), so it is tested without an App.

The pane's one coordinate is the code point offset into the text. Paragraphs come
from `Document`; each becomes one *block*, except paragraphs longer than `CHUNK`
code points, which are cut into several blocks (at a sentence end or a space where
possible) so that nothing, not even a 1 MB single line, is ever wrapped or
segmented in one go. Blocks are wrapped lazily, per width, the first time a row of
theirs is needed; until then their row count is an estimate from their length. A
Fenwick tree over the row counts maps row <-> block in O(log n) and absorbs the
corrections, so opening or resizing a 3 MB text costs what is on screen.

Cursor *positions* are the grapheme boundaries inside paragraphs, both ends
included; offsets between paragraphs snap back to the end of the paragraph before.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections import OrderedDict
from collections.abc import Iterable
from functools import lru_cache
from math import ceil
from operator import itemgetter

import regex
from rich.cells import cell_len

from reader.text.document import WORD, Document, sentence_spans

Span = tuple[int, int]

MEASURE = 88  # the widest text column, in cells: a readable line length
GUTTER = 4  # cells each side for list markers, quote bars and label initials
TAB = 4  # a tab is drawn as this many spaces
CHUNK = 2000  # longest block, in code points

_GRAPHEME = regex.compile(r"\X", regex.DOTALL)
_LIKELY_END = re.compile(r"[.!?][\"”’)\]]*\s+")
# Two characters between which a grapheme boundary always is (UAX #29: Other, Other),
# and characters that join the grapheme before them.
_SURE_BREAK = regex.compile(
    r"\p{Grapheme_Cluster_Break=Other}(?=\p{Grapheme_Cluster_Break=Other})", regex.REVERSE
)
_JOINS_LEFT = regex.compile(
    r"[\p{Grapheme_Cluster_Break=Extend}\p{Grapheme_Cluster_Break=SpacingMark}"
    r"\p{Grapheme_Cluster_Break=ZWJ}]"
)
_BREAKS = frozenset(" \t\u3000")  # where a row may wrap (after them)
# Control characters and bidi controls must never reach the terminal; the stored
# text has none (normalize removes them) but the pane guards anyway.
_UNSAFE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_SAFE_TABLE = {
    **{c: "\ufffd" for c in [*range(0x00, 0x09), *range(0x0A, 0x20), *range(0x7F, 0xA0)]},
    **{c: "\ufffd" for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]},
    0x09: " " * TAB,
}


def _simple_chars() -> frozenset[str]:
    """Characters that are one cell wide and a grapheme on their own next to each other.

    A block made only of these (most news prose, curly quotes and dashes included)
    wraps by string arithmetic instead of a grapheme walk.
    """
    ranges = [(0x20, 0x7E), (0xA0, 0x52F), (0x2010, 0x2027), (0x2030, 0x205E), (0x20A0, 0x20C0)]
    keep = set()
    for lo, hi in ranges:
        for code in range(lo, hi + 1):
            ch = chr(code)
            category = unicodedata.category(ch)
            if category[0] in "MC" or category in ("Zl", "Zp"):
                continue
            if unicodedata.east_asian_width(ch) in "WF" or cell_len(ch) != 1:
                continue
            keep.add(ch)
    return frozenset(keep)


SIMPLE_CHARS = _simple_chars()
_is_simple = SIMPLE_CHARS.issuperset


def safe(text: str) -> str:
    """Text as drawn: control characters made visible, tabs expanded."""
    return text.translate(_SAFE_TABLE) if _UNSAFE.search(text) or "\t" in text else text


@lru_cache(maxsize=8192)
def drawn(grapheme: str) -> str:
    """A grapheme as drawn: never zero cells wide, so every position has a cell.

    Control characters show as U+FFFD and tabs as spaces (`safe`); a lone combining
    mark sits on a dotted circle; other invisible ones (zero-width space, word
    joiner, a stray variation selector) show as a middle dot.
    """
    shown = safe(grapheme)
    if cell_len(shown) > 0:
        return shown
    if unicodedata.category(grapheme[0])[0] == "M" and cell_len("◌" + grapheme) == 1:
        return "◌" + grapheme
    return "·"


@lru_cache(maxsize=8192)
def grapheme_width(grapheme: str) -> int:
    """Cells a grapheme takes as drawn: at least one."""
    return cell_len(drawn(grapheme))


def display(text: str) -> str:
    """Text made of whole graphemes, as drawn (see `drawn`)."""
    if _is_simple(text):
        return text
    return "".join([drawn(m.group()) for m in _GRAPHEME.finditer(text)])


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
    if _is_simple(text[start:end]):
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
    spans = [m.span() for m in _GRAPHEME.finditer(text, start, end)]
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


def cells_between(text: str, start: int, end: int) -> int:
    """Cells taken by text[start:end] (both at grapheme boundaries) as drawn."""
    piece = text[start:end]
    if _is_simple(piece):
        return end - start
    return sum(grapheme_width(m.group()) for m in _GRAPHEME.finditer(piece))


def offset_at_cell(text: str, start: int, end: int, cell: int) -> int:
    """The grapheme of text[start:end] drawn over `cell` (its start), else `end`."""
    if cell <= 0:
        return start
    piece = text[start:end]
    if _is_simple(piece):
        return min(start + cell, end)
    x = 0
    for m in _GRAPHEME.finditer(text, start, end):
        x += grapheme_width(m.group())
        if x > cell:
            return m.start()
    return end


# -- row counts: a Fenwick tree ----------------------------------------------------


class _Fenwick:
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


# -- the whole text ------------------------------------------------------------------


class Layout:
    """Blocks of a document, and what can be asked of them without a width."""

    def __init__(self, document: Document, chunk: int = CHUNK) -> None:
        self.document = document
        self.text = text = document.text
        starts: list[int] = []
        ends: list[int] = []
        final: list[bool] = []
        for p_start, p_end in document.paragraphs:
            if p_end - p_start <= chunk:
                starts.append(p_start)
                ends.append(p_end)
                final.append(True)
                continue
            for a, b in _cut(text, p_start, p_end, chunk):
                starts.append(a)
                ends.append(b)
                final.append(b == p_end)
        self.starts = starts
        self.ends = ends
        self.final = final  # the block ends its paragraph (a blank row follows)
        self._simple = bytearray(len(starts))  # 0 unknown, 1 simple, 2 not
        self._wraps: OrderedDict[int, Wrap] = OrderedDict()
        self._graphemes: OrderedDict[int, list[int]] = OrderedDict()
        self._words: OrderedDict[int, list[Span]] = OrderedDict()
        self._sentences: OrderedDict[int, list[Span]] = OrderedDict()

    def __len__(self) -> int:
        return len(self.starts)

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
            known = 1 if _is_simple(self.text[self.starts[k] : self.ends[k]]) else 2
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
                cached = [start, *(m.end() for m in _GRAPHEME.finditer(self.text, start, end))]
            _remember(self._graphemes, k, cached)
        return cached

    def next_position(self, pos: int) -> int:
        """One grapheme right; from a paragraph's end, the next paragraph's start."""
        if not self.starts:
            return 0
        k = self.block_of(pos)
        if pos >= self.ends[k]:
            return self.starts[k + 1] if k + 1 < len(self.starts) else self.ends[k]
        if self.is_simple(k):
            return pos + 1
        bounds = self.boundaries(k)
        return bounds[bisect_right(bounds, pos)]

    def previous_position(self, pos: int) -> int:
        """One grapheme left; from a paragraph's start, the previous paragraph's end."""
        if not self.starts:
            return 0
        k = self.block_of(pos)
        if pos <= self.starts[k]:
            if k == 0:
                return self.starts[0]
            if self.final[k - 1]:
                return self.ends[k - 1]
            return self.boundaries(k - 1)[-2]  # a block cut inside a paragraph
        if self.is_simple(k):
            return pos - 1
        bounds = self.boundaries(k)
        return bounds[bisect_left(bounds, pos) - 1]

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

    def next_start(self, pos: int, spans_of: str) -> int:
        """Start of the next word / sentence after pos, else the text's last position."""
        if not self.starts:
            return 0
        spans = self.words if spans_of == "word" else self.sentences
        for j in range(self.block_of(pos), len(self.starts)):
            for start, _ in spans(j):
                if start > pos and (snapped := self.position(start)) > pos:
                    return snapped
        return self.last

    def previous_start(self, pos: int, spans_of: str) -> int:
        if not self.starts:
            return 0
        spans = self.words if spans_of == "word" else self.sentences
        for j in range(self.block_of(pos), -1, -1):
            for start, _ in reversed(spans(j)):
                if start < pos and (snapped := self.position(start)) < pos:
                    return snapped
        return self.first

    def sentence_at(self, pos: int) -> Span | None:
        """The sentence holding pos; in a gap, the one before it."""
        if not self.starts:
            return None
        k = self.block_of(pos)
        best = None
        for j in range(k, -1, -1):
            for span in self.sentences(j):
                if span[0] <= pos:
                    best = span
                else:
                    break
            if best is not None:
                return self.position(best[0]), self.position(best[1])
        return None

    def next_paragraph(self, pos: int) -> int:
        k = self.block_of(pos)
        for j in range(k + 1, len(self.starts)):
            if self.final[j - 1]:
                return self.starts[j]
        return self.last

    def previous_paragraph(self, pos: int) -> int:
        """Start of the paragraph holding pos, or of the one before if pos is there."""
        if not self.starts:
            return 0
        j = self._paragraph_first_block(self.block_of(pos))
        if self.starts[j] < pos or j == 0:
            return self.starts[j]
        return self.starts[self._paragraph_first_block(j - 1)]

    def _paragraph_first_block(self, k: int) -> int:
        while k > 0 and not self.final[k - 1]:
            k -= 1
        return k


def _remember(cache: OrderedDict, key: int, value: object, size: int = 512) -> None:
    cache[key] = value
    if len(cache) > size:
        cache.popitem(last=False)


def _cut(text: str, start: int, end: int, chunk: int) -> list[Span]:
    """A long paragraph as blocks of at most `chunk` code points.

    Cut after a sentence end where there is one in the second half of the chunk,
    else after a space, else between two characters that always break (letters,
    ideographs, digits: no regex walk over a megabyte of CJK or of one "word"),
    else at the last grapheme boundary that fits. Never inside a cluster.
    """
    blocks = []
    while end - start > chunk:
        limit = start + chunk
        half = start + chunk // 2
        cut = -1
        for m in _LIKELY_END.finditer(text, half, limit):
            if not _JOINS_LEFT.match(text, m.end()):
                cut = m.end()
        if cut < 0:
            space = text.rfind(" ", half, limit - 1)
            while space >= 0 and _JOINS_LEFT.match(text, space + 1):
                space = text.rfind(" ", half, space)
            cut = space + 1 if space >= 0 else -1
        if cut < 0:
            m = _SURE_BREAK.search(text, half, limit)  # the last one: searches backwards
            cut = m.end() if m else -1
        if cut < 0:
            cut = start
            for m in _GRAPHEME.finditer(text, start, end):  # lazy: stops near limit
                if m.end() > limit:
                    break
                cut = m.end()
            if cut == start:  # a single cluster longer than a chunk: keep it whole
                m = _GRAPHEME.match(text, start, end)
                cut = m.end() if m else limit
        if cut >= end:
            break
        blocks.append((start, cut))
        start = cut
    blocks.append((start, end))
    return blocks


class Wrap:
    """The text wrapped at one width: rows, lazily, with estimates until known."""

    def __init__(self, layout: Layout, width: int) -> None:
        self.layout = layout
        self.width = width
        per_row = width * 0.92  # prose fills about this much of a row
        counts = [
            max(ceil((e - s) / per_row), 1) + (1 if f else 0)
            for s, e, f in zip(layout.starts, layout.ends, layout.final, strict=True)
        ]
        if counts and layout.final[-1]:
            counts[-1] -= 1  # no blank row after the last paragraph
        self._counts = counts
        self._tree = _Fenwick(counts)
        self._rows: dict[int, list[int]] = {}

    @property
    def total(self) -> int:
        """Rows of the whole text (exact where wrapped, estimated elsewhere)."""
        return self._tree.total

    def rows(self, k: int) -> list[int]:
        """Row starts of block k, wrapping it now if it was not yet."""
        rows = self._rows.get(k)
        if rows is None:
            layout = self.layout
            rows = wrap_block(
                layout.text, layout.starts[k], layout.ends[k], self.width, layout.final[k]
            )
            self._rows[k] = rows
            count = len(rows) + (1 if layout.final[k] and k + 1 < len(layout.starts) else 0)
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
        end = rows[r + 1] if r + 1 < len(rows) else self.layout.ends[k]
        return rows[r], end

    def is_last_row(self, k: int, r: int) -> bool:
        return r == len(self.rows(k)) - 1

    # -- offsets <-> screen -------------------------------------------------

    def to_screen(self, offset: int) -> tuple[int, int]:
        """(row, cell in the text column) of the cursor position for an offset."""
        layout = self.layout
        if not layout.starts:
            return 0, 0
        pos = layout.position(offset)
        k = layout.block_of(pos)
        rows = self.rows(k)
        r = bisect_right(rows, pos) - 1
        return self.first_row(k) + r, cells_between(layout.text, rows[r], pos)

    def from_screen(self, y: int, cell: int) -> int:
        """The cursor position drawn at (row, cell); past a row's end, its last one."""
        layout = self.layout
        if not layout.starts:
            return 0
        k, r = self.locate(y)
        span = self.row_span(k, r)
        if span is None:  # the blank row after a paragraph: that paragraph's end
            return layout.ends[k]
        start, end = span
        pos = offset_at_cell(layout.text, start, end, cell)
        if pos >= end and not (self.is_last_row(k, r) and layout.final[k]):
            return self.row_last(k, r)
        return pos

    def row_last(self, k: int, r: int) -> int:
        """The last cursor position on row r of block k."""
        start, end = self.row_span(k, r) or (self.layout.ends[k], self.layout.ends[k])
        if self.is_last_row(k, r) and self.layout.final[k]:
            return end
        if end == start:
            return start
        bounds = self.layout.boundaries(k)
        return bounds[bisect_left(bounds, end) - 1]

    def row_of(self, offset: int) -> int:
        return self.to_screen(offset)[0]

    def text_row(self, y: int, direction: int) -> int:
        """y, or the nearest row in `direction` that holds text (skips blank rows)."""
        k, r = self.locate(y)
        if self.row_span(k, r) is not None:
            return self.first_row(k) + r
        if direction > 0 and k + 1 < len(self.layout.starts):
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


_SPAN_START = itemgetter(0)  # no key tuples: 10,000 fewer objects at open


class SpanIndex:
    """Spans (start, end, item) bucketed by block: which spans touch a row, fast.

    Annotations can be long (a whole paragraph) and many (10,000), so a row asks
    only the bucket of its own block. Buckets keep spans sorted by start.
    """

    def __init__(self, layout: Layout, spans: Iterable[tuple[int, int, object]] = ()) -> None:
        self.layout = layout
        starts, ends = layout.starts, layout.ends
        buckets: list[list[tuple[int, int, object]]] = [[] for _ in starts]
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

    def _blocks(self, start: int, end: int) -> range:
        layout = self.layout
        if not layout.starts:
            return range(0)
        first = layout.block_of(start)
        last = layout.block_of(max(end - 1, start))
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

    def overlapping(self, start: int, end: int) -> list[tuple[int, int, object]]:
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
