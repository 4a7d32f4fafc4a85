"""JSONL export: the two formats, their order, filters, bytes and atomic files."""

from __future__ import annotations

import io
import json
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader import exporting
from reader.errors import ReaderError
from reader.exporting import export, export_to_file
from reader.models import Article
from reader.store import Store
from reader.store import export as store_export
from tests.factories import add_article

ANNOTATION_KEYS = [
    "id", "article_id", "article_title", "article_source", "article_sha256", "start", "end",
    "text", "prefix", "suffix", "label", "note", "annotator", "created_at", "updated_at",
    "origin",
]  # fmt: skip
SPAN_KEYS = ["id", "start", "end", "label", "text", "note", "annotator"]


def dump(store: Store, **kwargs: object) -> str:
    out = io.StringIO()
    count = export(store, out, **kwargs)  # type: ignore[arg-type]
    text = out.getvalue()
    assert count == text.count("\n")
    return text


@pytest.fixture
def two(store: Store) -> tuple[Article, Article]:
    first = add_article(
        store, "Microsoft 👩‍👩‍👧 said 中文 the café deal is big. Nobody knows.", "First"
    )
    second = add_article(store, "OpenAI said Stargate costs $500 billion.", "Second", None)
    return first, second


def test_annotations_format_keys_values_and_order(
    store: Store, two: tuple[Article, Article]
) -> None:
    first, second = two
    b = store.add_annotation(second, 0, 6, "claim", "ann", note="a note")
    a2 = store.add_annotation(first, 10, 18, "opinion", "ann")
    a1 = store.add_annotation(first, 0, 9, "claim", "ann")
    lines = dump(store).split("\n")[:-1]
    records = [json.loads(line) for line in lines]
    assert all(list(r) == ANNOTATION_KEYS for r in records)
    expected_order = sorted(
        [(first.id, a1), (first.id, a2), (second.id, b)], key=lambda p: (p[0], p[1].start)
    )
    assert [r["id"] for r in records] == [p[1].id for p in expected_order]
    by_id = {r["id"]: r for r in records}
    r = by_id[a2.id]
    assert r["text"] == first.text[10:18] == a2.quote
    assert (r["article_title"], r["article_source"], r["article_sha256"]) == (
        "First",
        "Wire",
        first.sha256,
    )
    assert (r["prefix"], r["suffix"]) == (a2.prefix, a2.suffix)
    assert (r["label"], r["note"], r["annotator"], r["origin"]) == (
        "opinion",
        None,
        "ann",
        "manual",
    )
    assert (r["created_at"], r["updated_at"]) == (a2.created_at, a2.updated_at)
    assert by_id[b.id]["note"] == "a note" and by_id[b.id]["article_source"] is None


def test_output_is_raw_utf8_with_newlines_and_deterministic(
    store: Store, two: tuple[Article, Article]
) -> None:
    first, _ = two
    start = first.text.index("👩")
    store.add_annotation(first, start, first.text.index("中文") + 2, "claim", "ann")
    text = dump(store)
    assert "👩‍👩‍👧 said 中文" in text  # not \\u escaped
    assert text.endswith("\n") and "\r" not in text
    assert dump(store) == text


def test_same_start_sorted_by_end_then_id(store: Store, two: tuple[Article, Article]) -> None:
    first, _ = two
    made = [store.add_annotation(first, 0, end, "claim", "ann") for end in (9, 5, 9, 5)]
    ids = [json.loads(line)["id"] for line in dump(store).split("\n")[:-1]]
    assert ids == [a.id for a in sorted(made, key=lambda a: (a.end, a.id))]


def test_tombstones_only_with_include_deleted(store: Store, two: tuple[Article, Article]) -> None:
    first, _ = two
    kept = store.add_annotation(first, 0, 9, "claim", "ann")
    gone = store.add_annotation(first, 10, 14, "claim", "ann")
    store.delete_annotation(gone.id)
    assert [json.loads(x)["id"] for x in dump(store).split("\n")[:-1]] == [kept.id]
    records = [json.loads(x) for x in dump(store, include_deleted=True).split("\n")[:-1]]
    assert [r["id"] for r in records] == [kept.id, gone.id]
    assert all(list(r) == [*ANNOTATION_KEYS, "deleted_at"] for r in records)
    assert records[0]["deleted_at"] is None and records[1]["deleted_at"]


