"""Snapshots of each screen at 120x40 (pytest-textual-snapshot).

Deterministic: the seed articles, the annotator "tester", the database shown as
annotations/reader.db (relative to the test's working folder), no clocks drawn.
Update after a deliberate change with `pytest tests/tui/test_snapshots.py --snapshot-update`
and read the new SVGs before committing them.
"""

from __future__ import annotations

from typing import Any

from reader.models import Article
from reader.store import Store
from tests.tui.app_support import SIZE, app_for, sentences, settle


def annotate(store: Store, article: Article) -> None:
    """Three tags, one with a note that looks like markup, one overlapping."""
    first, second, third = sentences(article, 3)
    store.add_annotation(article, *first, "claim", "tester")
    opinion = store.add_annotation(article, *second, "opinion", "tester")
    store.update_annotation(opinion.id, note="check [red]this[/red] source")
    store.add_annotation(article, third[0], third[0] + 40, "speculation", "tester")
    store.add_annotation(article, third[0] + 20, third[1], "claim", "tester")


def test_library(snap_compare: Any, store: Store, seeded: list[Article]) -> None:
    annotate(store, seeded[1])
    app = app_for(store)
    assert snap_compare(app, terminal_size=SIZE, press=["down"])


def pressing(*keys: str) -> Any:
    """A run_before that presses keys, then waits for the workers (the alignment,
    "also in N of M") and shows their results, so the snapshot never races them."""

    async def run_before(pilot: Any) -> None:
        await pilot.pause()
        await pilot.press(*keys)
        await settle(pilot)

    return run_before


def test_read(snap_compare: Any, store: Store, seeded: list[Article]) -> None:
    article = seeded[0]
    annotate(store, article)
    app = app_for(store, article)
    # onto the second sentence (the noted one), then select two words
    keys = ["right_parenthesis", "right_parenthesis", "right_parenthesis", "v", "w", "w"]
    assert snap_compare(app, terminal_size=SIZE, run_before=pressing(*keys))


def test_compare(snap_compare: Any, store: Store, seeded: list[Article]) -> None:
    left, right = seeded[0], seeded[1]
    annotate(store, left)
    annotate(store, right)
    app = app_for(store, left, right)
    keys = ("tab", "right_parenthesis", "equals_sign")
    assert snap_compare(app, terminal_size=SIZE, run_before=pressing(*keys))


def _on_the_fact(article: Article) -> Any:
    """Onto the "right of first refusal" sentence of the left pane, then settled."""

    async def run_before(pilot: Any) -> None:
        await pilot.pause()
        pilot.app.screen.query("ReadingPane").first().move_cursor(
            article.text.find("first refusal"), center=True
        )
        await pressing()(pilot)

    return run_before


def test_compare_aligned(snap_compare: Any, store: Store, seeded: list[Article]) -> None:
    """Seeds 4 and 5 aligned: margin marks, the counterpart of the cursor's sentence
    tinted with ▶, sync on: level with it."""
    left, right = seeded[3], seeded[4]
    app = app_for(store, left, right)
    assert snap_compare(
        app, terminal_size=SIZE, run_before=_on_the_fact(left), press=["equals_sign"]
    )


def test_compare_diff(snap_compare: Any, store: Store, seeded: list[Article]) -> None:
    """The diff view (d): changed words bold and underlined, unpaired sentences dim."""
    left, right = seeded[3], seeded[4]
    app = app_for(store, left, right)
    assert snap_compare(
        app, terminal_size=SIZE, run_before=_on_the_fact(left), press=["equals_sign", "d"]
    )


def test_help(snap_compare: Any, store: Store, seeded: list[Article]) -> None:
    app = app_for(store, seeded[0])
    assert snap_compare(app, terminal_size=SIZE, press=["question_mark"])


def test_read_with_suggestions(snap_compare: Any, store: Store, seeded: list[Article]) -> None:
    """S on the first seed, on the first suggestion: dimmed, ┆ in the margin, its cues below."""
    article = seeded[0]
    annotate(store, article)
    app = app_for(store, article)

    async def run_before(pilot: Any) -> None:
        await pilot.press("S")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await pressing("greater_than_sign")(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
