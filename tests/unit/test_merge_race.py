"""Notes typed (and annotations deleted) while `reader merge` of many records runs in
another process survive it. 20,000 records here; `python benchmarks/merge_race.py`
runs the issue's 150,000."""

from __future__ import annotations

from pathlib import Path

from reader.store import Store
from tests.merge_race import lost, run_race


def test_edits_saved_during_a_large_merge_in_another_process_survive(tmp_path: Path) -> None:
    race = run_race(tmp_path, 20_000)
    assert race.returncode == 0, race.stderr
    assert len(race.edited) + len(race.deleted) >= 20, "too few edits raced the merge"
    assert lost(tmp_path, race) == []
    with Store(tmp_path / "reader.db") as store:
        untouched = {f"r{i}" for i in range(0, 20_000, 97)} - set(race.edited) - set(race.deleted)
        notes = {a.note for a in store.annotations_by_id(untouched).values()}
    assert notes == {"merged"}  # the rest of the merge went in
