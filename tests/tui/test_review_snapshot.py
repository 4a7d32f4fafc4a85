"""Snapshot of the review screen at 120x40 (pytest-textual-snapshot): ana's and
ben's versions side by side, the current disagreement selected in both panes,
its versions under them, "N of M left". Update after a deliberate change with
`pytest tests/tui/test_review_snapshot.py --snapshot-update` and read the SVG."""

from __future__ import annotations

from typing import Any

from reader.models import Article
from reader.store import Store
from reader.tui.app import ReaderApp
from tests.tui.app_support import SIZE
from tests.tui.test_app_review import two_versions


def test_review(snap_compare: Any, store: Store, seeded: list[Article]) -> None:
    article = seeded[0]
    two_versions(store, article)
    app = ReaderApp(store, "tester", [], (article.id, "ana", "ben", "gold"))
    # one decided (ana's), on to the second: an extent the two drew differently
    assert snap_compare(app, terminal_size=SIZE, press=["a"])
