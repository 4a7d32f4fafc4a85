"""Two articles side by side, each a full annotatable panel; scroll them together."""

from __future__ import annotations

from functools import partial
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal

from reader.models import Article
from reader.tui.screens.article_panel import ArticlePanel
from reader.tui.screens.panels import PanelsScreen
from reader.tui.widgets.reading_pane import ReadingPane


class CompareScreen(PanelsScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab", "switch", "Switch", key_display="tab"),
        Binding("equals_sign", "toggle_sync", "Sync scroll", key_display="="),
        Binding("q,escape", "back", "Back", show=False),
    ]

    def __init__(self, left: Article, right: Article) -> None:
        super().__init__()
        self.articles = (left, right)
        self.sync = False
        self._following = False  # the follower is being scrolled: its watcher ignores it

    def compose(self) -> ComposeResult:
        with Horizontal(id="compare-body"):
            yield ArticlePanel(self.articles[0], id="left")
            yield ArticlePanel(self.articles[1], id="right")

    def on_mount(self) -> None:
        self.panels[0].pane.focus()
        self.mount_footer()
        for panel in self.panels:
            # partial, not a lambda with a default: Textual passes a watcher as many
            # values (old, new) as it has parameters
            self.watch(panel.pane, "scroll_y", partial(self.scrolled, panel), init=False)

    def focused_panel(self) -> ArticlePanel:
        for panel in self.panels:
            if self.focused is not None and panel in self.focused.ancestors_with_self:
                return panel
        return self.panels[0]

    def action_switch(self) -> None:
        left, right = self.panels
        target = right if self.focused_panel() is left else left
        # set_focus, not focus(): focus() waits for the next turn of the message
        # loop, and keys typed right after tab would still go to the old pane.
        self.set_focus(target.pane)

    def action_toggle_sync(self) -> None:
        self.sync = not self.sync
        for panel in self.panels:
            panel.sync_note = "⇅ together" if self.sync else ""
            panel.refresh_status()
        if self.sync:
            self.scrolled(self.focused_panel())

    def scrolled(self, source: ArticlePanel) -> None:
        """Keep the other pane at the same relative place in its text. Only the
        focused pane leads, so the follower's own scroll never echoes back."""
        if not self.sync or self._following or source is not self.focused_panel():
            return
        leader: ReadingPane = source.pane
        follower = next(p for p in self.panels if p is not source).pane
        self._following = True
        try:
            if leader.scroll_y >= leader.max_scroll_y > 0:  # the end meets the end
                follower.scroll_to(y=follower.max_scroll_y, animate=False)
            else:
                ratio = leader.top_offset / max(len(leader.article.text), 1)
                follower.scroll_to_offset(round(ratio * len(follower.article.text)))
        finally:
            self._following = False  # the follower is being scrolled: its watcher ignores it

    def action_back(self) -> None:
        for panel in self.query(ArticlePanel):  # before the library shows its progress
            panel.history.update_progress()
        self.dismiss(None)
