"""The annotation list to work from: three-row entries (label, annotator, note
marker, the quote wrapped), filters by label, annotator and text, and label keys,
`x`, `c`, `E` acting on the highlighted entry."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from textual.content import Content

from reader.models import Article
from reader.store import Store
from reader.tui.widgets.annotation_list import AnnotationList
from tests.tui.app_support import SIZE, app_for, pane_of, screen_text, sentences


def tag(store: Store, article: Article, count: int, annotator: str = "tester") -> None:
    for i, (start, end) in enumerate(sentences(article, count)):
        store.add_annotation(article, start, end, ("claim", "opinion")[i % 2], annotator)


def listing_of(app: Any) -> AnnotationList:
    return app.screen.query_one(AnnotationList)


@asynccontextmanager
async def opened(store: Store, article: Article, *keys: str) -> AsyncIterator[Any]:
    """The read screen, these keys pressed: (app, pilot, the list)."""
    app = app_for(store, article)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press(*keys)
        await pilot.pause()
        yield app, pilot, listing_of(app)


def shown_title(listing: AnnotationList) -> str:
    """The list's title as drawn (Textual hands it back as markup)."""
    return Content.from_markup(listing.border_title or "").plain


def entry_rows(listing: AnnotationList, index: int) -> list[str]:
    listing._highlighted = None  # drawn as any entry
    width = listing.scrollable_content_region.width
    strips = listing._entry(listing.annotation_at(index), width, listing.rich_style, None)
    return [strip.text for strip in strips]


async def test_an_entry_shows_label_annotator_note_and_the_quote_wrapped(
    store: Store, seeded: list[Article]
) -> None:
    article = seeded[0]
    start, end = sentences(article, 1)[0]
    end = min(len(article.text), start + 400)  # a long quote: three rows of it
    store.add_annotation(article, start, end, "claim", "tester", note="why")
    app = app_for(store, article)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        listing = listing_of(app)
        rows = entry_rows(listing, 0)
        assert len(rows) == 3
        assert "claim" in rows[0] and "✎" in rows[1] and "tester" in rows[2]
        words = " ".join(article.text[start:end].split()).split()
        shown = " ".join(row.split(maxsplit=1)[-1] for row in rows)
        assert words[0] in rows[0] and words[1] in shown  # the quote goes on
        assert rows[2].rstrip().endswith("…")  # and is cut on the third row
        assert listing.virtual_size.height == 3


async def test_filters_by_label_annotator_and_text(store: Store, seeded: list[Article]) -> None:
    article = seeded[0]
    tag(store, article, 6)
    s = sentences(article, 7)[6]
    store.add_annotation(article, s[0], s[1], "claim", "other")
    word = max(article.text[s[0] : s[1]].split(), key=len)
    app = app_for(store, article)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        listing = listing_of(app)
        await pilot.press("tab", "f", "1")  # claims only
        await pilot.pause()
        assert {a.label for a in listing.items} == {"claim"} and len(listing) == 4
        assert "Annotations (4 of 7)" in screen_text(app)
        await pilot.press("A")  # the first annotator: other
        await pilot.pause()
        assert [a.annotator for a in listing.items] == ["other"]
        await pilot.press("0")
        await pilot.pause()
        assert len(listing) == 7
        await pilot.press("slash")
        await pilot.pause()
        await pilot.press(*word, "enter")
        await pilot.pause()
        assert any(a.annotator == "other" for a in listing.items)
        quotes = [article.text[a.start : a.end].casefold() for a in listing.items]
        assert quotes and all(word.casefold() in quote for quote in quotes)
        assert app.screen.focused is listing
        await pilot.press("f", "1", "f", "1")  # again: all labels
        await pilot.pause()
        await pilot.press("0")
        await pilot.pause()
        assert len(listing) == 7


async def test_a_tag_under_a_filter_is_one_bisection(store: Store, seeded: list[Article]) -> None:
    article = seeded[0]
    tag(store, article, 6)
    async with opened(store, article, "tab", "f", "2") as (app, pilot, listing):  # opinions
        keys = listing._keys
        assert len(listing) == 3
        await pilot.press("1")  # the highlighted opinion becomes a claim: out of the list
        await pilot.pause()
        assert listing._keys is keys and len(listing) == 2
        assert "Annotations (2 of 6)" in screen_text(app)


