"""The passage index's tables: every sentence of every article and its content terms.

What the terms are and how passages are scored is `reader.passage_store`'s;
this layer only stores and reads them. Tables (plain, browsable):

- `passage_articles(article_id, passages)`: which articles are indexed.
- `passages(id, article_id, start, end, terms)`: terms space-separated, in
  reading order; ids never reused (AUTOINCREMENT), deleted with their article.
- `passage_vocabulary(term, df)`: df = passages with the term, as indexed.
- `passage_postings(term, first_id, offsets)`: the inverted index, one row per
  term and indexing batch. A batch's passages take consecutive ids from
  `first_id`; `offsets` holds, for those having the term, id - first_id as
  unsigned 32-bit little-endian integers. One row per term and batch instead
  of one per term and passage: an import writes several times fewer rows into
  the index's B-tree, and the rows are built (packed) in the worker processes
  that find the terms. Postings of a deleted article's passages stay behind and
  are ignored (they join to no passage).

The tables come with the schema's migration (`schema.migrate_passage_index`); a
database too old to have them (opened read-only, so not migrated) has no index:
every read here answers "nothing indexed", and nothing is written.
"""

from __future__ import annotations

import contextlib
import gc
import itertools
import json
import sys
from array import array
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass

from reader.store.schema import PASSAGE_TABLES as TABLES
from reader.store.work import WorkQueries

# (article id, [(start, end, terms in reading order)]) for one article
ArticlePassages = tuple[str, Sequence[tuple[int, int, Sequence[str]]]]


def pack_offsets(offsets: Iterable[int]) -> bytes:
    packed = array("I", offsets)
    if sys.byteorder == "big":
        packed.byteswap()
    return packed.tobytes()


def unpack_offsets(blob: bytes) -> array[int]:
    offsets = array("I")
    offsets.frombytes(blob)
    if sys.byteorder == "big":
        offsets.byteswap()
    return offsets


@dataclass(frozen=True)
class PassageBatch:
    """Passages of some articles, ready to store in one transaction: what a
    worker process builds (`passage_batch`) and this process writes, column
    by column (the rows are zipped in C as SQLite takes them)."""

    articles: list[tuple[str, int]]  # article id, how many passages
    # the passages, in order: article id, start, end, terms (space-separated)
    article_ids: list[str]
    starts: list[int]
    ends: list[int]
    terms: list[str]
    # the postings, by term (sorted: the B-trees take them in key order)
    keys: list[str]
    dfs: list[int]
    offsets: list[bytes]  # packed offsets into the passages

    def passages(self) -> Iterator[tuple[str, int, int, str]]:
        return zip(self.article_ids, self.starts, self.ends, self.terms, strict=True)


def passage_batch(articles: Iterable[ArticlePassages]) -> PassageBatch:
    """The batch of the articles' passages (pure CPU work, for a worker)."""
    counts: list[tuple[str, int]] = []
    article_ids: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    terms: list[str] = []
    offsets: defaultdict[str, list[int]] = defaultdict(list)  # looked up in C
    seen: set[str] = set()
    for article_id, found in articles:
        if article_id in seen:  # the same text twice in one import
            continue
        seen.add(article_id)
        counts.append((article_id, len(found)))
        for start, end, words in found:
            k = len(terms)
            article_ids.append(article_id)
            starts.append(start)
            ends.append(end)
            terms.append(" ".join(words))
            for t in set(words):  # each term once; offsets stay in order of k
                offsets[t].append(k)
    keys = sorted(offsets)
    return PassageBatch(
        counts,
        article_ids,
        starts,
        ends,
        terms,
        keys,
        [len(offsets[t]) for t in keys],
        [pack_offsets(offsets[t]) for t in keys],
    )


