"""Decisions on suggestions, learned weights and rejections (reader.suggest_store)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from reader import suggest_store
from reader.errors import NotFound, ReaderError, StoreError
from reader.history import History
from reader.models import Article
from reader.store import SCHEMA_VERSION, Store, connection
from reader.store.schema import PASSAGE_TABLES
from reader.suggest import PRIOR_STRENGTH, Suggestion, learned_weight, suggestions
from reader.suggest_cues import load_cues
from tests import factories
from tests.factories import drop_kept_counts, table_dump, without_root_powers

TEXT = (
    "The storm could reach Leeds by Sunday. The minister resigned on Friday, aides said.\n\n"
    "Critics called it a disgraceful decision. Prices might rise again next year."
)


@pytest.fixture
def article(store: Store) -> Article:
    return factories.add_article(store, TEXT)


def suggested(store: Store, article: Article) -> list[Suggestion]:
    weights, rejected = suggest_store.load_for_article(store, article.id)
    spans = [(a.start, a.end) for a in store.annotations(article.id)]
    return suggestions(article.text, spans, weights, rejected)


def first(store: Store, article: Article, label: str) -> Suggestion:
    return next(s for s in suggested(store, article) if s.label == label)


def prior(name: str) -> float:
    return next(cue.weight for cue in load_cues() if cue.name == name)


def stats_of(store: Store, name: str) -> suggest_store.CueStats:
    return next(s for s in suggest_store.cue_stats(store) if s.name == name)


def test_a_decision_is_stored_with_its_cues(store: Store, article: Article) -> None:
    s = first(store, article, "speculation")
    decision = suggest_store.record_decision(
        store, article.id, s, True, "speculation", annotator="ana"
    )
    (row,) = suggest_store.decisions(store)
    assert row["id"] == decision
    assert (row["start"], row["end"], row["label"]) == (s.start, s.end, s.label)
    assert (row["outcome"], row["chosen_label"], row["annotator"]) == (
        "accept",
        "speculation",
        "ana",
    )
    assert row["cues"] == '["could"]' and row["score"] == pytest.approx(s.score)


def test_stats_count_fires_accepts_relabels_and_rejects(store: Store, article: Article) -> None:
    could, might = (s for s in suggested(store, article) if s.label == "speculation")
    suggest_store.record_decision(store, article.id, could, True)
    suggest_store.record_decision(store, article.id, might, True, "opinion")  # relabelled
    claim = first(store, article, "claim")
    suggest_store.reject(store, article.id, claim)
    assert (stats_of(store, "could").fires, stats_of(store, "could").accepts) == (1, 1)
    m = stats_of(store, "might")
    assert (m.fires, m.accepts, m.relabels, m.rejects) == (1, 0, 1, 0)
    for name in claim.cues:
        s = stats_of(store, name)
        assert (s.fires, s.accepts, s.rejects) == (1, 0, 1)
    untouched = stats_of(store, "rumoured")
    assert (untouched.fires, untouched.weight) == (0, untouched.prior)


def test_weights_follow_the_acceptance_rate_shrunk_toward_the_prior(
    store: Store, article: Article
) -> None:
    s = first(store, article, "speculation")
    assert s.cues == ("could",)
    weights = [suggest_store.load_weights(store)["could"]]
    for _ in range(30):  # the same cue rejected again and again (other spans, same cue)
        suggest_store.record_decision(store, article.id, s, False)
        weights.append(suggest_store.load_weights(store)["could"])
    assert weights[0] == prior("could")
    assert weights == sorted(weights, reverse=True) and len(set(weights)) == len(weights)
    # shrinkage: one reject moves it by a fraction, thirty bring it near the rate (0)
    assert weights[1] == pytest.approx(learned_weight(prior("could"), 0, 1))
    assert weights[1] > prior("could") / 2 and weights[-1] < 0.1
    for _ in range(60):
        suggest_store.record_decision(store, article.id, s, True)
    # 60 accepts of 90: toward 2/3, still pulled a little toward the prior
    rate, now = 60 / 90, suggest_store.load_weights(store)["could"]
    assert abs(now - rate) < abs(prior("could") - rate) and abs(now - rate) < 0.02
    assert now == pytest.approx((prior("could") * PRIOR_STRENGTH + 60) / (PRIOR_STRENGTH + 90))


def test_learned_weights_change_what_is_suggested(store: Store, article: Article) -> None:
    s = first(store, article, "speculation")
    other = Suggestion(s.start, s.end, "speculation", s.score, ("could",))
    for _ in range(20):
        suggest_store.record_decision(store, article.id, other, False)
    labels = {(x.start, x.label) for x in suggested(store, article)}
    assert (s.start, "speculation") not in labels  # rejected, and "could" lost its weight


def test_a_rejected_suggestion_never_comes_back(
    db_path: Path, store: Store, article: Article
) -> None:
    s = first(store, article, "claim")
    decision = suggest_store.reject(store, article.id, s, "ana")
    assert s not in suggested(store, article)
    store.close()
    with Store(db_path) as reopened:  # remembered in the database
        assert suggest_store.load_rejected(reopened, article.id) == {s.key}
        assert s.key not in {x.key for x in suggested(reopened, article)}
        suggest_store.forget_decision(reopened, decision)  # undo
        assert s in suggested(reopened, article)


def test_an_accepted_suggestion_is_an_annotation_with_origin_suggested(
    store: Store, article: Article
) -> None:
    history = History(store, article, "ana")
    s = first(store, article, "speculation")
    change, annotation, decision = suggest_store.accept(history, s)
    assert change is not None and decision > 0
    stored = store.annotation(annotation.id)
    assert (stored.start, stored.end, stored.label, stored.origin) == (
        s.start,
        s.end,
        "speculation",
        "suggested",
    )
    assert stored.quote == article.text[s.start : s.end]
    assert s not in suggested(store, article)  # covered by an annotation now
    history.undo()
    back = {x.key: x for x in suggested(store, article)}  # the tag is gone: it is back,
    assert back[s.key].score > s.score  # and scores higher: "could" was accepted


def test_accepting_with_another_label_is_a_relabel(store: Store, article: Article) -> None:
    history = History(store, article, "ana")
    s = first(store, article, "speculation")
    _, annotation, _ = suggest_store.accept(history, s, "opinion")
    assert (annotation.label, annotation.origin) == ("opinion", "suggested")
    (row,) = suggest_store.decisions(store)
    assert (row["label"], row["outcome"], row["chosen_label"]) == (
        "speculation",
        "relabel",
        "opinion",
    )


def test_bad_decisions_are_refused_and_nothing_is_stored(store: Store, article: Article) -> None:
    s = first(store, article, "claim")
    with pytest.raises(NotFound):
        suggest_store.record_decision(store, "nosuch", s, True)
    outside = Suggestion(0, len(TEXT) + 5, "claim", 0.9, ("said",))
    with pytest.raises(ReaderError, match="outside the article"):
        suggest_store.record_decision(store, article.id, outside, False)
    with pytest.raises(NotFound, match="no label"):
        suggest_store.record_decision(store, article.id, s, True, "bogus")
    assert suggest_store.decisions(store) == []


def _as_version_1(path: Path) -> None:
    """The database as a reader before suggestions left it: no decisions table."""
    conn = sqlite3.connect(path)
    for table in (*PASSAGE_TABLES, suggest_store.TABLE, "article_work", "histories", "settings"):
        conn.execute(f"DROP TABLE {table}")  # what versions 2, 3 and 6 added
    drop_kept_counts(conn)  # what version 4 added
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()


def test_schema_2_has_the_table_and_migrates_a_version_1_database(
    db_path: Path, store: Store, article: Article
) -> None:
    assert store.schema_version == SCHEMA_VERSION >= 2 and store.has_decisions_table()
    store.close()
    _as_version_1(db_path)
    with Store(db_path) as migrated:
        assert migrated.schema_version == SCHEMA_VERSION and migrated.has_decisions_table()
        assert migrated.articles()[0].id == article.id  # the data kept
        suggest_store.reject(migrated, article.id, first(migrated, article, "claim"))
        assert len(suggest_store.decisions(migrated)) == 1


def test_a_version_1_database_that_cannot_be_written_reads_as_no_decisions(
    db_path: Path, store: Store, article: Article, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.close()
    _as_version_1(db_path)

    def read_only(*_: object) -> None:
        raise StoreError(f"the database {db_path} is read-only; nothing was changed")

    monkeypatch.setattr(connection, "migrate", read_only)
    with Store(db_path) as old:
        assert old.schema_version == 1 and not old.has_decisions_table()
        assert suggest_store.load_for_article(old, article.id)[1] == set()
        assert all(s.fires == 0 for s in suggest_store.cue_stats(old))
        assert suggest_store.decisions(old) == []
        suggest_store.forget_decision(old, 1)
        assert not old.has_decisions_table()  # reading never made it
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    conn.close()


def test_a_locked_migration_is_still_an_error(
    db_path: Path, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.close()
    _as_version_1(db_path)

    def locked(*_: object) -> None:
        raise StoreError(f"the database {db_path} is locked by another program; try again")

    monkeypatch.setattr(connection, "migrate", locked)
    with pytest.raises(StoreError, match="locked"):
        Store(db_path)


def test_suggest_stats_on_a_read_only_version_1_database(
    db_path: Path, store: Store, article: Article, tmp_path: Path
) -> None:
    """A real read-only file (and folder): `reader suggest --stats` reads, never writes."""
    prefix = without_root_powers()
    if prefix is None:
        pytest.skip("running as root without setpriv: permissions cannot be made to bind")
    store.close()
    _as_version_1(db_path)
    table_dump(db_path)  # leaves -wal and -shm, as a reader that only read it does
    before = table_dump(db_path)
    folder = db_path.parent
    for p in folder.iterdir():
        p.chmod(0o444)
    folder.chmod(0o555)
    try:
        proc = subprocess.run(
            [*prefix, sys.executable, "-m", "reader", "--db", str(db_path), "suggest", "--stats"],
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        folder.chmod(0o755)
        for p in folder.iterdir():
            p.chmod(0o644)
    assert proc.returncode == 0, proc.stderr
    assert "could" in proc.stdout
    assert table_dump(db_path) == before


def test_deleting_the_article_deletes_its_decisions(store: Store, article: Article) -> None:
    suggest_store.reject(store, article.id, first(store, article, "claim"))
    store.delete_article(article.id)
    assert suggest_store.decisions(store) == []


def test_cues_no_longer_in_the_cue_file_are_still_counted(store: Store, article: Article) -> None:
    s = first(store, article, "claim")
    renamed = Suggestion(s.start, s.end, s.label, s.score, ("an old cue",))
    suggest_store.reject(store, article.id, renamed)
    old = stats_of(store, "an old cue")
    assert (old.fires, old.rejects, old.prior, old.weight) == (1, 1, None, None)
    assert "an old cue" not in suggest_store.load_weights(store)
