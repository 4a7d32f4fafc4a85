"""Extra ranges drawn over a reading pane's rows, in layers, with a margin mark.

Compare's aligned reading uses them: a mark in the left margin of rows holding
a sentence with a counterpart (`≈` reworded, `=` copy), the counterpart of the
other pane's sentence under the cursor (a tint and `▶` in the margin), and the
diff view (changed words bold and underlined, sentences without a counterpart
dimmed). The screen decides what is drawn; this module only draws it.

Drawn over a row's base strip once, when the painter caches it (so a cached row
costs nothing more), after everything else the painter draws: each layer is
replaced as a whole and only the blocks its old and new ranges touch are
repainted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from rich.segment import Segment
from rich.style import Style as RichStyle
from textual.strip import Strip

from reader.text.cells import cells_between
from reader.text.spans import SpanIndex
from reader.text.wrapping import TextGeometry, Wrap

# Component classes of the reading pane (without its prefix), and their CSS.
HIGHLIGHT_COMPONENTS = frozenset({"counterpart", "changed", "unpaired", "aligned-mark"})
HIGHLIGHT_CSS = """
ReadingPane > .reading-pane--counterpart { background: $secondary 40%; }
ReadingPane > .reading-pane--changed { color: $text-warning; text-style: bold underline; }
ReadingPane > .reading-pane--unpaired { color: $text-muted; }
ReadingPane > .reading-pane--aligned-mark { color: $text-secondary; text-style: bold; }
"""


@dataclass(frozen=True)
class Look:
    """How one range is drawn: a component class over its text, a mark in its margin."""

    component: str | None = None
    mark: str | None = None
    mark_component: str = "aligned-mark"


Item = tuple[int, int, Look]


class Highlights:
    """Named layers of ranges, drawn in the order the layers were first set."""

    def __init__(self, geometry: TextGeometry) -> None:
        self.geometry = geometry
        self.layers: dict[str, SpanIndex] = {}
        self.items: dict[str, list[Item]] = {}

    def set(self, name: str, items: list[Item]) -> set[int]:
        """Replace one layer; the blocks whose rows changed."""
        geometry = self.geometry
        touched: set[int] = set()
        if geometry.starts:
            for start, end, _ in (*self.items.get(name, ()), *items):
                last = geometry.block_of(max(end - 1, start))
                touched.update(range(geometry.block_of(start), last + 1))
        self.items[name] = list(items)
        self.layers[name] = SpanIndex(geometry, [i for i in items if i[1] > i[0]])
        return touched

    def paint(self, painter: _Painter, wrap: Wrap, k: int, r: int, strip: Strip) -> Strip:
        """The row's base strip with every layer drawn over it."""
        span = wrap.row_span(k, r)
        if span is None:
            return strip
        a, b = span
        text = self.geometry.text
        x0 = painter.x0
        mark: tuple[str, str] | None = None
        for index in self.layers.values():
            for start, end, look in index.overlapping(a, max(b, a + 1)):
                if start >= max(b, a + 1) or end <= a:
                    continue
                if look.component is not None and end > a and start < b:
                    x1 = x0 + cells_between(text, a, max(start, a))
                    x2 = x0 + cells_between(text, a, min(end, b))
                    strip = _over(strip, x1, x2, painter.component(look.component))
                if look.mark is not None:
                    mark = (look.mark, look.mark_component)
        if mark is not None and x0 >= 2:
            strip = _margin(strip, mark[0], painter.component(mark[1]))
        return strip


class _Painter(Protocol):
    """What `paint` reads of the row painter."""

    x0: int

    def component(self, name: str) -> RichStyle: ...


def _over(strip: Strip, x1: int, x2: int, style: RichStyle) -> Strip:
    """The strip with `style` laid over cells [x1, x2) (on top of what is there)."""
    length = strip.cell_length
    x1, x2 = min(x1, length), min(x2, length)
    if x2 <= x1:
        return strip
    head, middle, tail = strip.divide([x1, x2, length])
    middle = Strip(list(Segment.apply_style(iter(middle), post_style=style)), x2 - x1)
    return Strip.join([head, middle, tail])


def _margin(strip: Strip, mark: str, style: RichStyle) -> Strip:
    """The first cell of the left margin as `mark`, if it is blank."""
    head, tail = strip.divide([1, strip.cell_length])
    if head.text != " ":
        return strip  # a suggestion's mark is there
    base = next(iter(head)).style
    return Strip.join([Strip([Segment(mark[:1], (base or RichStyle()) + style)], 1), tail])