def _without(batch: PassageBatch, done: Collection[str]) -> PassageBatch:
    """The batch less the articles in done (indexed meanwhile by another process)."""
    grouped: dict[str, list[tuple[int, int, list[str]]]] = {a: [] for a, _ in batch.articles}
    for article_id, start, end, terms in batch.passages():
        grouped[article_id].append((start, end, terms.split(" ")))
    return passage_batch((a, p) for a, p in grouped.items() if a not in done)


class PassageQueries(WorkQueries):
    """The passage index: stored in batches, read by term, by id and by article."""

    def has_passage_index(self) -> bool:
        with self.read() as conn:
            found = conn.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN "
                "(SELECT value FROM json_each(?))",
                (json.dumps(TABLES),),
            ).fetchone()[0]
        return bool(found == len(TABLES))

    def unindexed_article_ids(self) -> list[str]:
        """Articles not in the index yet (none when the index is complete: one count)."""
        with self.read() as conn:
            articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
            indexed = conn.execute("SELECT count(*) FROM passage_articles").fetchone()[0]
            if articles == indexed:
                return []
            return [
                row[0]
                for row in conn.execute(
                    "SELECT id FROM articles "
                    "WHERE id NOT IN (SELECT article_id FROM passage_articles)"
                )
            ]

    def unindexed_texts(self, ids: Sequence[str]) -> list[tuple[str, str]]:
        """(id, text) of those of the articles not indexed yet."""
        with self.read() as conn:
            return conn.execute(
                "SELECT id, text FROM articles WHERE id IN (SELECT value FROM json_each(?)) "
                "AND id NOT IN (SELECT article_id FROM passage_articles)",
                (json.dumps(list(ids)),),
            ).fetchall()

    @contextlib.contextmanager
    def index_cache(self, kib: int) -> Iterator[None]:
        """SQLite's page cache at `kib` KiB meanwhile: the index's B-trees take rows
        all over, and with the 2 MB default every batch rereads them."""
        previous = self.conn.execute("PRAGMA cache_size").fetchone()[0]
        self.conn.execute(f"PRAGMA cache_size = {-abs(int(kib))}")
        try:
            yield
        finally:
            self.conn.execute(f"PRAGMA cache_size = {int(previous)}")

    def store_passages(self, batch: PassageBatch) -> int:
        """Store a batch in one transaction; passages added.

        Articles indexed meanwhile (by another process) are left out."""
        conn = self.conn
        with self.write(), _no_gc():
            done = {
                row[0]
                for row in conn.execute(
                    "SELECT article_id FROM passage_articles WHERE article_id IN "
                    "(SELECT value FROM json_each(?))",
                    (json.dumps([article_id for article_id, _ in batch.articles]),),
                )
            }
            if done:
                batch = _without(batch, done)
            conn.executemany(
                "INSERT INTO passage_articles (article_id, passages) VALUES (?, ?)",
                batch.articles,
            )
            if not batch.terms:
                return 0
            # Ids given here (after the highest ever used: AUTOINCREMENT keeps it
            # in sqlite_sequence), consecutive, so the postings' offsets hold.
            last = conn.execute(
                "SELECT coalesce(max(seq), 0) FROM sqlite_sequence WHERE name = 'passages'"
            ).fetchone()[0]
            first = last + 1
            ids = range(first, first + len(batch.terms))
            conn.executemany(
                'INSERT INTO passages (id, article_id, start, "end", terms) VALUES (?, ?, ?, ?, ?)',
                zip(ids, batch.article_ids, batch.starts, batch.ends, batch.terms, strict=True),
            )
            conn.executemany(
                "INSERT INTO passage_vocabulary (term, df) VALUES (?, ?) "
                "ON CONFLICT (term) DO UPDATE SET df = df + excluded.df",
                zip(batch.keys, batch.dfs, strict=True),
            )
            conn.executemany(
                "INSERT INTO passage_postings (term, first_id, offsets) VALUES (?, ?, ?)",
                zip(batch.keys, itertools.repeat(first), batch.offsets),
            )
        return len(batch.terms)

    def passage_vocabulary(self, terms: Collection[str]) -> dict[str, int]:
        """term -> df of those of the terms the index knows."""
        if not terms:
            return {}
        with self.read() as conn:
            return dict(
                conn.execute(
                    "SELECT term, df FROM passage_vocabulary WHERE term IN "
                    "(SELECT value FROM json_each(?))",
                    (json.dumps(list(terms)),),
                ).fetchall()
            )

    def passage_count(self) -> int:
        with self.read() as conn:
            total: int = conn.execute(
                "SELECT coalesce(sum(passages), 0) FROM passage_articles"
            ).fetchone()[0]
        return total

    def passages_sharing(
        self, terms: Sequence[str], need: int, limit: int, exclude: str | None
    ) -> list[tuple[int, str, int, int, str]]:
        """(id, article id, start, end, terms) of the passages having at least `need`
        of the terms: the `limit` having most, those of article `exclude` left out."""
        per_batch: dict[int, Counter[int]] = {}
        with self.read() as conn:
            for first, blob in conn.execute(
                "SELECT first_id, offsets FROM passage_postings WHERE term IN "
                "(SELECT value FROM json_each(?))",
                (json.dumps(list(terms)),),
            ):
                counts = per_batch.get(first)
                if counts is None:
                    counts = per_batch[first] = Counter()
                counts.update(unpack_offsets(blob))  # counted in C
            hits = [
                (-n, first + k)
                for first, counts in per_batch.items()
                for k, n in counts.items()
                if n >= need
            ]
            hits.sort()
            chosen = [pid for _, pid in hits[:limit]]
            if not chosen:
                return []
            return conn.execute(
                'SELECT id, article_id, start, "end", terms FROM passages '
                "WHERE id IN (SELECT value FROM json_each(?)) AND article_id IS NOT ?",
                (json.dumps(chosen), exclude),
            ).fetchall()

    def span_texts(self, spans: Sequence[tuple[int, str, int, int]]) -> dict[int, str]:
        """key -> text of each (key, article id, start, end): the articles read once
        each and sliced here (twice as fast as SQLite's substr over json_each)."""
        wanted = list({article_id for _, article_id, _, _ in spans})
        with self.read() as conn:
            texts = dict(
                conn.execute(
                    "SELECT id, text FROM articles WHERE id IN (SELECT value FROM json_each(?))",
                    (json.dumps(wanted),),
                ).fetchall()
            )
        return {k: texts[a][s:e] for k, a, s, e in spans if a in texts}

    def article_titles(self, ids: Iterable[str] | None = None) -> dict[str, tuple[str, str | None]]:
        """article id -> (title, source), of the given articles or of all."""
        with self.read() as conn:
            if ids is None:
                rows = conn.execute("SELECT id, title, source FROM articles")
            else:
                rows = conn.execute(
                    "SELECT id, title, source FROM articles WHERE id IN "
                    "(SELECT value FROM json_each(?))",
                    (json.dumps(list(ids)),),
                )
            return {r[0]: (r[1], r[2]) for r in rows}

    def other_article_count(self, article_id: str) -> int:
        with self.read() as conn:
            count: int = conn.execute(
                "SELECT count(*) FROM articles WHERE id != ?", (article_id,)
            ).fetchone()[0]
        return count

    def all_passages(self) -> list[tuple[int, str, int, int, str]]:
        """(id, article id, start, end, terms) of every passage, articles by title."""
        with self.read() as conn:
            return conn.execute(
                'SELECT p.id, p.article_id, p.start, p."end", p.terms FROM passages p '
                "JOIN articles a ON a.id = p.article_id "
                "ORDER BY a.title COLLATE NOCASE, a.id, p.start"
            ).fetchall()


@contextlib.contextmanager
def _no_gc() -> Iterator[None]:
    """The cyclic garbage collector held off meanwhile: storing a batch makes
    hundreds of thousands of small objects, none of them cyclic, and each
    collection would walk them all (measured: a third of the time)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
