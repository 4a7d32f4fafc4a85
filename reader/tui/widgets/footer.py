"""ReaderFooter: Textual's Footer, compact, rebuilt only when its keys change."""

from __future__ import annotations

from textual.dom import NoScreen
from textual.screen import Screen
from textual.widgets import Footer

_PALETTE_WIDTH = 100  # columns from which the footer also shows "^p palette"


class ReaderFooter(Footer):
    """Textual's Footer, compact, rebuilt only when the keys it shows change.

    The stock Footer rebuilds all its keys on every bindings signal (each focus
    change sends one; a screen's start sends several); rebuilding the same keys
    again cost a tenth of the library's start-up."""

    def __init__(self, *, show_command_palette: bool = True) -> None:
        super().__init__(compact=True, show_command_palette=show_command_palette)
        self._shown: tuple[object, ...] | None = None
        self._palette = show_command_palette

    def on_resize(self) -> None:
        # The "^p palette" key is docked right; on a narrow terminal it would cover
        # the screen's own keys (`?` names ctrl+p there).
        wanted = self._palette and self.size.width >= _PALETTE_WIDTH
        if self.show_command_palette != wanted:
            self.show_command_palette = wanted
            self._shown = None
            # the reactive does not recompose by itself: a terminal resized from
            # wide to narrow kept the key over the screen's own keys
            if self.children:
                self.call_after_refresh(self.recompose)

    def _keys(self) -> tuple[object, ...]:
        return tuple(
            (key, b.description, b.action, active.enabled, b.group and b.group.description)
            for key, active in self.screen.active_bindings.items()
            if (b := active.binding).show
        )

    async def recompose(self) -> None:
        try:
            keys = self._keys()
        except NoScreen:  # its screen was closed meanwhile
            return
        if keys == self._shown and self.children:
            return
        self._shown = keys
        await super().recompose()


def mount_footer_later(screen: Screen[None], *, show_command_palette: bool = True) -> None:
    """A footer one frame after the screen's first paint: its keys (a widget each)
    were a third to a half of the first frame's work, so the text (the articles, the
    article) is on screen first. The bindings signal it waits for has been sent by
    then: it is asked for again."""

    async def mount() -> None:
        if not screen.is_attached:  # closed (or the app quit) before its first frame
            return
        await screen.mount(ReaderFooter(show_command_palette=show_command_palette))
        screen.refresh_bindings()

    screen.call_after_refresh(mount)
