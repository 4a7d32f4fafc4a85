"""The library's table of articles: a Line API `ScrollView` drawing only the rows on
screen, with a fixed header, a row cursor and zebra stripes.

Textual's DataTable measures every cell of every row when rows are added (90,000
`measure` calls for 10,000 articles, seconds); here the columns have fixed widths
and a row's cells are made only when the row is drawn (`set_rows` takes a function
of the row's index), so 10,000 articles cost the 40 rows on screen.

It keeps the part of DataTable's API the library uses (`add_column`, `add_row`,
`clear`, `row_count`, `cursor_row`, `cursor_coordinate`, `coordinate_to_cell_key`,
`get_row_index`, `move_cursor`, `rows`, the `RowSelected` and `HeaderSelected`
messages), so the library's columns and sorting read as they did with a DataTable.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style as RichStyle
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.coordinate import Coordinate
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

_PAD = 1  # cells of padding either side of a column, as DataTable draws them
_CACHE_ROWS = 256


@dataclass(frozen=True)
class RowKey:
    """A row's key, as DataTable's (`.value`); DataTable itself is not imported."""

    value: str


ColumnKey = RowKey


@dataclass
class Column:
    key: str
    label: Text
    width: int


class ArticleTable(ScrollView, can_focus=True):
    """Rows of cells under a header; one row is the cursor."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "article-table--header",
        "article-table--cursor",
        "article-table--even-row",
    }

    DEFAULT_CSS = """
    ArticleTable {
        background: $surface;
        color: $foreground;
        overflow-x: hidden;
        overflow-y: auto;
        &:focus {
            background-tint: $foreground 5%;
            & > .article-table--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
            & > .article-table--header {
                background-tint: $foreground 5%;
            }
        }
        &:dark > .article-table--even-row {
            background: $surface-darken-1 40%;
        }
        & > .article-table--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        & > .article-table--even-row {
            background: $surface-lighten-1 50%;
        }
        & > .article-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Open"),
        Binding("j,down", "cursor_down", "Down", show=False),
        Binding("k,up", "cursor_up", "Up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("g,home", "scroll_top", "Top", show=False),
        Binding("G,end", "scroll_bottom", "Bottom", show=False),
    ]

    @dataclass
    class RowSelected(Message):
        """Enter (or a click) on a row."""

        data_table: ArticleTable
        cursor_row: int
        row_key: RowKey

        @property
        def control(self) -> ArticleTable:
            return self.data_table

    @dataclass
    class HeaderSelected(Message):
        """A click on a column's header (the library sorts by it)."""

        data_table: ArticleTable
        column_key: ColumnKey
        column_index: int
        label: Text

        @property
        def control(self) -> ArticleTable:
            return self.data_table

    def __init__(
        self,
        *,
        id: str | None = None,
        cursor_type: str = "row",
        zebra_stripes: bool = True,
    ) -> None:
        super().__init__(id=id)
        self.zebra_stripes = zebra_stripes
        self.columns: list[Column] = []
        self._keys: list[str] = []
        self._index: dict[str, int] | None = {}  # made when a key is looked up
        self._cells: list[Sequence[Text] | None] = []
        self._cells_of: Callable[[int], Sequence[Text]] | None = None
        self._cursor = 0
        self._strips: dict[int, Strip] = {}
        self._header: Strip | None = None
        self._drawn_width = -1

    # -- columns and rows ---------------------------------------------------------

    def add_column(self, label: Text | str, *, key: str, width: int) -> ColumnKey:
        self.columns.append(Column(key, Text(label) if isinstance(label, str) else label, width))
        self._changed()
        return ColumnKey(key)

    def add_row(self, *cells: Text, key: str) -> RowKey:
        """One row with its cells made already (set_rows makes them when drawn)."""
        self._keys.append(key)
        self._cells.append(cells)
        self._index = None
        self._changed()
        return RowKey(key)

    def set_rows(self, keys: Sequence[str], cells_of: Callable[[int], Sequence[Text]]) -> None:
        """Every row at once; `cells_of(i)` makes row i's cells when it is drawn."""
        self._keys = list(keys)
        self._cells = [None] * len(self._keys)
        self._cells_of = cells_of
        self._index = None
        self._cursor = min(self._cursor, max(len(self._keys) - 1, 0))
        self._changed()

    def clear(self, columns: bool = False) -> None:
        self._keys = []
        self._cells = []
        self._index = {}
        self._cursor = 0
        if columns:
            self.columns = []
        self._changed()

    def _changed(self) -> None:
        self._strips.clear()
        self._header = None
        self._sync_virtual_size()
        self.refresh()

    @property
    def row_count(self) -> int:
        return len(self._keys)

    @property
    def rows(self) -> list[RowKey]:
        """The rows' keys, in order."""
        return [RowKey(key) for key in self._keys]

    def get_row_index(self, key: str | RowKey) -> int:
        if self._index is None:
            self._index = {k: i for i, k in enumerate(self._keys)}
        value = key.value if isinstance(key, RowKey) else key
        return self._index[value]  # KeyError, as DataTable raises RowDoesNotExist

    # -- the cursor -----------------------------------------------------------------

    @property
    def cursor_row(self) -> int:
        return self._cursor

    @property
    def cursor_coordinate(self) -> Coordinate:
        return Coordinate(self._cursor, 0)

    def coordinate_to_cell_key(self, coordinate: Coordinate) -> tuple[RowKey, ColumnKey]:
        column = self.columns[coordinate.column].key if self.columns else ""
        return RowKey(self._keys[coordinate.row]), ColumnKey(column)

    def move_cursor(self, *, row: int | None = None, animate: bool = False) -> None:
        if row is None or not self._keys:
            return
        row = min(max(row, 0), len(self._keys) - 1)
        old, self._cursor = self._cursor, row
        self._refresh_row(old)
        self._refresh_row(row)
        self._scroll_to_row(row)

    def action_cursor_down(self) -> None:
        self.move_cursor(row=self._cursor + 1)

    def action_cursor_up(self) -> None:
        self.move_cursor(row=self._cursor - 1)

    def action_page(self, direction: int) -> None:
        self.move_cursor(row=self._cursor + direction * self._body_height())

    def action_scroll_top(self) -> None:
        self.move_cursor(row=0)

    def action_scroll_bottom(self) -> None:
        self.move_cursor(row=len(self._keys) - 1)

    def action_select_cursor(self) -> None:
        if self._keys:
            self.post_message(
                self.RowSelected(self, self._cursor, RowKey(self._keys[self._cursor]))
            )

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        if offset.y == 0:
            self._header_clicked(offset.x)
            return
        row = round(self.scroll_y) + offset.y - 1
        if 0 <= row < len(self._keys):
            self.move_cursor(row=row)
            if event.chain > 1:
                self.action_select_cursor()

    def _header_clicked(self, x: int) -> None:
        left = 0
        for index, column in enumerate(self.columns):
            right = left + column.width + 2 * _PAD
            if left <= x < right:
                key = ColumnKey(column.key)
                self.post_message(self.HeaderSelected(self, key, index, column.label))
                return
            left = right

    # -- scrolling --------------------------------------------------------------------

    def _body_height(self) -> int:
        return max(self.scrollable_content_region.height - 1, 1)  # the header stays

    def _sync_virtual_size(self) -> None:
        width = sum(c.width + 2 * _PAD for c in self.columns)
        size = Size(width, len(self._keys) + 1)
        if self.virtual_size != size:
            self.virtual_size = size

    def _scroll_to_row(self, row: int) -> None:
        if not self.is_mounted:
            return
        top = round(self.scroll_y)
        height = self._body_height()
        if row < top:
            self.scroll_to(y=row, animate=False, immediate=True)
        elif row >= top + height:
            self.scroll_to(y=row - height + 1, animate=False, immediate=True)

    def on_resize(self) -> None:
        self._scroll_to_row(self._cursor)

    def _refresh_row(self, row: int) -> None:
        if not self.is_mounted:
            return
        y = row - round(self.scroll_y) + 1
        if 1 <= y < self.scrollable_content_region.height:
            self.refresh(Region(0, y, self.size.width, 1))

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()
        self._header = None

    # -- drawing ----------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        if width != self._drawn_width:
            self._strips.clear()
            self._header = None
            self._drawn_width = width
        if y == 0:
            if self._header is None:
                header = self.get_component_rich_style("article-table--header")
                self._header = self._line([c.label for c in self.columns], base + header, width)
            return self._header
        row = round(self.scroll_y) + y - 1
        if row >= len(self._keys):
            return Strip.blank(width, base)
        strip = self._strips.get(row)
        if strip is None:
            if len(self._strips) >= _CACHE_ROWS:
                self._strips.clear()
            cells = self._cells[row]
            if cells is None:
                assert self._cells_of is not None
                cells = self._cells_of(row)
            style = base
            if self.zebra_stripes and row % 2 == 0:  # as DataTable: rows 0, 2, 4... striped
                style = base + self.get_component_rich_style("article-table--even-row")
            strip = self._strips[row] = self._line(cells, style, width)
        if row == self._cursor:
            cursor = self.get_component_rich_style("article-table--cursor")
            strip = Strip([Segment(t, (s + cursor) if s else cursor, c) for t, s, c in strip])
        return strip

    def _line(self, cells: Sequence[Text], style: RichStyle, width: int) -> Strip:
        console = self.app.console
        segments: list[Segment] = []
        pad = Segment(" " * _PAD, style)
        for column, cell in zip(self.columns, cells, strict=False):
            text = cell.copy()
            if text.style:  # the cell's own style on its text (align drops it), not the padding
                text.stylize_before(text.style)
                text.style = ""
            text.no_wrap = True
            text.truncate(column.width, overflow="ellipsis")
            text.align("right" if cell.justify == "right" else "left", column.width)
            segments.append(pad)
            segments.extend(Segment.apply_style(text.render(console), style))
            segments.append(pad)
        return Strip(segments).adjust_cell_length(width, style)
