"""The read screen's list of annotations to work from: filter, act, enter jumps.

A Line API `ScrollView`, like the reading pane: `render_line(y)` draws one entry
from a sorted list of keys `(start, end, id)` (the order of the pane's span
index and of the store), so 100,000 annotations cost the rows on screen, not a
widget per annotation. One changed annotation (`update`) moves its key by
bisection and repaints only the rows that changed; a new width only drops the
cached rows (excerpts are cut as they are drawn), nothing is rebuilt.

Public API:

- `show(annotations, labels)`: the whole set, once on open or after a reload;
- `update(annotation)`: one committed change (tag, note, relabel, delete, undo);
- `highlighted` (an index or None), `highlighted_annotation()`, `items`;
- `follow(annotation_id)`, `follow_offset(offset)`: highlight without jumping;
- the `Jump` message when enter (or a click) chooses an entry;
- the `Act` message when a label key, `x`, `c` or `E` acts on the highlighted
  entry (the screen hands it to the panel's own actions);
- `set_filter(label=, annotator=, text=)`: what the list keeps (`f` then a
  label key, `A` the next annotator, `/` a text in the quote or note, `0` clears
  them all, as the workspace annotations screen has them).

Each entry is three rows (`_ROWS_PER_ENTRY`, fixed, so an entry's row is its
index times three and nothing is measured per entry): on the left the label
chip, a note marker and the annotator, on the right the quote wrapped to up to
three rows. A filter change is one pass over the annotations (a key, not a
tag); a tag under a filter is still one bisection.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from operator import attrgetter
from typing import ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style as RichStyle
from textual import events
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from reader.models import Label, Marked
from reader.text.sanitize import clean_line
from reader.tui.display import label_chip
from reader.tui.widgets.workspace_list import wrap_rows

Key = tuple[int, int, str]  # (start, end, id): reading order, as the store sorts
_ROWS_PER_ENTRY = 3
_EMPTY = ("No annotations yet.", "1-9 tag a sentence.")
_FILTERED_EMPTY = ("None pass the filters.", "0 clears them.")
_LOADING = ("Loading the annotations…",)
_NOTE_MARK = "✎"
_GUTTER_MAX = 14  # the left column: chip, note marker, annotator
_HIGHLIGHT = "annotation-list--highlighted"
_CACHE_ROWS = 512  # cached entries; a screenful is about 13
_DIM = RichStyle(dim=True)
_ITALIC = RichStyle(italic=True)


_KEY = attrgetter("start", "end", "id")
_ID = attrgetter("id")


def key_of(annotation: Marked) -> Key:
    return (annotation.start, annotation.end, annotation.id)


class AnnotationList(ScrollView, can_focus=True):
    """Annotations in text order. Choosing one asks the screen to jump there."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {_HIGHLIGHT}

    DEFAULT_CSS = """
    AnnotationList {
        border: tall $border-blurred;
        padding: 0 1;
        background: $surface;
        color: $foreground;
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-size-vertical: 1;
    }
    AnnotationList:focus {
        border: tall $border;
        background-tint: $foreground 5%;
    }
    AnnotationList > .annotation-list--highlighted {
        color: $foreground;
        background: $block-cursor-blurred-background;
    }
    AnnotationList:focus > .annotation-list--highlighted {
        color: $block-cursor-foreground;
        background: $block-cursor-background;
        text-style: $block-cursor-text-style;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "Jump to it"),
        Binding("j,down", "cursor_down", "Next", show=False),
        Binding("k,up", "cursor_up", "Previous", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("home,g", "edge(0)", "First", show=False),
        Binding("end,G", "edge(1)", "Last", show=False),
        Binding("x", "act('delete')", "Delete"),
        Binding("c", "act('note')", "Note"),
        Binding("E", "act('resize')", "Resize", show=False),
        Binding("f", "label_filter", "Filter label", show=False),
        Binding("A", "next_annotator", "Annotator", show=False),
        Binding("slash", "text_filter", "Filter", key_display="/"),
        Binding("0", "clear_filters", "Clear filters", show=False),
        *(Binding(k, f"label_key({k!r})", "Tag", show=False) for k in "123456789"),
    ]

    @dataclass
    class Jump(Message):
        """Go to this annotation in the reading pane."""

        annotation: Marked
        source: AnnotationList | None = None  # which list (compare has two)

    @dataclass
    class Act(Message):
        """Do a panel action ("tag" with a label key, "delete", "note", "resize")
        on this annotation, not on the one under the reading cursor."""

        action: str
        annotation: Marked
        key: str | None = None
        source: AnnotationList | None = None

    @dataclass
    class TextWanted(Message):
        """`/`: ask for the text to filter by (in quotes and notes)."""

        source: AnnotationList

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._keys: list[Key] = []
        self._records: dict[str, Marked] = {}
        self._labels: Mapping[str, Label] = {}
        self._text = ""
        self._highlighted: int | None = None
        self._strips: dict[str, list[Strip]] = {}  # by annotation id, at the current width
        self._strip_width = -1
        self._chip_styles: dict[str, Segment] = {}  # a label's chip, drawn
        self._frame: tuple[int, RichStyle] | None = None
        self.label_filter: str | None = None
        self.annotator_filter: str | None = None
        self.text_filter = ""
        self._filter_armed = False  # `f` was pressed: the next label key filters
        self.waiting = False  # until `show`: the panel has only some of them yet
        self.border_title = "Annotations"

    # -- the data ---------------------------------------------------------------

    def show(self, annotations: Iterable[Marked], labels: Mapping[str, Label], text: str) -> None:
        """Replace the list with these live annotations (in any order), keeping the
        highlighted annotation when it is still there; `text` is the article's (an
        entry's excerpt is text[start:end])."""
        live = list(annotations)
        # C-level passes, no Python call per annotation (100,000 at open)
        records = dict(zip(map(_ID, live), live, strict=True))
        self.show_sorted(records, None, labels, text)

    def wait_for_all(self) -> None:
        """Until `show`: the panel holds only some annotations (the rest load), so
        the list lists none and counts none rather than a wrong number."""
        self.waiting = True
        self.border_title = Content("Annotations (loading…)")
        self.refresh()

    def show_sorted(
        self,
        records: dict[str, Marked],
        keys: list[Key] | None,
        labels: Mapping[str, Label],
        text: str,
    ) -> None:
        """`show`, from live annotations by id (the list's own dict from now on) and
        their sorted keys, built elsewhere (a worker: reader.marks); None: make them."""
        keep = self.highlighted_annotation()
        self.waiting = False
        self._records = records
        self._labels = labels
        self._text = text
        if keys is None or self.filtering:
            keys = self._kept_keys() if self.filtering else sorted(map(_KEY, records.values()))
        self._keys = keys
        self._strips.clear()
        self._chip_styles.clear()
        self._highlighted = None
        if keep is not None and keep.id in self._records:
            self._highlighted = self._index_of(keep.id)
        self._changed_count()
        self.refresh()

    def update(self, annotation: Marked) -> None:
        """One annotation's committed state: moved, added or removed by bisection;
        only the rows from the first that changed to the screen's end repaint."""
        old = self._records.get(annotation.id)
        keys = self._keys
        highlighted_id = self._id_at(self._highlighted)
        first_changed: int | None = None
        kept = not annotation.deleted and self._passes(annotation)
        if old is not None:
            i = bisect_left(keys, key_of(old))
            listed = i < len(keys) and keys[i] == key_of(old)
            if listed and kept and old.start == annotation.start and old.end == annotation.end:
                # label or note: the same row, redrawn
                self._records[annotation.id] = annotation
                self._strips.pop(annotation.id, None)
                self._refresh_entries(i, i)
                return
            if listed:
                del keys[i]
                first_changed = i
            del self._records[annotation.id]
            self._strips.pop(annotation.id, None)
        if not annotation.deleted:
            self._records[annotation.id] = annotation
        if kept:
            key = key_of(annotation)
            j = bisect_left(keys, key)
            keys.insert(j, key)
            first_changed = j if first_changed is None else min(first_changed, j)
        if first_changed is None:
            return
        # the highlight stays on its annotation (or on the row where it was)
        if highlighted_id is not None and highlighted_id in self._records:
            self._highlighted = self._index_of(highlighted_id)
        elif self._highlighted is not None:
            self._highlighted = min(self._highlighted, len(keys) - 1) if keys else None
        self._changed_count()
        self._refresh_entries(first_changed, None)

    @property
    def items(self) -> list[Marked]:
        """The annotations in list order (a copy: for tests and small uses)."""
        return [self._records[k[2]] for k in self._keys]

    def __len__(self) -> int:
        return len(self._keys)

    def annotation_at(self, index: int) -> Marked:
        return self._records[self._keys[index][2]]

    def _index_of(self, annotation_id: str) -> int | None:
        annotation = self._records.get(annotation_id)
        if annotation is None:
            return None
        key = key_of(annotation)
        i = bisect_left(self._keys, key)
        return i if i < len(self._keys) and self._keys[i] == key else None

    def _id_at(self, index: int | None) -> str | None:
        if index is None or not 0 <= index < len(self._keys):
            return None
        return self._keys[index][2]

    def _changed_count(self) -> None:
        if self.waiting:
            self._sync_virtual_size()
            return
        title = f"Annotations ({len(self._keys)})"
        if self.filtering:
            title = f"Annotations ({len(self._keys)} of {len(self._records)})"
            if self.label_filter is not None:
                title += f" · {clean_line(self.label_filter, 16)}"
            if self.annotator_filter is not None:
                title += f" · by {clean_line(self.annotator_filter, 16)}"
            if self.text_filter.strip():
                title += f" · “{clean_line(self.text_filter, 16)}”"
        # Content, not str: a str title is parsed as markup, and names and the
        # filter come from outside
        self.border_title = Content(title)
        self._sync_virtual_size()

    # -- filters ----------------------------------------------------------------

    @property
    def filtering(self) -> bool:
        return (
            self.label_filter is not None
            or self.annotator_filter is not None
            or bool(self.text_filter.strip())
        )

    def _passes(self, annotation: Marked) -> bool:
        if self.label_filter is not None and annotation.label != self.label_filter:
            return False
        if self.annotator_filter is not None and annotation.annotator != self.annotator_filter:
            return False
        wanted = self.text_filter.strip().casefold()
        if wanted:
            quote = self._text[annotation.start : annotation.end].casefold()
            if wanted not in quote and wanted not in (annotation.note or "").casefold():
                return False
        return True

    def _kept_keys(self) -> list[Key]:
        """The keys of what the filters keep: one pass, on a filter change."""
        return sorted(map(_KEY, filter(self._passes, self._records.values())))

    def set_filter(
        self,
        *,
        label: str | bool | None = False,
        annotator: str | bool | None = False,
        text: str | None = None,
    ) -> None:
        """Change the filters given (False: leave it); the highlight stays on its
        annotation where the new filter keeps it."""
        if label is not False:
            self.label_filter = label if isinstance(label, str) else None
        if annotator is not False:
            self.annotator_filter = annotator if isinstance(annotator, str) else None
        if text is not None:
            self.text_filter = text
        keep = self.highlighted_annotation()
        everything = self._records.values()
        self._keys = self._kept_keys() if self.filtering else sorted(map(_KEY, everything))
        self._strips.clear()
        self._highlighted = None
        if keep is not None:
            self._highlighted = self._index_of(keep.id)
        if self._highlighted is None and self._keys:
            self._highlighted = 0
        self._changed_count()
        self.refresh()
        if self._highlighted is not None:
            self._scroll_to_entry(self._highlighted)
        else:
            self.scroll_to(y=0, animate=False, immediate=True)

    def action_label_filter(self) -> None:
        self._filter_armed = True
        self.notify("A label key filters by that label (again: all labels).", timeout=3)

    def action_label_key(self, key: str) -> None:
        """A label key: after `f` it filters by that label, else it relabels the
        highlighted entry."""
        label = next((x for x in self._labels.values() if x.key == key), None)
        if self._filter_armed:
            self._filter_armed = False
            if label is not None:
                same = self.label_filter == label.name
                self.set_filter(label=None if same else label.name)
            return
        annotation = self.highlighted_annotation()
        if annotation is not None and label is not None:
            self.post_message(self.Act("tag", annotation, key, self))

    def action_act(self, action: str) -> None:
        self._filter_armed = False
        annotation = self.highlighted_annotation()
        if annotation is not None:
            self.post_message(self.Act(action, annotation, source=self))

    def action_next_annotator(self) -> None:
        names = sorted({a.annotator for a in self._records.values()})
        choices: list[str | None] = [None, *names]
        at = choices.index(self.annotator_filter) if self.annotator_filter in choices else 0
        self.set_filter(annotator=choices[(at + 1) % len(choices)])

    def action_clear_filters(self) -> None:
        self._filter_armed = False
        self.set_filter(label=None, annotator=None, text="")

    def action_text_filter(self) -> None:
        """`/`: the screen asks for the text (widgets open no dialogs), then
        calls `set_filter(text=...)`."""
        self.post_message(self.TextWanted(self))

    # -- the highlight ----------------------------------------------------------

    @property
    def highlighted(self) -> int | None:
        return self._highlighted

    @highlighted.setter
    def highlighted(self, index: int | None) -> None:
        self._highlight(index)

    def _highlight(self, index: int | None, *, center: bool = False) -> None:
        if index is not None:
            index = min(max(index, 0), len(self._keys) - 1) if self._keys else None
        old = self._highlighted
        if index == old:
            return
        self._highlighted = index
        for row in (old, index):
            if row is not None:
                self._refresh_entries(row, row)
        if index is not None:
            self._scroll_to_entry(index, center=center)

    def highlighted_annotation(self) -> Marked | None:
        annotation_id = self._id_at(self._highlighted)
        return None if annotation_id is None else self._records[annotation_id]

    def follow(self, annotation_id: str | None) -> None:
        """Highlight the annotation under the reading cursor (without jumping)."""
        if annotation_id is None:
            return
        index = self._index_of(annotation_id)
        if index is not None:
            self._highlight(index, center=True)

    def follow_offset(self, offset: int) -> None:
        """Highlight the first annotation starting at or after offset (else the
        last one), so arrows in the list start from where the reader is."""
        if not self._keys:
            return
        index = bisect_left(self._keys, (offset,))
        self._highlight(min(index, len(self._keys) - 1), center=True)

    # -- keys and the mouse -----------------------------------------------------

    def action_cursor_down(self) -> None:
        self._step(1)

    def action_cursor_up(self) -> None:
        self._step(-1)

    def action_page(self, direction: int) -> None:
        self._step(direction * max(self.scrollable_content_region.height, 1))

    def action_edge(self, last: int) -> None:
        if self._keys:
            self.highlighted = len(self._keys) - 1 if last else 0

    def _step(self, by: int) -> None:
        if not self._keys:
            return
        current = self._highlighted
        if current is None:
            current = -1 if by > 0 else len(self._keys)
        self.highlighted = current + by

    def action_select(self) -> None:
        annotation = self.highlighted_annotation()
        if annotation is not None:
            self.post_message(self.Jump(annotation, self))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        index = (round(self.scroll_y) + offset.y) // _ROWS_PER_ENTRY
        if 0 <= index < len(self._keys):
            self.highlighted = index
            self.action_select()

    # -- scrolling and repainting -----------------------------------------------

    def _sync_virtual_size(self) -> None:
        rows = max(len(self._keys) * _ROWS_PER_ENTRY, len(_EMPTY) if not self._keys else 0)
        size = Size(self.scrollable_content_region.width, rows)
        if self.virtual_size == size:
            return
        if not self.is_mounted or size.width != self.virtual_size.width:
            self.virtual_size = size
            return
        # One entry more or less: the scrollbar's thumb, not a layout of the whole
        # screen (what `virtual_size = size` asks for: ~20 ms of a tag's 50 on 3 MB /
        # 100,000). What ScrollView does on a resize; should the scrollbar come or
        # go, show_vertical_scrollbar asks for the layout itself.
        self.set_reactive(AnnotationList.virtual_size, size)
        self._scroll_update(size)

    def _scroll_to_entry(self, index: int, *, center: bool = False) -> None:
        """Bring an entry into view; centred when following the pane, so moving on
        through the text scrolls the list once a half screen, not on every key (a
        scroll repaints the whole list)."""
        if not self.is_mounted:
            return
        height = max(self.scrollable_content_region.height, 1)
        top = round(self.scroll_y)
        y = index * _ROWS_PER_ENTRY
        if top <= y and y + _ROWS_PER_ENTRY <= top + height:
            return
        if center:
            target = y - height // 2
        elif y < top:
            target = y
        else:
            target = y + _ROWS_PER_ENTRY - height
        self.scroll_to(y=max(target, 0), animate=False, immediate=True)

    def _refresh_entries(self, first: int, last: int | None) -> None:
        """Repaint entries first..last (None: to the bottom of the screen)."""
        if not self.is_mounted:
            return
        top = round(self.scroll_y)
        height = self.scrollable_content_region.height
        y1 = max(first * _ROWS_PER_ENTRY - top, 0)
        y2 = height if last is None else min((last + 1) * _ROWS_PER_ENTRY - top, height)
        if y2 > y1:
            self.refresh(Region(0, y1, self.size.width, y2 - y1))

    def on_resize(self) -> None:
        """A new width: the cached rows go (excerpts are cut as drawn); no rebuild."""
        self._sync_virtual_size()
        if self._highlighted is not None:
            self._scroll_to_entry(self._highlighted)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()
        self._chip_styles.clear()

    # -- drawing ----------------------------------------------------------------

    def render_lines(self, crop: Region) -> list[Strip]:
        # the width and the base style once a repaint, not once a row
        self._frame = (self.scrollable_content_region.width, self.rich_style)
        try:
            return super().render_lines(crop)
        finally:
            self._frame = None

    def render_line(self, y: int) -> Strip:
        width, base = self._frame or (self.scrollable_content_region.width, self.rich_style)
        if width != self._strip_width:
            self._strips.clear()
            self._strip_width = width
        row = round(self.scroll_y) + y
        keys = self._keys
        if not keys:
            empty = _LOADING if self.waiting else _FILTERED_EMPTY if self.filtering else _EMPTY
            if row < len(empty):
                return Strip([Segment(empty[row], base + _DIM)]).adjust_cell_length(width, base)
            return Strip.blank(width, base)
        index, part = divmod(row, _ROWS_PER_ENTRY)
        if index >= len(keys):
            return Strip.blank(width, base)
        annotation_id = keys[index][2]
        if index == self._highlighted:  # one entry: drawn afresh, never cached
            style = self.get_component_rich_style(_HIGHLIGHT, partial=True)
            return self._entry(self._records[annotation_id], width, base, style)[part]
        strips = self._strips.get(annotation_id)
        if strips is None:
            if len(self._strips) >= _CACHE_ROWS:
                self._strips.clear()
            strips = self._strips[annotation_id] = self._entry(
                self._records[annotation_id], width, base, None
            )
        return strips[part]

    def _chip(self, label: str, base: RichStyle) -> Segment:
        chip_segment = self._chip_styles.get(label)
        if chip_segment is None:
            chip = label_chip(clean_line(label, _GUTTER_MAX - 2), self._labels)
            style = base + RichStyle.parse(str(chip.style))
            chip_segment = self._chip_styles[label] = Segment(chip.plain, style)
        return chip_segment

    def _gutter(self, width: int) -> int:
        """The left column's width: the widest label's chip, within bounds."""
        widest = max((cell_len(name) + 2 for name in self._labels), default=8)
        return max(6, min(widest, _GUTTER_MAX, width // 3))

    def _entry(
        self, annotation: Marked, width: int, base: RichStyle, highlight: RichStyle | None
    ) -> list[Strip]:
        """Three rows: chip, note marker and annotator on the left; the quote wrapped
        on the right. The highlight covers all but the chip (it keeps its colours)."""
        style = base if highlight is None else base + highlight
        gutter = self._gutter(width)
        room = max(width - gutter - 1, 2)
        # only the quote's head is cleaned: a quote may be a whole article
        head = self._text[annotation.start : min(annotation.end, annotation.start + room * 6 + 16)]
        lines = wrap_rows(clean_line(head), room, _ROWS_PER_ENTRY)
        chip = self._chip(annotation.label, base)
        chip_text = chip.text if cell_len(chip.text) <= gutter else chip.text[: gutter - 1] + "…"
        left = [
            [Segment(chip_text, chip.style)],
            [Segment(_NOTE_MARK if annotation.note else "", style + _ITALIC)],
            [Segment(clean_line(annotation.annotator, gutter), style + _DIM)],
        ]
        rows = []
        for part in range(_ROWS_PER_ENTRY):
            cells = Strip(left[part]).adjust_cell_length(gutter, style)
            line = Strip([Segment(" ", style), Segment(lines[part], style + _DIM)])
            rows.append(Strip.join([cells, line]).adjust_cell_length(width, style))
        return rows
