"""ReaderFooter: Textual's Footer, compact, rebuilt only when its keys change."""

from __future__ import annotations

import time

from textual.dom import NoScreen
from textual.screen import Screen
from textual.widgets import Footer

_PALETTE_WIDTH = 100  # columns from which the footer also shows "^p palette"
# Seconds without a key before a new screen's footer builds its keys (the Pilot
# tests set 0: their keys are not a person's, and their screens are compared whole).
QUIET_SECONDS = 0.15


class ReaderFooter(Footer):
    """Textual's Footer, compact, rebuilt only when the keys it shows change.

    The stock Footer rebuilds all its keys on every bindings signal (each focus
    change sends one; a screen's start sends several); rebuilding the same keys
    again cost a tenth of the library's start-up."""

    def __init__(self, *, show_command_palette: bool = True) -> None:
        super().__init__(compact=True, show_command_palette=show_command_palette)
        self._shown: tuple[object, ...] | None = None
        self._palette = show_command_palette
        self.held = False  # True: the bindings signal builds no keys (mount_footer_later)

    def bindings_changed(self, screen: Screen[object]) -> None:
        if not self.held:
            super().bindings_changed(screen)

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
    """A footer whose keys come after the screen's first paint, once no key has
    been pressed for QUIET_SECONDS (nor the screen painted that recently): its
    keys (a widget each, mounted, styled and drawn in one go) were a third to half
    of the first frame's work, and built just after it they were what the first
    key pressed after the text appeared waited for (20-30 ms on top of its own).
    The keys a person presses come first.

    The footer itself, empty, is mounted now, with the screen: mounted after the
    first paint it took a row from the pane and the list, and that new layout
    repainted the whole screen twice. Now only its own row is painted when the
    keys come. The bindings signal it waits for has been sent by then: it is
    asked for again."""
    footer = ReaderFooter(show_command_palette=show_command_palette)
    footer.held = QUIET_SECONDS > 0
    screen.mount(footer)

    painted = 0.0

    def fill() -> None:
        nonlocal painted
        if not footer.is_attached:  # closed (or the app quit) meanwhile
            return
        painted = painted or time.perf_counter()
        wait = QUIET_SECONDS - (time.perf_counter() - max(painted, last_key(screen)))
        if wait > 0:
            screen.set_timer(wait, fill)
            return
        footer.held = False
        screen.refresh_bindings()

    screen.call_after_refresh(fill)


def last_key(screen: Screen[None]) -> float:
    """When the app last had a key (time.perf_counter), 0 if never."""
    return float(getattr(screen.app, "last_key", 0.0))
