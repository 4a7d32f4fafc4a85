"""reader.passage_store: the index built at import and lazily, also_in, clusters."""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reader import passage_store
from reader.errors import StoreError
from reader.importing import import_paths, import_seeds
from reader.store import Store, connection
from reader.store.passages import pack_offsets, unpack_offsets
from reader.store.schema import PASSAGE_TABLES
from reader.text.quick_sentences import sentences
from tests import factories

ROFR = "right of first refusal"


def rofr_sentences(store: Store) -> dict[str, tuple[int, int]]:
    """article id -> its sentence saying "right of first refusal" (the samples)."""
    found = {}
    for summary in store.articles():
        text = store.article(summary.id).text
        at = text.find(ROFR)
        if at >= 0:
            found[summary.id] = next((s, e) for s, e in sentences(text) if s <= at < e)
    return found


def indexed(store: Store) -> set[str]:
    return {row[0] for row in store.conn.execute("SELECT article_id FROM passage_articles")}


def test_import_indexes_what_it_stored(store: Store) -> None:
    results = import_seeds(store)
    assert indexed(store) == {r.article.id for r in results if r.article}
    count = store.conn.execute("SELECT count(*) FROM passages").fetchone()[0]
    assert count == sum(
        row[0] for row in store.conn.execute("SELECT passages FROM passage_articles")
    )
    # importing again adds nothing to the index either
    import_seeds(store)
    assert store.conn.execute("SELECT count(*) FROM passages").fetchone()[0] == count


def test_right_of_first_refusal_is_also_in_the_three_others(store: Store) -> None:
    import_seeds(store)
    carrying = rofr_sentences(store)
    assert len(carrying) == 4  # 001 does not mention it
    for article_id, (start, end) in carrying.items():
        result = passage_store.also_in(store, article_id, start, end)
        assert result.library == 4
        assert result.articles == 3, (article_id, result.passages)
        assert {p.article_id for p in result.passages} == set(carrying) - {article_id}
        for passage in result.passages:
            text = store.article(passage.article_id).text
            assert text[passage.start : passage.end] == passage.text
            assert ROFR in passage.text
            assert passage.score >= passage_store.align.DEFAULT_MIN_SCORE


def test_an_unshared_sentence_is_in_no_other_article(store: Store) -> None:
    import_seeds(store)
    (article,) = (store.article(a.id) for a in store.articles() if a.source == "Live Mint")
    at = article.text.index("They literally have no money")
    start, end = next((s, e) for s, e in sentences(article.text) if s <= at < e)
    result = passage_store.also_in(store, article.id, start, end)
    assert (result.articles, result.passages) == (0, [])


def test_articles_stored_without_import_are_indexed_when_first_asked(store: Store) -> None:
    first = factories.add_article(store, "Oracle builds ten data centres in Abilene, Texas.")
    second = factories.add_article(
        store, "Ten new data centres are being built in Abilene, Texas, by Oracle. Other news."
    )
    assert indexed(store) == set()
    result = passage_store.also_in(store, first.id, 0, len(first.text))
    assert indexed(store) == {first.id, second.id}
    assert [p.article_id for p in result.passages] == [second.id]
    assert result.passages[0].text.startswith("Ten new data centres")
    # a third, added later, is found on the next query (incremental)
    third = factories.add_article(store, "In Abilene, Texas, Oracle builds ten data centres.")
    again = passage_store.also_in(store, first.id, 0, len(first.text))
    assert {p.article_id for p in again.passages} == {second.id, third.id}
    assert again.library == 2


def test_a_deleted_article_is_no_longer_found(store: Store) -> None:
    first = factories.add_article(store, "Oracle builds ten data centres in Abilene, Texas.")
    second = factories.add_article(store, "Oracle is building ten data centres in Abilene, Texas.")
    assert passage_store.also_in(store, first.id, 0, len(first.text)).articles == 1
    store.delete_article(second.id)
    result = passage_store.also_in(store, first.id, 0, len(first.text))
    assert (result.articles, result.library) == (0, 0)
    # and back again: ids of passages are never reused by the stale postings
    factories.add_article(store, "Oracle is building ten data centres in Abilene, Texas.")
    assert passage_store.also_in(store, first.id, 0, len(first.text)).articles == 1


def test_indexing_twice_adds_nothing(store: Store) -> None:
    article = factories.add_article(store, "One sentence here about cats. Another about dogs.")
    assert passage_store.index_articles(store, [article.id]) == 2
    assert passage_store.index_articles(store, [article.id, article.id]) == 0
    assert passage_store.ensure_indexed(store) == 0


