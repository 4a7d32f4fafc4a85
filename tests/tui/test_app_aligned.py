"""Aligned reading in the TUI (issue 11): compare aligned, also in N of M, projection.

On the sample articles: "Microsoft Loses Exclusive Cloud Role for OpenAI"
(AiNews) and "Microsoft's Cloud Reign Ends..." both report that Microsoft keeps
a "right of first refusal"; so do two more of the five.
"""

from __future__ import annotations

from typing import Any

from rich.style import Style
from textual.pilot import Pilot

from reader import align
from reader.models import Article
from reader.store import Store
from reader.tui.app import ReaderApp
from reader.tui.screens.article_panel import ArticlePanel
from reader.tui.widgets.reading_pane import ReadingPane
from tests.tui.app_support import SIZE, app_for, screen_text, settle

FACT = "first refusal"


def pair_of(seeded: list[Article]) -> tuple[Article, Article]:
    """The AiNews report and the one whose title speaks of the cloud reign."""
    by_title = {a.title: a for a in seeded}
    return (
        by_title["Microsoft Loses Exclusive Cloud Role for OpenAI"],
        next(a for t, a in by_title.items() if t.startswith("Microsoft’s Cloud Reign")),
    )


def panes(app: ReaderApp) -> list[ReadingPane]:
    return list(app.screen.query(ReadingPane))


def rows_with(app: ReaderApp, mark: str, half: int) -> list[str]:
    """The rows of the left (0) or right (1) compare pane whose margin shows mark."""
    width = SIZE[0] // 2
    found = []
    for line in screen_text(app).splitlines()[:-4]:  # not the status lines or footer
        pane = line[half * width : (half + 1) * width].lstrip("▕")
        if pane.startswith(mark):
            found.append(pane[1:].strip())
    return found


def fact_offset(article: Article) -> int:
    offset = article.text.find(FACT)
    assert offset >= 0
    return offset


async def on_the_fact(
    pilot: Pilot[None], pane: ReadingPane, article: Article, expected: align.Alignment
) -> align.Pair:
    """The left pane's cursor on the fact's sentence; the pair the aligner gives it."""
    pane.move_cursor(fact_offset(article))
    await pilot.pause()
    pair = expected.counterpart("a", pane.cursor)
    assert pair is not None
    return pair


async def cursor_on_fact(pilot: Pilot[None], app: ReaderApp, article: Article) -> ReadingPane:
    """Once the screen has settled, the first pane's cursor on the fact's sentence."""
    await settle(pilot)
    pane = panes(app)[0]
    pane.move_cursor(fact_offset(article))
    await settle(pilot)
    return pane


async def test_counterpart_follows_the_cursor_and_the_focus(
    store: Store, seeded: list[Article]
) -> None:
    left, right = pair_of(seeded)
    expected = align.counterparts(left.text, right.text)
    app = app_for(store, left, right)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        first, second = panes(app)
        pair = await on_the_fact(pilot, first, left, expected)
        counterpart = right.text[pair.b[0] : pair.b[1]]
        assert FACT in counterpart  # the same fact, in the other outlet's words
        marked = " ".join(rows_with(app, "▶", 1))
        assert marked and " ".join(counterpart.split()).startswith(marked[:40])
        assert FACT.split()[0] in marked
        assert rows_with(app, "▶", 0) == []  # only the other pane
        # the margin marks the sentences that have a counterpart
        assert rows_with(app, "≈", 0) and rows_with(app, "≈", 1)
        # a sentence without one: nothing highlighted
        unpaired = next(
            s
            for s, e in first.sentences_between(0, len(left.text))
            if expected.counterpart("a", s) is None and s > 0
        )
        first.move_cursor(unpaired)
        await pilot.pause()
        assert rows_with(app, "▶", 1) == []
        # the focus leads: in the right pane, the counterpart shows on the left
        await pilot.press("tab")
        second.move_cursor(pair.b[0])
        await pilot.pause()
        assert " ".join(rows_with(app, "▶", 0))[:30] in " ".join(
            left.text[pair.a[0] : pair.a[1]].split()
        )
        assert rows_with(app, "▶", 1) == []


