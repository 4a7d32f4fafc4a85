"""Schema 5: articles.author, and annotations.label referencing labels.name, migrated
from version 3 and from version 4 (whatever the speed branch's 3 -> 4 adds: its
indexes, triggers and views on annotations are kept)."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.errors import ReaderError, StoreError
from reader.store import SCHEMA_VERSION, Store, connection
from reader.store.schema import MIGRATIONS

ANNOTATION = (
    'INSERT INTO annotations (id, article_id, start, "end", quote, prefix, suffix, label, '
    "note, annotator, created_at, updated_at, origin, deleted_at) "
    "VALUES (?, ?, ?, ?, ?, '', '', ?, ?, ?, ?, ?, 'manual', ?)"
)
TEXT = "Microsoft said the deal is big. Nobody knows what comes next."


def old_database(path: Path, version: int) -> None:
    """A database as reader wrote it at `version` (3, or 4: the kept counts and their
    triggers, and an index, a trigger and a view of someone else over annotations)."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    for step in range(3):
        MIGRATIONS[step](conn)
    conn.execute(
        "INSERT INTO articles (id, title, source, url, published, path, format, text, "
        "sha256, words, imported_at) VALUES ('a1', 'One', 'Wire', NULL, '2025-01-22', NULL, "
        "'txt', ?, 'sha', 11, '2025-01-01T00:00:00.000000Z')",
        (TEXT,),
    )
    rows = [
        ("n1", 0, 9, "claim", None, "ann", None),
        ("n2", 10, 14, "opinion", "a note", "bob", None),
        # a label removed while only deleted annotations used it (older `labels remove`)
        ("n3", 19, 23, "hedge", None, "ann", "2025-01-02T00:00:00.000000Z"),
        # a label differing from ours only in case (merged before names were folded)
        ("n4", 24, 30, "Claim", None, "bob", None),
    ]
    for id_, start, end, label, note, who, deleted in rows:
        stamp = "2025-01-01T00:00:00.000000Z"
        quote = TEXT[start:end]
        conn.execute(
            ANNOTATION, (id_, "a1", start, end, quote, label, note, who, stamp, stamp, deleted)
        )
    if version >= 4:
        MIGRATIONS[3](conn)  # the store-kept counts and their triggers, filled from the rows
        conn.execute("CREATE TABLE gone (id TEXT)")
        conn.execute("CREATE INDEX annotations_by_who ON annotations (annotator, updated_at)")
        conn.execute(
            "CREATE TRIGGER annotations_gone AFTER DELETE ON annotations "
            "BEGIN INSERT INTO gone (id) VALUES (old.id); END"
        )
        conn.execute(
            "CREATE VIEW live AS SELECT id, label FROM annotations WHERE deleted_at IS NULL"
        )
    conn.execute(f"PRAGMA user_version = {version}")
    conn.close()


def rows(path: Path) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(
            'SELECT * FROM annotations ORDER BY article_id, start, "end", id'
        ).fetchall()
    finally:
        conn.close()


@contextlib.contextmanager
def raw(path: Path) -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    try:
        yield conn
    finally:
        conn.close()


