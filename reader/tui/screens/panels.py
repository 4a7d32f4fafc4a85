"""What the read and compare screens share: article panels kept up with the store."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from textual.screen import Screen

from reader.tui.context import reader_app
from reader.tui.screens.article_panel import ArticlePanel
from reader.tui.widgets.footer import mount_footer_later


class PanelsScreen(Screen[None]):
    """A screen of one or more ArticlePanels."""

    @property
    def panels(self) -> list[ArticlePanel]:
        return list(self.query(ArticlePanel))

    def mount_footer(self) -> None:
        """The footer one frame after the text; no ctrl+p in it: it needs the room
        (`?` names it)."""
        mount_footer_later(self, show_command_palette=False)

    def panel_changed(self, event: ArticlePanel.Changed) -> None:
        """A panel's annotations changed: called by the panel in the same turn as
        its pane's repaint, so what this screen shows of them is in the same frame."""

    def on_screen_resume(self) -> None:
        if reader_app(self).changed_elsewhere():
            self.refresh_from_store()

    def refresh_from_store(self) -> None:
        """Another `reader` on this database may have tagged meanwhile."""
        if not (self.is_mounted and self.app.screen is self):
            return
        reader_app(self).reload_labels()
        for panel in self.panels:
            panel.reload()

    def palette_commands(self) -> Iterator[tuple[str, str, Callable[[], None]]]:
        """(title, help, callback) for the command palette: the focused panel's
        "accept all remaining suggestions of <label>"."""
        focused = self.focused
        for panel in self.panels:
            if focused is not None and panel in focused.ancestors_with_self:
                yield from panel.suggesting.commands()