async def test_percent_jumps_to_the_counterpart_and_back(
    store: Store, seeded: list[Article]
) -> None:
    left, right = pair_of(seeded)
    expected = align.counterparts(left.text, right.text)
    app = app_for(store, left, right)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        first, second = panes(app)
        first.move_cursor(fact_offset(left) + 3)  # inside the sentence, not its start
        pair = expected.counterpart("a", first.cursor)
        assert pair is not None
        await pilot.press("percent_sign")
        await pilot.pause()
        assert app.screen.focused is second
        assert second.cursor == pair.b[0]
        await pilot.press("percent_sign")
        await pilot.pause()
        assert app.screen.focused is first
        assert first.cursor == pair.a[0]
        # where there is no counterpart, % says so and stays
        first.move_cursor(0)
        await pilot.pause()
        await pilot.press("percent_sign")
        await pilot.pause()
        assert app.screen.focused is first and first.cursor == 0
        panel = app.screen.query_one("#left", ArticlePanel)
        assert "No counterpart" in str(panel.message)


async def test_sync_scrolling_follows_the_alignment(store: Store, seeded: list[Article]) -> None:
    left, right = pair_of(seeded)
    expected = align.counterparts(left.text, right.text)
    app = app_for(store, left, right)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        first, second = panes(app)
        await pilot.press("equals_sign")
        levelled = 0
        for pair in expected.pairs:
            first.move_cursor(pair.a[0], center=True)
            await pilot.pause()
            row = first.screen_row(pair.a[0])
            assert 0 <= row < first.size.height
            if 0 < second.scroll_y < second.max_scroll_y:  # not held at an end
                assert second.screen_row(pair.b[0]) == row, pair
                levelled += 1
        assert levelled >= 2
        # relative position would put the follower elsewhere for some pair
        assert any(
            abs(p.a[0] / len(left.text) - p.b[0] / len(right.text)) > 0.1 for p in expected.pairs
        )


async def test_diff_view_marks_changed_words_with_a_second_cue(
    store: Store, seeded: list[Article]
) -> None:
    left, right = pair_of(seeded)
    expected = align.counterparts(left.text, right.text)
    app = app_for(store, left, right)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        first, second = panes(app)
        pair = await on_the_fact(pilot, first, left, expected)
        diff = expected.diff(pair)
        assert diff.b_changed and diff.b_shared

        def marked(only_counterpart: bool = False) -> str:
            """Text of the right pane drawn bold and underlined (the changed words)."""
            out = []
            for y in range(second.size.height):
                strip = second.render_line(y)
                if only_counterpart and not strip.text.startswith("▶"):
                    continue
                for segment in strip:
                    style = segment.style or Style()
                    if style.bold and style.underline:
                        out.append(segment.text)
            return " ".join(out)

        assert marked() == ""
        await pilot.press("d")
        await pilot.pause()
        assert "≠ diff" in screen_text(app)
        shown = marked(only_counterpart=True)
        changed = [right.text[s:e] for s, e in diff.b_changed]
        shared = [right.text[s:e] for s, e in diff.b_shared if e - s > 3]
        on_screen = [w for w in changed if w in " ".join(rows_with(app, "▶", 1))]
        assert on_screen and all(w in shown for w in on_screen)
        assert not any(f" {w} " in f" {shown} " for w in shared if w not in changed)
        await pilot.press("d")
        await pilot.pause()
        assert marked() == "" and "≠ diff" not in screen_text(app)


async def test_also_in_counts_the_other_articles_with_the_fact(
    store: Store, seeded: list[Article]
) -> None:
    article, _ = pair_of(seeded)
    others_with_fact = sum(1 for a in seeded if a.id != article.id and FACT in a.text)
    app = app_for(store, article)
    async with app.run_test(size=SIZE) as pilot:
        pane = await cursor_on_fact(pilot, app, article)
        expected = f"also in {others_with_fact} of {len(seeded) - 1} articles"
        assert expected in screen_text(app)
        # the image caption is reported by no other outlet
        pane.move_cursor(article.text.find("A high-tech data center"))
        await settle(pilot)
        assert f"also in 0 of {len(seeded) - 1} articles" in screen_text(app)


