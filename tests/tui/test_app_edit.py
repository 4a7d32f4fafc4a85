"""Fixing what was tagged: relabel in place, resize, word snapping, label keys."""

from __future__ import annotations

from reader.models import Article
from reader.store import Store
from tests.tui.app_support import SIZE, app_for, live, pane_of, sentences


async def test_label_key_on_a_partial_span_relabels_it(
    store: Store, seeded: list[Article]
) -> None:
    article = seeded[0]
    first = sentences(article, 1)[0]
    async with app_for(store, article).run_test(size=SIZE) as pilot:
        await pilot.press("v", "w", "w", "2")  # part of the sentence, opinion
        await pilot.pause()
        (before,) = store.annotations(article.id)
        assert before.end < first[1]
        pane_of(pilot.app).move_cursor(before.start + 1)
        await pilot.press("3")  # no selection, on it: relabel, not a new sentence tag
        await pilot.pause()
        (after,) = store.annotations(article.id)
        assert (after.id, after.start, after.end, after.label) == (
            before.id,
            before.start,
            before.end,
            "speculation",
        )
        await pilot.press("u")
        await pilot.pause()
        assert store.annotation(before.id).label == "opinion"


async def test_selection_makes_a_new_annotation_unless_equal(
    store: Store, seeded: list[Article]
) -> None:
    article = seeded[0]
    first = sentences(article, 1)[0]
    async with app_for(store, article).run_test(size=SIZE) as pilot:
        await pilot.press("1")  # the sentence
        await pilot.press("s", "2")  # the same extent selected: relabelled
        await pilot.pause()
        assert live(store, article) == [(first[0], first[1], "opinion", None)]
        pane = pane_of(pilot.app)
        pane.move_cursor(first[0])
        await pilot.press("v", "w", "3")  # another extent: a second annotation
        await pilot.pause()
        labels = sorted(a.label for a in store.annotations(article.id))
        assert labels == ["opinion", "speculation"]


async def test_someone_elses_annotation_is_not_relabelled(
    store: Store, seeded: list[Article]
) -> None:
    article = seeded[0]
    first = sentences(article, 1)[0]
    theirs = store.add_annotation(article, first[0], first[0] + 5, "claim", "colleague")
    async with app_for(store, article).run_test(size=SIZE) as pilot:
        pane_of(pilot.app).move_cursor(first[0] + 1)
        await pilot.press("2")
        await pilot.pause()
        assert store.annotation(theirs.id).label == "claim"
        assert (first[0], first[1], "opinion", None) in live(store, article)
