"""Suggested tags in the read screen: S, Enter, a label key, x, > and <, the palette."""

from __future__ import annotations

from reader import suggest_store
from reader.models import Article
from reader.store import Store
from reader.suggest import Suggestion
from reader.tui.app import ReaderApp
from reader.tui.screens.article_panel import ArticlePanel
from tests.tui.app_support import SIZE, add_article, app_for, pane_of, screen_text

TEXT = (
    "The storm could reach Leeds by Sunday, forecasters said.\n\n"
    "The minister resigned on Friday, aides said. Critics called it a disgraceful "
    "decision.\n\n"
    "Prices might rise again next year. The council met on Tuesday at noon."
)


def article_of(store: Store) -> Article:
    return add_article(store, TEXT, "Storm and minister")


def panel_of(app: ReaderApp) -> ArticlePanel:
    return app.screen.query_one(ArticlePanel)


async def shown(app: ReaderApp) -> list[Suggestion]:
    """The suggestions once the worker has covered the whole article."""
    await app.workers.wait_for_complete()
    for _ in range(20):
        await app.animator.wait_until_complete()
        panel = panel_of(app)
        if panel.suggesting.complete:
            break
        import asyncio

        await asyncio.sleep(0.02)
    return list(panel_of(app).suggesting.shown)


def expected(store: Store, article: Article) -> list[Suggestion]:
    """What `reader suggest` would list now (the same code, no TUI)."""
    from reader.suggest_output import article_suggestions

    return article_suggestions(store, article)


def rows(store: Store, article: Article) -> list[tuple[int, int, str, str]]:
    return [(a.start, a.end, a.label, a.origin) for a in store.annotations(article.id)]


async def test_suggestions_are_not_shown_by_default(store: Store) -> None:
    article = article_of(store)
    app = app_for(store, article)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        panel = panel_of(app)
        assert not panel.suggesting.on and panel.suggesting.shown == []
        assert "┆" not in screen_text(app)
        await pilot.press("enter", "greater_than_sign")
        assert rows(store, article) == []
        assert suggest_store.decisions(store) == []


async def test_s_shows_and_hides_them_dimmed_with_a_margin_mark(store: Store) -> None:
    article = article_of(store)
    app = app_for(store, article)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("S")
        got = await shown(app)
        assert got and [s.key for s in got] == [s.key for s in expected(store, article)]
        assert "┆" in screen_text(app)
        pane = pane_of(app)
        pane.move_cursor(got[0].start)
        await pilot.pause()
        status = str(panel_of(app).query_one("StatusLine").render())
        assert got[0].label in status and ", ".join(got[0].cues) in status
        assert f"{got[0].score:.2f}" in status
        # the text of a suggestion is drawn dim
        strip = pane.render_line(0)
        assert any(seg.style and seg.style.dim for seg in strip)
        await pilot.press("S")
        await pilot.pause()
        assert panel_of(app).suggesting.shown == [] and "┆" not in screen_text(app)


async def test_enter_accepts_with_its_label_and_u_forgets_the_decision(store: Store) -> None:
    article = article_of(store)
    app = app_for(store, article)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("S")
        first = (await shown(app))[0]
        pane_of(app).move_cursor(first.start + 2)
        await pilot.press("enter")
        await pilot.pause()
        assert rows(store, article) == [(first.start, first.end, first.label, "suggested")]
        (decision,) = suggest_store.decisions(store)
        assert (decision["outcome"], decision["start"]) == ("accept", first.start)
        assert first not in panel_of(app).suggesting.shown
        await pilot.press("u")  # undo: the tag and its decision go, the suggestion is back
        await pilot.pause()
        assert rows(store, article) == [] and suggest_store.decisions(store) == []
        assert first in panel_of(app).suggesting.shown
        await pilot.press("ctrl+r")  # redo: tagged and recorded again
        await pilot.pause()
        assert rows(store, article) == [(first.start, first.end, first.label, "suggested")]
        assert [d["outcome"] for d in suggest_store.decisions(store)] == ["accept"]


async def test_a_label_key_accepts_with_that_label(store: Store) -> None:
    article = article_of(store)
    app = app_for(store, article)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("S")
        got = await shown(app)
        target = next(s for s in got if s.label != "opinion")
        pane_of(app).move_cursor(target.start)
        await pilot.press("2")  # opinion
        await pilot.pause()
        assert rows(store, article) == [(target.start, target.end, "opinion", "suggested")]
        (decision,) = suggest_store.decisions(store)
        assert (decision["outcome"], decision["label"], decision["chosen_label"]) == (
            "relabel",
            target.label,
            "opinion",
        )


async def test_x_rejects_and_it_stays_gone_after_reopening(store: Store) -> None:
    article = article_of(store)
    app = app_for(store, article)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("S")
        victim = (await shown(app))[1]
        pane_of(app).move_cursor(victim.start)
        await pilot.press("x")
        await pilot.pause()
        assert victim not in panel_of(app).suggesting.shown
        assert rows(store, article) == []  # x on a suggestion deletes nothing
        (decision,) = suggest_store.decisions(store)
        assert decision["outcome"] == "reject"
    app = app_for(store, article)  # reopen
    async with app.run_test(size=SIZE) as pilot:
        assert not panel_of(app).suggesting.on  # off again: off by default
        await pilot.press("S")
        again = await shown(app)
        assert again and victim.key not in {s.key for s in again}


async def test_u_after_x_brings_the_suggestion_back(store: Store) -> None:
    article = article_of(store)
    app = app_for(store, article)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("S")
        victim = (await shown(app))[0]
        pane_of(app).move_cursor(victim.start)
        await pilot.press("x", "u")
        await pilot.pause()
        assert victim in panel_of(app).suggesting.shown
        assert suggest_store.decisions(store) == []


async def test_greater_and_less_than_go_through_the_suggestions(store: Store) -> None:
    article = article_of(store)
    app = app_for(store, article)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("S")
        got = await shown(app)
        assert len(got) >= 3
        pane = pane_of(app)
        pane.move_cursor(0)
        starts = []
        for _ in got:
            await pilot.press("greater_than_sign")
            starts.append(pane.cursor)
        if got[0].start == 0:  # the cursor started on the first: > goes to the second
            assert starts[:-1] == [s.start for s in got[1:]]
        else:
            assert starts == [s.start for s in got]
        end = pane.cursor
        await pilot.press("greater_than_sign")
        assert pane.cursor == end  # no more that way
        back = []
        for _ in got[:-1]:
            await pilot.press("less_than_sign")
            back.append(pane.cursor)
        assert back == [s.start for s in reversed(got[:-1])][: len(back)]


async def test_the_palette_accepts_all_remaining_suggestions_of_a_label(store: Store) -> None:
    article = article_of(store)
    app = app_for(store, article)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("S")
        got = await shown(app)
        label = max({s.label for s in got}, key=lambda n: sum(s.label == n for s in got))
        mine = [s for s in got if s.label == label]
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert f"Accept all remaining suggestions of {label}" in titles
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*f"accept all remaining suggestions of {label}")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert sorted(rows(store, article)) == sorted(
            (s.start, s.end, label, "suggested") for s in mine
        )
        assert [s for s in panel_of(app).suggesting.shown if s.label == label] == []
        assert len(suggest_store.decisions(store)) == len(mine)