def test_filters_by_article_and_label(store: Store, two: tuple[Article, Article]) -> None:
    first, second = two
    a = store.add_annotation(first, 0, 9, "claim", "ann")
    b = store.add_annotation(first, 10, 14, "opinion", "ann")
    c = store.add_annotation(second, 0, 6, "opinion", "ann")

    def ids(**kw: object) -> set[str]:
        return {json.loads(x)["id"] for x in dump(store, **kw).split("\n")[:-1]}

    assert ids(article_ids=[first.id]) == {a.id, b.id}
    assert ids(labels=["opinion"]) == {b.id, c.id}
    assert ids(article_ids=[second.id], labels=["claim"]) == set()
    assert ids(article_ids=[], labels=None) == set()
    assert ids() == {a.id, b.id, c.id}


def test_spans_format(store: Store, two: tuple[Article, Article]) -> None:
    first, second = two
    s2 = store.add_annotation(first, 10, 14, "opinion", "ann", note="hm")
    s1 = store.add_annotation(first, 0, 9, "claim", "ann")
    store.add_annotation(second, 0, 6, "claim", "bob")
    lines = dump(store, fmt="spans").split("\n")[:-1]
    records = [json.loads(line) for line in lines]
    assert [r["article_id"] for r in records] == sorted([first.id, second.id])
    r = next(x for x in records if x["article_id"] == first.id)
    keys = ["article_id", "title", "author", "source", "url", "published", "text", "status"]
    keys.append("spans")
    assert list(r) == keys and r["status"] == "new"
    assert r["text"] == first.text and r["title"] == "First"
    assert [s["id"] for s in r["spans"]] == [s1.id, s2.id]
    assert all(list(s) == SPAN_KEYS for s in r["spans"])
    for span in r["spans"]:  # what spaCy's Doc.char_span(start, end) needs
        assert r["text"][span["start"] : span["end"]] == span["text"]
    assert r["spans"][1]["note"] == "hm"
    # an article left without spans by the filter is omitted
    only = [json.loads(x) for x in dump(store, fmt="spans", labels=["opinion"]).split("\n")[:-1]]
    assert [x["article_id"] for x in only] == [first.id]


def test_spans_refuse_include_deleted_and_unknown_format(store: Store) -> None:
    with pytest.raises(ReaderError, match="annotations format"):
        export(store, io.StringIO(), fmt="spans", include_deleted=True)
    with pytest.raises(ReaderError, match="unknown export format"):
        export(store, io.StringIO(), fmt="csv")  # type: ignore[arg-type]


def test_empty_store_writes_nothing(store: Store) -> None:
    assert dump(store) == "" and dump(store, fmt="spans") == ""


def test_export_to_file_replaces_atomically(
    store: Store, two: tuple[Article, Article], tmp_path: Path
) -> None:
    first, _ = two
    store.add_annotation(first, 0, 9, "claim", "ann")
    target = tmp_path / "out.jsonl"
    target.write_text("old\n")
    assert export_to_file(store, target) == 1
    assert target.read_bytes() == dump(store).encode("utf-8")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".out")) == []
    # A failure half-way leaves the old file and no temporary file behind.
    with pytest.raises(ReaderError):
        export_to_file(store, target, fmt="bogus")
    assert target.read_bytes() == dump(store).encode("utf-8")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out")] == []


def test_export_to_missing_folder_is_one_clear_error(store: Store, tmp_path: Path) -> None:
    with pytest.raises(ReaderError, match=r"cannot write .*nowhere"):
        export_to_file(store, tmp_path / "nowhere" / "out.jsonl")


