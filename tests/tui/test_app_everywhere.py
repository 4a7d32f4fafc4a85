"""What every screen has: `?` help, the command palette, themes, and database errors."""

from __future__ import annotations

import sqlite3

from reader.models import Article
from reader.store import Store
from reader.tui.app import DARK_THEME, LIGHT_THEME, ReaderApp
from reader.tui.widgets.reading_pane import ReadingPane
from tests.tui.app_support import (
    SIZE,
    add_article,
    app_for,
    live,
    notifications,
    pane_of,
    screen_text,
    sentences,
)

# The key table of docs/contracts.md, by description, as the help must show it.
READ_KEYS = [
    "Next sentence", "Previous sentence", "Next paragraph", "Next word", "Page down", "Top",
    "Bottom", "Select", "Sentence", "Next mark", "Previous mark", "Search", "Next match",
    "Note", "Delete", "Undo", "Redo", "claim", "opinion", "speculation", "rumour",
    "List", "Back", "Help", "Export",
]  # fmt: skip


def help_text(app: ReaderApp) -> str:
    return "\n".join(str(part.render()) for part in app.screen.query(".help-column"))


async def test_help_shows_every_key_of_the_read_screen(store: Store, seeded: list[Article]) -> None:
    store.add_label("rumour", key="4")
    app = app_for(store, seeded[0])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen"
        text = help_text(app)
        for description in READ_KEYS:
            assert description in text, description
        assert "4" in text.split("rumour")[0].splitlines()[-1]  # the custom label's key
        await pilot.press("question_mark")  # ? again closes it
        await pilot.pause()
        assert type(app.screen).__name__ == "ReadScreen"
        await pilot.press("escape", "question_mark")  # the library's own keys
        await pilot.pause()
        text = help_text(app)
        for description in ("Open", "Mark", "Compare", "Filter", "Search", "Edit", "Delete"):
            assert description in text, description
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "LibraryScreen"


async def test_help_gives_one_line_to_a_run_of_digit_keys(
    store: Store, seeded: list[Article]
) -> None:
    """`4-9 New label`, not six lines; a label's own key keeps its line."""
    store.add_label("rumour", key="4")
    app = app_for(store, seeded[0])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        lines = help_text(app).splitlines()
        new_label = [line for line in lines if line.endswith("New label")]
        assert len(new_label) == 1 and new_label[0].split()[0] == "5-9"
        assert any(line.split()[:2] == ["4", "rumour"] for line in lines)
        tags = [line for line in lines if line.split()[-1:] == ["Tag"]]
        assert len(tags) == 1 and tags[0].split()[0] == "1-9"  # the list's relabel keys


async def test_command_palette_offers_and_runs_every_action(
    store: Store, seeded: list[Article]
) -> None:
    article = seeded[0]
    app = app_for(store, article)
    async with app.run_test(size=SIZE) as pilot:
        titles = {command.title for command in app.get_system_commands(app.screen)}
        for description in ("claim", "opinion", "speculation", "Note", "Undo", "Redo",
                            "Delete", "Select", "Sentence", "Back", "Export", "Help",
                            "Light / dark theme"):  # fmt: skip
            assert description in titles, description
        await pilot.press("ctrl+p", *"speculation")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "ReadScreen"
        first = sentences(article, 1)[0]
        assert live(store, article) == [(*first, "speculation", None)]


def styles_of(pane: ReadingPane, y: int) -> set[tuple[object, ...]]:
    """The looks of the text on one row of the pane (what tells a label apart)."""
    return {
        (s.style.color, s.style.bgcolor, s.style.underline, s.style.underline2, s.style.overline)
        for s in pane.render_line(y)
        if s.text.strip() and s.style is not None
    }


async def test_light_and_dark_themes_both_draw_labels(store: Store, seeded: list[Article]) -> None:
    article = add_article(store, "Tagged here.\n\nPlain one.\n\nPlain two.", "Themes")
    app = app_for(store, article)
    async with app.run_test(size=SIZE) as pilot:
        app.theme = DARK_THEME
        await pilot.press("1", "right_curly_bracket")  # tag row 0, then leave it
        await pilot.pause()
        pane = pane_of(app)
        looks = {}
        for theme in (DARK_THEME, LIGHT_THEME):
            if app.theme != theme:
                await pilot.press("t")
                await pilot.pause()
            assert app.theme == theme
            tagged, plain = styles_of(pane, 0), styles_of(pane, 4)
            assert tagged and plain and tagged != plain, theme
            looks[theme] = plain
        assert looks[DARK_THEME] != looks[LIGHT_THEME]  # the theme really changed


async def test_a_locked_database_is_reported_and_the_tag_retried(
    store: Store, seeded: list[Article]
) -> None:
    """A second program holds the write lock: one line, nothing shown as saved;
    once the lock is gone, the same key saves."""
    article = seeded[0]
    store.conn.execute("PRAGMA busy_timeout = 50")  # fail fast instead of after 5 s
    other = sqlite3.connect(store.path, isolation_level=None)
    app = app_for(store, article)
    try:
        async with app.run_test(size=SIZE) as pilot:
            other.execute("BEGIN IMMEDIATE")
            await pilot.press("1")
            await pilot.pause()
            assert any("locked" in m for m in notifications(app))
            assert "Not saved" in screen_text(app)
            assert not pane_of(app)._annotations
            other.execute("COMMIT")
            await pilot.press("1")
            await pilot.pause()
            assert len(live(store, article)) == 1
            assert "Tagged" in screen_text(app) and "Not saved" not in screen_text(app)
            other.execute("BEGIN IMMEDIATE")
            await pilot.press("e")  # export reads only: works during a write lock
            await pilot.pause()
            other.execute("COMMIT")
            assert list(store.path.parent.glob("tester-*.jsonl"))
    finally:
        other.close()
