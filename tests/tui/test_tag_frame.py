"""A tag is painted in one frame: the pane, the list and the status line are all
changed in the key's own turn (no message for the screen to handle a frame later),
and one entry more in a scrolling list lays out nothing."""

from __future__ import annotations

from typing import Any

from reader.models import Article
from reader.store import Store
from reader.tui.screens.article_panel import ArticlePanel
from reader.tui.widgets.annotation_list import AnnotationList
from reader.tui.widgets.status_line import StatusLine
from tests.tui.app_support import SIZE, app_for, sentences


async def test_a_tag_changes_the_list_and_the_status_in_the_same_turn(
    store: Store, seeded: list[Article]
) -> None:
    article = seeded[0]
    spans = sentences(article, 40)
    for start, end in spans[:-2]:  # more entries than the list has rows: it scrolls
        for label in ("claim", "opinion"):
            store.add_annotation(article, start, end, label, "tester")
    app = app_for(store, article)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        panel = app.screen.query_one(ArticlePanel)
        listing = app.screen.query_one(AnnotationList)
        status = app.screen.query_one(StatusLine)
        assert listing.show_vertical_scrollbar
        layouts: list[bool] = []
        refresh = listing.refresh

        def spy(*regions: Any, **kwargs: Any) -> Any:
            layouts.append(kwargs.get("layout", False))
            return refresh(*regions, **kwargs)

        for count, (start, end) in enumerate(spans[-2:], start=2 * len(spans) - 3):
            panel.pane.select_span(start, end)
            layouts.clear()
            listing.refresh = spy  # type: ignore[method-assign]
            panel.action_tag("1")  # no pause: what the first frame after the key paints
            listing.refresh = refresh  # type: ignore[method-assign]
            assert len(listing) == count
            assert listing.border_title == f"Annotations ({count})"
            shown = status._shown
            assert shown is not None and "Tagged" in shown[0].plain
            await pilot.pause()
        assert layouts and not any(layouts)  # the last tag: the scrollbar's thumb only