@pytest.mark.parametrize("version", [3, 4])
def test_migration_keeps_every_row_and_adds_the_reference(tmp_path: Path, version: int) -> None:
    path = tmp_path / "old.db"
    old_database(path, version)
    before = rows(path)
    with Store(path) as store:
        assert store.schema_version == SCHEMA_VERSION >= 5
        assert store.article("a1").author is None
        labels = {label.name: label for label in store.labels()}
        # the removed label is back (without a key), so its tombstone keeps a label
        assert labels["hedge"].key is None and "Claim" not in labels
        by_id = {a.id: a for a in store.annotations("a1", include_deleted=True)}
        assert by_id["n3"].deleted and by_id["n4"].label == "claim"
        # the rebuilt table keeps the counts right, before and after a new write
        assert store.kept_counts() == store.counts_from_annotations()
    after = rows(path)
    # every row as it was, but `Claim` taken as our `claim`
    expected = [tuple("claim" if v == "Claim" else v for v in row) for row in before]
    assert after == expected
    with Store(path) as store:  # the count triggers work on the rebuilt table
        store.add_annotation(store.article("a1"), 0, 3, "claim", "cy")
        assert store.kept_counts() == store.counts_from_annotations()
    with raw(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        refs = conn.execute("PRAGMA foreign_key_list(annotations)").fetchall()
        assert {(r[2], r[3], r[4], r[5]) for r in refs} == {
            ("articles", "article_id", "id", "NO ACTION"),
            ("labels", "label", "name", "CASCADE"),
        }
        with pytest.raises(sqlite3.IntegrityError):  # no annotation names an unknown label
            conn.execute(ANNOTATION, ("x", "a1", 0, 1, "M", "nope", None, "ann", "t", "t", None))
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        assert "annotations_label" in names and "annotations_rebuilt" not in names
        if version == 4:  # what version 4 had over annotations is still there, and works
            assert {"annotations_by_who", "annotations_gone", "live"} <= names
            conn.execute("DELETE FROM annotations WHERE id = 'n1'")
            assert conn.execute("SELECT id FROM gone").fetchall() == [("n1",)]
            assert conn.execute("SELECT count(*) FROM live").fetchone()[0] == 3  # n2, n4, cy


def test_a_migrated_rename_is_one_cascading_statement(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    old_database(path, 3)
    with Store(path) as store:
        label, moved = store.rename_label("claim", "fact")
        assert (label.name, moved) == ("fact", 2)
        with raw(path) as conn:
            assert conn.execute("SELECT DISTINCT label FROM annotations ORDER BY 1").fetchall() == [
                ("fact",),
                ("hedge",),
                ("opinion",),
            ]
        # only tombstones use hedge: removing it takes them along, nothing dangles
        assert store.remove_label("hedge") == 0
        assert "n3" not in {a.id for a in store.annotations("a1", include_deleted=True)}
        with pytest.raises(ReaderError, match="use 'opinion'"):
            store.remove_label("opinion")  # a live annotation uses it


def test_an_old_file_that_cannot_be_migrated_is_read_as_it_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "old.db"
    old_database(path, 3)

    def read_only(*_: object) -> None:
        raise StoreError(f"the database {path} is read-only; nothing was changed")

    monkeypatch.setattr(connection, "migrate", read_only)
    with Store(path) as old:
        assert old.schema_version == 3
        article = old.article("a1")  # no author column: read as none
        assert (article.title, article.author) == ("One", None)
        assert len(old.annotations("a1")) == 3


labels_in_files = st.lists(
    st.tuples(
        st.sampled_from(["claim", "CLAIM", "opinion", "hedge", "Hedge", "x-1"]), st.booleans()
    ),
    min_size=0,
    max_size=12,
)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(labels=labels_in_files)
def test_every_annotation_survives_with_a_known_label(
    tmp_path: Path, labels: list[tuple[str, bool]]
) -> None:
    path = tmp_path / "p.db"  # tmp_path is the same for every example
    path.unlink(missing_ok=True)
    old_database(path, 3)
    with raw(path) as conn:
        conn.execute("DELETE FROM annotations")
        for i, (label, deleted) in enumerate(labels):
            stamp = "2025-01-01T00:00:00.000000Z"
            conn.execute(
                ANNOTATION,
                (f"h{i}", "a1", i, i + 1, TEXT[i], label, None, "ann", stamp, stamp,
                 stamp if deleted else None),
            )  # fmt: skip
    with Store(path) as store:
        known = {label.name for label in store.labels()}
        folded = [label.casefold() for label in known]
        assert len(folded) == len(set(folded))  # still unique without regard to case
        got = store.annotations("a1", include_deleted=True)
        assert len(got) == len(labels)
        for annotation, (label, deleted) in zip(got, labels, strict=True):
            assert annotation.label in known and annotation.label.casefold() == label.casefold()
            assert annotation.deleted == deleted
