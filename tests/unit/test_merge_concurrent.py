"""Merges against concurrent writers: nothing a user saved is lost to a merge.

A merge decides each record inside its write transaction against the row as it
is then; a local edit is stamped after the stored `updated_at`. The tests make
the other writer commit exactly between a merge's first read and its write (by
wrapping the merge's read of the stored rows), which is where a merge that
planned before writing lost the edit.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from reader.merging import merge
from reader.models import Article
from reader.store import Store
from tests.factories import add_article, record, write_jsonl

TEXT = " ".join(f"Sentence number {i} is here." for i in range(400))


def records(article: Article, count: int, **changes: Any) -> list[dict[str, Any]]:
    made = []
    for i in range(count):
        start = (i * 7) % (len(article.text) - 20)
        made.append(record(article, start, start + 10, id=f"r{i}", **changes))
    return made


def interleave(store: Store, other: Callable[[], None]) -> list[threading.Thread]:
    """Run `other` in a thread right after the merge first reads the stored rows, and
    give it a second to finish before the merge goes on."""
    original = store.annotations_by_id
    started: list[threading.Thread] = []

    def wrapped(ids: Any) -> Any:
        found = original(ids)
        if not started:
            thread = threading.Thread(target=other)
            started.append(thread)
            thread.start()
            thread.join(1.0)  # a merge holding the lock makes `other` wait for it
        return found

    store.annotations_by_id = wrapped  # type: ignore[method-assign]
    return started


def test_an_edit_saved_during_a_merge_survives_it(db_path: Path, tmp_path: Path) -> None:
    with Store(db_path) as store:
        article = add_article(store, TEXT)
        old = records(article, 6000, updated_at="2024-01-01T00:00:00.000000Z", note="old")
        merge(store, [write_jsonl(tmp_path / "old.jsonl", old)])
    new = records(article, 6000, updated_at="2025-01-01T00:00:00.000000Z", note="merged")
    edited = ["r10", "r3000", "r5999"]

    def edit() -> None:
        with Store(db_path) as other:
            for annotation_id in edited:
                other.update_annotation(annotation_id, note="typed in the TUI")

    with Store(db_path) as store:
        threads = interleave(store, edit)
        report = merge(store, [write_jsonl(tmp_path / "new.jsonl", new)])
        for thread in threads:
            thread.join()
        notes = {i: store.annotation(i).note for i in edited}
        assert notes == dict.fromkeys(edited, "typed in the TUI")
        assert store.annotation("r11").note == "merged"
        assert report.updated + report.unchanged == 6000


def test_two_overlapping_merges_end_with_the_newer_version(db_path: Path, tmp_path: Path) -> None:
    with Store(db_path) as store:
        article = add_article(store, TEXT)
    older = write_jsonl(
        tmp_path / "older.jsonl",
        records(article, 3000, updated_at="2025-01-01T00:00:00.000000Z", note="older"),
    )
    newer = write_jsonl(
        tmp_path / "newer.jsonl",
        records(article, 3000, updated_at="2025-06-01T00:00:00.000000Z", note="newer"),
    )

    def merge_newer() -> None:
        with Store(db_path) as other:
            merge(other, [newer])

    with Store(db_path) as store:
        threads = interleave(store, merge_newer)
        merge(store, [older])
        for thread in threads:
            thread.join()
        notes = {store.annotation(f"r{i}").note for i in range(3000)}
    assert notes == {"newer"}


def test_a_future_updated_at_cannot_make_a_later_local_edit_lose(
    store: Store, tmp_path: Path
) -> None:
    article = add_article(store, TEXT)
    future = write_jsonl(
        tmp_path / "future.jsonl",
        [record(article, 0, 8, id="f", note="from 2999", updated_at="2999-01-01T00:00:00Z")],
    )
    merge(store, [future])
    edited = store.update_annotation("f", note="mine")
    assert edited.updated_at > "2999-01-01T00:00:00"
    merge(store, [future])
    assert store.annotation("f").note == "mine"
    deleted = store.delete_annotation("f")
    assert deleted.updated_at > edited.updated_at
    merge(store, [future])
    assert store.annotation("f").deleted


def test_a_resize_after_a_future_record_wins_the_next_merge(store: Store, tmp_path: Path) -> None:
    article = add_article(store, TEXT)
    future = write_jsonl(
        tmp_path / "future.jsonl",
        [record(article, 0, 8, id="f", updated_at="2999-01-01T00:00:00.000000Z")],
    )
    merge(store, [future])
    moved = store.move_annotation(article, "f", 0, 15)  # resize: a local edit as well
    assert moved.updated_at > "2999-01-01T00:00:00"
    merge(store, [future])
    assert (store.annotation("f").start, store.annotation("f").end) == (0, 15)
