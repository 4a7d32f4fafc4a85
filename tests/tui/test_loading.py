"""Keys while the rest of a large article's annotations load (a worker, reader.marks):
`]`, a relabel of one not loaded yet, a new tag, a delete and its undo, a search.
Once the worker is done the panel, its pane and its list hold exactly what the
store holds (none lost, none twice), counted right; whether the worker read the
store before those keys or after them."""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable
from typing import Any

import pytest

from reader import marks
from reader.models import Article
from reader.store import Store
from reader.tui.screens import article_panel
from reader.tui.screens.article_panel import ArticlePanel
from reader.tui.widgets.annotation_list import AnnotationList
from tests.tui.app_support import SIZE, app_for, pane_of, screen_text, sentences

TAGGED = 20  # of the article's sentences, alternately claim and opinion (key 1, 2)


def held_by(panel: ArticlePanel) -> dict[str, tuple[int, int, str]]:
    return {a.id: (a.start, a.end, a.label) for a in panel.annotations.values()}


def stored(store: Store, article: Article) -> dict[str, tuple[int, int, str]]:
    return {a.id: (a.start, a.end, a.label) for a in store.annotations(article.id)}


@pytest.mark.parametrize("read_first", [True, False], ids=["read-before-keys", "read-after"])
async def test_keys_while_loading_act_on_the_right_annotations(
    store: Store, seeded: list[Article], monkeypatch: pytest.MonkeyPatch, read_first: bool
) -> None:
    article = seeded[0]
    spans = sentences(article, 30)
    for i, (start, end) in enumerate(spans[:TAGGED]):
        store.add_annotation(article, start, end, ("claim", "opinion")[i % 2], "tester")
    # past FIRST_SCREEN_FROM: the first four at open, the rest from the worker
    monkeypatch.setattr(article_panel, "FIRST_SCREEN_FROM", 5)
    monkeypatch.setattr(article_panel, "FIRST_SCREEN_CHARS", spans[3][0] + 1)
    gate, reading = threading.Event(), threading.Event()
    load = marks.load

    def held_load(*args: Any) -> marks.MarkSet:
        """The worker held until the test lets it go: its read before the keys
        below (read_first) or after them."""
        reading.set()
        if read_first:
            built = load(*args)
            gate.wait(30)
            return built
        gate.wait(30)
        return load(*args)

    monkeypatch.setattr(marks, "load", held_load)
    app = app_for(store, article)
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(100):  # the worker started and held
            await pilot.pause(0.02)
            if reading.is_set():
                break
        panel = app.screen.query_one(ArticlePanel)
        pane = pane_of(app)
        assert not panel.loaded and len(panel.annotations) == 4
        assert sum(panel.counts.values()) == TAGGED  # the store's count meanwhile
        await pilot.pause()
        assert "Annotations (loading…)" in screen_text(app)  # no count it would get wrong

        # `]` walks the stored annotations, those not loaded yet too
        for i in range(1, 8):
            await pilot.press("right_square_bracket")
            assert pane.cursor == spans[i][0]
        # `2` on one not loaded (claim, own): relabelled, not doubled
        assert 7 % 2 == 1 and spans[6][0] < spans[7][0]
        await pilot.press("left_square_bracket")
        assert pane.cursor == spans[6][0]
        await pilot.press("2")
        # a new tag past the tagged ones
        pane.move_cursor(spans[TAGGED + 2][0])
        await pilot.press("3")
        # a delete of a loaded one, undone; another deleted for good
        pane.move_cursor(spans[1][0])
        await pilot.press("x", "u")
        pane.move_cursor(spans[2][0])
        await pilot.press("x")
        await pilot.pause()
        assert not panel.loaded
        assert "Annotations (loading…)" in screen_text(app)
        assert panel.counts == store.article_label_counts(article.id)  # right meanwhile
        # a search moves the cursor as ever
        word = article.text[spans[12][0] : spans[12][1]].split()[-2].strip(",.;:")
        await pilot.press("slash", *word, "enter")
        await pilot.pause()
        assert pane._matches and pane.cursor in pane._matches

        gate.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.pause()

        assert panel.loaded
        # the rows on screen as drawn from scratch: none kept from before the swap stale
        drawn = [pane.render_line(y) for y in range(pane.size.height)]
        pane._painter.forget()
        assert [pane.render_line(y) for y in range(pane.size.height)] == drawn
        expected = stored(store, article)
        assert len(expected) == TAGGED  # 20 + 1 new - 1 deleted
        assert expected[next(i for i, v in expected.items() if v[0] == spans[6][0])][2] == "opinion"
        assert held_by(panel) == expected
        assert panel.counts == store.article_label_counts(article.id)
        # the pane: each once in its index, `]` from the top steps through them all
        indexed = [s[2].id for s in pane._painter.marks.overlapping(0, len(article.text))]
        assert sorted(indexed) == sorted(expected)
        assert sorted(pane._annotations) == sorted(expected)
        pane.move_cursor(0)
        ahead = sorted(v[0] for v in expected.values() if v[0] > 0)
        starts: list[int] = []
        for _ in range(len(ahead) + 1):
            await pilot.press("right_square_bracket")
            starts.append(pane.cursor)
        assert starts == [*ahead, ahead[-1]]  # past the last it stays
        # the list: each once, counted
        listing = app.screen.query_one(AnnotationList)
        assert sorted(a.id for a in listing.items) == sorted(expected)
        assert f"Annotations ({len(expected)})" in screen_text(app)


