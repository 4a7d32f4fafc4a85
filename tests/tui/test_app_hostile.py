"""Hostile strings in the TUI: shown as text, never parsed as markup, never sent raw."""

from __future__ import annotations

from reader.models import Article
from reader.store import Store
from tests.tui.app_support import SIZE, app_for, screen_text

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


async def test_a_markup_label_in_a_key_s_tooltip_is_text(
    store: Store, seeded: list[Article]
) -> None:
    """Where the footer groups the label keys ("1 2 3 4 5 Tag") each key's tooltip is
    its label's name, which Textual reads as markup: `[/x]` raised a MarkupError and
    took the app down as the mouse rested on the key."""
    from textual.content import Content
    from textual.widgets._footer import FooterKey
    from textual.widgets._tooltip import Tooltip

    from reader.text.sanitize import clean_line

    names = {"4": "[/x]", "5": "[link=http://e]x", "6": "a\\[b]\\", "7": MARKUP_LABEL}
    for key, name in names.items():
        store.add_label(name, key=key)
    app = app_for(store)
    async with app.run_test(size=(70, 30), tooltips=True) as pilot:
        for screen_key in ("enter", "a"):  # an article, then the workspace's annotations
            if screen_key == "a":
                await pilot.press("q", "a")
            else:
                await pilot.press("enter")
            await pilot.pause(0.3)
            keys = {k.key: k for k in app.screen.query(FooterKey) if k.key in names}
            assert set(keys) == set(names), screen_key
            for key, name in names.items():
                await pilot.hover(keys[key])
                await pilot.pause(0.8)
                assert app.is_running
                tooltip = app.screen.get_child_by_type(Tooltip)
                shown = tooltip.visual
                plain = shown.plain if isinstance(shown, Content) else str(shown)
                assert plain.strip() == clean_line(name, 16), (screen_key, key)


async def test_the_palette_offers_no_key_panel_that_reads_label_names_as_markup(
    store: Store, seeded: list[Article]
) -> None:
    """Textual's "Keys" panel (ctrl+p, Keys) renders each binding's description with
    Rich markup, and a label key's description is the label's name: `[/x]` raised
    MarkupError and took the app down. `?` lists the keys instead."""
    store.add_label("[/x]", key="4")
    app = app_for(store, seeded[0])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        commands = list(app.get_system_commands(app.screen))
        assert "Keys" not in {command.title for command in commands}
        assert app.action_show_help_panel not in {command.callback for command in commands}
        await pilot.press("ctrl+p", *"keys")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause(0.5)
        assert app.is_running
        await pilot.press("escape", "question_mark")  # the keys are there
        await pilot.pause()
        assert "[/x]" in screen_text(app)
