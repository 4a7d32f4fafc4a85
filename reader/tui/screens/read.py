"""One article: the reading pane, its status line and the list of its annotations."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal

from reader.models import Article
from reader.tui.screens.article_panel import ArticlePanel
from reader.tui.screens.panels import PanelsScreen
from reader.tui.widgets.annotation_list import AnnotationList


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

    def compose(self) -> ComposeResult:
        with Horizontal(id="read-body"):
            yield ArticlePanel(self.article, offset=self.start_offset, id="panel")
            yield AnnotationList(id="panel-list")

    @property
    def panel(self) -> ArticlePanel:
        return self.query_one(ArticlePanel)

    def on_mount(self) -> None:
        self.panel.pane.focus()
        self.show_lists()
        self.mount_footer()

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
        self.toggle_lists()

    def action_back(self) -> None:
        for panel in self.query(ArticlePanel):  # before the library shows its progress
            panel.history.update_progress()
        self.dismiss(None)