def test_clusters_group_the_right_of_first_refusal(store: Store) -> None:
    import_seeds(store)
    carrying = rofr_sentences(store)
    clusters = passage_store.clusters(store)
    assert [c.articles for c in clusters] == sorted((c.articles for c in clusters), reverse=True)
    rofr = next(c for c in clusters if any(ROFR in p.text for p in c.passages))
    assert {p.article_id for p in rofr.passages} == set(carrying)
    assert all(ROFR in p.text for p in rofr.passages)
    # every passage is in exactly one cluster
    total = store.conn.execute("SELECT count(*) FROM passages").fetchone()[0]
    assert sum(len(c.passages) for c in clusters) == total


def test_a_folder_import_indexes_too(store: Store, tmp_path) -> None:
    (tmp_path / "a.txt").write_text("Oracle builds ten data centres in Abilene, Texas.\n")
    (tmp_path / "b.txt").write_text("Ten data centres are being built by Oracle in Abilene.\n")
    results = import_paths(store, [tmp_path / "a.txt", tmp_path / "b.txt"])
    assert indexed(store) == {r.article.id for r in results if r.article}


def test_an_import_that_stores_nothing_changes_nothing(store: Store, tmp_path) -> None:
    before = factories.table_dump(store.path)
    import_paths(store, [tmp_path / "missing.txt"])
    assert factories.table_dump(store.path) == before


def test_a_complete_index_is_only_read(store: Store, monkeypatch) -> None:
    """Asking a database whose index is complete writes nothing (a read-only one works)."""
    import_seeds(store)
    carrying = rofr_sentences(store)
    article_id, (start, end) = next(iter(carrying.items()))

    def refuse() -> None:
        raise AssertionError("wrote to the database")

    monkeypatch.setattr(store, "write", refuse)
    assert passage_store.also_in(store, article_id, start, end).articles == 3
    assert passage_store.clusters(store)


def test_worker_processes_index_as_this_process_does(tmp_path, monkeypatch) -> None:
    from concurrent.futures import ProcessPoolExecutor

    from reader.processes import PARALLEL_MIN

    count = PARALLEL_MIN + 20
    texts = [
        f"Article {i} says Oracle builds {i} data centres. Microsoft keeps its right {i % 7}."
        for i in range(count)
    ]
    dumps = []
    for name, parallel in (("pool.db", True), ("here.db", False)):
        with Store(tmp_path / name) as store:
            for text in texts:
                factories.add_article(store, text)
            if parallel:
                pool = passage_store._pool(count)
                if not isinstance(pool, ProcessPoolExecutor):
                    pytest.skip("no worker processes here (threads running, or no fork)")
                pool.shutdown()
            else:
                monkeypatch.setattr(passage_store, "_pool", lambda n: passage_store._Here())
            assert passage_store.ensure_indexed(store) > count
            dumps.append(
                [
                    store.conn.execute(sql).fetchall()
                    for sql in (
                        'SELECT article_id, start, "end", terms FROM passages ORDER BY id',
                        "SELECT term, df FROM passage_vocabulary ORDER BY term",
                        "SELECT term, first_id, offsets FROM passage_postings ORDER BY 1, 2",
                    )
                ]
            )
    assert dumps[0] == dumps[1]


# -- the store's tables -------------------------------------------------------


def _before_the_index_migration(path) -> None:
    """The database as main's first align branch left it: the index tables made
    lazily, one posting row per term and passage; here at schema 5, the version
    before the index's migration."""
    conn = sqlite3.connect(path)
    for table in PASSAGE_TABLES:
        conn.execute(f"DROP TABLE {table}")
    conn.execute("CREATE TABLE passage_articles (article_id TEXT PRIMARY KEY, passages INTEGER)")
    conn.execute("INSERT INTO passage_articles SELECT id, 1 FROM articles")
    conn.execute("CREATE TABLE passage_terms (term_id INTEGER, passage_id INTEGER)")
    conn.execute("PRAGMA user_version = 5")
    conn.commit()
    conn.close()


