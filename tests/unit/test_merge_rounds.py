"""merge() in short write transactions: the time bound changes nothing but where the
transactions end.

Records are placed outside any transaction and decided inside one of about
merging.WRITE_BUDGET_S. With a budget of 0 every transaction takes one chunk, so a
tiny CHUNK makes many of them: the result must be that of one long transaction, an
edit committed between two of them must be decided against (never undone), and a
merge cut short must leave a consistent database that merging again completes.
"""

from __future__ import annotations

import math
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from reader import merging
from reader.errors import ReaderError
from reader.merging import merge
from reader.models import Article
from reader.store import Store
from tests.factories import add_article, record, write_jsonl
from tests.merge_race import prepare

TEXT = " ".join(f"Sentence number {i} is here." for i in range(200))
OLD = "2024-01-01T00:00:00.000000Z"
NEW = "2025-01-01T00:00:00.000000Z"


def tiny_rounds(monkeypatch: pytest.MonkeyPatch, chunk: int) -> list[int]:
    """A zero time budget and `chunk` records a chunk; the sizes of the transactions
    the merge then makes (each one call of _write_round)."""
    monkeypatch.setattr(merging, "WRITE_BUDGET_S", 0.0)
    monkeypatch.setattr(merging, "CHUNK", chunk)
    sizes: list[int] = []
    original = merging._write_round

    def counted(store: Store, pending: list[Any], report: merging.MergeReport) -> int:
        written = original(store, pending, report)
        sizes.append(written)
        return written

    monkeypatch.setattr(merging, "_write_round", counted)
    return sizes


def mixed_records(article: Article) -> list[dict[str, Any]]:
    """A file with everything a merge decides: new and repeated ids (older and newer
    copies far apart), a label in another case, a label to create, a tombstone, stale
    offsets to re-anchor, a quote not in the text, an unknown article."""
    made: list[dict[str, Any]] = []
    for i in range(30):
        start = i * 11
        made.append(record(article, start, start + 8, id=f"r{i}", note=f"first {i}"))
    made.append(record(article, 0, 8, id="r3", updated_at="2026-01-01T00:00:00Z", note="newer"))
    made.append(record(article, 11, 19, id="r1", updated_at="2020-01-01T00:00:00Z", note="older"))
    made.append(record(article, 40, 52, id="case", label="Claim"))
    made += [record(article, 60 + i, 70 + i, id=f"h{i}", label="hedge") for i in range(4)]
    made.append(record(article, 80, 90, id="gone", deleted_at=NEW))
    stale = record(article, 100, 108, id="moved")
    made.append({**stale, "start": 3, "end": 11})
    made.append(record(article, 5, 9, id="lost", text="not in the text"))
    made.append(record(article, 5, 9, id="orphan", article_id="f" * 12, article_sha256=None))
    return made


def contents(store: Store) -> tuple[list[Any], list[Any], list[Any]]:
    """The annotations (tombstones too), the labels and the kept counts."""
    return (
        list(store.annotation_rows(include_deleted=True)),
        [(label.name, label.key) for label in store.labels()],
        store.kept_counts(),
    )


