"""WorkspaceList: every annotation of the workspace, three rows each, drawn a line at a time.

A Line-API ScrollView: no widget per entry, and only the entries on screen are
read, a page at a time, from a source that counts them (the store's
WorkspaceAnnotations); so a million annotations scroll like ten. An entry: on
its left the label, a note marker and the annotator, then the article's title
on two rows; on its right the quote wrapped to up to three rows. Everything
shown is cleaned and drawn as Text, never markup.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar, Protocol

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.events import Click
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from reader.models import Label
from reader.store.browse import ListedAnnotation
from reader.text.sanitize import clean_line
from reader.tui.display import label_chip

ENTRY_ROWS = 3
PAGE = 64  # entries read at once
PAGES_KEPT = 8
NOTE_MARK = "✎"


class Rows(Protocol):
    """What the list reads from: how many entries, and a range of them."""

    def __len__(self) -> int: ...

    def rows(self, first: int, count: int) -> list[ListedAnnotation]: ...


class _Empty:
    def __len__(self) -> int:
        return 0

    def rows(self, first: int, count: int) -> list[ListedAnnotation]:
        return []


class WorkspaceList(ScrollView, can_focus=True):
    """The entries of a Rows source; the cursor is an entry's number."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "workspace-list--cursor",
        "workspace-list--odd",
        "workspace-list--dim",
    }
    DEFAULT_CSS = """
    WorkspaceList {
        height: 1fr;
        background: $surface;
    }
    WorkspaceList > .workspace-list--cursor {
        background: $accent 35%;
    }
    WorkspaceList:focus > .workspace-list--cursor {
        background: $accent 55%;
    }
    WorkspaceList > .workspace-list--odd {
        background: $boost;
    }
    WorkspaceList > .workspace-list--dim {
        color: $text-muted;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "move(1)", "Next", show=False),
        Binding("up,k", "move(-1)", "Previous", show=False),
        Binding("pagedown,space", "page(1)", "Page down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("g,home", "edge(False)", "First", show=False),
        Binding("G,shift+g,end", "edge(True)", "Last", show=False),
        Binding("enter", "choose", "Open"),
    ]

    @dataclass
    class Chosen(Message):
        """Open the article at this annotation."""

        annotation: ListedAnnotation

    @dataclass
    class Moved(Message):
        """The cursor is on another entry (the screen's status line follows)."""

        cursor: int

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.source: Rows = _Empty()
        self.labels: Mapping[str, Label] = {}
        self.cursor = 0
        self._pages: OrderedDict[int, list[ListedAnnotation]] = OrderedDict()
        self._drawn: dict[tuple[int, int, bool], list[Strip]] = {}

    # -- data -------------------------------------------------------------

    def show(self, source: Rows, labels: Mapping[str, Label], cursor: int = 0) -> None:
        """Another list (a new filter, or fresh from the store), the cursor at `cursor`."""
        self.source = source
        self.labels = labels
        self._pages.clear()
        self._drawn.clear()
        self.cursor = max(0, min(cursor, len(source) - 1))
        self._sync_size()
        self._keep_visible(center=True)
        self.refresh()
        self.post_message(self.Moved(self.cursor))

    def entry(self, index: int) -> ListedAnnotation | None:
        if not 0 <= index < len(self.source):
            return None
        page = index // PAGE
        rows = self._pages.get(page)
        if rows is None:
            rows = self.source.rows(page * PAGE, PAGE)
            self._pages[page] = rows
            while len(self._pages) > PAGES_KEPT:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page)
        at = index - page * PAGE
        return rows[at] if at < len(rows) else None

    @property
    def current(self) -> ListedAnnotation | None:
        return self.entry(self.cursor)

    # -- geometry ---------------------------------------------------------

    def _sync_size(self) -> None:
        size = Size(self.scrollable_content_region.width, len(self.source) * ENTRY_ROWS)
        if self.virtual_size != size:
            self.virtual_size = size

    def on_resize(self) -> None:
        self._drawn.clear()
        self._sync_size()
        self._keep_visible()

    @property
    def visible_entries(self) -> int:
        return max(1, self.scrollable_content_region.height // ENTRY_ROWS)

    def _keep_visible(self, center: bool = False) -> None:
        height = self.scrollable_content_region.height
        if not height:
            return
        top, bottom = self.cursor * ENTRY_ROWS, (self.cursor + 1) * ENTRY_ROWS
        y = self.scroll_offset.y
        if center:
            y = top - max(0, (height - ENTRY_ROWS) // 2)
        elif top < y:
            y = top
        elif bottom > y + height:
            y = bottom - height
        self.scroll_to(y=max(0, y), animate=False, immediate=True)

    # -- keys and mouse ---------------------------------------------------

    def move_to(self, cursor: int) -> None:
        cursor = max(0, min(cursor, len(self.source) - 1))
        if cursor == self.cursor:
            return
        old, self.cursor = self.cursor, cursor
        self.refresh_lines(old * ENTRY_ROWS, ENTRY_ROWS)
        self.refresh_lines(cursor * ENTRY_ROWS, ENTRY_ROWS)
        self._keep_visible()
        self.post_message(self.Moved(cursor))

    def action_move(self, step: int) -> None:
        self.move_to(self.cursor + step)

    def action_page(self, step: int) -> None:
        self.move_to(self.cursor + step * self.visible_entries)

    def action_edge(self, last: bool) -> None:
        self.move_to(len(self.source) - 1 if last else 0)

    def action_choose(self) -> None:
        current = self.current
        if current is not None:
            self.post_message(self.Chosen(current))

    def on_click(self, event: Click) -> None:
        index = (event.y + self.scroll_offset.y) // ENTRY_ROWS
        if 0 <= index < len(self.source):
            if index == self.cursor and event.chain >= 2:
                self.action_choose()
            self.move_to(index)

    # -- drawing ----------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        line = self.scroll_offset.y + y
        index, part = divmod(line, ENTRY_ROWS)
        base = self.rich_style
        if not 0 <= index < len(self.source) or width <= 0:
            return Strip.blank(width, base)
        key = (index, width, index == self.cursor)
        strips = self._drawn.get(key)
        if strips is None:
            if len(self._drawn) > 400:  # what is on screen, not the whole history
                self._drawn.clear()
            strips = self._draw(index, width, base)
            self._drawn[key] = strips
        return strips[part]

    def _draw(self, index: int, width: int, base: Style) -> list[Strip]:
        entry = self.entry(index)
        if index == self.cursor:
            background = self.get_component_rich_style("workspace-list--cursor")
        elif index % 2:
            background = self.get_component_rich_style("workspace-list--odd")
        else:
            background = Style()
        style = base + background
        if entry is None:  # gone since the list was counted
            return [Strip.blank(width, style)] * ENTRY_ROWS
        dim = self.get_component_rich_style("workspace-list--dim", partial=True)
        left_width = 22 if width < 90 else 30
        right_width = max(width - left_width - 1, 8)
        left = _left_rows(entry, self.labels, left_width, dim)
        right = _quote_rows(entry.quote, right_width)
        strips = []
        for part in range(ENTRY_ROWS):
            row = Text(no_wrap=True, overflow="crop")
            row.append_text(left[part])
            row.append(" ")
            row.append_text(right[part])
            row.truncate(width, pad=True)
            segments = list(row.render(self.app.console, end=""))
            strips.append(Strip(Segment.apply_style(segments, style), width))
        return strips


def _left_rows(
    entry: ListedAnnotation, labels: Mapping[str, Label], width: int, dim: Style
) -> list[Text]:
    """Label chip, note marker and annotator; the article's title on two rows."""
    first = Text()
    first.append_text(label_chip(clean_line(entry.label, 16), labels))
    first.append(f" {NOTE_MARK}" if entry.has_note else "  ", style="bold")
    first.append(" ")
    first.append(clean_line(entry.annotator, max(width - first.cell_len, 1)), style=dim)
    lines = wrap_rows(clean_line(entry.title), width, 2)
    rows = [first, Text(lines[0], style="bold"), Text(lines[1], style="bold")]
    for row in rows:
        row.truncate(width, pad=True)
    return rows


def _quote_rows(quote: str, width: int) -> list[Text]:
    """The quote on up to three rows, cut with an ellipsis where it goes on."""
    rows = [Text(line) for line in wrap_rows("“" + clean_line(quote) + "”", width, ENTRY_ROWS)]
    for row in rows:
        row.truncate(width, pad=True)
    return rows


def wrap_rows(text: str, width: int, count: int) -> list[str]:
    """`text` wrapped at spaces into at most `count` rows of `width` cells, the last
    ending in "…" when the text goes on; always `count` strings (empty ones last)."""
    width = max(width, 2)
    words = text.split()
    rows: list[str] = []
    current, i = "", 0
    while i < len(words) and len(rows) <= count:
        candidate = f"{current} {words[i]}" if current else words[i]
        if cell_len(candidate) <= width:
            current, i = candidate, i + 1
        elif current:
            rows.append(current)
            current = ""
        else:  # one word wider than a row: cut it
            head, rest = _cut(words[i], width)
            rows.append(head)
            if rest:
                words[i] = rest
            else:
                i += 1
    if current:
        rows.append(current)
    if len(rows) > count or i < len(words):
        rows = rows[:count]
        head, _ = _cut(rows[-1], width - 1)
        rows[-1] = head + "…"
    return rows + [""] * (count - len(rows))


def _cut(word: str, width: int) -> tuple[str, str]:
    """(as much of word as fits in width cells, at least one character; the rest)."""
    used = 0
    for at, char in enumerate(word):
        used += cell_len(char)
        if used > width and at > 0:
            return word[:at], word[at:]
    return word, ""
