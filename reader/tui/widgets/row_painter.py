"""The reading pane's row painter: one row of text as a Strip, and the caret over it.

A row's *base* strip holds the text cut into pieces wherever a style, an
annotation or a search match starts or ends, each piece in its combined style,
with a left gutter (list marker, quote bar) and a right one (an initial per
label on the row, so labels read without colour). Suggested tags, when shown,
are drawn dimmed in their label's colour, with a `┆` in the left margin of their
rows (a second cue besides colour). Base strips are cached per
(block, row) and dropped narrowly: annotation changes forget the blocks they
touch. The cursor and the selection are drawn over a base strip at render time
(`overlay`), so moving them repaints only the rows they leave and enter.

Text is drawn as Segments, never markup, through `reader.text.cells.display`:
control characters become U+FFFD and zero-width graphemes get a visible cell.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from dataclasses import dataclass
from heapq import heappop, heappush
from typing import TYPE_CHECKING

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style as RichStyle
from textual.color import Color
from textual.strip import Strip
from textual.widget import Widget

from reader.models import Label
from reader.text.cells import cells_between, display, grapheme_width, safe
from reader.text.motions import next_position
from reader.text.spans import SpanIndex
from reader.text.wrapping import TextGeometry, Wrap
from reader.tui.display import short_name

if TYPE_CHECKING:
    from reader.tui.widgets.highlights import Highlights

BLOCK_KINDS = frozenset({"heading", "quote", "list_item", "code_block"})
# The second cue of each label, so labels read without colour: by label order.
CUES = [
    RichStyle(underline=True),
    RichStyle(underline2=True),
    RichStyle(overline=True),
    RichStyle(bold=True),
    RichStyle(italic=True),
]
COMPONENT_PREFIX = "reading-pane--"
_STRIP_CACHE_BLOCKS = 256
_GREY = Color(128, 128, 128)
LabelLook = tuple[RichStyle, RichStyle, str]  # (tint + cue, gutter mark style, initial)
SUGGESTION_MARK = "┆"  # left margin of a row holding a suggestion
# What a row's sweep keeps active, by edge kind (the edges sort by it at one position).
_INLINE, _MARK, _MATCH, _HINT = range(4)


@dataclass(slots=True)
class Frame:
    """What a repaint reads once for all its rows."""

    top: int
    cursor: int
    selection: tuple[int, int] | None
    focus: bool
    width: int
    last: tuple[int, int, int] | None = None  # (row, block, row in block) drawn last


class RowPainter:
    """Paints the rows of one pane: what is on the text, in the pane's styles."""

    def __init__(self, host: Widget, geometry: TextGeometry, styles: SpanIndex) -> None:
        self.host = host  # the pane: its base style, background and component classes
        self.geometry = geometry
        self.text = geometry.text
        self.styles = styles  # Markdown block kinds and inline styles
        self.marks = SpanIndex(geometry)  # annotations
        self.suggested = SpanIndex(geometry)  # suggestions shown: (start, end, Suggestion)
        self.labels: dict[str, Label] = {}
        self.label_order: dict[str, int] = {}
        self.matches: list[int] = []  # search match starts, sorted
        self.match_len = 0
        self.x0 = 0  # x of the text column
        self.width = 0  # the pane's width
        self._strips: dict[int, dict[int, Strip]] = {}
        self._style_cache: dict[object, RichStyle] = {}
        self._label_cache: dict[str, LabelLook] = {}
        self._component_cache: dict[str, RichStyle] = {}
        self.highlights: Highlights | None = None  # drawn over cached rows
        self._base_style: RichStyle | None = None

    # -- what is painted ------------------------------------------------------

    def set_labels(self, labels: list[Label]) -> None:
        ordered = sorted(labels, key=lambda label: (label.position, label.name))
        self.labels = {label.name: label for label in ordered}
        self.label_order = {label.name: i for i, label in enumerate(ordered)}
        self._style_cache.clear()
        self._label_cache.clear()
        self._strips.clear()

    def styles_changed(self) -> None:
        """The pane's CSS (theme) changed: every resolved style is stale."""
        self._style_cache.clear()
        self._label_cache.clear()
        self._component_cache.clear()
        self._base_style = None
        self._strips.clear()

    @property
    def cached_blocks(self) -> list[int]:
        """The blocks whose base strips are kept (those drawn lately)."""
        return list(self._strips)

    def forget(self, blocks: set[int] | range | None = None) -> None:
        """Drop the base strips of these blocks (all when None)."""
        if blocks is None:
            self._strips.clear()
            return
        for k in blocks:
            self._strips.pop(k, None)

    def base(self, wrap: Wrap, k: int, r: int) -> Strip:
        """Row r of block k without cursor and selection (cached)."""
        rows = self._strips.get(k)
        if rows is None:
            rows = self._strips[k] = {}
            if len(self._strips) > _STRIP_CACHE_BLOCKS:
                del self._strips[next(iter(self._strips))]
        strip = rows.get(r)
        if strip is None:
            strip = self.row(wrap, k, r)
            if self.highlights is not None:  # compare's aligned reading (highlights.py)
                strip = self.highlights.paint(self, wrap, k, r, strip)
            rows[r] = strip
        return strip

    def component(self, name: str) -> RichStyle:
        """A component class as a style to add on top: only what it sets, colours resolved."""
        style = self._component_cache.get(name)
        if style is None:
            partial = self.host.get_component_rich_style(COMPONENT_PREFIX + name, partial=True)
            full = self.host.get_component_rich_style(COMPONENT_PREFIX + name)
            style = partial.without_color + RichStyle(
                color=full.color if partial.color else None,
                bgcolor=full.bgcolor if partial.bgcolor else None,
            )
            self._component_cache[name] = style
        return style

    def label_style(self, name: str) -> LabelLook:
        """(tint + cue, gutter mark, initial) of a label."""
        cached = self._label_cache.get(name)
        if cached is None:
            label = self.labels.get(name)
            order = self.label_order.get(name, len(self.label_order))
            try:
                color = Color.parse(label.color) if label else _GREY
            except Exception:
                color = _GREY
            base = self.host.background_colors[1]
            tint = RichStyle(bgcolor=base.blend(color, 0.4).rich_color)
            cue = CUES[order % len(CUES)]
            mark = RichStyle(color=color.rich_color, bold=True)
            cached = self._label_cache[name] = (tint + cue, mark, short_name(name, self.labels))
        return cached

    def row(self, wrap: Wrap, k: int, r: int) -> Strip:
        """The row's strip without cursor and selection, full pane width."""
        base = self._base_style
        if base is None:  # the pane's style: a walk up the DOM, so once per theme
            base = self._base_style = self.host.rich_style
        width = self.width
        span = wrap.row_span(k, r)
        if span is None:
            return Strip.blank(width, base)
        a, b = span
        text = self.text
        x0 = self.x0
        text_cells = wrap.width + 1
        segments: list[Segment] = []
        # Left margin, with the gutter: a list marker or a quote bar.
        gutter = ""
        block_style = RichStyle()
        styles = self.styles.overlapping(a, max(b, a + 1))
        inline = []
        for s_start, s_end, s in styles:
            kind = s.kind
            if kind in BLOCK_KINDS:
                if kind == "list_item" and s_start == a and x0 >= 2:
                    marker = safe(str(s.value or "•"))[: max(x0 - 1, 1)]
                    gutter = marker + " "
                elif kind == "quote" and not gutter:
                    gutter = "▎ "
                if kind == "heading":
                    block_style += self.component("heading")
                elif kind == "code_block":
                    block_style += self.component("code")
            else:
                inline.append((s_start, s_end, kind))
        if cell_len(gutter) > x0:
            gutter = set_cell_size(gutter, x0)
        hints = [h for h in self.suggested.overlapping(a, b) if h[0] < b]
        if x0:
            pad = x0 - cell_len(gutter)
            if hints and pad >= 2:
                hint_mark = self.label_style(hints[0][2].label)[1] + RichStyle(dim=True)
                segments.append(Segment(SUGGESTION_MARK, base + hint_mark))
                pad -= 1
            segments.append(Segment(" " * pad, base))
            if gutter:
                segments.append(Segment(gutter, base + self.component("gutter")))
        # The text, cut wherever a style, annotation, suggestion or match starts or
        # ends, in one sweep over those edges: what is active is kept as the sweep
        # goes (label counts, a heap for the innermost label, inline styles and
        # suggestions in their order), so a row costs its edges and cells, however
        # many annotations overlap it.
        marks = [m for m in self.marks.overlapping(a, b) if m[0] < b]
        matches = self.matches_in(a, b)
        match_len = self.match_len
        # edges: (position, 1 start / 0 end, kind, index into that kind's list)
        edges: list[tuple[int, int, int, int]] = []
        for i, (s_start, s_end, _) in enumerate(inline):
            edges.append((s_start, 1, _INLINE, i))
            edges.append((s_end, 0, _INLINE, i))
        for i, (m_start, m_end, _) in enumerate(marks):
            edges.append((m_start, 1, _MARK, i))
            edges.append((m_end, 0, _MARK, i))
        for i, m_start in enumerate(matches):
            edges.append((m_start, 1, _MATCH, i))
            edges.append((m_start + match_len, 0, _MATCH, i))
        for i, (h_start, h_end, _) in enumerate(hints):
            edges.append((h_start, 1, _HINT, i))
            edges.append((h_end, 0, _HINT, i))
        cuts = {a, b}
        for edge in edges:
            cuts.add(min(max(edge[0], a), b))
        if not self.geometry.is_simple(k):
            # Spans from elsewhere (a merge, a search for a combining mark) may end
            # inside a cluster; a cluster is drawn whole, in one style.
            cuts = {self.geometry.snap(c) for c in cuts}
        points = sorted(cuts)
        edges.sort()
        active_inline: list[int] = []  # indexes into inline, in its order
        active_hints: list[int] = []  # indexes into hints: the first one is drawn
        names: dict[str, int] = {}  # label -> active marks with it
        names_key: frozenset[str] = frozenset()
        innermost: list[tuple[int, str, int]] = []  # heap of (length, label, mark index)
        ended: set[int] = set()
        hits = 0
        e = 0
        n_edges = len(edges)
        used = 0
        for i in range(len(points) - 1):
            p, q = points[i], points[i + 1]
            # every edge at or before p: a span is on the piece when start <= p < end
            names_changed = False
            while e < n_edges and edges[e][0] <= p:
                _, starting, what, index = edges[e]
                e += 1
                if what == _MARK:
                    m_start, m_end, m = marks[index]
                    name = m.label
                    if starting:
                        count = names.get(name, 0)
                        names[name] = count + 1
                        names_changed = names_changed or not count
                        heappush(innermost, (m_end - m_start, name, index))
                    else:
                        count = names[name] - 1
                        names[name] = count
                        names_changed = names_changed or not count
                        ended.add(index)
                elif what == _INLINE:
                    if starting:
                        insort(active_inline, index)
                    else:
                        active_inline.remove(index)
                elif what == _HINT:
                    if starting:
                        insort(active_hints, index)
                    else:
                        active_hints.remove(index)
                else:
                    hits += 1 if starting else -1
            if p == q:
                continue
            if names_changed:
                names_key = frozenset(n for n, c in names.items() if c)
            while innermost and innermost[0][2] in ended:
                heappop(innermost)
            inner = innermost[0][1] if innermost else None
            kinds = tuple(inline[x][2] for x in active_inline)
            hint = hints[active_hints[0]][2].label if active_hints else None
            style = self._piece_style(block_style, kinds, names_key, inner, hits > 0, hint)
            segments.append(Segment(display(text[p:q]), style))
            used += cells_between(text, p, q)
        # Fill the text column (it may be short, or one cell wider for a hanging space).
        if used < text_cells:
            segments.append(Segment(" " * (text_cells - used), base + block_style))
        # Right gutter: one mark per label on this row, so labels read without colour.
        room = width - x0 - max(used, text_cells)
        row_labels: list[str] = []
        for _, _, m in marks:
            name = m.label
            if name not in row_labels:
                row_labels.append(name)
        row_labels.sort(key=lambda n: self.label_order.get(n, 99))
        if row_labels and room >= 2:
            segments.append(Segment(" ", base))
            for name in row_labels[: room - 1]:
                _, mark, initial = self.label_style(name)
                segments.append(Segment(initial, base + mark))
        strip = Strip(segments)
        return strip.adjust_cell_length(width, base)

    def _piece_style(
        self,
        block_style: RichStyle,
        kinds: tuple[str, ...],
        names: frozenset[str],
        inner: str | None,
        hit: bool,
        hint: str | None = None,
    ) -> RichStyle:
        """A piece's style, cached by what is on it: the block's style, the inline
        kinds, the labels present and the innermost one, a match, a suggestion
        (one more kind of highlight is one more field of this key)."""
        key = (block_style, kinds, names, inner, hit, hint)
        style = self._style_cache.get(key)
        if style is None:
            style = (self._base_style or self.host.rich_style) + block_style
            for kind in kinds:
                if kind == "em":
                    style += RichStyle(italic=True)
                elif kind == "strong":
                    style += RichStyle(bold=True)
                elif kind == "strike":
                    style += RichStyle(strike=True)
                elif kind in ("code", "code_block"):
                    style += self.component("code")
                elif kind == "link":
                    style += self.component("link")
                elif kind == "image":
                    style += RichStyle(italic=True, dim=True)
            if inner is not None:
                # every label's cue; the innermost (shortest) label's tint on top
                for name in sorted(names):
                    if name != inner:
                        style += self.label_style(name)[0]
                style += self.label_style(inner)[0]
            if hint is not None:
                # a suggestion: its label's colour, dimmed; never a tint, so it
                # does not read as a tag already made
                style += RichStyle(color=self.label_style(hint)[1].color, dim=True)
            if hit:
                style += self.component("match")
            self._style_cache[key] = style
        return style

    def matches_in(self, a: int, b: int) -> list[int]:
        matches = self.matches
        if not matches:
            return []
        i = bisect_left(matches, a - self.match_len + 1)
        j = bisect_left(matches, b)
        return matches[i:j]

    def overlay(self, wrap: Wrap, k: int, r: int, strip: Strip, frame: Frame) -> Strip:
        """Draw the selection and the cursor over a row's base strip."""
        sel = frame.selection
        cursor = frame.cursor
        span = wrap.row_span(k, r)
        if span is None:
            return strip
        a, b = span
        if cursor < a and (sel is None or sel[1] <= a):
            return strip  # the common row: nothing to draw over it
        if cursor > b and (sel is None or sel[0] >= max(b, a + 1)):
            return strip
        last = wrap.is_last_row(k, r) and self.geometry.final[k]
        on_row = a <= cursor < b or (last and cursor == b)
        if sel is not None and sel[0] < max(b, a + 1) and sel[1] > a:
            x1 = self.x0 + cells_between(self.text, a, max(sel[0], a))
            x2 = self.x0 + cells_between(self.text, a, min(sel[1], b))
            if sel[1] > b and last:
                x2 += 1  # the selection goes on past the paragraph's end
            strip = _restyle(strip, x1, x2, self.component("selection"))
        if on_row:
            x = self.x0 + cells_between(self.text, a, cursor)
            if cursor < b:
                nxt = next_position(self.geometry, cursor)
                w = grapheme_width(self.text[cursor:nxt])  # never 0: see `drawn`
            else:
                w = 1
            name = "cursor" if frame.focus else "cursor-blurred"
            strip = _restyle(strip, x, x + w, self.component(name))
        return strip


def _restyle(strip: Strip, x1: int, x2: int, style: RichStyle) -> Strip:
    """The strip with `style` added over cells [x1, x2)."""
    if x2 <= x1:
        return strip
    length = strip.cell_length
    x1 = min(x1, length)
    x2 = min(x2, length)
    head, middle, tail = strip.divide([x1, x2, length])
    middle = Strip(
        [Segment(t, (s + style) if s else style, c) for t, s, c in middle], middle.cell_length
    )
    return Strip.join([head, middle, tail])