@pytest.mark.parametrize("chunk", [1, 2, 5])
def test_a_tiny_time_budget_gives_the_result_of_one_long_transaction(
    chunk: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    results = []
    for name, bounded in (("long", False), ("bounded", True)):
        with Store(tmp_path / f"{name}.db") as store:
            article = add_article(store, TEXT)
            path = write_jsonl(tmp_path / "mixed.jsonl", mixed_records(article))
            sizes = tiny_rounds(monkeypatch, chunk) if bounded else []
            report = merge(store, [path])
            again = merge(store, [path])  # idempotent: all unchanged, nothing created
            results.append((report.as_json(1), contents(store)))
            assert again.added == again.updated == 0 and not again.created_labels
            assert again.unchanged == report.added + report.updated + report.unchanged
    (report_long, stored_long), (report_bounded, stored_bounded) = results
    assert stored_bounded == stored_long
    assert report_bounded == report_long
    assert report_long["new_labels"] == ["hedge"] and report_long["mapped_labels"]
    assert report_long["reanchored"] == 1 and report_long["skipped"] == 2
    placed = len(mixed_records(article)) - 2
    assert sizes[: math.ceil(placed / chunk)] == [chunk] * (placed // chunk) + (
        [placed % chunk] if placed % chunk else []
    )  # the first merge: one chunk a transaction


def test_an_edit_between_two_transactions_is_decided_against_never_undone(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After each transaction, another process edits (or deletes) a record the merge
    has already placed but not yet decided: the merge must compare with the edit."""
    with Store(db_path) as store:
        article = add_article(store, TEXT)
        old = [record(article, i * 7, i * 7 + 9, id=f"r{i}", updated_at=OLD) for i in range(41)]
        merge(store, [write_jsonl(tmp_path / "old.jsonl", old)])
    new = [{**r, "updated_at": NEW, "note": "merged"} for r in old]
    sizes = tiny_rounds(monkeypatch, 3)
    between = merging._write_round
    edited: dict[str, str] = {}
    deleted: list[str] = []

    def then_edit(store: Store, pending: list[Any], report: merging.MergeReport) -> int:
        written = between(store, pending, report)
        if len(pending) > written:
            target = pending[written].annotation.id  # placed, not yet decided
            with Store(db_path) as tui:
                if (len(edited) + len(deleted)) % 3 == 2:
                    tui.delete_annotation(target)
                    deleted.append(target)
                else:
                    edited[target] = f"typed between transactions {len(edited)}"
                    tui.update_annotation(target, note=edited[target])
        return written

    monkeypatch.setattr(merging, "_write_round", then_edit)
    with Store(db_path) as store:
        report = merge(store, [write_jsonl(tmp_path / "new.jsonl", new)])
        found = store.annotations_by_id(f"r{i}" for i in range(41))
        assert len(edited) + len(deleted) >= 5, "too few edits fell between transactions"
        assert {i: found[i].note for i in edited} == edited
        assert all(found[i].deleted for i in deleted)
        rest = set(found) - set(edited) - set(deleted)
        assert {found[i].note for i in rest} == {"merged"}  # the rest went in
        assert report.unchanged == len(edited) + len(deleted)
        assert report.updated + report.unchanged == 41
        assert store.kept_counts() == store.counts_from_annotations()
    assert len(sizes) >= math.ceil(41 / 3)  # many transactions, each one chunk
    assert max(sizes) == 3


def test_a_merge_failing_half_way_keeps_whole_transactions_and_a_rerun_finishes(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    article = add_article(store, TEXT)
    made = [record(article, i * 5, i * 5 + 9, id=f"r{i}", label="hedge") for i in range(20)]
    path = write_jsonl(tmp_path / "a.jsonl", made)
    tiny_rounds(monkeypatch, 4)
    put = store.put_annotations
    calls: list[int] = []

    def fails_third(annotations: Any) -> int:
        calls.append(1)
        if len(calls) == 3:
            raise sqlite3.OperationalError("disk I/O error")
        return put(annotations)

    monkeypatch.setattr(store, "put_annotations", fails_third)
    with pytest.raises(ReaderError):
        merge(store, [path])
    stored = store.annotations_by_id(f"r{i}" for i in range(20))
    assert sorted(stored, key=lambda i: int(i[1:])) == [f"r{i}" for i in range(8)]
    assert "hedge" in {label.name for label in store.labels()}  # with its first records
    assert store.kept_counts() == store.counts_from_annotations()
    monkeypatch.setattr(store, "put_annotations", put)
    report = merge(store, [path])
    assert (report.added, report.unchanged, report.created_labels) == (12, 8, [])
    assert len(store.annotations_by_id(f"r{i}" for i in range(20))) == 20


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="kill -9 of a child: Linux")
def test_a_merge_killed_mid_way_leaves_a_consistent_database_a_rerun_completes(
    tmp_path: Path,
) -> None:
    count = 20_000
    db, newer = prepare(tmp_path, count)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    command = [sys.executable, "-m", "reader", "--db", str(db), "merge", str(newer)]
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    merged = 0
    with Store(db) as store:
        deadline = time.monotonic() + 60
        while merged == 0 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)
            merged = _merged(store)
        os.kill(proc.pid, signal.SIGKILL)
        proc.communicate()
        merged = _merged(store)
        assert 0 < merged < count, "the merge was not cut short half-way"
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert store.kept_counts() == store.counts_from_annotations()
    again = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert "0 added" in again.stdout and f"{count - merged} updated" in again.stdout
    with Store(db) as store:
        assert _merged(store) == count


def _merged(store: Store) -> int:
    row = store.conn.execute("SELECT count(*) FROM annotations WHERE note = 'merged'").fetchone()
    return int(row[0])


def test_an_article_deleted_between_two_transactions_skips_its_records(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The TUI deletes an article (`d` in the library) while the merge runs: its
    records still to be written are skipped and reported, the others go in, and
    the merge does not stop with "nothing was changed" after committing some."""
    with Store(db_path) as store:
        kept = add_article(store, TEXT)
        doomed = add_article(store, TEXT + " And one more sentence.")
    made = [
        record(article, i * 7, i * 7 + 9, id=f"{article.id[:4]}-{i}")
        for i in range(12)
        for article in (kept, doomed)
    ]
    tiny_rounds(monkeypatch, 4)
    between = merging._write_round

    def then_delete(store: Store, pending: list[Any], report: merging.MergeReport) -> int:
        written = between(store, pending, report)
        with Store(db_path) as tui:
            if tui.present_articles([doomed.id]):
                tui.delete_article(doomed.id)
        return written

    monkeypatch.setattr(merging, "_write_round", then_delete)
    with Store(db_path) as store:
        report = merge(store, [write_jsonl(tmp_path / "both.jsonl", made)])
        stored = store.annotations_by_id(r["id"] for r in made)
        assert {a.article_id for a in stored.values()} == {kept.id}
        assert len(stored) == 12  # every record of the article still there
        assert report.skipped == 12 - 2  # the first transaction wrote two of the other's
        assert all(f"article {doomed.id} was deleted" in p for p in report.problems)
        assert store.kept_counts() == store.counts_from_annotations()
