"""The workspace's annotations: every live annotation, filtered by label, annotator, text.

Reached from the library (`a`). A label's key keeps that label's annotations
(again: all labels), `a` steps through the annotators, `/` filters by a text
in the quotes and notes, `0` clears every filter; Enter opens the article with
the cursor at the annotation. The list is a Line-API view over the store's
WorkspaceAnnotations: counting what a filter keeps runs in a worker on a
connection of its own, so typing never waits for a million rows; a page of
rows is read only when it comes into view.
"""

from __future__ import annotations

from typing import ClassVar, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input, Static
from textual.worker import get_current_worker

from reader.errors import ReaderError
from reader.models import Label
from reader.store.browse import (
    AnnotationFilter,
    Counted,
    ListedAnnotation,
    WorkspaceAnnotations,
    annotators,
    count,
    count_apart,
)
from reader.text.sanitize import clean_line
from reader.tui.context import reader_app
from reader.tui.display import as_markup, database_text, label_chip
from reader.tui.widgets.footer import ReaderFooter
from reader.tui.widgets.workspace_list import WorkspaceList

TYPING_PAUSE_S = 0.25  # the text filter applies when typing pauses this long


class TextFilter(Input):
    """The text filter: enter or down goes back to the list, escape clears it too."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "leave(True)", "Clear and back"),
        Binding("enter,down", "leave(False)", "Back to the list", show=False),
    ]

    def action_leave(self, clear: bool) -> None:
        if clear:
            self.value = ""
        cast("AnnotationsScreen", self.screen).back_to_list()


class AnnotationsScreen(Screen[None]):
    """Every annotation of the workspace, with filters."""

    DEFAULT_CSS = """
    AnnotationsScreen #annotations-text {
        height: 3;
    }
    AnnotationsScreen #annotations-status {
        height: 1;
        padding: 0 1;
        background: $panel;
        color: $text;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "text_filter", "Filter", key_display="/"),
        Binding("a", "next_annotator", "Annotator"),
        Binding("0", "clear_filters", "Clear"),
        Binding("q,escape", "back", "Back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.filter = AnnotationFilter()
        self.listing: WorkspaceAnnotations | None = None
        self._annotators: list[str] | None = None
        self._label_keys: list[str] = []
        self._typing: Timer | None = None
        self._keep: ListedAnnotation | None = None  # where the cursor goes after a count
        self._cursor_then = 0
        self._counting = False

    def compose(self) -> ComposeResult:
        yield Static(id="annotations-title", classes="screen-title")
        yield TextFilter(
            placeholder="/ filter by a text in quotes and notes", id="annotations-text"
        )
        yield WorkspaceList(id="workspace-annotations")
        yield Static(id="annotations-status")
        yield ReaderFooter()

    @property
    def list(self) -> WorkspaceList:
        return self.query_one(WorkspaceList)

    def on_mount(self) -> None:
        app = reader_app(self)
        title = Text("reader", style="bold")
        title.append("  annotations", style="bold")
        where = database_text(app.store.path, app.store.read_only)
        title.append(f"  ·  {where}  ·  {app.annotator}")
        self.query_one("#annotations-title", Static).update(title)
        self.bind_label_keys()
        self.list.focus()
        self.recount()

    def on_screen_resume(self) -> None:
        # back from an article: its annotations may have changed, and the labels
        if self.listing is not None:
            reader_app(self).reload_labels()
            self.bind_label_keys()
            self._annotators = None
            self.recount(keep=self.list.current)

    def refresh_from_store(self) -> None:
        """Another process wrote (a merge, a sync), or the labels dialog (ctrl+l)
        changed something: labels and counts anew."""
        reader_app(self).reload_labels()
        self._annotators = None
        self.bind_label_keys()
        self.recount(keep=self.list.current)

    # -- label keys ---------------------------------------------------------

    def bind_label_keys(self) -> None:
        """1-9: one binding per label with a key, named after it, as in the reading pane."""
        keymap = self._bindings.key_to_bindings
        for key in self._label_keys:
            keymap.pop(key, None)
        self._label_keys = []
        group = Binding.Group("Label")
        for label in reader_app(self).labels:
            if label.key and len(label.key) == 1 and label.key.isdigit():
                keymap[label.key] = [
                    Binding(
                        label.key,
                        f"label_filter({label.key!r})",
                        clean_line(label.name, 16),
                        group=group,
                        tooltip=as_markup(clean_line(label.name, 16)),  # read as markup
                    )
                ]
                self._label_keys.append(label.key)
        self.refresh_bindings()

    def _label_with_key(self, key: str) -> Label | None:
        return next((x for x in reader_app(self).labels if x.key == key), None)

    # -- filters ------------------------------------------------------------

    def action_label_filter(self, key: str) -> None:
        label = self._label_with_key(key)
        if label is None:
            return
        name = None if self.filter.label == label.name else label.name
        self.set_filter(AnnotationFilter(name, self.filter.annotator, self.filter.text))

    def action_next_annotator(self) -> None:
        if self._annotators is None:
            try:
                self._annotators = annotators(reader_app(self).store)
            except ReaderError as exc:
                reader_app(self).report(exc)
                return
        choices: list[str | None] = [None, *self._annotators]
        at = choices.index(self.filter.annotator) if self.filter.annotator in choices else 0
        chosen = choices[(at + 1) % len(choices)]
        self.set_filter(AnnotationFilter(self.filter.label, chosen, self.filter.text))

    def action_clear_filters(self) -> None:
        self.query_one(TextFilter).value = ""
        self.set_filter(AnnotationFilter())

    def action_text_filter(self) -> None:
        self.query_one(TextFilter).focus()

    def back_to_list(self) -> None:
        self._apply_text()
        self.list.focus()

    @on(Input.Changed, "#annotations-text")
    def text_changed(self) -> None:
        if self._typing is not None:
            self._typing.stop()
        self._typing = self.set_timer(TYPING_PAUSE_S, self._apply_text)

    def _apply_text(self) -> None:
        if self._typing is not None:
            self._typing.stop()
            self._typing = None
        text = self.query_one(TextFilter).value
        if text.strip() != self.filter.text.strip():
            self.set_filter(AnnotationFilter(self.filter.label, self.filter.annotator, text))

    def set_filter(self, wanted: AnnotationFilter) -> None:
        if wanted == self.filter:
            return
        self.filter = wanted
        self.recount(keep=self.list.current)

    # -- counting -------------------------------------------------------------

    def recount(self, keep: ListedAnnotation | None = None) -> None:
        """Count what the filter keeps, then show it with the cursor on `keep` (or
        where it would be). In a worker, unless the database is in memory."""
        self._keep = keep
        self._cursor_then = self.list.cursor  # keys pressed while counting still count
        self._counting = True
        self.show_status()
        store = reader_app(self).store
        if str(store.path) == ":memory:":
            try:
                with store.read() as conn:
                    counted = count(conn, self.filter)
            except ReaderError as exc:
                self.counting_failed(exc)
                return
            self.counted(counted)
        else:
            self._count_apart(self.filter)

    @work(thread=True, exclusive=True, group="count")
    def _count_apart(self, wanted: AnnotationFilter) -> None:
        try:
            counted = count_apart(reader_app(self).store.path, wanted)
        except ReaderError as exc:
            self.app.call_from_thread(self.counting_failed, exc)
            return
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self.counted, counted)

    def counted(self, counted: Counted) -> None:
        if counted.filter != self.filter or not self.is_mounted:
            return  # a later filter's count is on its way
        listing = WorkspaceAnnotations(reader_app(self).store, counted=counted)
        cursor = 0
        keep = self._keep
        if keep is not None:
            try:
                found = listing.index_of(keep.article_id, keep.start, keep.end, keep.id)
            except ReaderError:
                found = None
            cursor = found or 0
        cursor += self.list.cursor - self._cursor_then
        self.listing = listing
        self._counting = False
        self.list.show(listing, reader_app(self).labels_by_name, cursor)
        self.show_status()

    def counting_failed(self, exc: ReaderError) -> None:
        self._counting = False
        reader_app(self).report(exc)
        self.show_status(error=str(exc))

    # -- the list -------------------------------------------------------------

    @on(WorkspaceList.Moved)
    def cursor_moved(self) -> None:
        self.show_status()

    @on(WorkspaceList.Chosen)
    def chosen(self, event: WorkspaceList.Chosen) -> None:
        reader_app(self).open_article(event.annotation.article_id, offset=event.annotation.start)

    def show_status(self, error: str | None = None) -> None:
        if not self.is_mounted:
            return
        status = Text()
        if error is not None:
            status.append(f"Not counted: {clean_line(error)}", style="bold")
        elif self._counting or self.listing is None:
            status.append("counting…")
        else:
            total = len(self.listing)
            if total:
                status.append(f"{self.list.cursor + 1:,} of {total:,}", style="bold")
            else:
                status.append(
                    "no annotations" + (" pass these filters" if self.filter.active else " yet")
                )
            status.append(f" in {len(self.listing.titles):,} articles" if total else "")
        self._describe_filter(status)
        self.query_one("#annotations-status", Static).update(status)

    def _describe_filter(self, status: Text) -> None:
        wanted = self.filter
        if wanted.label is not None:
            status.append("  ·  ")
            status.append_text(
                label_chip(clean_line(wanted.label, 16), reader_app(self).labels_by_name)
            )
        if wanted.annotator is not None:
            status.append(f"  ·  by {clean_line(wanted.annotator, 30)}")
        if wanted.text.strip():
            status.append(f"  ·  “{clean_line(wanted.text, 30)}”")
        if wanted.active:
            status.append("  ·  0 clears", style="dim")

    def action_back(self) -> None:
        self.dismiss(None)