async def test_keys_act_on_the_highlighted_entry(store: Store, seeded: list[Article]) -> None:
    article = seeded[0]
    tag(store, article, 4)
    async with opened(store, article, "tab", "down", "down") as (app, pilot, listing):
        await pilot.pause()
        chosen = listing.highlighted_annotation()
        assert chosen is not None and listing.highlighted == 2
        await pilot.press("3")  # relabel: same id
        await pilot.pause()
        after = store.annotation(chosen.id)
        assert after.label == "speculation" and not after.deleted
        assert app.screen.focused is listing and listing.highlighted == 2
        await pilot.press("c")
        await pilot.pause()
        await pilot.press(*"see", "enter")
        await pilot.pause()
        assert store.annotation(chosen.id).note == "see"
        assert app.screen.focused is listing  # the dialog gives the focus back
        await pilot.press("down")
        await pilot.pause()
        victim = listing.highlighted_annotation()
        assert victim is not None
        await pilot.press("x")
        await pilot.pause()
        assert store.annotation(victim.id).deleted and len(listing) == 3
        await pilot.press("E")  # resize the highlighted: extent editing in the pane
        await pilot.pause()
        resized = listing.highlighted_annotation()
        assert resized is not None
        assert app.screen.focused is pane_of(app)
        await pilot.press("left", "enter")
        await pilot.pause()
        assert store.annotation(resized.id).end == resized.end - 1


async def test_only_own_annotations_are_relabelled_or_resized(
    store: Store, seeded: list[Article]
) -> None:
    article = seeded[0]
    tag(store, article, 2, annotator="someone else")
    app = app_for(store, article)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        listing = listing_of(app)
        await pilot.press("tab", "down")
        await pilot.pause()
        other = listing.highlighted_annotation()
        assert other is not None
        await pilot.press("3", "E")
        await pilot.pause()
        assert store.annotation(other.id).label == other.label
        assert "Only your own" in screen_text(app)
        assert len(listing) == 2  # and nothing new was tagged


async def test_compare_has_a_list_per_pane(store: Store, seeded: list[Article]) -> None:
    left, right = seeded[0], seeded[1]
    tag(store, left, 3)
    tag(store, right, 2)
    app = app_for(store, left, right)
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.pause()
        lists = list(app.screen.query(AnnotationList))
        assert [len(x) for x in lists] == [3, 2]
        assert not any(x.display for x in lists)  # until `a`
        first, second = (panel.pane for panel in app.screen.panels)  # type: ignore[attr-defined]
        await pilot.press("a")
        await pilot.pause()
        assert all(x.display for x in lists)
        assert "Annotations (3)" in screen_text(app) and "Annotations (2)" in screen_text(app)
        # tab: left pane, its list, right pane, its list
        await pilot.press("tab")
        assert app.screen.focused is lists[0]
        await pilot.press("tab")
        assert app.screen.focused is second
        await pilot.press("tab")
        assert app.screen.focused is lists[1]
        await pilot.press("down", "3")  # relabels in the right article, not the left
        await pilot.pause()
        chosen = lists[1].highlighted_annotation()
        assert chosen is not None
        assert store.annotation(chosen.id).article_id == right.id
        assert store.annotation(chosen.id).label == "speculation"
        assert [a.label for a in lists[0].items] == ["claim", "opinion", "claim"]
        await pilot.press("x")  # and the right list alone loses it
        await pilot.pause()
        assert [len(x) for x in lists] == [3, 1]
        await pilot.press("enter")  # jumps in its own pane
        await pilot.pause()
        assert app.screen.focused is second
        assert second.cursor == lists[1].annotation_at(0).start
        await pilot.press("a")  # hidden again
        await pilot.pause()
        assert not any(x.display for x in lists) and app.screen.focused is second
        assert first.cursor == 0


async def test_names_and_the_text_filter_are_shown_as_typed_never_as_markup(
    store: Store, seeded: list[Article]
) -> None:
    article = seeded[0]
    s = sentences(article, 1)[0]
    store.add_annotation(article, s[0], s[1], "claim", "[reverse]ana[/]")
    app = app_for(store, article)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        listing = listing_of(app)
        await pilot.press("tab", "A")  # by "[reverse]ana[/]", in the list's title
        await pilot.pause()
        assert shown_title(listing).endswith("by [reverse]ana[/]")
        assert "by [re" in screen_text(app)  # as typed, as far as the border has room
        await pilot.press("0", "slash")
        await pilot.pause()
        await pilot.press(*"[/]", "enter")  # a closing tag alone: a MarkupError as markup
        await pilot.pause()
        assert app.is_running and shown_title(listing).endswith("“[/]”")
        assert len(listing) == 0