# Every code point class that JSON escaping treats specially.
_hostile = st.text(
    alphabet=st.sampled_from(
        ['"', "\\", "/", "\x00", "\x01", "\x1f", "\x7f", "\x85", "\u2028", "\u2029",
         "\t", "\n", "\r", "\b", "\f", "é", "中", "😀", "\u200d", "\u0301", "a", " "]
    ),
    max_size=30,
)  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(
    text=_hostile.filter(bool), title=_hostile, source=st.one_of(st.none(), _hostile), note=_hostile
)
def test_lines_are_exactly_compact_json_dumps(
    text: str, title: str, source: str | None, note: str
) -> None:
    """SQLite writes the annotation lines; they must be what json.dumps would write."""
    store = Store(":memory:")
    article = add_article(store, text, title or "t", source)
    made = store.add_annotation(article, 0, len(text), "claim", note or "ann", note=note)
    expected = {
        "id": made.id,
        "article_id": article.id,
        "article_title": article.title,
        "article_source": article.source,  # as stored: cleaned (reader.text.sanitize)
        "article_sha256": article.sha256,
        "start": 0,
        "end": len(text),
        "text": text,
        "prefix": "",
        "suffix": "",
        "label": "claim",
        "note": made.note,
        "annotator": made.annotator,
        "created_at": made.created_at,
        "updated_at": made.updated_at,
        "origin": "manual",
    }
    line = json.dumps(expected, ensure_ascii=False, separators=(",", ":")) + "\n"
    assert dump(store) == line
    assert exporting._dumps(expected) + b"\n" == line.encode("utf-8")
    binary = io.BytesIO()
    assert exporting.export_bytes(store, binary) == 1 and binary.getvalue() == line.encode("utf-8")


class _FullDisk:
    def __init__(self) -> None:
        self.calls = 0

    def write(self, chunk: bytes) -> int:
        self.calls += 1
        raise OSError(28, "No space left on device")


def test_a_failing_write_is_raised_not_lost(store: Store, two: tuple[Article, Article]) -> None:
    first, _ = two
    for start in range(0, 30):
        store.add_annotation(first, start, start + 5, "claim", "ann")
    out = _FullDisk()
    with pytest.raises(OSError, match="No space left"):
        exporting.export_bytes(store, out)  # type: ignore[arg-type]
    assert out.calls == 1


def test_full_disk_keeps_the_old_file(
    store: Store, two: tuple[Article, Article], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, _ = two
    store.add_annotation(first, 0, 9, "claim", "ann")
    target = tmp_path / "out.jsonl"
    target.write_text("old\n")

    def full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(exporting.os, "fsync", full)
    with pytest.raises(ReaderError, match=r"cannot write .*out\.jsonl: No space left on device"):
        export_to_file(store, target)
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out")] == []


def test_many_articles_and_lines_arrive_whole_and_in_order(
    store: Store, two: tuple[Article, Article]
) -> None:
    first, _ = two
    made = store.add_annotation(first, 0, 9, "claim", "ann")
    store.put_annotations(replace(made, id=f"b{i:06}") for i in range(5000))
    for n in range(3 * store_export.ARTICLES_PER_TASK + 5):  # several tasks of articles
        article = add_article(store, f"Article number {n} says something.", f"T{n}")
        store.add_annotation(article, 0, 7, "opinion", "ann")
    text = dump(store)
    keys = [
        (r["article_id"], r["start"], r["end"], r["id"]) for r in map(json.loads, text.splitlines())
    ]
    assert keys == sorted(keys) and len(keys) == 5001 + 3 * store_export.ARTICLES_PER_TASK + 5


def test_parallel_readers_give_the_same_bytes_as_one(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(db_path)
    for n in range(40):
        article = add_article(store, f"Article {n}: 👩‍👩‍👧 and 中文, said Mr. Smith.", f"T{n}")
        for start in range(0, 20, 3):
            store.add_annotation(article, start, start + 5, "claim", f"ann{n % 3}")
    with store.snapshot_readers(store_export.READERS) as readers:
        assert len(readers) == store_export.READERS  # the parallel path is the one tested
    parallel = dump(store)
    monkeypatch.setattr(store_export, "READERS", 1)
    assert dump(store) == parallel
    # a writer holding the lock elsewhere: one reader, the same bytes
    other = sqlite3.connect(db_path)
    other.execute("BEGIN IMMEDIATE")
    try:
        monkeypatch.setattr(store_export, "READERS", 2)
        with store.snapshot_readers(2) as readers:
            assert readers == [store.conn]
        assert dump(store) == parallel
    finally:
        other.rollback()
        other.close()
    store.close()
