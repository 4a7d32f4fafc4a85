"""The library to work from: status, progress, sorting, room for titles, marks."""

from __future__ import annotations

import pytest

from reader.models import Article
from reader.store import Store
from reader.tui.app import ReaderApp
from reader.tui.widgets.article_table import ArticleTable, ColumnKey
from tests.tui.app_support import SIZE, add_article, app_for, notifications, screen_text


def rows(app: ReaderApp) -> list[str]:
    table = app.screen.query_one("#articles", ArticleTable)
    return [str(key.value) for key in table.rows]


@pytest.fixture
def three(store: Store) -> list[Article]:
    return [
        add_article(store, "Alpha text about clouds. More words here.", "Alpha report", "Wire"),
        add_article(store, "Beta text about markets. Bloomberg said so, twice.", "Beta", "Post"),
        add_article(store, "Gamma text. Nothing else.", "Gamma notes", "Aardvark"),
    ]


async def test_D_marks_done_and_it_is_stored(store: Store, three: list[Article]) -> None:
    async with app_for(store).run_test(size=SIZE) as pilot:
        await pilot.press("D")
        await pilot.pause()
        assert store.work()[three[0].id][0] == "done"
        line = next(x for x in screen_text(pilot.app).splitlines() if "Alpha report" in x)
        assert line.split()[-1] == "done"
        await pilot.press("D")  # again: not done
        await pilot.pause()
        assert store.work()[three[0].id][0] == "new"


async def test_o_cycles_the_sort_and_a_header_click_sorts(
    store: Store, three: list[Article]
) -> None:
    alpha, beta, gamma = three
    async with app_for(store).run_test(size=SIZE) as pilot:
        assert rows(pilot.app) == [alpha.id, beta.id, gamma.id]  # by title
        await pilot.press("o")  # by source
        await pilot.pause()
        assert rows(pilot.app) == [gamma.id, beta.id, alpha.id]
        assert "Source ▲" in screen_text(pilot.app)
        await pilot.press("o")  # by date (none): titles
        await pilot.press("o")  # by words
        await pilot.pause()
        assert rows(pilot.app) == [gamma.id, alpha.id, beta.id]
        table = pilot.app.screen.query_one("#articles", ArticleTable)
        title = table.columns[1]
        table.post_message(  # what a click on the Title header posts
            ArticleTable.HeaderSelected(table, ColumnKey(title.key), 1, title.label)
        )
        await pilot.pause()
        assert rows(pilot.app) == [alpha.id, beta.id, gamma.id]
        await pilot.click("#articles", offset=(6, 0))  # the Title header again: reversed
        await pilot.pause()
        assert rows(pilot.app) == [gamma.id, beta.id, alpha.id]


async def test_progress_shows_after_tagging(store: Store, three: list[Article]) -> None:
    async with app_for(store, three[1]).run_test(size=SIZE) as pilot:
        await pilot.press("1", "q")  # the first of two sentences
        await pilot.pause()
        line = next(x for x in screen_text(pilot.app).splitlines() if "Beta" in x)
        assert "50%" in line and line.split()[-1] == "wip"


async def test_titles_keep_their_room_at_80_columns(store: Store, three: list[Article]) -> None:
    long = add_article(store, "Text. More.", "Microsoft and OpenAI rework their cloud deal again")
    async with app_for(store).run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = screen_text(pilot.app)
        assert "Microsoft and OpenAI rework their" in text
        assert "c·o·s" in text  # the counts in one compact column
        assert long.id in rows(pilot.app)


async def test_escape_on_the_bare_library_does_not_quit(store: Store, three: list[Article]) -> None:
    async with app_for(store).run_test(size=SIZE) as pilot:
        await pilot.press("escape")
        await pilot.pause()
        assert pilot.app.is_running and "q quits" in notifications(pilot.app)
        await pilot.press("q")
        await pilot.pause()
        assert not pilot.app.is_running


async def test_a_third_mark_says_which_it_replaced(store: Store, three: list[Article]) -> None:
    async with app_for(store).run_test(size=SIZE) as pilot:
        await pilot.press("space", "space", "space")
        await pilot.pause()
        assert any("unmarked “Alpha report”" in n for n in notifications(pilot.app))


async def test_many_labels_collapse_the_counts_even_when_wide(
    store: Store, three: list[Article]
) -> None:
    for name in ("hedge", "rumour", "quote"):
        store.add_label(name)
    async with app_for(store).run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = screen_text(pilot.app)
        assert "c·o·s·h·r·q" in text and "Alpha report" in text
