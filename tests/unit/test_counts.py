"""The annotation counts SQLite keeps by triggers (schema 4) always equal a GROUP BY
over the annotations: through tags, relabels, deletes, undeletes, merges (rows put
as given, moved or not), label renames, article deletes, and a migration from
schema 3; a schema 3 database that cannot be migrated is counted the old way."""

from __future__ import annotations

import sqlite3
import tempfile
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from reader.errors import StoreError
from reader.models import Annotation, Article
from reader.store import SCHEMA_VERSION, Store, connection
from tests.factories import add_article, drop_kept_counts

TEXTS = ["Alpha beta gamma delta epsilon.", "Zeta eta theta iota kappa lambda.", "Mu nu xi."]
LABELS = ["claim", "opinion", "speculation"]
ANNOTATORS = ["ann", "bob"]


class KeptCounts(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.folder = tempfile.TemporaryDirectory()
        self.store = Store(Path(self.folder.name) / "reader.db")
        self.articles: list[Article] = [
            add_article(self.store, text, f"T{i}") for i, text in enumerate(TEXTS)
        ]
        self.ids: list[str] = []
        self.labels = list(LABELS)  # as renamed
        # opened again: the connection that created the database had sqlite-utils
        # turn recursive_triggers on; the `pragma` rule switches it both ways
        self.store.close()
        self.store = Store(Path(self.folder.name) / "reader.db")

    @rule(on=st.booleans())
    def pragma(self, on: bool) -> None:
        """REPLACE fires DELETE triggers only with recursive_triggers: counts hold both ways."""
        self.store.conn.execute(f"PRAGMA recursive_triggers = {int(on)}")

    def teardown(self) -> None:
        self.store.close()
        self.folder.cleanup()

    def _span(self, data: st.DataObject, article: Article) -> tuple[int, int]:
        start = data.draw(st.integers(0, len(article.text) - 1))
        end = data.draw(st.integers(start + 1, len(article.text)))
        return start, end

    @precondition(lambda self: self.articles)
    @rule(data=st.data(), who=st.sampled_from(ANNOTATORS))
    def tag(self, data: st.DataObject, who: str) -> None:
        label = data.draw(st.sampled_from(self.labels))
        article = data.draw(st.sampled_from(self.articles))
        start, end = self._span(data, article)
        self.ids.append(self.store.add_annotation(article, start, end, label, who).id)

    def _existing(self, data: st.DataObject) -> Annotation | None:
        live = [i for i in self.ids if self.store.annotations_by_id([i])]
        if not live:
            return None
        return self.store.annotation(data.draw(st.sampled_from(live)))

    @rule(data=st.data())
    def relabel(self, data: st.DataObject) -> None:
        label = data.draw(st.sampled_from(self.labels))
        if (annotation := self._existing(data)) is not None:
            self.store.update_annotation(annotation.id, label=label, note="n")

    @rule(data=st.data(), back=st.booleans())
    def delete_or_undelete(self, data: st.DataObject, back: bool) -> None:
        if (annotation := self._existing(data)) is not None:
            if back:
                self.store.undelete_annotation(annotation.id)
            else:
                self.store.delete_annotation(annotation.id)

    @rule(data=st.data(), moved=st.booleans(), who=st.sampled_from(ANNOTATORS))
    def merge(self, data: st.DataObject, moved: bool, who: str) -> None:
        """put_annotations as merge does: an existing id again (moved, relabelled,
        another annotator's, deleted or not) and a new one."""
        rows = []
        if (annotation := self._existing(data)) is not None:
            article = next(a for a in self.articles if a.id == annotation.article_id)
            start, end = self._span(data, article) if moved else (annotation.start, annotation.end)
            deleted = data.draw(st.sampled_from([None, "2025-01-01T00:00:00.000000Z"]))
            rows.append(
                replace(
                    Annotation.over(
                        article.text,
                        article.id,
                        start,
                        end,
                        id=annotation.id,
                        label=data.draw(st.sampled_from(self.labels)),
                        note=None,
                        annotator=who,
                        created_at=annotation.created_at,
                        updated_at=annotation.updated_at,
                    ),
                    deleted_at=deleted,
                )
            )
        self.store.put_annotations(rows)

    @rule(index=st.integers(0, len(LABELS) - 1))
    def rename_label(self, index: int) -> None:
        """A rename moves every annotation of the label (one UPDATE of many rows)."""
        old = self.labels[index]
        new = old + "x" if len(old) < 20 else old.rstrip("x")
        self.store.rename_label(old, new)
        self.labels[index] = new

    @precondition(lambda self: len(self.articles) > 1)
    @rule(data=st.data())
    def delete_article(self, data: st.DataObject) -> None:
        article = data.draw(st.sampled_from(self.articles))
        self.store.delete_article(article.id)
        self.articles.remove(article)

    @invariant()
    def counts_equal_a_group_by(self) -> None:
        assert self.store.kept_counts() == self.store.counts_from_annotations()


KeptCounts.TestCase.settings = settings(max_examples=40, stateful_step_count=25, deadline=None)
test_kept_counts = KeptCounts.TestCase


def test_the_readers_of_counts_agree_with_the_annotations(store: Store) -> None:
    a = add_article(store, TEXTS[0], "A")
    b = add_article(store, TEXTS[1], "B")
    x = store.add_annotation(a, 0, 5, "claim", "ann")
    store.add_annotation(a, 6, 10, "opinion", "bob")
    store.add_annotation(b, 0, 4, "claim", "bob")
    store.update_annotation(x.id, label="opinion")
    assert store.label_counts() == {a.id: {"opinion": 2}, b.id: {"claim": 1}}
    assert store.annotation_counts("label") == [("opinion", 2), ("claim", 1)]
    assert store.annotation_counts("annotator") == [("bob", 2), ("ann", 1)]
    store.delete_annotation(x.id)
    assert store.deleted_count() == 1
    assert store.label_counts()[a.id] == {"opinion": 1}


def _counted_at_schema_3(db_path: Path) -> list[tuple[str, str, str, int, int]]:
    """A database with annotations, taken back to schema 3; the counts it must show."""
    with Store(db_path) as store:
        a = add_article(store, TEXTS[0], "A")
        store.add_annotation(a, 0, 5, "claim", "ann")
        gone = store.add_annotation(a, 6, 10, "opinion", "ann")
        store.delete_annotation(gone.id)
        expected = store.counts_from_annotations()
    conn = sqlite3.connect(db_path)
    drop_kept_counts(conn)
    conn.execute("PRAGMA user_version = 3")
    conn.commit()
    conn.close()
    return expected


def test_a_schema_3_database_is_migrated_with_its_counts(db_path: Path) -> None:
    expected = _counted_at_schema_3(db_path)
    with Store(db_path) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert store.kept_counts() == expected
        article = store.articles()[0]
        store.add_annotation(store.article(article.id), 0, 3, "claim", "bob")
        assert store.kept_counts() == store.counts_from_annotations()
        assert store.label_counts() == {article.id: {"claim": 2}}


def test_a_schema_3_database_read_as_it_is_counts_its_annotations(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _counted_at_schema_3(db_path)

    def read_only(*_: object) -> None:
        raise StoreError(f"the database {db_path} is read-only; nothing was changed")

    monkeypatch.setattr(connection, "migrate", read_only)
    with Store(db_path) as old:
        assert old.schema_version == 3
        article_id = old.articles()[0].id
        assert old.label_counts() == {article_id: {"claim": 1}}
        assert old.annotation_counts("annotator") == [("ann", 1)]
        assert old.deleted_count() == 1


def test_the_library_listing_reads_an_index_not_the_texts(store: Store) -> None:
    add_article(store, TEXTS[0], "A")
    plan = store.conn.execute(
        "EXPLAIN QUERY PLAN SELECT id, title, source, published, words FROM articles "
        "ORDER BY title COLLATE NOCASE, id"
    ).fetchall()
    assert "COVERING INDEX articles_listing" in " ".join(str(row) for row in plan)
