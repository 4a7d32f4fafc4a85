"""Issue 13's "done when", tried as a team would, through the review: two
workspaces tag the sample, sync, carry the files over; the lead reviews in the
TUI; the gold annotations export with origin `adjudicated` and reach the other
workspace when synced as gold."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from reader.cli import cli
from reader.history import History
from reader.tui.app import ReaderApp
from reader.tui.screens.review import ReviewScreen
from tests.tui.app_support import SIZE, screen_text
from tests.unit.test_sync import carry, sample, sentence, store_of, sync, workspace


async def test_two_workspaces_then_review_then_gold_travels(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("READER_DB", raising=False)  # each workspace its own database
    ana_ws, ben_ws = workspace(tmp_path, "ana"), workspace(tmp_path, "ben")
    for root, who in [(ana_ws, "ana"), (ben_ws, "ben")]:
        assert sync(root, who, monkeypatch).exit_code == 0
    with store_of(ana_ws) as store:
        history = History(store, sample(store), "ana")
        history.tag(*sentence(sample(store), "It’s likely you’ve heard that OpenAI"), "claim")
        history.tag(*sentence(sample(store), "This massive project"), "opinion")
    with store_of(ben_ws) as store:
        history = History(store, sample(store), "ben")
        history.tag(*sentence(sample(store), "It’s likely you’ve heard that OpenAI"), "claim")
        history.tag(*sentence(sample(store), "This massive project, valued"), "speculation")
    for root, who in [(ana_ws, "ana"), (ben_ws, "ben")]:
        sync(root, who, monkeypatch)
    carry(ana_ws, ben_ws, "ana.jsonl")
    carry(ben_ws, ana_ws, "ben.jsonl")
    sync(ana_ws, "ana", monkeypatch)

    # in ana's workspace: the review, as `reader review` opens it
    with store_of(ana_ws) as store:
        article = sample(store)
        app = ReaderApp(store, "ana", [], (article.id, "ana", "ben", "gold"))
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, ReviewScreen)
            assert "1 of 1 left" in screen_text(app)  # the claim agreed; one stretch not
            await pilot.press("b")
            assert "0 of 1 left" in screen_text(app)

    monkeypatch.chdir(ana_ws)
    out = CliRunner().invoke(cli, ["export"]).stdout
    gold = [r for r in map(json.loads, out.splitlines()) if r["annotator"] == "gold"]
    assert [(r["label"], r["origin"]) for r in gold] == [
        ("claim", "adjudicated"),
        ("speculation", "adjudicated"),
    ]
    assert gold[1]["note"].endswith("from ben")

    # the result shared as any annotator's: synced as gold, carried, merged
    result = sync(ana_ws, "gold", monkeypatch)
    assert "wrote annotations/gold.jsonl (2 lines)" in result.stdout
    carry(ana_ws, ben_ws, "gold.jsonl")
    assert "merged annotations/gold.jsonl: 2 added" in sync(ben_ws, "ben", monkeypatch).stdout
    with store_of(ben_ws) as store:
        there = [x for x in store.annotations(sample(store).id) if x.annotator == "gold"]
    assert sorted((x.label, x.origin) for x in there) == [
        ("claim", "adjudicated"),
        ("speculation", "adjudicated"),
    ]
