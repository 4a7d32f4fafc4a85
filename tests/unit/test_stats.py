"""`reader stats`: per annotator, articles annotated, counts per label, agreement; --json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from reader.agreement import agreement
from reader.cli import cli
from reader.stats import annotator_stats
from reader.store import Store
from tests.factories import add_article


def test_stats_per_annotator(store: Store, db_path: Path) -> None:
    first = add_article(store, "Microsoft said the deal is big. It is, said OpenAI.", "First")
    second = add_article(store, "OpenAI teams up with Stargate for $500 billion.", "Second")
    store.add_annotation(first, 0, 31, "claim", "ana")
    store.add_annotation(first, 32, 51, "opinion", "ana")
    store.add_annotation(second, 0, 10, "speculation", "ana")
    store.add_annotation(first, 0, 31, "claim", "ben")
    store.delete_annotation(store.add_annotation(second, 0, 5, "claim", "ben").id)
    nobody = add_article(store, "Nobody tagged this one.", "Third")
    for article in (first, second, nobody):  # D in the library; ben tagged only the first
        store.set_status(article.id, "done")
    alpha = agreement(store).overall("ana", "ben").char_alpha
    assert alpha is not None

    out = CliRunner().invoke(cli, ["--db", str(db_path), "stats"]).stdout
    assert out.index("per annotator:") < out.index("annotators:")  # the old lines stay first
    detail = out.split("annotators:")[1].splitlines()
    assert detail[1:] == [
        "  ana: 2 articles annotated, 2 done",
        "      claim 1, opinion 1, speculation 1",
        f"      agreement (alpha, all labels): ben {alpha:.3f}",
        "  ben: 1 article annotated, 1 done",
        "      claim 1, opinion 0, speculation 0",
        f"      agreement (alpha, all labels): ana {alpha:.3f}",
    ]

    data = json.loads(CliRunner().invoke(cli, ["--db", str(db_path), "stats", "--json"]).stdout)
    assert list(data) == ["annotations", "deleted", "per_label", "per_article", "per_annotator"]
    assert (data["annotations"], data["deleted"]) == (4, 1)
    assert data["per_label"] == {"claim": 2, "opinion": 1, "speculation": 1}
    assert data["per_article"] == [
        {"id": first.id, "title": "First", "count": 3},
        {"id": second.id, "title": "Second", "count": 1},
    ]
    ana, ben = data["per_annotator"]
    assert ana == {
        "annotator": "ana",
        "annotations": 3,
        "articles_annotated": 2,
        "articles_done": 2,
        "per_label": {"claim": 1, "opinion": 1, "speculation": 1},
        "agreement": {"ben": alpha},
    }
    assert (ben["annotator"], ben["articles_annotated"], ben["articles_done"]) == ("ben", 1, 1)
    assert ben["agreement"] == {"ana": alpha}


def test_articles_done_follow_the_status(store: Store, db_path: Path) -> None:
    """Done is the article's status here: unmarking it takes it off every count."""
    article = add_article(store, "Microsoft said the deal is big.", "First")
    store.add_annotation(article, 0, 9, "claim", "ana")
    store.add_annotation(article, 0, 9, "claim", "ben")

    def done() -> dict[str, int]:
        return {e.annotator: e.articles_done for e in annotator_stats(store)}

    assert done() == {"ana": 0, "ben": 0}
    store.set_status(article.id, "done")
    assert done() == {"ana": 1, "ben": 1}
    store.set_status(article.id, "in progress")
    assert done() == {"ana": 0, "ben": 0}


def test_stats_of_an_empty_database(db_path: Path) -> None:
    Store(db_path).close()  # made, empty (a missing one is an error for a read command)
    data = json.loads(CliRunner().invoke(cli, ["--db", str(db_path), "stats", "--json"]).stdout)
    assert data["per_annotator"] == [] and data["annotations"] == 0
    assert "annotators:" not in CliRunner().invoke(cli, ["--db", str(db_path), "stats"]).stdout


def test_stats_read_only_the_articles_two_annotators_share(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Counts from the kept counts; agreement from the shared articles alone, and
    the figures those of the agreement over every article."""
    from reader import stats

    a = add_article(store, "One sentence here. Another one there.", "A")
    b = add_article(store, "Only Ann read this one. Twice over.", "B")
    store.add_annotation(a, 0, 18, "claim", "ann")
    store.add_annotation(a, 0, 18, "claim", "bob")
    store.add_annotation(a, 19, 37, "opinion", "bob")
    store.add_annotation(b, 0, 23, "opinion", "ann")
    store.add_annotation(b, 24, 35, "claim", "cy")  # cy shares nothing with bob
    c = add_article(store, "Bob alone here. Nobody else.", "C")
    store.add_annotation(c, 0, 15, "speculation", "bob")  # no pair's unit: not read
    read: list[object] = []
    load = stats.load_documents

    def loading(store_: Store, article_ids: object = None) -> object:
        read.append(sorted(article_ids))  # type: ignore[call-overload]
        return load(store_, article_ids)  # type: ignore[arg-type]

    monkeypatch.setattr(stats, "load_documents", loading)
    entries = {e.annotator: e for e in stats.annotator_stats(store)}
    assert read == [sorted([a.id, b.id])]  # both shared; no whole-table read
    assert (entries["ann"].annotations, entries["ann"].articles_annotated) == (2, 2)
    assert entries["bob"].per_label == {"claim": 1, "opinion": 1, "speculation": 1}
    full = agreement(store)
    assert entries["ann"].agreement["bob"] == full.overall("ann", "bob").char_alpha  # type: ignore[union-attr]
    assert "cy" in entries["bob"].agreement and entries["bob"].agreement["cy"] is None
