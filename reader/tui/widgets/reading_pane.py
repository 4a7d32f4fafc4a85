"""ReadingPane: one article's text, a cursor, a selection and painted annotations.

A Line API `ScrollView` (toolong's LogLines is the model): `render_line(y)` draws one
row from the text's geometry (`reader.text.wrapping`). The one coordinate is the
offset into the text; rows are derived from it per width, lazily. The pane keeps
the cursor, the selection, scrolling, the mouse and the messages; what a row looks
like is the `RowPainter`'s (`row_painter.py`), which caches a base strip per row and
draws the cursor and the selection over it, so moving them repaints only the rows
they leave and enter.

What a repaint needs from the widget (scroll, cursor, selection, focus) is read once
per `render_lines` call, and rows are located by stepping from the previous one, so
a cached row costs a dictionary lookup and an overlay.

About 800 lines: cursor, selection, scrolling and the mouse share the wrap, the
caret rows and the top-row anchor, and are kept in one class; the text model, the
row painter and the key table are apart.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right, insort
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, ClassVar

from textual import events
from textual.actions import SkipAction
from textual.binding import BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.timer import Timer

from reader.models import Article, Label, Marked
from reader.text.motions import MOTIONS, sentence_at
from reader.text.spans import Item, SpanIndex
from reader.text.words import trim_span, word_span
from reader.text.wrapping import TextGeometry, Wrap, measure
from reader.tui.widgets.highlights import HIGHLIGHT_COMPONENTS, HIGHLIGHT_CSS, Highlights
from reader.tui.widgets.highlights import Item as HighlightItem
from reader.tui.widgets.pane_keys import PANE_KEYS
from reader.tui.widgets.row_painter import COMPONENT_PREFIX as _M
from reader.tui.widgets.row_painter import Frame, RowPainter

if TYPE_CHECKING:
    from reader.suggest import Suggestion  # the pane only draws them

# Motions by visual row: they need the wrapping, so the pane has them.
_ROW_MOTIONS = frozenset({"up", "down", "page", "page_back", "row_start", "row_end"})
_VERTICAL = frozenset({"up", "down", "page", "page_back"})
# Selections these extend leave out the white space at their ends; character and
# row motions keep character precision.
_SNAPPING = frozenset(
    {"word", "word_back", "sentence", "sentence_back", "paragraph", "paragraph_back"}
)


class ReadingPane(ScrollView, can_focus=True):
    """A fast, annotatable view of one article's text."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        f"{_M}cursor",
        f"{_M}cursor-blurred",
        f"{_M}selection",
        f"{_M}match",
        f"{_M}heading",
        f"{_M}code",
        f"{_M}link",
        f"{_M}quote",
        f"{_M}gutter",
        *(f"{_M}{name}" for name in HIGHLIGHT_COMPONENTS),
    }

    DEFAULT_CSS = (
        """
    ReadingPane {
        background: $surface;
        color: $foreground;
        overflow-x: hidden;
        overflow-y: scroll;
        scrollbar-size-vertical: 1;
    }
    ReadingPane > .reading-pane--cursor { text-style: reverse; }
    ReadingPane > .reading-pane--cursor-blurred { text-style: underline; }
    ReadingPane > .reading-pane--selection { background: $accent 55%; color: $foreground; }
    ReadingPane > .reading-pane--match { background: $warning 45%; }
    ReadingPane > .reading-pane--heading { color: $text-accent; text-style: bold; }
    ReadingPane > .reading-pane--code { background: $foreground 10%; }
    ReadingPane > .reading-pane--link { color: $text-primary; text-style: underline; }
    ReadingPane > .reading-pane--quote { color: $text-muted; }
    ReadingPane > .reading-pane--gutter { color: $text-muted; }
    """
        + HIGHLIGHT_CSS
    )  # compare's aligned reading

    BINDINGS: ClassVar[list[BindingType]] = PANE_KEYS

    cursor: reactive[int] = reactive(0, init=False, repaint=False)

    @dataclass
    class CursorMoved(Message):
        """The cursor or the selection changed."""

        pane: ReadingPane
        offset: int
        selection: tuple[int, int] | None
        annotations: list[Marked]

        @property
        def control(self) -> ReadingPane:
            return self.pane

    @dataclass
    class SearchRequested(Message):
        """`/`: the screen asks for a query (a dialog) and answers with `pane.searched`."""

        pane: ReadingPane
        query: str

        @property
        def control(self) -> ReadingPane:
            return self.pane

    def __init__(
        self,
        article: Article,
        annotations: Sequence[Marked],
        labels: Sequence[Label],
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.article = article
        self._geometry = geometry = TextGeometry(article.text)
        self._text = article.text
        self._wrap: Wrap | None = None
        self._pane_height = 0
        # Selection: the anchor is where it started; the cursor is its other end.
        self._anchor: int | None = None
        self._visual = False
        # How the selection snaps: None exact, "trim" without white space at its
        # ends (word, sentence, paragraph motions), "words" whole words (a drag).
        self._snap: str | None = None
        self._goal_cell: int | None = None  # kept across visual row moves, like vim
        self._posted: tuple[int, tuple[int, int] | None] | None = None
        self._cursor_rows: tuple[int, int] = (0, 0)  # rows painted for cursor+selection
        self._pending_center = False
        self._dragging = False
        # The pane sets these itself; its watchers then skip what a user's change needs.
        self._setting_cursor = False  # watch_cursor: no second repaint and post
        self._scrolling_self = False  # watch_scroll_y: no re-anchoring of the top row
        self._top_anchor: tuple[int, int] | None = None
        self._frame: Frame | None = None
        self._warm_blocks: tuple[int, int] | None = None
        self._warm_timer: Timer | None = None
        self._annotations: dict[str, Marked] = {}
        self._starts: list[tuple[int, str]] | None = []  # (start, id) sorted, for ] and [
        # While the pane holds only some of the annotations (the first screen's): where
        # `]` and `[` go, (direction, from offset) -> a start, or None for none.
        self.seek_annotation: Callable[[int, int], int | None] | None = None
        self._query = ""
        self._suggested: list[Suggestion] = []
        self.match_info = ""  # "3/16", "3/16 · wrapped": where n / N left the cursor
        styles = [(s.start, s.end, s) for s in article.styles if s.end > s.start]
        self._painter = RowPainter(self, geometry, SpanIndex(geometry, styles))
        self._row_motions: dict[str, Callable[[], int]] = {
            "up": lambda: self._vertical_target("up"),
            "down": lambda: self._vertical_target("down"),
            "page": lambda: self._vertical_target("page"),
            "page_back": lambda: self._vertical_target("page_back"),
            "row_start": lambda: self._row_edge(end=False),
            "row_end": lambda: self._row_edge(end=True),
        }
        self.set_labels(labels)
        self.set_annotations(annotations)
        self.set_reactive(ReadingPane.cursor, geometry.first)

    @property
    def _x0(self) -> int:
        """x of the text column."""
        return self._painter.x0

    @property
    def _matches(self) -> list[int]:
        """Starts of the search matches, sorted."""
        return self._painter.matches

    # -- public API ------------------------------------------------------------

    def hide_from_footer(self, key: str) -> None:
        """The key still works, but its caption leaves the footer: on a screen where
        it decides nothing (the review's `s Sentence`) it would mislead."""
        keymap = self._bindings.key_to_bindings
        keymap[key] = [replace(binding, show=False) for binding in keymap.get(key, [])]
        self.refresh_bindings()

    @property
    def selection(self) -> tuple[int, int] | None:
        """The selected span, half-open and grapheme-aligned; None if nothing is."""
        if self._anchor is None or self._anchor == self.cursor:
            return None
        start, end = min(self._anchor, self.cursor), max(self._anchor, self.cursor)
        if self._snap is not None:
            snap = word_span if self._snap == "words" else trim_span
            start, end = snap(self._text, start, end)
            if start == end:
                return None
        return start, end

    @property
    def extending(self) -> bool:
        """In `v` mode: motions extend the selection (resize uses it too)."""
        return self._visual

    def select_span(self, start: int, end: int) -> None:
        """Select exactly [start, end), the cursor at its end, motions extending it."""
        self._visual = True
        self._snap = None
        self._anchor = start
        self._set_cursor(end)

    def target_span(self) -> tuple[int, int] | None:
        """What a label key tags: the selection, else the sentence under the cursor."""
        return self.selection or sentence_at(self._geometry, self.cursor)

    def set_annotations(self, annotations: Sequence[Marked]) -> None:
        """Paint this set of annotations; repaint only rows whose spans changed."""
        new = {a.id: a for a in annotations if not a.deleted and a.end > a.start}
        old = self._annotations
        # Identity first: the screen passes the same objects back after a change.
        removed = [a for key, a in old.items() if not _same(new.get(key), a)]
        added = [a for key, a in new.items() if not _same(old.get(key), a)]
        painter = self._painter
        touched: set[int] = set()
        if len(added) + len(removed) > 200:  # a new article or a merge: rebuild
            painter.marks = SpanIndex(self._geometry, [(a.start, a.end, a) for a in new.values()])
            touched = set(range(len(self._geometry))) if old else set()
        else:
            for a in removed:
                touched.update(painter.marks.remove(a.start, a.end, a))
            for a in added:
                touched.update(painter.marks.add(a.start, a.end, a))
        self._annotations = new
        self._starts = None  # sorted when `]` or `[` next needs it
        self._repaint_blocks(touched)
        if self.is_mounted:  # under an unmoved cursor nothing is posted: the screen knows
            self._post_if_changed()

    @property
    def geometry(self) -> TextGeometry:
        """The text's blocks and rows (a span index is built over its blocks)."""
        return self._geometry

    def take_annotations(
        self, annotations: dict[str, Marked], index: SpanIndex, starts: list[tuple[int, str]]
    ) -> None:
        """Hold these annotations (live, by id; the pane's own dict from now on),
        their index over this pane's blocks and their sorted (start, id): built
        elsewhere (a worker: reader.marks), taken in one step. Only the drawn blocks
        whose spans differ repaint: the first screen's are the same, so the rows on
        screen are not drawn again (that frame would hold a key up)."""
        painter = self._painter
        old, painter.marks = painter.marks, index
        self._annotations = annotations
        self._starts = starts
        # base strips are kept only for the drawn blocks: the rest are drawn afresh
        self._repaint_blocks(
            {k for k in painter.cached_blocks if old.in_block(k) != index.in_block(k)}
        )
        if self.is_mounted:
            self._post_if_changed()

    def change_annotation(self, before: Marked | None, after: Marked) -> None:
        """One annotation's committed state (a tag, note, delete, undo): its old span
        out of the index, its new one in; only the blocks they touch repaint."""
        painter = self._painter
        touched: set[int] = set()
        old = self._annotations.pop(after.id, None)
        if old is None and before is not None:
            old = before
        if old is not None:
            touched.update(painter.marks.remove(old.start, old.end, old))
            if self._starts is not None:
                i = bisect_left(self._starts, (old.start, old.id))
                if i < len(self._starts) and self._starts[i] == (old.start, old.id):
                    del self._starts[i]
        if not after.deleted and after.end > after.start:
            self._annotations[after.id] = after
            touched.update(painter.marks.add(after.start, after.end, after))
            if self._starts is not None:
                insort(self._starts, (after.start, after.id))
        self._repaint_blocks(touched)
        if self.is_mounted:
            self._post_if_changed()

    def set_labels(self, labels: Sequence[Label]) -> None:
        self._painter.set_labels(list(labels))
        self.refresh()

    def annotations_at(self, offset: int) -> list[Marked]:
        """Annotations holding the character at offset, by start then end."""
        spans = self._painter.marks.overlapping(offset, offset + 1)
        return [s[2] for s in sorted(spans, key=_span_order) if s[0] <= offset < s[1]]

    def move_cursor(self, offset: int, *, select: bool = False, center: bool = False) -> None:
        """Put the cursor at offset (snapped to a grapheme) and scroll it into view.

        With `select` (or in `v` mode) the selection is extended to it; otherwise the
        selection is cleared.
        """
        if select or self._visual:
            if self._anchor is None:
                self._anchor = self.cursor
        else:
            self._anchor = None
        self._set_cursor(offset, center=center)

    def clear_selection(self) -> None:
        self._anchor = None
        self._visual = False
        self._after_change()

    @property
    def top_offset(self) -> int:
        """Text offset of the first visible row (to keep two panes in step)."""
        wrap = self._wrap
        if wrap is None or not self._geometry.starts:
            return self.cursor
        k, r = wrap.locate(round(self.scroll_y))
        span = wrap.row_span(k, r)
        return span[0] if span else self._geometry.ends[k]

    # -- suggestions (reader.tui.screens.suggesting decides; the pane only draws) ----

    def set_suggestions(self, suggested: Sequence[Suggestion]) -> None:
        """Draw these suggestions dimmed (none: draw none); repaint the blocks touched."""
        geometry = self._geometry
        touched: set[int] = set()
        if geometry.starts:
            for x in (*self._suggested, *suggested):
                touched.update(range(geometry.block_of(x.start), geometry.block_of(x.end - 1) + 1))
        self._suggested = list(suggested)
        self._painter.suggested = SpanIndex(geometry, [(x.start, x.end, x) for x in suggested])
        self._repaint_blocks(touched)

    def set_highlights(self, layer: str, items: Sequence[HighlightItem]) -> None:
        """Draw these ranges as one layer (highlights.py), replacing its last set."""
        painter = self._painter
        if painter.highlights is None:
            painter.highlights = Highlights(self._geometry)
        self._repaint_blocks(painter.highlights.set(layer, list(items)))

    def screen_row(self, offset: int) -> int:
        """The row of offset, counted from the pane's top row (may be off screen)."""
        wrap = self._wrap
        if wrap is None:
            return 0
        return wrap.row_of(offset) - round(self.scroll_y)

    def visible_span(self) -> tuple[int, int]:
        """Offsets of the text on screen (the whole text before the first layout)."""
        wrap = self._wrap
        if wrap is None or not self._geometry.starts:
            return 0, len(self._text)
        top = round(self.scroll_y)
        wrap.prepare(top, self._height())
        k, r = wrap.locate(min(top + self._height() - 1, max(wrap.total - 1, 0)))
        span = wrap.row_span(k, r)
        return self.top_offset, span[1] if span else self._geometry.ends[k]

    def sentences_between(self, start: int, end: int) -> list[tuple[int, int]]:
        """The sentences `s` selects, of the blocks holding [start, end)."""
        geometry = self._geometry
        if not geometry.starts:
            return []
        first, last = geometry.block_of(start), geometry.block_of(max(end - 1, start))
        return [span for k in range(first, last + 1) for span in geometry.sentences(k)]

    def scroll_to_offset(self, offset: int, *, animate: bool = False, row: int = 0) -> None:
        """Scroll so that the row holding offset is the top row (or `row` rows below it)."""
        wrap = self._wrap
        if wrap is None:
            return
        self._set_top(lambda: wrap.row_of(offset) - row, animate=animate)

    def search(self, query: str) -> int:
        """Highlight every case-insensitive match; go to the first at/after the cursor."""
        self._query = query
        painter = self._painter
        if query:
            pattern = re.compile(re.escape(query), re.IGNORECASE)
            painter.matches = [m.start() for m in pattern.finditer(self._text)]
            painter.match_len = max(len(query), 1)
        else:
            painter.matches = []
        painter.forget()
        self.refresh()
        matches = painter.matches
        self.match_info = ""
        if matches:
            i = bisect_left(matches, self.cursor)
            wrapped = i >= len(matches)
            self.match_info = _match_info(i % len(matches), len(matches), wrapped)
            self._anchor = None
            self._visual = False
            self._set_cursor(matches[i % len(matches)], center=True)
        return len(matches)

    def searched(self, query: str | None) -> None:
        """The answer to a SearchRequested: search, and say how many matched."""
        if query is None:
            return
        found = self.search(query)
        if query and not found:
            self.notify(f"No match for {query!r}", severity="warning", markup=False)
        elif found:  # how many, and how to go through them
            noun = "match" if found == 1 else "matches"
            self.notify(
                f"{found:,} {noun} for {query!r} · n next · N previous · escape clears",
                markup=False,
                timeout=4,
            )

    # -- actions ------------------------------------------------------------------

    def action_move(self, motion: str, select: bool = False) -> None:
        """Move the cursor by a motion: a text motion (`MOTIONS`) or one by visual row."""
        if motion not in _VERTICAL:
            self._goal_cell = None
        text_motion = MOTIONS.get(motion)
        if text_motion is not None:
            target = text_motion(self._geometry, self.cursor)
        elif motion in _ROW_MOTIONS:
            target = self._row_motions[motion]()
        else:
            raise ValueError(motion)
        keep_goal = self._goal_cell
        if select or self._visual:
            self._snap = "trim" if motion in _SNAPPING else None
        self.move_cursor(target, select=select)
        self._goal_cell = keep_goal

    def action_visual(self) -> None:
        """Start a selection at the cursor; pressed again, stop extending it."""
        if self._visual:
            self._visual = False
        else:
            self._visual = True
            self._snap = None
            self._anchor = self.cursor
        self._after_change()

    def action_select_sentence(self) -> None:
        span = sentence_at(self._geometry, self.cursor)
        if span is None:
            return
        self._visual = False
        self._snap = "trim"
        self._anchor = span[0]
        self._set_cursor(span[1])

    def action_swap_ends(self) -> None:
        """`o`: the cursor to the selection's other end (vim's visual `o`)."""
        if self._anchor is None:
            raise SkipAction()
        anchor, self._anchor = self._anchor, self.cursor
        self._set_cursor(anchor)

    def action_annotation(self, direction: int) -> None:
        if self.seek_annotation is not None:
            found = self.seek_annotation(direction, self.cursor)
            if found is not None:
                self.move_cursor(found)
            return
        starts = self._starts
        if starts is None:
            starts = self._starts = sorted((a.start, a.id) for a in self._annotations.values())
        if not starts:
            return
        pos = self.cursor
        if direction > 0:
            i = bisect_right(starts, (pos, "\U0010ffff"))
            if i < len(starts):
                self.move_cursor(starts[i][0])
        else:
            i = bisect_left(starts, (pos, "")) - 1
            if i >= 0:
                self.move_cursor(starts[i][0])

    def action_match(self, direction: int) -> None:
        matches = self._matches
        if not matches:
            return
        pos = self.cursor
        i = bisect_right(matches, pos) if direction > 0 else bisect_left(matches, pos) - 1
        wrapped = not 0 <= i < len(matches)
        self.match_info = _match_info(i % len(matches), len(matches), wrapped, direction)
        self.move_cursor(matches[i % len(matches)])  # wraps around, both ways
        self.post_message(self.CursorMoved(self, self.cursor, self.selection, []))

    def action_search_prompt(self) -> None:
        """Ask the screen for a query: it opens the prompt (dialogs are above widgets)."""
        self.post_message(self.SearchRequested(self, self._query))

    def action_clear(self) -> None:
        if self.selection is None and not self._visual and not self._matches:
            raise SkipAction()
        had_matches = bool(self._matches)
        self._painter.matches = []
        self._query = ""
        self.match_info = ""
        self._anchor = None
        self._visual = False
        if had_matches:
            self._painter.forget()
            self.refresh()
        self._after_change()

    # -- motions ----------------------------------------------------------------------

    def _row_edge(self, end: bool) -> int:
        wrap = self._wrap
        if wrap is None or not self._geometry.starts:
            return self.cursor
        y, _ = wrap.to_screen(self.cursor)
        k, r = wrap.locate(y)
        if end:
            return wrap.row_last(k, r)
        span = wrap.row_span(k, r)
        return span[0] if span else self.cursor

    def _vertical_target(self, motion: str) -> int:
        wrap = self._wrap
        if wrap is None or not self._geometry.starts:
            return self.cursor
        y, cell = wrap.to_screen(self.cursor)
        if self._goal_cell is None:
            self._goal_cell = cell
        height = self._height()
        step = {"up": -1, "down": 1, "page": height, "page_back": -height}[motion]
        direction = 1 if step > 0 else -1
        if motion in ("page", "page_back"):
            top = round(self.scroll_y)
            new_top = min(max(top + step, 0), max(wrap.total - height, 0))
            if new_top != top:
                self._set_top(lambda: new_top)
        target_y = min(max(y + step, 0), wrap.total - 1)
        target_y = wrap.text_row(target_y, direction)
        if (direction > 0 and target_y <= y) or (direction < 0 and target_y >= y):
            # no text row that way: go to the end / start, like less
            return self._geometry.last if direction > 0 else self._geometry.first
        return wrap.from_screen(target_y, self._goal_cell)

    # -- cursor, selection, messages -----------------------------------------------

    def validate_cursor(self, value: int) -> int:
        return self._geometry.position(value)

    def watch_cursor(self) -> None:
        if not self._setting_cursor:  # set from outside: a plain move
            self._after_change()

    def _set_cursor(self, offset: int, *, center: bool = False) -> None:
        self._setting_cursor = True
        try:
            self.cursor = offset
        finally:
            self._setting_cursor = False
        self._after_change(center=center)

    def _after_change(self, *, center: bool = False) -> None:
        """Repaint the rows the cursor and selection left and entered; scroll; post."""
        if self._wrap is None:
            self._pending_center = self._pending_center or center
            return
        old = self._cursor_rows
        new = self._rows_of_caret()
        self._refresh_rows(*old)
        if new != old:
            self._refresh_rows(*new)
        self._cursor_rows = new
        self._scroll_to_cursor(center=center)
        self._post_if_changed()

    def _rows_of_caret(self) -> tuple[int, int]:
        """First and last row holding the cursor or the selection."""
        wrap = self._wrap
        assert wrap is not None
        y = wrap.row_of(self.cursor)
        sel = self.selection
        if sel is None:
            return y, y
        a = wrap.row_of(sel[0])
        b = wrap.row_of(sel[1])
        return min(a, y), max(b, y)

    def _refresh_rows(self, first: int, last: int) -> None:
        top = round(self.scroll_y)
        height = self.scrollable_content_region.height
        first = max(first, top)
        last = min(last, top + height - 1)
        if last >= first:
            self.refresh(Region(0, first - top, self.size.width, last - first + 1))

    def _post_if_changed(self) -> None:
        state = (self.cursor, self.selection)
        if state == self._posted:
            return
        self._posted = state
        self.post_message(
            self.CursorMoved(self, self.cursor, self.selection, self.annotations_at(self.cursor))
        )

    # -- scrolling --------------------------------------------------------------------

    def _height(self) -> int:
        return max(self.scrollable_content_region.height, 1)

    def _scroll_to_cursor(self, *, center: bool = False) -> None:
        wrap = self._wrap
        if wrap is None:
            return
        height = self._height()
        top = round(self.scroll_y)
        y = wrap.row_of(self.cursor)
        if center:
            self._set_top(lambda: wrap.row_of(self.cursor) - height // 2)
        elif y < top:
            self._set_top(lambda: wrap.row_of(self.cursor))
        elif y >= top + height:
            self._set_top(lambda: wrap.row_of(self.cursor) - height + 1)

    def _set_top(self, target: Callable[[], int], *, animate: bool = False) -> None:
        """Scroll to the row `target()` gives, once the rows it shows are wrapped.

        Wrapping blocks shown above the target can move it; ask again until stable.
        """
        wrap = self._wrap
        assert wrap is not None
        height = self._height()
        top = target()
        for _ in range(4):
            wrap.prepare(max(top, 0), height)
            again = target()
            if again == top:
                break
            top = again
        self._sync_virtual_size()
        top = min(max(top, 0), max(wrap.total - height, 0))
        self._scrolling_self = True
        try:
            self.scroll_to(y=top, animate=animate, immediate=True)
        finally:
            self._scrolling_self = False
        self._remember_top()

    def _remember_top(self) -> None:
        if self._wrap is not None and self._geometry.starts:
            self._top_anchor = self._wrap.locate(round(self.scroll_y))

    def _sync_virtual_size(self) -> None:
        wrap = self._wrap
        if wrap is None:
            return
        size = Size(self._painter.width, wrap.total)
        if self.virtual_size != size:
            self.virtual_size = size

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        wrap = self._wrap
        if wrap is not None and not self._scrolling_self and self._top_anchor is not None:
            # Scrolled by wheel or scrollbar: wrap what comes into view; if blocks
            # wrapped above the old top moved it, follow, so the text does not jump.
            k, r = self._top_anchor
            before = wrap.first_row(k) + r
            wrap.prepare(round(new_value), self._height())
            shift = wrap.first_row(k) + r - before
            self._sync_virtual_size()
            if shift:
                new_value = min(max(new_value + shift, 0), self.max_scroll_y)
                self.set_reactive(ScrollView.scroll_y, new_value)
                self.scroll_target_y = new_value
        super().watch_scroll_y(old_value, new_value)
        if not self._scrolling_self:
            self._remember_top()

    # -- size and style changes -----------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        width = self.scrollable_content_region.width
        height, old_height = self._height(), self._pane_height
        self._pane_height = height
        x0, text_width = measure(width)
        painter = self._painter
        wrap = self._wrap
        if wrap is not None and wrap.width == text_width and width == painter.width:
            self._sync_virtual_size()
            top = round(self.scroll_y)
            if top <= wrap.row_of(self.cursor) < top + old_height:
                self._scroll_to_cursor()  # it was in view: keep it there
            return
        top_offset = self.top_offset if wrap is not None else None
        painter.width = width
        painter.x0 = x0
        self._wrap = wrap = self._geometry.wrap(text_width)
        painter.forget()
        self._cursor_rows = self._rows_of_caret()
        if top_offset is not None and not self._pending_center:
            self._set_top(lambda: wrap.row_of(top_offset))
            self._scroll_to_cursor()
        else:
            self._pending_center = False
            self._set_top(lambda: 0)
            self._scroll_to_cursor(center=self.cursor != self._geometry.first)
        self.refresh()
        self._post_if_changed()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._painter.styles_changed()

    def on_focus(self) -> None:
        self._refresh_rows(*self._cursor_rows)

    def on_blur(self) -> None:
        self._refresh_rows(*self._cursor_rows)

    def _repaint_blocks(self, blocks: set[int]) -> None:
        if not blocks:
            return
        self._painter.forget(blocks)
        wrap = self._wrap
        if wrap is None or not self.is_mounted:
            return
        top = round(self.scroll_y)
        height = self._height()
        k_top, _ = wrap.locate(top)
        k_bottom, _ = wrap.locate(top + height - 1)
        for k in blocks:
            if k_top <= k <= k_bottom:
                first = wrap.first_row(k)
                self._refresh_rows(first, first + len(wrap.rows(k)))

    # -- mouse ------------------------------------------------------------------------

    def _offset_at(self, event: events.MouseEvent) -> int | None:
        wrap = self._wrap
        if wrap is None or not self._geometry.starts:
            return None
        offset = event.get_content_offset_capture(self)
        y = round(self.scroll_y) + offset.y
        if y >= wrap.total:
            return self._geometry.last  # below the text: its end, as in editors
        # a blank row between paragraphs: the end of the one above
        return wrap.from_screen(max(y, 0), offset.x - self._x0)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        if event.button != 1 or event.get_content_offset(self) is None:
            return
        pos = self._offset_at(event)
        if pos is None:
            return
        self.focus()
        self._dragging = True
        self.capture_mouse()
        self._goal_cell = None
        self._visual = False
        self._snap = None
        self.move_cursor(pos, select=event.shift)
        event.stop()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if not self._dragging:
            return
        pos = self._offset_at(event)
        if pos is not None and pos != self.cursor:
            self._snap = "words"  # a drag takes whole words at both ends
            self.move_cursor(pos, select=True)

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if self._dragging:
            self._dragging = False
            self.release_mouse()

    # -- rendering ----------------------------------------------------------------------

    def render_lines(self, crop: Region) -> list[Strip]:
        # What every row needs (scroll, cursor, selection, focus) is read once per
        # frame: reactive and geometry lookups cost more than drawing a cached row.
        self._frame = frame = self._frame_state()
        try:
            return super().render_lines(crop)
        finally:
            self._frame = None
            self._warm_later(frame.top)

    def _warm_later(self, top: int) -> None:
        """Find the sentences of the blocks on screen soon after scrolling stops.

        pysbd takes milliseconds per block; done while the reader reads, the first
        `)`, `s` or tag in a new place does not wait for it.
        """
        wrap = self._wrap
        if wrap is None or not self._geometry.starts:
            return
        blocks = (wrap.locate(top)[0], wrap.locate(top + self._height() - 1)[0])
        if blocks == self._warm_blocks:
            return
        self._warm_blocks = blocks
        if self._warm_timer is not None:
            self._warm_timer.stop()
        self._warm_timer = self.set_timer(0.3, self._warm)

    def _warm(self) -> None:
        self._warm_timer = None
        first, last = self._warm_blocks or (0, -1)
        for k in range(first, min(last + 2, len(self._geometry))):  # and the block after
            self._geometry.sentences(k)

    def _frame_state(self) -> Frame:
        return Frame(
            round(self.scroll_y),
            self.cursor,
            self.selection,
            self.has_focus,
            self._painter.width or self.size.width,
        )

    def render_line(self, y: int) -> Strip:
        frame = self._frame or self._frame_state()
        wrap = self._wrap
        row = frame.top + y
        if wrap is None or not self._geometry.starts or row >= wrap.total:
            return Strip.blank(frame.width, self.rich_style)
        # Rows come top to bottom: step from the last one instead of searching.
        last = frame.last
        located = wrap.next_row(last[1], last[2]) if last and last[0] == row - 1 else None
        k, r = located or wrap.locate(row)
        frame.last = (row, k, r)
        painter = self._painter
        return painter.overlay(wrap, k, r, painter.base(wrap, k, r), frame)


def _match_info(index: int, count: int, wrapped: bool, direction: int = 1) -> str:
    """ "3/16", and where the search went round the end of the text."""
    info = f"{index + 1}/{count}"
    if wrapped:
        info += " · wrapped to the top" if direction > 0 else " · wrapped to the bottom"
    return info


def _span_order(span: Item) -> tuple[int, int]:
    return span[0], span[1]


def _same(old: Marked | None, new: Marked) -> bool:
    return old is new or (old is not None and old == new)