async def test_leaving_before_the_worker_is_done_gives_the_set_back(
    store: Store, seeded: list[Article], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The article left while its annotations load: nothing is swapped into the
    panel gone, and the collector gets back what the build froze."""
    import gc

    article = seeded[0]
    for start, end in sentences(article, 12):
        store.add_annotation(article, start, end, "claim", "tester")
    monkeypatch.setattr(article_panel, "FIRST_SCREEN_FROM", 5)
    gate = threading.Event()
    load: Callable[..., marks.MarkSet] = marks.load

    finished: list[bool] = []

    def held_load(*args: Any) -> marks.MarkSet:
        gate.wait(30)
        built = load(*args)
        finished.append(True)
        return built

    monkeypatch.setattr(marks, "load", held_load)
    app = app_for(store, article)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("q")  # back to the library
        await pilot.pause()
        frozen_before = gc.get_freeze_count()
        gate.set()  # the worker was cancelled with its panel; its thread goes on
        for _ in range(250):
            await pilot.pause(0.02)
            if finished:
                break
        await pilot.pause()
        assert finished and not app.screen.query(ArticlePanel)
        assert frozen_before == 0 == gc.get_freeze_count()


async def test_the_footer_keys_wait_for_a_pause_in_typing(
    store: Store, seeded: list[Article], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keys pressed one after another from the first paint come before the footer's
    keys are built (their work waited for by the next key); a pause builds them."""
    from textual.widgets._footer import FooterKey

    from reader.tui.widgets import footer
    from reader.tui.widgets.footer import ReaderFooter

    monkeypatch.setattr(footer, "QUIET_SECONDS", 0.3)
    app = app_for(store, seeded[0])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        pane = pane_of(app)
        bar = app.screen.query_one(ReaderFooter)  # its row there from the first frame
        for _ in range(6):
            before = pane.cursor
            await pilot.press("j")
            await pilot.pause(0.05)
            assert pane.cursor != before
            assert not bar.query(FooterKey)
        for _ in range(40):
            await pilot.pause(0.05)
            if bar.query(FooterKey):
                break
        assert "? Help" in screen_text(app).splitlines()[-1]


async def test_what_start_up_built_is_frozen_after_the_first_paint(
    store: Store, seeded: list[Article]
) -> None:
    """A full collection walking Textual's and the first screen's objects took
    15-35 ms, enough to hold a key past its budget: they are frozen once painted."""
    gc.unfreeze()
    assert gc.get_freeze_count() == 0
    app = app_for(store, seeded[0])
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await pilot.pause()
            assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