async def test_the_passages_dialog_opens_one_in_compare(
    store: Store, seeded: list[Article]
) -> None:
    article, _ = pair_of(seeded)
    app = app_for(store, article)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        pane = panes(app)[0]
        pane.move_cursor(fact_offset(article))
        await settle(pilot)
        await pilot.press("A")
        await pilot.pause()
        assert type(app.screen).__name__ == "PassagesDialog"
        passages = app.screen.passages
        assert len(passages) == 3 and all(FACT in p.text for p in passages)
        text = screen_text(app)
        assert all(p.title[:30] in text for p in passages)
        assert all(f"score {p.score:.2f}" in text for p in passages)  # not a bare number
        await pilot.press("down", "enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "CompareScreen"
        first, second = panes(app)
        assert (first.article.id, second.article.id) == (article.id, passages[1].article_id)
        assert FACT in article.text[first.cursor : first.cursor + 200]
        assert passages[1].start <= second.cursor < passages[1].end
        await pilot.press("q")
        await pilot.pause()
        assert type(app.screen).__name__ == "ReadScreen"


async def test_projection_asks_per_counterpart_and_stores_projected_tags(
    store: Store, seeded: list[Article]
) -> None:
    article, _ = pair_of(seeded)
    app = app_for(store, article)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        pane = panes(app)[0]
        pane.move_cursor(fact_offset(article))
        await pilot.press("p")  # nothing tagged yet
        await pilot.pause()
        assert type(app.screen).__name__ == "ReadScreen"
        await pilot.press("1")
        await settle(pilot)
        await pilot.press("p")
        await pilot.pause()
        order = []
        for answer in ("y", "n", "y"):
            assert type(app.screen).__name__ == "ProjectDialog"
            order.append(app.screen.where)
            await pilot.press(answer)
            await pilot.pause()
        assert type(app.screen).__name__ == "ReadScreen"
        assert "Projected" in screen_text(app)
    projected = {
        a.article_id: a
        for other in seeded
        for a in store.annotations(other.id)
        if a.origin == "projected"
    }
    assert len(projected) == 2 and len(order) == 3
    for annotation in projected.values():
        assert annotation.label == "claim" and FACT in annotation.quote
        text = store.article(annotation.article_id).text
        assert text[annotation.start : annotation.end] == annotation.quote


async def test_projection_in_compare_goes_to_the_other_pane_first_and_undoes_there(
    store: Store, seeded: list[Article]
) -> None:
    left, right = pair_of(seeded)
    expected = align.counterparts(left.text, right.text)
    app = app_for(store, left, right)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        first, _ = panes(app)
        first.move_cursor(fact_offset(left))
        pair = expected.counterpart("a", first.cursor)
        assert pair is not None
        await pilot.press("1")
        await settle(pilot)
        await pilot.press("p")
        await pilot.pause()
        assert app.screen.place == (1, 3)
        assert app.screen.passage == right.text[pair.b[0] : pair.b[1]]
        await pilot.press("a")  # this one and every other
        await pilot.pause()
        right_panel = app.screen.query_one("#right", ArticlePanel)
        shown = list(right_panel.annotations.values())
        assert [(a.start, a.end, a.label) for a in shown] == [(*pair.b, "claim")]
        stored = store.annotations(right.id)
        assert [(a.start, a.end, a.origin) for a in stored] == [(*pair.b, "projected")]
        tagged = [a for o in seeded for a in store.annotations(o.id) if a.origin == "projected"]
        assert len(tagged) == 3
        await pilot.press("tab", "u")  # the right pane's undo takes it back
        await pilot.pause()
        assert [a.origin for a in store.annotations(right.id)] == []
        assert right_panel.annotations == {}


async def test_articles_too_long_to_align_are_compared_unaligned(
    store: Store, seeded: list[Article], monkeypatch: Any
) -> None:
    from reader.tui.screens import aligned

    left, right = pair_of(seeded)
    monkeypatch.setattr(aligned, "MAX_CHARS", min(len(left.text), len(right.text)) - 1)
    app = app_for(store, left, right)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        first, _ = panes(app)
        first.move_cursor(fact_offset(left))
        await pilot.press("percent_sign")
        await pilot.pause()
        assert app.screen.focused is first
        assert "Too long to align" in str(app.screen.query_one("#left", ArticlePanel).message)
        assert rows_with(app, "≈", 0) == [] and rows_with(app, "▶", 1) == []
        await pilot.press("equals_sign", "pagedown")  # scrolling together still works
        await pilot.pause()
        assert panes(app)[1].scroll_y > 0


async def test_the_compare_keys_are_in_the_footer_where_there_is_room(
    store: Store, seeded: list[Article]
) -> None:
    """%, d and a in the footer at 160 columns, beside every label's name; at 120
    the labels' names keep their place (the keys are in `?`)."""
    left, right = pair_of(seeded)
    app = app_for(store, left, right)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        footer = screen_text(app).splitlines()[-1]
        assert "% Counterpart" in footer and "d Diff view" in footer and "a Lists" in footer
        assert "1 claim" in footer and "? Help" in footer
        assert "% counterpart · d diff" not in screen_text(app)  # no hint needed
        await pilot.resize_terminal(*SIZE)
        await pilot.pause()
        await pilot.pause()
        footer = screen_text(app).splitlines()[-1]
        assert "1 claim" in footer and "? Help" in footer
        assert "% Counterpart" not in footer
        await pilot.resize_terminal(160, 45)  # room again
        await pilot.pause()
        await pilot.pause()
        assert "% Counterpart" in screen_text(app).splitlines()[-1]


async def test_the_status_line_names_the_keys_of_also_in(
    store: Store, seeded: list[Article]
) -> None:
    """`A lists` in view in a compare pane at 120 columns; on a tag, `p projects`
    where the line has room (the read screen)."""
    left, right = pair_of(seeded)
    app = app_for(store, left, right)
    async with app.run_test(size=SIZE) as pilot:
        await cursor_on_fact(pilot, app, left)
        here = next(line for line in screen_text(app).splitlines() if "Here:" in line)
        assert "also in 3 of 4 articles · A lists " in here[: SIZE[0] // 2]
    app = app_for(store, left)
    async with app.run_test(size=SIZE) as pilot:
        await cursor_on_fact(pilot, app, left)
        assert "p projects" not in screen_text(app)  # nothing tagged: nothing to project
        await pilot.press("1")
        await settle(pilot)
        assert "also in 3 of 4 articles · A lists · p projects" in screen_text(app)


async def test_compare_names_its_keys_in_the_status_line_when_the_footer_cannot(
    store: Store, seeded: list[Article]
) -> None:
    left, right = pair_of(seeded)
    app = app_for(store, left, right)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        counts = screen_text(app).splitlines()[-3]
        assert "% counterpart · d diff · a lists" in counts[: SIZE[0] // 2]
        await pilot.press("right_parenthesis")  # it goes with the first move
        await pilot.pause()
        assert "% counterpart" not in screen_text(app)


async def test_a_new_label_takes_the_room_of_the_compare_keys_not_their_names(
    store: Store, seeded: list[Article]
) -> None:
    """At 145 columns a fourth label named on the spot leaves no room for % d a
    beside every name: they leave the footer, the names stay."""
    left, right = pair_of(seeded)
    app = app_for(store, left, right)
    async with app.run_test(size=(145, 45)) as pilot:
        await settle(pilot)
        assert "% Counterpart" in screen_text(app).splitlines()[-1]
        await pilot.press("4")
        await pilot.pause()
        await pilot.press(*"hedge", "enter")
        await settle(pilot)
        footer = screen_text(app).splitlines()[-1]
        assert "4 hedge" in footer and "1 claim" in footer and "? Help" in footer, footer
        assert "% Counterpart" not in footer, footer
