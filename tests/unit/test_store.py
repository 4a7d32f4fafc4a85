"""The SQLite store: schema, migrations, pragmas, search, tombstones, labels, two writers."""

from __future__ import annotations

import hashlib
import sqlite3
import time
from pathlib import Path

import pytest

from reader import store as store_module
from reader.errors import NotFound, ReaderError, StoreError
from reader.models import Article
from reader.store import SCHEMA_VERSION, Store, article_id_for, connection
from tests import factories


def add_article(store: Store, text: str, title: str = "A title") -> Article:
    return factories.add_article(store, text, title, source=None)


def columns(path: Path, table: str) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]
    finally:
        conn.close()


# -- schema and migrations -----------------------------------------------------


def test_schema_matches_the_contract(store: Store, db_path: Path) -> None:
    assert columns(db_path, "articles") == [
        "id", "title", "source", "url", "published", "path", "format", "text", "styles",
        "sha256", "words", "imported_at", "author",
    ]  # fmt: skip
    assert columns(db_path, "annotations") == [
        "id", "article_id", "start", "end", "quote", "prefix", "suffix", "label", "note",
        "annotator", "created_at", "updated_at", "origin", "deleted_at",
    ]  # fmt: skip
    assert columns(db_path, "labels") == ["name", "key", "color", "description", "position"]
    assert [(x.name, x.key, x.position) for x in store.labels()] == [
        ("claim", "1", 1),
        ("opinion", "2", 2),
        ("speculation", "3", 3),
    ]


def test_article_id_is_the_text_hash() -> None:
    text = "Same text, same id on every machine. 中文"
    digest = hashlib.sha256(text.encode()).hexdigest()
    assert article_id_for(text) == (digest[:12], digest)


def test_user_version_is_set_and_reopening_keeps_data(store: Store, db_path: Path) -> None:
    article = add_article(store, "Kept across opens.")
    store.close()
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    conn.close()
    with Store(db_path) as again:
        assert again.article(article.id).text == "Kept across opens."
        assert len(again.labels()) == 3  # defaults not inserted twice


def test_empty_sqlite_file_is_migrated(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    sqlite3.connect(path).close()  # version 0, no tables
    with Store(path) as opened:
        assert opened.article_count() == 0
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    conn.close()


def test_newer_database_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "newer.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE future (x)")
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="newer reader"):
        Store(path)
    assert path.read_bytes() == before


def test_foreign_sqlite_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE contacts (name)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="not a reader database"):
        Store(path)


def test_corrupt_file_is_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "corrupt.db"
    path.write_bytes(bytes(range(256)) * 64)
    before = path.read_bytes()
    with pytest.raises(StoreError, match="not a reader database or is corrupt"):
        Store(path)
    assert path.read_bytes() == before


# -- pragmas -------------------------------------------------------------------


def test_wal_foreign_keys_and_busy_timeout(store: Store) -> None:
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert store.conn.execute("PRAGMA busy_timeout").fetchone()[0] == int(
        store_module.BUSY_TIMEOUT_S * 1000
    )