def test_the_migration_replaces_a_lazily_made_index(db_path, store: Store) -> None:
    import_seeds(store)
    carrying = rofr_sentences(store)
    store.close()
    _before_the_index_migration(db_path)
    with Store(db_path) as migrated:
        tables = {r[0] for r in migrated.conn.execute("SELECT name FROM sqlite_master")}
        assert "passage_terms" not in tables and set(PASSAGE_TABLES) <= tables
        assert migrated.has_passage_index() and indexed(migrated) == set()
        article_id, (start, end) = next(iter(carrying.items()))
        assert passage_store.also_in(migrated, article_id, start, end).articles == 3
        assert indexed(migrated) == {a.id for a in migrated.articles()}


def test_a_database_without_the_index_that_cannot_be_migrated_finds_nothing(
    db_path, store: Store, monkeypatch
) -> None:
    import_seeds(store)
    carrying = rofr_sentences(store)
    store.close()
    conn = sqlite3.connect(db_path)
    for table in PASSAGE_TABLES:
        conn.execute(f"DROP TABLE {table}")
    conn.execute("PRAGMA user_version = 3")
    conn.commit()
    conn.close()

    def read_only(*_: object) -> None:
        raise StoreError(f"the database {db_path} is read-only; nothing was changed")

    monkeypatch.setattr(connection, "migrate", read_only)
    with Store(db_path) as old:
        assert not old.has_passage_index()
        article_id, (start, end) = next(iter(carrying.items()))
        result = passage_store.also_in(old, article_id, start, end)
        assert (result.articles, result.library) == (0, 4)
        assert passage_store.ensure_indexed(old) == 0
        assert passage_store.clusters(old) == []
        assert not old.has_passage_index()  # reading never made it


@given(st.lists(st.integers(min_value=0, max_value=2**32 - 1), max_size=50))
def test_posting_offsets_round_trip(offsets: list[int]) -> None:
    assert list(unpack_offsets(pack_offsets(offsets))) == offsets
    assert len(pack_offsets(offsets)) == 4 * len(offsets)


def test_postings_are_one_row_per_term_and_batch(store: Store) -> None:
    import_seeds(store)
    postings = store.conn.execute("SELECT count(*) FROM passage_postings").fetchone()[0]
    vocabulary = store.conn.execute("SELECT count(*) FROM passage_vocabulary").fetchone()[0]
    assert postings == vocabulary  # the five samples: one batch
    # every passage is found under each of its terms and no other, and df counts them
    found: dict[str, set[int]] = {}
    rows = store.conn.execute("SELECT term, first_id, offsets FROM passage_postings")
    for term, first, blob in rows:
        found.setdefault(term, set()).update(first + k for k in unpack_offsets(blob))
    having: dict[str, set[int]] = {}
    for pid, terms in store.conn.execute("SELECT id, terms FROM passages"):
        for t in terms.split(" "):
            having.setdefault(t, set()).add(pid)
    assert found == having
    for term, df in store.conn.execute("SELECT term, df FROM passage_vocabulary"):
        assert len(found[term]) == df, term


def test_an_import_indexes_as_it_goes_as_a_later_indexing_would(tmp_path, monkeypatch) -> None:
    """The passages the loading workers find (in batches, more than one here) are
    the ones index_articles finds for articles stored another way."""
    import reader.importing as importing

    monkeypatch.setattr(importing, "BATCH", 5)
    monkeypatch.setattr(importing, "CHUNK", 7)
    monkeypatch.setattr(importing, "_workers", lambda count: 2)
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(30):
        (folder / f"{i:02}.txt").write_text(
            f"Title {i}\n\nOracle builds {i} data centres in Texas. Microsoft keeps its "
            f"right of first refusal {i % 4}. A third sentence about cats {i % 3}.\n"
        )
    (folder / "29.txt").write_text((folder / "03.txt").read_text())  # present already
    (folder / "05.txt").write_text((folder / "04.txt").read_text())  # twice in one chunk
    dumps = []
    for name, during in (("during.db", True), ("after.db", False)):
        with Store(tmp_path / name) as store:
            if not during:
                monkeypatch.setattr(passage_store, "store_passages", lambda s, a: 0)
            import_paths(store, [folder])
            if not during:
                assert indexed(store) == set()
                monkeypatch.undo()
                passage_store.ensure_indexed(store)
            assert indexed(store) == {a.id for a in store.articles()}
            dumps.append(
                [
                    sorted(store.conn.execute(sql).fetchall())
                    for sql in (
                        'SELECT article_id, start, "end", terms FROM passages',
                        "SELECT term, df FROM passage_vocabulary",
                    )
                ]
            )
    assert dumps[0] == dumps[1]
