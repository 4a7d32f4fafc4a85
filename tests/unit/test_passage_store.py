"""reader.passage_store: the index built at import and lazily, also_in, clusters."""

from __future__ import annotations

import pytest

from reader import passage_store
from reader.importing import import_paths, import_seeds
from reader.store import Store
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
    passage_store.create_tables(store)
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
    passage_store._READY.discard(store)

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
                        "SELECT count(*) FROM passage_terms",
                    )
                ]
            )
    assert dumps[0] == dumps[1]