def test_a_writer_waiting_for_the_lock_tries_again_every_few_milliseconds(
    store: Store, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite's busy handler sleeps up to 100 ms between tries and so misses the short
    gaps between a merge's transactions: the store tries every LOCK_POLL_S itself."""
    store.conn.execute("PRAGMA busy_timeout = 1000")  # a caller's own, kept
    blocker = sqlite3.connect(db_path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    naps: list[float] = []

    def nap(seconds: float) -> None:
        naps.append(seconds)
        if len(naps) == 3:
            blocker.execute("COMMIT")  # the lock is free from the third try on

    monkeypatch.setattr(connection.time, "sleep", nap)
    try:
        store.add_label("hedge")
    finally:
        if blocker.in_transaction:
            blocker.execute("ROLLBACK")
        blocker.close()
    assert naps == [connection.LOCK_POLL_S] * 3
    assert "hedge" in {label.name for label in store.labels()}
    assert store.conn.execute("PRAGMA busy_timeout").fetchone()[0] == 1000


def test_a_writer_gives_up_after_the_busy_timeout(store: Store, db_path: Path) -> None:
    store.conn.execute("PRAGMA busy_timeout = 50")
    blocker = sqlite3.connect(db_path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StoreError, match="is locked by another program"):
            store.add_label("hedge")
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert store.conn.execute("PRAGMA busy_timeout").fetchone()[0] == 50
    store.add_label("hedge")  # the lock gone, the same write works


def test_a_writer_with_a_stale_read_open_fails_at_once(store: Store, db_path: Path) -> None:
    """A read left open on the connection (a cursor not yet exhausted) while another
    process commits: the write lock can never be had (SQLITE_BUSY_SNAPSHOT), so
    polling for it the whole busy timeout would only make the user wait."""
    for name in ("a1", "a2", "a3"):
        store.add_label(name)
    reading = store.conn.execute("SELECT name FROM labels")
    reading.fetchone()
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("UPDATE labels SET description = 'elsewhere' WHERE name = 'a2'")
    other.close()
    began = time.monotonic()
    with pytest.raises(StoreError, match="locked"):
        store.add_label("hedge")
    assert time.monotonic() - began < 1.0  # the busy timeout is 5 s
    reading.close()
    store.add_label("hedge")  # the read gone, the same write works
    assert store.conn.execute("PRAGMA busy_timeout").fetchone()[0] == 5000


def test_foreign_keys_are_enforced_and_cascade(store: Store) -> None:
    article = add_article(store, "An article with one annotation.")
    store.add_annotation(article, 0, 2, "claim", "ann")
    with pytest.raises(sqlite3.IntegrityError):
        store.conn.execute(
            'INSERT INTO annotations (id, article_id, start, "end", quote, prefix, suffix, label, '
            "annotator, created_at, updated_at) VALUES ('x', 'nope', 0, 1, 'a', '', '', 'claim', "
            "'a', 't', 't')"
        )
    assert store.delete_article(article.id) == 1
    assert store.annotation_counts("label") == []


# -- articles and search -----------------------------------------------------


def test_adding_an_article_twice_is_a_no_op(store: Store) -> None:
    text = "Only once."
    article_id, sha = article_id_for(text)
    article = Article(id=article_id, title="t", text=text, sha256=sha)
    assert [new for _, new in store.add_articles([article])] == [True]
    assert [new for _, new in store.add_articles([article])] == [False]
    assert store.article_count() == 1


def test_find_article_by_id_prefix_and_title(store: Store) -> None:
    a = add_article(store, "First text.", "Microsoft loses exclusive cloud role")
    b = add_article(store, "Second text.", "Microsoft and OpenAI: a shift")
    assert store.find_article(a.id).id == a.id
    assert store.find_article(b.id[:6]).id == b.id
    assert store.find_article("exclusive CLOUD").id == a.id
    with pytest.raises(ReaderError, match="matches 2 articles"):
        store.find_article("microsoft")
    with pytest.raises(NotFound):
        store.find_article("nothing like it")
    with pytest.raises(NotFound):
        store.find_article("%")  # LIKE wildcards are literal


@pytest.fixture
def corpus(store: Store) -> Store:
    add_article(store, "OpenAI teams up with the Stargate project.", "Stargate")
    add_article(store, "Microsoft loses its exclusive cloud role. 中文 text here.", "Cloud")
    add_article(store, "Nothing to see.", "Other")
    return store


def test_search_finds_words_and_prefixes(corpus: Store) -> None:
    assert [h.title for h in corpus.search("stargate")] == ["Stargate"]
    assert [h.title for h in corpus.search("exclusive clo")] == ["Cloud"]  # last word is a prefix
    hit = corpus.search("exclusive")[0]
    assert corpus.article(hit.article_id).text[hit.offset :].lower().startswith("exclusive")
    assert corpus.search("   ") == []


@pytest.mark.parametrize(
    "query",
    [
        '"',
        '""',
        "AND",
        "OR NOT",
        "*",
        "NEAR(",
        "NEAR(a b",
        "title:x",
        "a AND",
        "(",
        ")",
        "^",
        "-x",
        "\x00",
        "'",
    ],
)
def test_hostile_search_queries_never_raise(corpus: Store, query: str) -> None:
    assert isinstance(corpus.search(query), list)


def test_update_article_edits_metadata_and_search_follows(corpus: Store) -> None:
    other = corpus.search("nothing")[0].article_id
    updated = corpus.update_article(other, title="Renamed Quokka", source="Wire", url=None)
    assert (updated.title, updated.source, updated.url) == ("Renamed Quokka", "Wire", None)
    assert [h.article_id for h in corpus.search("quokka")] == [other]  # FTS triggers ran
    with pytest.raises(NotFound):
        corpus.update_article("000000000000", title="x")
    with pytest.raises(ReaderError, match="cannot edit text"):
        corpus.update_article(other, text="changed")
    with pytest.raises(ReaderError, match="title cannot be empty"):
        corpus.update_article(other, title=" ")
    assert corpus.article(other).text == "Nothing to see."


# -- annotations and tombstones ------------------------------------------------


def test_add_update_delete_undelete(store: Store) -> None:
    article = add_article(store, "Microsoft said the deal is big.")
    made = store.add_annotation(article, 0, 9, "claim", "ann", note="first")
    assert (made.quote, made.prefix, made.suffix) == ("Microsoft", "", " said the deal is big.")
    updated = store.update_annotation(made.id, label="opinion", note="")
    assert (updated.label, updated.note) == ("opinion", None)
    assert updated.updated_at >= made.updated_at
    deleted = store.delete_annotation(made.id)
    assert deleted.deleted and store.annotations(article.id) == []
    assert [a.id for a in store.annotations(article.id, include_deleted=True)] == [made.id]
    assert store.article_count() == 1 and store.label_counts() == {}
    back = store.undelete_annotation(made.id)
    assert not back.deleted and back.updated_at >= deleted.updated_at
    assert [a.id for a in store.annotations(article.id)] == [made.id]


def test_annotation_validation(store: Store) -> None:
    article = add_article(store, "Short.")
    with pytest.raises(ReaderError, match="outside the article"):
        store.add_annotation(article, 3, 99, "claim", "ann")
    with pytest.raises(ReaderError, match="outside the article"):
        store.add_annotation(article, 3, 3, "claim", "ann")
    with pytest.raises(NotFound, match="no label"):
        store.add_annotation(article, 0, 3, "nonsense", "ann")


def test_bulk_reads(store: Store) -> None:
    a = add_article(store, "Alpha beta gamma delta.", "A")
    b = add_article(store, "Epsilon zeta.", "B")
    x = store.add_annotation(a, 6, 10, "claim", "ann")
    y = store.add_annotation(a, 0, 5, "opinion", "bob")
    z = store.add_annotation(b, 0, 7, "claim", "ann")
    store.delete_annotation(z.id)
    rows = list(store.annotation_rows())
    assert [r[0] for r in rows] == [y.id, x.id]
    every = [(r[1], r[2]) for r in store.annotation_rows(include_deleted=True)]
    assert every == sorted([(a.id, 0), (a.id, 6), (b.id, 0)])
    assert {r[0] for r in store.annotation_rows(labels=["claim"], include_deleted=True)} == {
        x.id,
        z.id,
    }
    assert [r[0] for r in store.annotation_rows(article_ids=[b.id])] == []
    assert store.article_heads()[a.id] == ("A", None, a.sha256)
    assert set(store.annotations_by_id([x.id, z.id, "missing"])) == {x.id, z.id}
    assert store.annotation_counts("label") == [("claim", 1), ("opinion", 1)]
    assert store.annotation_counts("annotator") == [("ann", 1), ("bob", 1)]
    assert store.deleted_count() == 1
    with pytest.raises(ValueError):
        store.annotation_counts("quote; DROP TABLE labels")


# -- labels --------------------------------------------------------------------


def test_label_rules(store: Store) -> None:
    added = store.add_label("rumour", key="4", color="#123456", description="heard said")
    assert added.position == 4 and store.label("rumour").key == "4"
    with pytest.raises(ReaderError, match="already a label"):
        store.add_label("rumour")
    with pytest.raises(ReaderError, match="not free"):
        store.add_label("other", key="1")
    with pytest.raises(ReaderError, match="one digit 1-9"):
        store.add_label("other", key="x")
    with pytest.raises(ReaderError, match="one word"):
        store.add_label("two words")
    with pytest.raises(ReaderError, match="one word"):
        store.add_label("")
    with pytest.raises(ReaderError, match="not a colour"):
        store.add_label("other", color="red")
    keyless = store.add_label("keyless")
    assert keyless.key is None and keyless.color.startswith("#")
    store.ensure_label("keyless")
    store.ensure_label("fresh")
    assert [x.name for x in store.labels()][-2:] == ["keyless", "fresh"]


# -- two processes -------------------------------------------------------------


def test_two_stores_on_one_file_both_write(store: Store, db_path: Path) -> None:
    article = add_article(store, "Shared between two windows.")
    with Store(db_path) as other:
        first = store.add_annotation(article, 0, 6, "claim", "one")
        second = other.add_annotation(other.article(article.id), 7, 14, "opinion", "two")
        store.update_annotation(second.id, note="seen by the first")
        assert {a.id for a in other.annotations(article.id)} == {first.id, second.id}
        assert other.annotation(second.id).note == "seen by the first"
        other.delete_annotation(first.id)
    assert [a.id for a in store.annotations(article.id)] == [second.id]


def test_locked_database_write_is_a_clear_error(
    store: Store, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    article = add_article(store, "Locked for a moment.")
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_S", 0.1)
    blocker = sqlite3.connect(db_path, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        with Store(db_path) as waiting:  # reading still works in WAL mode
            assert waiting.article(article.id).title == "A title"
            with pytest.raises(StoreError, match="locked"):
                waiting.add_annotation(article, 0, 6, "claim", "ann")
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert store.annotations(article.id) == []
