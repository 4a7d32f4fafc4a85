"""Hostile strings in the TUI: shown as text, never parsed as markup, never sent raw."""

from __future__ import annotations

from reader.models import Article
from reader.store import Store
from tests.tui.app_support import SIZE, app_for

MARKUP_LABEL = "[@click=app.quit]Q[/]"


async def test_palette_shows_a_markup_label_as_text(store: Store, seeded: list[Article]) -> None:
    store.add_label(MARKUP_LABEL, key="8")
    store.add_label("[reverse]RV[/]", key="9")
    app = app_for(store, seeded[0])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p", *"tag")
        await pilot.pause(0.5)
        assert app.is_running
        await pilot.press("backspace", "backspace", "backspace", *"click")
        await pilot.pause(0.5)
        from textual.command import CommandList

        shown = "\n".join(
            str(option.prompt) for option in app.screen.query_one(CommandList).options
        )
        assert MARKUP_LABEL[:15] in shown  # the footer's 16 columns, as typed
        await pilot.press("escape", "ctrl+p", *"RV")
        await pilot.pause(0.5)
        shown = "\n".join(
            str(option.prompt) for option in app.screen.query_one(CommandList).options
        )
        assert "[reverse]RV[/]" in shown
