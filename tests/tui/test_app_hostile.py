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


async def test_a_pasted_note_with_escapes_is_stored_and_shown_clean(
    store: Store, seeded: list[Article]
) -> None:
    from textual import events
    from textual.widgets import Input

    from tests.tui.app_support import screen_text

    article = seeded[0]
    hostile = "\x1b]52;c;UFdORUQ=\x07pasted \x1b]0;X\x1b\\note\u202e\x1b[2J"
    app = app_for(store, article)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1", "c")
        await pilot.pause()
        app.screen.query_one(Input).post_message(events.Paste(hostile))
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        (annotation,) = store.annotations(article.id)
        assert annotation.note is not None and "pasted" in annotation.note
        assert not any(ch in annotation.note for ch in "\x1b\x07\u202e")
        assert "\x1b" not in screen_text(app) and "pasted" in screen_text(app)
