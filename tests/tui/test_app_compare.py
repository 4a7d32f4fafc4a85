"""The compare screen: two annotatable panes, tab between them, scrolling together."""

from __future__ import annotations

from reader.models import Article
from reader.store import Store
from reader.tui.app import ReaderApp
from reader.tui.screens.article_panel import ArticlePanel
from reader.tui.widgets.reading_pane import ReadingPane
from tests.tui.app_support import SIZE, app_for, live, screen_text, sentences


def panes(app: ReaderApp) -> list[ReadingPane]:
    return list(app.screen.query(ReadingPane))


async def test_tag_in_both_panes_each_with_its_own_undo(
    store: Store, seeded: list[Article]
) -> None:
    left, right = seeded[0], seeded[1]
    left_first = sentences(left, 1)[0]
    right_spans = sentences(right, 2)
    app = app_for(store, left, right)
    async with app.run_test(size=SIZE) as pilot:
        assert type(app.screen).__name__ == "CompareScreen"
        first, second = panes(app)
        assert (first.article.id, second.article.id) == (left.id, right.id)
        assert app.screen.focused is first
        await pilot.press("1", "tab")
        assert app.screen.focused is second
        await pilot.press("2", "right_parenthesis", "3")
        await pilot.pause()
        assert live(store, left) == [(*left_first, "claim", None)]
        assert live(store, right) == [
            (*right_spans[0], "opinion", None),
            (*right_spans[1], "speculation", None),
        ]
        await pilot.press("u")  # undoes the right pane's last tag only
        await pilot.pause()
        assert len(live(store, right)) == 1 and len(live(store, left)) == 1
        await pilot.press("tab", "u", "u")  # the left pane: one undo, then nothing to undo
        await pilot.pause()
        assert live(store, left) == [] and len(live(store, right)) == 1
        left_panel = app.screen.query_one("#left", ArticlePanel)
        assert "Nothing to undo" in str(left_panel.message)
        # each status line counts its own article (labels by initial: half a screen)
        text = " ".join(screen_text(app).split())
        assert "C 0 O 0 S 0" in text
        assert "C 0 O 1 S 0" in text


async def test_scroll_together_toggle(store: Store, seeded: list[Article]) -> None:
    left, right = sorted(seeded[:2], key=lambda a: -len(a.text))  # the longer one leads
    app = app_for(store, left, right)
    async with app.run_test(size=SIZE) as pilot:
        first, second = panes(app)
        await pilot.press("pagedown")
        await pilot.pause()
        assert first.scroll_y > 0 and second.scroll_y == 0  # each on its own
        await pilot.press("equals_sign", "pagedown")
        await pilot.pause()
        assert second.scroll_y > 0  # the other pane followed (by the alignment: test_app_aligned)
        assert screen_text(app).count("⇅ together") == 2
        await pilot.press("equals_sign", "g")
        await pilot.pause()
        assert first.scroll_y == 0 and second.scroll_y > 0  # no longer together
        await pilot.press("q")
        await pilot.pause()
        assert type(app.screen).__name__ == "LibraryScreen"


async def test_the_outcome_of_a_tag_is_readable_in_a_compare_pane(
    store: Store, seeded: list[Article]
) -> None:
    store.add_label("hedge", key="4")  # four labels: the counts alone fill the row
    app = app_for(store, seeded[0], seeded[1])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1", "tab", "4")
        await pilot.pause()
        text = screen_text(app)
        assert text.count("Tagged") == 2
        assert "· saved" in text
        await pilot.press("equals_sign")
        await pilot.pause()
        assert "⇅ together" in screen_text(app)
