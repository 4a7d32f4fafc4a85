"""Notes typed while a large `reader merge` runs in another process: the race the
test (tests/unit/test_merge_race.py) and the benchmark (benchmarks/merge_race.py) run.

The database holds `count` annotations (notes "old", updated 2024); a file brings
the same ids updated 2025 (notes "merged"). `reader merge` runs as a second
process; from its start to its end this process saves notes and deletes the way
the TUI does (one Store call each, stamped now), on records spread over the file.
Each edit is newer than the merged record, so every one must survive the merge,
wherever it fell between the merge's reading of a row and its writing.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reader.models import Annotation, Article
from reader.store import Store
from tests.factories import add_article, record, write_jsonl

TYPED = "typed during the merge"
_STRIDE = 7919  # a prime: k * _STRIDE % count visits every record once
TEXT = " ".join(f"Sentence number {i} is here." for i in range(2000))


@dataclass
class Race:
    count: int
    merge_seconds: float = 0.0
    edit_waits: list[float] = field(default_factory=list)  # each save's time, lock wait included
    edited: dict[str, str] = field(default_factory=dict)  # id -> the note typed
    deleted: list[str] = field(default_factory=list)
    returncode: int = 0
    stderr: str = ""


def _records(article: Article, count: int, **changes: Any) -> list[dict[str, Any]]:
    made = []
    for i in range(count):
        start = (i * 7) % (len(article.text) - 20)
        made.append(record(article, start, start + 10, id=f"r{i}", **changes))
    return made


def prepare(folder: Path, count: int) -> tuple[Path, Path]:
    """(the database with the old versions, the file of the newer ones)."""
    db = folder / "reader.db"
    with Store(db) as store:
        article = add_article(store, TEXT)
        old = "2024-01-01T00:00:00.000000Z"
        store.put_annotations(  # as an earlier merge left them (put directly: faster)
            Annotation.over(
                article.text,
                article.id,
                r["start"],
                r["end"],
                id=r["id"],
                label="claim",
                note="old",
                annotator="ann",
                created_at=old,
                updated_at=old,
                origin="merge",
            )
            for r in _records(article, count)
        )
    new = _records(article, count, updated_at="2025-01-01T00:00:00.000000Z", note="merged")
    return db, write_jsonl(folder / "new.jsonl", new)


def run_race(folder: Path, count: int, pause: float = 0.002) -> Race:
    """Save notes (every tenth a delete) on records spread over the file, one every
    `pause` seconds, from the merge's start to its end: whenever the merge reads and
    writes each row, some of the edits land between the two."""
    db, newer = prepare(folder, count)
    race = Race(count)
    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": str(root)}
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "reader", "--db", str(db), "merge", str(newer)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        with Store(db) as tui:
            k = 0
            while proc.poll() is None and k < count:
                annotation_id = f"r{(k * _STRIDE) % count}"  # distinct, spread over the file
                began = time.perf_counter()
                if k % 10 == 9:
                    tui.delete_annotation(annotation_id)
                    race.deleted.append(annotation_id)
                else:
                    note = f"{TYPED} ({k})"
                    tui.update_annotation(annotation_id, note=note)
                    race.edited[annotation_id] = note
                race.edit_waits.append(time.perf_counter() - began)
                k += 1
                time.sleep(pause)
    finally:
        _, race.stderr = proc.communicate(timeout=600)
    race.merge_seconds = time.perf_counter() - started
    race.returncode = proc.returncode
    return race


def lost(folder: Path, race: Race) -> list[str]:
    """The edits the merge undid: notes not as typed, deleted ones alive again."""
    with Store(folder / "reader.db") as store:
        found = store.annotations_by_id([*race.edited, *race.deleted])
    gone = [i for i, note in race.edited.items() if found[i].note != note]
    return gone + [i for i in race.deleted if not found[i].deleted]
