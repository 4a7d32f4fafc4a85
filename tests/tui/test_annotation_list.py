"""The virtual annotation list: follows the cursor, enter jumps, one change updates
one entry (no rebuild), a resize rebuilds nothing, the title counts."""

from __future__ import annotations

from typing import Any

import pytest

from reader.models import Article
from reader.store import Store
from reader.tui.widgets.annotation_list import AnnotationList
from tests.tui.app_support import SIZE, app_for, pane_of, screen_text, sentences


def tag_many(store: Store, article: Article, count: int) -> list[tuple[int, int]]:
    spans = sentences(article, count)
    for i, (start, end) in enumerate(spans):
        store.add_annotation(article, start, end, ("claim", "opinion")[i % 2], "tester")
    return spans


def listing_of(app: Any) -> AnnotationList:
    return app.screen.query_one(AnnotationList)


async def test_the_list_follows_the_cursor_and_enter_jumps(
    store: Store, seeded: list[Article]
) -> None:
    article = seeded[0]
    spans = tag_many(store, article, 6)
    app = app_for(store, article)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        listing = listing_of(app)
        assert "Annotations (6)" in screen_text(app)
        for i in range(1, 5):
            await pilot.press("right_square_bracket")
            await pilot.pause()
            assert pane_of(app).cursor == spans[i][0]
            assert listing.highlighted == i
        await pilot.press("tab", "up", "up", "enter")
        await pilot.pause()
        assert pane_of(app).cursor == spans[2][0]
        assert app.screen.focused is pane_of(app)


async def test_one_tag_updates_one_entry_without_a_rebuild(
    store: Store, seeded: list[Article]
) -> None:
    article = seeded[0]
    spans = tag_many(store, article, 5)
    app = app_for(store, article)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        listing = listing_of(app)
        rebuilt: list[object] = []
        show = listing.show
        listing.show = lambda *args: (rebuilt.append(args), show(*args))  # type: ignore[method-assign]
        keys = listing._keys
        before = {a.id: a for a in listing.items}
        await pilot.press("right_square_bracket", "right_square_bracket", "3")  # relabel one
        await pilot.pause()
        assert not rebuilt
        assert listing._keys is keys and len(listing) == 5
        after = {a.id: a for a in listing.items}
        changed = [i for i in after if after[i] is not before[i]]
        assert len(changed) == 1 and after[changed[0]].label == "speculation"
        assert after[changed[0]].start == spans[2][0]
        assert "Annotations (5)" in screen_text(app)
        await pilot.press("x")  # delete it: one entry out
        await pilot.pause()
        assert not rebuilt and len(listing) == 4
        assert "Annotations (4)" in screen_text(app)
        await pilot.press("u")  # undo: back in its place
        await pilot.pause()
        assert not rebuilt and [a.id for a in listing.items] == list(before)
        assert listing.highlighted == 2


async def test_a_resize_keeps_the_list_and_its_highlight(
    store: Store, seeded: list[Article]
) -> None:
    article = seeded[0]
    tag_many(store, article, 4)
    app = app_for(store, article)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("right_square_bracket", "right_square_bracket")
        await pilot.pause()
        listing = listing_of(app)
        keys, highlighted = listing._keys, listing.highlighted
        assert highlighted == 2
        await pilot.resize_terminal(90, 30)
        await pilot.pause()
        assert listing._keys is keys and listing.highlighted == highlighted
        assert "Annotations (4)" in screen_text(app)


async def test_notes_are_marked_and_an_empty_list_says_how_to_tag(
    store: Store, seeded: list[Article]
) -> None:
    article = seeded[0]
    app = app_for(store, article)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "No annotations yet." in screen_text(app)
        assert "Annotations (0)" in screen_text(app)
        await pilot.press("1", "c")
        await pilot.pause()
        await pilot.press(*"why", "enter")
        await pilot.pause()
        assert "✎" in screen_text(app)


async def test_the_read_screen_holds_marks_and_edits_full_records(
    store: Store, seeded: list[Article]
) -> None:
    from reader.models import Mark
    from reader.tui.screens.article_panel import ArticlePanel

    article = seeded[0]
    tag_many(store, article, 3)
    app = app_for(store, article)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        panel = app.screen.query_one(ArticlePanel)
        assert all(type(a) is Mark for a in panel.annotations.values())
        assert sum(panel.counts.values()) == 3
        await pilot.press("c")  # the note dialog gets the stored quote
        await pilot.pause()
        assert type(app.screen).__name__ == "NoteDialog"
        first = min(panel.annotations.values())
        assert article.text[first.start : first.end][:20] in screen_text(app)
        await pilot.press(*"why", "enter")
        await pilot.pause()
        # the committed change is held as a Mark too, its note in it
        assert all(type(a) is Mark for a in panel.annotations.values())
        assert any(a.note == "why" for a in panel.annotations.values())


async def test_many_open_with_the_first_screens_then_all(
    store: Store, seeded: list[Article], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past FIRST_SCREEN_FROM the panel starts with the annotations of its first
    characters (the status counting the store's) and has them all once its worker
    is done; a tag made after is not doubled."""
    from reader.tui.screens import article_panel

    article = seeded[0]
    spans = tag_many(store, article, 12)
    monkeypatch.setattr(article_panel, "FIRST_SCREEN_FROM", 5)
    monkeypatch.setattr(article_panel, "FIRST_SCREEN_CHARS", spans[2][0] + 1)
    loads: list[bool] = []
    load_rest = article_panel.ArticlePanel._load_rest

    def spy(self: article_panel.ArticlePanel) -> None:
        loads.append(self.loaded)
        self.app.screen.query_one(AnnotationList)  # the list exists already
        load_rest(self)

    monkeypatch.setattr(article_panel.ArticlePanel, "_load_rest", spy)
    made = []

    def compose_spy(self: article_panel.ArticlePanel) -> Any:
        yield from compose(self)
        made.append((len(self.annotations), sum(self.counts.values())))

    compose = article_panel.ArticlePanel.compose
    monkeypatch.setattr(article_panel.ArticlePanel, "compose", compose_spy)
    app = app_for(store, article)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.pause()
        await app.workers.wait_for_complete()  # the rest is read in a worker
        await pilot.pause()
        assert made == [(3, 12)]  # three start in the first characters; twelve counted
        assert loads == [False]
        panel = app.screen.query_one(article_panel.ArticlePanel)
        assert panel.loaded and len(panel.annotations) == 12
        assert len(listing_of(app)) == 12 and "Annotations (12)" in screen_text(app)
        await pilot.press("G", "s", "3")  # a tag after the load: counted once
        await pilot.pause()
        assert len(listing_of(app)) == 13 == sum(panel.counts.values())
