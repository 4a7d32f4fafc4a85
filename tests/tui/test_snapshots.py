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
from tests.tui.app_support import SIZE, app_for, sentences


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


def test_read(snap_compare: Any, store: Store, seeded: list[Article]) -> None:
    article = seeded[0]
    annotate(store, article)
    app = app_for(store, article)
    # onto the second sentence (the noted one), then select two words
    keys = ["right_parenthesis", "right_parenthesis", "right_parenthesis", "v", "w", "w"]
    assert snap_compare(app, terminal_size=SIZE, press=keys)


def test_compare(snap_compare: Any, store: Store, seeded: list[Article]) -> None:
    left, right = seeded[0], seeded[1]
    annotate(store, left)
    annotate(store, right)
    app = app_for(store, left, right)
    assert snap_compare(app, terminal_size=SIZE, press=["tab", "right_parenthesis", "equals_sign"])


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
        await pilot.press("greater_than_sign")
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
