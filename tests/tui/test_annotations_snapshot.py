"""Snapshots of the workspace's annotations screen at 120x40 and 80x24 (see test_snapshots)."""

from __future__ import annotations

from typing import Any

import pytest

from reader.models import Article
from reader.store import Store
from tests.tui.app_support import app_for, sentences


def annotate(store: Store, articles: list[Article]) -> None:
    """Tags over three articles by two annotators, a note that looks like markup."""
    for n, article in enumerate(articles[:3]):
        for i, (start, end) in enumerate(sentences(article, 4)):
            made = store.add_annotation(
                article, start, end, ("claim", "opinion", "speculation")[(i + n) % 3],
                "ana" if i % 2 else "ben",
            )  # fmt: skip
            if i == 1:
                store.update_annotation(made.id, note="check [red]this[/red] source")


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
def test_annotations_screen(
    snap_compare: Any, store: Store, seeded: list[Article], size: tuple[int, int]
) -> None:
    annotate(store, seeded)
    app = app_for(store)

    async def run_before(pilot: Any) -> None:
        await pilot.pause()  # the library's table has the focus
        await pilot.press("a")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("2")  # opinions only
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("j")
        assert type(pilot.app.screen).__name__ == "AnnotationsScreen"

    assert snap_compare(app, terminal_size=size, run_before=run_before)
