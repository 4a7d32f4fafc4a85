"""One article: the reading pane, its status line and the list of its annotations."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal

from reader.models import Article
from reader.tui.context import reader_app
from reader.tui.screens.article_panel import ArticlePanel
from reader.tui.screens.panels import PanelsScreen
from reader.tui.widgets.annotation_list import AnnotationList
from reader.tui.widgets.reading_pane import ReadingPane


class ReadScreen(PanelsScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab", "switch", "To the list", key_display="tab", show=False),
        Binding("a", "toggle_list", "List"),
        Binding("q,escape", "back", "Back", show=False),
    ]

    def __init__(self, article: Article, offset: int | None = None) -> None:
        super().__init__()
        self.article = article
        self.start_offset = offset
        self._following = False  # a follow of the list is due after the next frame

    def compose(self) -> ComposeResult:
        with Horizontal(id="read-body"):
            yield ArticlePanel(self.article, offset=self.start_offset, id="panel")
            yield AnnotationList(id="annotation-list")

    @property
    def panel(self) -> ArticlePanel:
        return self.query_one(ArticlePanel)

    def on_mount(self) -> None:
        self.panel.pane.focus()
        if self.panel.loaded:  # else when the panel has them all (Changed)
            self.show_list()
        self.mount_footer()

    def show_list(self) -> None:
        annotation_list = self.query_one(AnnotationList)
        annotation_list.show(
            self.panel.annotations.values(),
            reader_app(self).labels_by_name,
            self.article.text,
        )
        self.follow_cursor(annotation_list)

    def follow_cursor(self, annotation_list: AnnotationList) -> None:
        """The list highlights the annotation under the cursor (the innermost)."""
        here = self.panel.annotation_here()
        if here is not None:
            annotation_list.follow(here.id)
        elif annotation_list.highlighted is None:
            annotation_list.follow_offset(self.panel.pane.cursor)

    def panel_changed(self, event: ArticlePanel.Changed) -> None:
        if event.annotation is None:  # a reload: any may have changed
            self.show_list()
            return
        annotation_list = self.query_one(AnnotationList)
        annotation_list.update(event.annotation)
        self.follow_cursor(annotation_list)

    def on_reading_pane_cursor_moved(self, _: ReadingPane.CursorMoved) -> None:
        # The list follows a frame after the pane: in dense text each key brings
        # another part of the list on screen (a whole list to draw), and the text
        # the key moved in comes first. Keys in a row make one follow, not one each.
        if not self._following:
            self._following = True
            self.call_after_refresh(self._follow_now)

    def _follow_now(self) -> None:
        self._following = False
        if self.is_mounted:
            # what is under the cursor now, not when the key was pressed
            self.follow_cursor(self.query_one(AnnotationList))

    def on_annotation_list_jump(self, event: AnnotationList.Jump) -> None:
        pane = self.panel.pane
        pane.move_cursor(event.annotation.start, center=True)
        pane.focus()

    def action_switch(self) -> None:
        annotation_list = self.query_one(AnnotationList)
        # set_focus, not focus(): keys typed right after tab go to the new focus.
        if self.focused is annotation_list or not annotation_list.display:
            self.set_focus(self.panel.pane)
        else:
            # from the annotation under the cursor, or the next one after it
            if self.panel.annotation_here() is None:
                annotation_list.follow_offset(self.panel.pane.cursor)
            self.set_focus(annotation_list)

    def action_toggle_list(self) -> None:
        annotation_list = self.query_one(AnnotationList)
        annotation_list.display = not annotation_list.display
        if not annotation_list.display:
            self.panel.pane.focus()

    def action_back(self) -> None:
        for panel in self.query(ArticlePanel):  # before the library shows its progress
            panel.history.update_progress()
        self.dismiss(None)
