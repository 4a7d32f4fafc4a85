"""The library screen: table, filter, full-text search, open, compare, edit, delete, quit."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from reader.errors import StoreError
from reader.models import Article
from reader.store import Store
from reader.tui.app import ReaderApp
from reader.tui.widgets.article_table import ArticleTable
from reader.tui.widgets.reading_pane import ReadingPane
from tests.tui.app_support import (
    SIZE,
    add_article,
    app_for,
    notifications,
    pane_of,
    screen_text,
)


def rows(app: ReaderApp) -> list[str]:
    """Article ids in table order."""
    table = app.screen.query_one("#articles", ArticleTable)
    return [key.value for key in table.rows]


@pytest.fixture
def three(store: Store) -> list[Article]:
    return [
        add_article(store, "Alpha text about clouds. More words here.", "Alpha report", "Wire"),
        add_article(store, "Beta text about markets. Bloomberg said so.", "Beta [b]story", "Post"),
        add_article(store, "Gamma text about chips. Nothing else.", "Gamma notes", "Wire"),
    ]


async def test_table_lists_articles_with_counts_per_label(
    store: Store, three: list[Article]
) -> None:
    alpha, beta, _ = three
    store.add_annotation(beta, 0, 4, "opinion", "someone")
    store.add_annotation(beta, 5, 9, "opinion", "someone")
    store.add_annotation(alpha, 0, 5, "claim", "someone")
    app = app_for(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert sorted(rows(app)) == sorted(a.id for a in three)
        text = screen_text(app)
        for header in ("Title", "Source", "Date", "Words", "claim", "opinion", "speculation"):
            assert header in text
        assert "Beta [b]story" in text  # a title is never markup
        beta_line = next(line for line in text.splitlines() if "Beta [b]story" in line)
        # words, counts, total, progress (not yet computed: tagged outside the TUI), status
        assert beta_line.split()[-7:] == ["7", "0", "2", "0", "2", "·", "wip"]
        assert "annotations/reader.db" in text and "tester" in text
        assert "3 articles" in text


async def test_type_to_filter_then_escape_clears(store: Store, three: list[Article]) -> None:
    app = app_for(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"wire")
        await pilot.pause()
        assert rows(app) == [three[0].id, three[2].id]  # by source, case-insensitive
        await pilot.press("backspace", "backspace", "backspace", "backspace", *"gam")
        await pilot.pause()
        assert rows(app) == [three[2].id]
        assert "1 of 3 articles" in screen_text(app)
        await pilot.press("enter")  # back to the table, still filtered: enter opens it
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "ReadScreen"
        assert app.screen.article.id == three[2].id  # type: ignore[attr-defined]
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("escape")  # escape in the library first clears the filter
        await pilot.pause()
        assert len(rows(app)) == 3
        assert app.screen.query_one("#filter", Input).value == ""


async def test_full_text_search_opens_the_article_at_the_match(
    store: Store, seeded: list[Article]
) -> None:
    target = next(a for a in seeded if "Bloomberg" in a.text)
    app = app_for(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s", *"bloomberg")
        await pilot.pause()
        assert "1 article matches" in screen_text(app)
        await pilot.press("enter", "enter")  # to the hits, then open the first
        await pilot.pause()
        assert type(app.screen).__name__ == "ReadScreen"
        pane = pane_of(app)
        assert pane.article.id == target.id
        assert target.text[pane.cursor : pane.cursor + 9].lower() == "bloomberg"
        await pilot.press("q")  # back: the search is still there, escape leaves it
        await pilot.pause()
        assert app.screen.query_one("#search", Input).display
        assert "1 article matches" in screen_text(app)  # its status too
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.query_one("#articles", ArticleTable).display


async def test_mark_two_and_open_side_by_side(store: Store, three: list[Article]) -> None:
    app = app_for(store)
    async with app.run_test(size=SIZE) as pilot:
        order = rows(app)
        await pilot.press("space", "down", "space")  # marks move the cursor down
        await pilot.pause()
        assert "2 marked" in screen_text(app)
        await pilot.press("c")
        await pilot.pause()
        assert type(app.screen).__name__ == "CompareScreen"
        panes = list(app.screen.query(ReadingPane))
        assert [p.article.id for p in panes] == [order[0], order[2]]
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "LibraryScreen"
        assert "marked" not in screen_text(app)  # the marks were for that comparison


async def test_compare_needs_two(store: Store, three: list[Article]) -> None:
    app = app_for(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c")
        await pilot.pause()
        assert type(app.screen).__name__ == "LibraryScreen"
        assert any("Mark two" in m for m in notifications(app))


async def test_edit_metadata_with_a_failed_save_retried(
    store: Store, three: list[Article], monkeypatch: pytest.MonkeyPatch
) -> None:
    app = app_for(store)
    real = store.update_article

    def locked(*args: object, **kwargs: object) -> None:
        raise StoreError("the database is locked by another program; try again")

    async with app.run_test(size=SIZE) as pilot:
        first = rows(app)[0]
        monkeypatch.setattr(store, "update_article", locked)
        await pilot.press("m")
        await pilot.pause()
        assert type(app.screen).__name__ == "MetadataDialog"
        await pilot.press("ctrl+u", *"New [i]title", "tab", "ctrl+u", *"Jane Doe")
        await pilot.press("tab", "ctrl+u", *"Agency", "ctrl+s")
        await pilot.pause()
        assert type(app.screen).__name__ == "MetadataDialog"  # still open, nothing lost
        assert "is locked" in screen_text(app)
        assert store.article(first).title != "New [i]title"
        monkeypatch.setattr(store, "update_article", real)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert type(app.screen).__name__ == "LibraryScreen"
        edited = store.article(first)
        assert (edited.title, edited.author, edited.source) == (
            "New [i]title",
            "Jane Doe",
            "Agency",
        )
        assert "New [i]title" in screen_text(app)


async def test_delete_asks_first(store: Store, three: list[Article]) -> None:
    store.add_annotation(three[0], 0, 5, "claim", "someone")
    app = app_for(store)
    async with app.run_test(size=SIZE) as pilot:
        first = rows(app)[0]
        await pilot.press("d")
        await pilot.pause()
        assert type(app.screen).__name__ == "ConfirmDialog"
        assert "Alpha report" in screen_text(app) and "1 annotation" in screen_text(app)
        await pilot.press("n")
        await pilot.pause()
        assert len(rows(app)) == 3
        await pilot.press("d", "enter")  # enter answers the focused, safe button: keep
        await pilot.pause()
        assert len(rows(app)) == 3
        await pilot.press("d", "y")
        await pilot.pause()
        assert first not in rows(app) and len(store.articles()) == 2
        assert store.annotations(first) == []


async def test_export_from_the_library_and_quit(store: Store, three: list[Article]) -> None:
    store.add_annotation(three[1], 0, 4, "claim", "someone")
    app = app_for(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        await pilot.pause()
        exports = list(store.path.parent.glob("tester-*.jsonl"))
        assert len(exports) == 1 and exports[0].read_text(encoding="utf-8").count("\n") == 1
        assert any("1 annotation exported to" in m for m in notifications(app))
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_empty_library_says_how_to_add(store: Store) -> None:
    app = app_for(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "space", "c", "m", "d")
        await pilot.pause()
        assert type(app.screen).__name__ == "LibraryScreen"
        assert "reader import PATH" in screen_text(app)


async def test_footer_palette_key_follows_a_resize(store: Store, three: list[Article]) -> None:
    app = app_for(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert "palette" in screen_text(app).splitlines()[-1]
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        await pilot.pause()
        footer = screen_text(app).splitlines()[-1]
        assert "palette" not in footer and "Export" in footer
        await pilot.resize_terminal(*SIZE)
        await pilot.pause()
        await pilot.pause()
        assert "palette" in screen_text(app).splitlines()[-1]


async def test_a_long_word_count_is_shown_whole(store: Store, three: list[Article]) -> None:
    from reader.store import article_id_for

    text = "Delta text."  # the stored count is what the table shows
    article_id, sha = article_id_for(text)
    store.add_articles([Article(article_id, "Delta", text, sha256=sha, words=1_234_567)])
    app = app_for(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "1,234,567" in screen_text(app)
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert "1,234,567" in screen_text(app)


async def test_another_process_s_writes_show_up_without_a_key(
    store: Store, db_path, three: list[Article], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ReaderApp, "POLL_SECONDS", 0.05)
    app = app_for(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        with Store(db_path) as other:  # another `reader` on the same database
            add_article(other, "Delta text about ports. Ships too.", "Delta dispatch", "Wire")
        await pilot.pause(0.3)
        assert "Delta dispatch" in screen_text(app)
        assert "4 articles" in screen_text(app)


async def test_at_80_columns_with_four_labels_the_title_keeps_its_room(
    store: Store, three: list[Article]
) -> None:
    store.add_label("hedge", key="4")
    long_title = "Microsoft loses its exclusive cloud role"
    add_article(store, "Epsilon text. More.", long_title, "Wire")
    app = app_for(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert long_title[:24] in text
        assert "Date" not in text  # the date made way
        await pilot.resize_terminal(*SIZE)
        await pilot.pause()
        assert "Date" in screen_text(app)


def test_the_library_starts_without_the_reading_pane() -> None:
    """The library paints first: the pane, the sentence splitter and the export
    threads are loaded when an article opens, not at start-up."""
    import subprocess
    import sys

    code = (
        "import sys, reader.launch, reader.tui.app, reader.tui.screens.library;"
        "print(sorted(sys.modules))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    for module in ("reader.tui.widgets.reading_pane", "pysbd", "concurrent.futures.thread"):
        assert f"'{module}'" not in loaded


async def test_a_long_library_makes_only_the_rows_it_shows(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reader.tui.screens.library import LibraryScreen

    for i in range(300):
        add_article(store, f"Text number {i}. Another sentence.", f"Title {i:03}")
    made: list[str] = []
    cells = LibraryScreen.cells

    def counted(self: LibraryScreen, summary, *args, **kwargs):  # type: ignore[no-untyped-def]
        made.append(summary.id)
        return cells(self, summary, *args, **kwargs)

    monkeypatch.setattr(LibraryScreen, "cells", counted)
    async with app_for(store).run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert len(rows(pilot.app)) == 300
        assert "Title 000" in screen_text(pilot.app)
        assert 0 < len(set(made)) <= SIZE[1]  # a screenful, not 300
        await pilot.press("G")  # the last row: drawn when it comes on screen
        await pilot.pause()
        assert "Title 299" in screen_text(pilot.app)
        assert len(set(made)) < 100


async def test_a_large_library_shows_its_first_screen_then_every_article(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reader.tui.screens import library

    for i in range(30):
        add_article(store, f"Text number {i}. Another one.", f"Title {i:03}")
    monkeypatch.setattr(library, "FIRST_SCREEN_FROM", 10)
    monkeypatch.setattr(library, "FIRST_SCREEN_ROWS", 5)
    first: list[tuple[int, str]] = []
    fill = library.LibraryScreen.fill_table

    def filled(self: library.LibraryScreen) -> None:
        fill(self)
        if not first:
            first.append((len(rows(self.app)), screen_text(self.app)))  # type: ignore[arg-type]

    monkeypatch.setattr(library.LibraryScreen, "fill_table", filled)
    async with app_for(store).run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert first and first[0][0] == 5  # the first screen's rows, by title
        assert len(rows(pilot.app)) == 30  # then every article
        assert rows(pilot.app)[:5] == [
            a.id for a in sorted(store.articles(), key=lambda a: a.title)[:5]
        ]
        assert "30 articles" in screen_text(pilot.app)
