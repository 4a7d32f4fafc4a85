"""The library-wide passage index: "also in N of M articles", and clusters.

Every sentence of every article (a *passage*) is stored with its content terms
(`reader.align.content_terms`: stopwords out, folded, stemmed), and an inverted index
maps each term to the passages that have it. "Also in" for a sentence looks up
its rarest terms, takes the passages sharing enough of them as candidates,
scores those with `reader.align`'s formula (idf from the whole library) and
keeps, per other article, the best passage scoring at least `min_score`.

Built at import, incrementally (`index_articles`, called by
`reader.importing.import_paths` for the articles it stored); a database from
before the index, or articles added another way, are indexed lazily the first
time the index is asked (`ensure_indexed`). Passages are split with
`reader.text.quick_sentences.rough_sentences` (no pysbd: import stays fast), so a
passage's span is almost always, not always, the reading pane's sentence; the
TUI may snap a result to `TextBlocks.sentence_at(passage.start)`.

Tables (plain, browsable):
- `passage_articles(article_id, passages)`: which articles are indexed.
- `passages(id, article_id, start, end, terms)`: terms space-separated, in
  reading order; ids never reused (AUTOINCREMENT), deleted with their article.
- `passage_terms(term_id, passage_id)`: the inverted index (WITHOUT ROWID).
  Rows of a deleted article's passages stay behind and are ignored (they join
  to no passage): deleting them would need a second index on passage_id.
- `passage_vocabulary(id, term, df)`: df = passages with the term, as indexed.

SCHEMA HOOK: `create_tables(conn)` is idempotent and is called, for now, from
`_ready()` below before any use; the lead moves it into the store's schema
migration.
"""

from __future__ import annotations

import json
import weakref
from collections import Counter, deque
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, replace

from reader import align
from reader.store import Store
from reader.text.quick_sentences import rough_sentences

# Candidates come from a sentence's rarest terms, at most this many...
QUERY_TERMS = 12
# ... and must share at least this many of them (1 for a sentence of few terms).
MIN_SHARED = 2
# A term in more than this share of all passages is no help in finding
# candidates (it is nearly a stopword), and at most this many candidates, the
# ones sharing most rare terms, are scored: a query stays fast in any library.
COMMON = 0.02
MAX_CANDIDATES = 2000
BATCH = 500  # articles indexed per transaction
INDEX_CACHE_KB = -65536  # SQLite's page cache while indexing: 64 MB (negative: KiB)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS passage_articles (
    article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    passages INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS passages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    terms TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS passages_by_article ON passages(article_id, start);
CREATE TABLE IF NOT EXISTS passage_vocabulary (
    id INTEGER PRIMARY KEY,
    term TEXT NOT NULL UNIQUE,
    df INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS passage_terms (
    term_id INTEGER NOT NULL,
    passage_id INTEGER NOT NULL,
    PRIMARY KEY (term_id, passage_id)
) WITHOUT ROWID;
"""


@dataclass(frozen=True)
class Passage:
    """A sentence of another article that reports the same thing."""

    article_id: str
    title: str
    source: str | None
    start: int
    end: int
    text: str
    score: float


@dataclass(frozen=True)
class AlsoIn:
    """The status line's "also in N of M articles", and the passages behind N."""

    passages: list[Passage]  # the best passage of each other article, best first
    articles: int  # N: other articles with such a passage
    library: int  # M: other articles in the library


# -- schema and indexing ------------------------------------------------------

_READY: weakref.WeakSet[Store] = weakref.WeakSet()


def create_tables(store: Store) -> None:
    """The index's tables (idempotent)."""
    with store.write():
        for statement in _SCHEMA.split(";"):
            if statement.strip():
                store.conn.execute(statement)


def _ready(store: Store) -> None:
    """The tables exist: created if not (a read-only database that has them is
    only read)."""
    if store in _READY:
        return
    with store.read() as conn:
        found = conn.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN "
            "('passage_articles', 'passages', 'passage_vocabulary', 'passage_terms')"
        ).fetchone()[0]
    if found < 4:
        create_tables(store)  # SCHEMA HOOK (see the module docstring)
    _READY.add(store)


def index_articles(store: Store, article_ids: Iterable[str]) -> int:
    """Index the given articles (those already indexed are skipped); passages added.

    Splitting and term-finding (the CPU work) run in worker processes for many
    articles, the next batch while this process stores the last one."""
    ids = list(dict.fromkeys(article_ids))
    if not ids:  # an import that stored nothing leaves the database as it was
        return 0
    _ready(store)
    added = 0
    # A larger page cache while indexing: the inverted index takes rows all
    # over its B-tree, and with SQLite's 2 MB default every batch rereads it
    # (measured: 3.2 -> 2.3 ms an article in a library of 10,000, with the sort).
    previous = store.conn.execute("PRAGMA cache_size").fetchone()[0]
    store.conn.execute(f"PRAGMA cache_size = {INDEX_CACHE_KB}")
    try:
        with _pool(len(ids)) as pool:
            pending: deque[Future[list[_Rows]]] = deque()
            for i in range(0, len(ids), BATCH):
                texts = _unindexed_texts(store, ids[i : i + BATCH])
                pending.append(pool.submit(_passage_rows, texts))
                if len(pending) > 2:  # two computing while one is stored
                    added += _store_rows(store, pending.popleft().result())
            while pending:
                added += _store_rows(store, pending.popleft().result())
    finally:
        store.conn.execute(f"PRAGMA cache_size = {int(previous)}")
    if added:
        _DF.pop(store, None)
    return added


_Rows = tuple[str, list[tuple[int, int, list[str]]]]  # article id, its (start, end, terms)


def _passage_rows(texts: list[tuple[str, str]]) -> list[_Rows]:
    """The passages of each (article id, text): pure CPU work, for a worker."""
    out = []
    for article_id, text in texts:
        pattern = align.word_pattern(text)
        rows = []
        for start, end in rough_sentences(text):
            keys = align.content_terms(text, start, end, pattern)
            if keys:
                rows.append((start, end, keys))
        out.append((article_id, rows))
    return out


def _unindexed_texts(store: Store, ids: Sequence[str]) -> list[tuple[str, str]]:
    with store.read() as conn:
        return conn.execute(
            "SELECT id, text FROM articles WHERE id IN (SELECT value FROM json_each(?)) "
            "AND id NOT IN (SELECT article_id FROM passage_articles)",
            (json.dumps(list(ids)),),
        ).fetchall()


class _Here:
    """An executor that runs each task at once, in this process."""

    def __enter__(self) -> _Here:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def submit(
        self, fn: Callable[[list[tuple[str, str]]], list[_Rows]], arg: list[tuple[str, str]]
    ) -> Future[list[_Rows]]:
        future: Future[list[_Rows]] = Future()
        future.set_result(fn(arg))
        return future


def _pool(count: int) -> _Here | ProcessPoolExecutor:
    """Worker processes for many articles, the way the importer loads files."""
    from reader.processes import worker_count, worker_pool  # the importer's rule

    workers = worker_count(count)
    if workers < 2:
        return _Here()
    return worker_pool(workers)


def ensure_indexed(store: Store) -> int:
    """Index every article not yet indexed (a database from before the index)."""
    _ready(store)
    with store.read() as conn:
        articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        indexed = conn.execute("SELECT count(*) FROM passage_articles").fetchone()[0]
        if articles == indexed:
            return 0
        missing = [
            row[0]
            for row in conn.execute(
                "SELECT id FROM articles WHERE id NOT IN (SELECT article_id FROM passage_articles)"
            )
        ]
    return index_articles(store, missing)


def _store_rows(store: Store, computed: list[_Rows]) -> int:
    """Store computed passages in one transaction; passages added."""
    conn = store.conn
    with store.write():
        # Another process may have indexed some meanwhile.
        done = {
            row[0]
            for row in conn.execute(
                "SELECT article_id FROM passage_articles WHERE article_id IN "
                "(SELECT value FROM json_each(?))",
                (json.dumps([article_id for article_id, _ in computed]),),
            )
        }
        rows: list[tuple[str, int, int, list[str]]] = []
        for article_id, passages in computed:
            if article_id in done:
                continue
            rows.extend((article_id, s, e, keys) for s, e, keys in passages)
            conn.execute(
                "INSERT INTO passage_articles (article_id, passages) VALUES (?, ?)",
                (article_id, len(passages)),
            )
        if not rows:
            return 0
        df: Counter[str] = Counter()
        distinct = [dict.fromkeys(keys).keys() for *_, keys in rows]
        for once in distinct:
            df.update(once)
        conn.executemany(
            "INSERT INTO passage_vocabulary (term, df) VALUES (?, ?) "
            "ON CONFLICT (term) DO UPDATE SET df = df + excluded.df",
            df.items(),
        )
        term_ids = dict(
            conn.execute(
                "SELECT term, id FROM passage_vocabulary WHERE term IN "
                "(SELECT value FROM json_each(?))",
                (json.dumps(list(df)),),
            ).fetchall()
        )
        # Ids given here (after the highest ever used: AUTOINCREMENT keeps it
        # in sqlite_sequence), so the rows go in with one executemany.
        last = conn.execute(
            "SELECT coalesce(max(seq), 0) FROM sqlite_sequence WHERE name = 'passages'"
        ).fetchone()[0]
        numbered = [(last + 1 + k, *row) for k, row in enumerate(rows)]
        conn.executemany(
            'INSERT INTO passages (id, article_id, start, "end", terms) VALUES (?, ?, ?, ?, ?)',
            ((pid, a, s, e, " ".join(keys)) for pid, a, s, e, keys in numbered),
        )
        postings = [
            (term_ids[t], row[0])
            for row, once in zip(numbered, distinct, strict=True)
            for t in once
        ]
        postings.sort()  # in key order: fewer B-tree pages touched per batch
        conn.executemany("INSERT INTO passage_terms (term_id, passage_id) VALUES (?, ?)", postings)
    return len(numbered)


# -- document frequencies, cached per store -----------------------------------

_DF: weakref.WeakKeyDictionary[Store, dict[str, tuple[int, int]]] = weakref.WeakKeyDictionary()


def _vocabulary(store: Store, terms: Iterable[str]) -> dict[str, tuple[int, int]]:
    """term -> (id, df) for the terms the index knows (cached in this process)."""
    cache = _DF.setdefault(store, {})
    missing = [t for t in set(terms) if t not in cache]
    if missing:
        with store.read() as conn:
            for term, term_id, df in conn.execute(
                "SELECT term, id, df FROM passage_vocabulary WHERE term IN "
                "(SELECT value FROM json_each(?))",
                (json.dumps(missing),),
            ):
                cache[term] = (term_id, df)
    return {t: cache[t] for t in terms if t in cache}


def _passage_count(store: Store) -> int:
    with store.read() as conn:
        return conn.execute("SELECT coalesce(sum(passages), 0) FROM passage_articles").fetchone()[0]


# -- queries ------------------------------------------------------------------


def also_in(
    store: Store,
    article_id: str,
    start: int,
    end: int,
    min_score: float = align.DEFAULT_MIN_SCORE,
    text: str | None = None,
) -> AlsoIn:
    """Other articles with a passage reporting what text[start:end] of article_id does.

    `text` is the article's text when the caller has it (saves reading it)."""
    ensure_indexed(store)
    if text is None:
        text = store.article(article_id).text
    query = align.sentence(text, start, end)
    scored, weights = _scored(store, query, article_id, min_score - align.CLEAR_BONUS)
    per_article: dict[str, list[tuple[float, align.Sentence, str]]] = {}
    for (other, _, _), found in scored.items():
        per_article.setdefault(other, []).append(found)
    rivals = _Rivals(store, text, start, end, weights)
    best: dict[str, tuple[float, int, int, str]] = {}
    for other, candidates in per_article.items():
        candidates.sort(key=lambda x: -x[0])
        value, passage, passage_text = candidates[0]
        if value < min_score:
            # The clear-best bonus of reader.align, both ways: the passage beats
            # the rest of its article, and no other sentence here beats the query.
            # Across thousands of articles some passage is "clearly best" by
            # chance, so here it must also share a phrase (two content words
            # in a row) with the query.
            second = candidates[1][0] if len(candidates) > 1 else 0.0
            if (
                not passage.bigrams & query.bigrams
                or value - second < align.CLEAR_MARGIN
                or value - rivals.best(passage) < align.CLEAR_MARGIN
            ):
                continue
            value = min(1.0, value + align.CLEAR_BONUS)
        best[other] = (round(value, 4), passage.start, passage.end, passage_text)
    passages = _passages(store, best)
    with store.read() as conn:
        library = conn.execute("SELECT count(*) FROM articles WHERE id != ?", (article_id,))
        others = library.fetchone()[0]
    return AlsoIn(passages, len(passages), others)


def _matches(
    store: Store, query: align.Sentence, exclude: str | None, min_score: float
) -> dict[tuple[str, int, int], float]:
    """(article, start, end) -> score of the indexed passages matching query."""
    scored, _ = _scored(store, query, exclude, min_score)
    return {key: found[0] for key, found in scored.items()}


# (article, start, end) -> (score, the passage, its text)
Scored = dict[tuple[str, int, int], tuple[float, align.Sentence, str]]


def _weights(store: Store, terms: Iterable[str]) -> dict[str, float]:
    total = max(_passage_count(store), 1)
    return {t: align.idf(df, total) for t, (_, df) in _vocabulary(store, terms).items()}


def _scored(
    store: Store, query: align.Sentence, exclude: str | None, floor: float
) -> tuple[Scored, dict[str, float]]:
    """(article, start, end) -> (score, passage) of the indexed passages scoring at
    least floor against query; and the term weights used."""
    vocabulary = _vocabulary(store, query.terms)
    if not vocabulary:
        return {}, {}
    common = max(COMMON * _passage_count(store), 50)
    rare = sorted(
        (t for t in vocabulary if vocabulary[t][1] <= common), key=lambda t: vocabulary[t][1]
    )[:QUERY_TERMS]
    if not rare:
        return {}, {}
    need = MIN_SHARED if len(rare) > 2 * MIN_SHARED else 1
    with store.read() as conn:
        rows = conn.execute(
            'SELECT p.id, p.article_id, p.start, p."end", p.terms FROM passages p JOIN ('
            "  SELECT passage_id, count(*) AS shared FROM passage_terms WHERE term_id IN "
            "  (SELECT value FROM json_each(?)) GROUP BY passage_id HAVING shared >= ?"
            "  ORDER BY shared DESC LIMIT ?"
            ") c ON c.passage_id = p.id WHERE p.article_id IS NOT ?",
            (json.dumps([vocabulary[t][0] for t in rare]), need, MAX_CANDIDATES, exclude),
        ).fetchall()
    if not rows:
        return {}, {}
    weights = _weights(store, {t for row in rows for t in row[4].split(" ")} | query.terms)
    # The same sentence copied into many articles is scored once (by its terms,
    # then by its text). First an upper bound without the text (fuzzy <= 1):
    # most candidates stop there.
    bounds: dict[str, tuple[frozenset[str], frozenset[str], float] | None] = {}
    hopeful = []
    for pid, other, s, e, stored in rows:
        if stored not in bounds:
            terms, bigrams = align.features(stored.split(" "))
            bounds[stored] = None
            if len(terms & query.terms) >= align.MIN_SHARED_TERMS:
                overlap = align.weighted_overlap(query.terms, terms, weights)
                ceiling = align.WEIGHT_OVERLAP * overlap + align.WEIGHT_FUZZY
                ceiling += align.WEIGHT_BIGRAMS * align.bigram_overlap(query.bigrams, bigrams)
                if ceiling >= floor:
                    bounds[stored] = (terms, bigrams, overlap)
        if bounds[stored] is not None:
            hopeful.append((pid, other, s, e, stored))
    if not hopeful:
        return {}, weights
    texts = _texts(store, [(h[0], h[1], h[2], h[3]) for h in hopeful])
    values: dict[tuple[str, str], tuple[float, align.Sentence]] = {}
    out: Scored = {}
    for pid, other, s, e, stored in hopeful:
        text = texts[pid]
        known = values.get((stored, text))
        if known is None:
            terms, bigrams, overlap = bounds[stored]  # type: ignore[misc]
            candidate = align.Sentence(s, e, terms, bigrams, align.fold(text))
            known = values[(stored, text)] = (align.combine(overlap, query, candidate), candidate)
        value, candidate = known
        if value >= floor:
            if (candidate.start, candidate.end) != (s, e):
                candidate = replace(candidate, start=s, end=e)
            out[(other, s, e)] = (value, candidate, text)
    return out, weights


class _Rivals:
    """The query article's other sentences, prepared on first need."""

    def __init__(
        self, store: Store, text: str, start: int, end: int, weights: dict[str, float]
    ) -> None:
        self.store, self.text, self.span, self.weights = store, text, (start, end), weights
        self._sentences: list[align.Sentence] | None = None

    def best(self, passage: align.Sentence) -> float:
        """The best score of passage against a sentence here other than the query."""
        if self._sentences is None:
            start, end = self.span
            spans = [(s, e) for s, e in rough_sentences(self.text) if e <= start or s >= end]
            self._sentences = [align.sentence(self.text, s, e) for s, e in spans]
            missing = {t for x in self._sentences for t in x.terms} - self.weights.keys()
            self.weights.update(_weights(self.store, missing))
        return max((align.score(passage, x, self.weights) for x in self._sentences), default=0.0)


def _texts(store: Store, spans: Sequence[tuple[int, str, int, int]]) -> dict[int, str]:
    """key -> text of each (key, article id, start, end): the articles read once each
    and sliced here (twice as fast as SQLite's substr over json_each)."""
    wanted = list({article_id for _, article_id, _, _ in spans})
    with store.read() as conn:
        texts = dict(
            conn.execute(
                "SELECT id, text FROM articles WHERE id IN (SELECT value FROM json_each(?))",
                (json.dumps(wanted),),
            ).fetchall()
        )
    return {k: texts[a][s:e] for k, a, s, e in spans if a in texts}


def _passages(store: Store, best: dict[str, tuple[float, int, int, str]]) -> list[Passage]:
    if not best:
        return []
    with store.read() as conn:
        heads = {
            row[0]: row[1:]
            for row in conn.execute(
                "SELECT id, title, source FROM articles WHERE id IN "
                "(SELECT value FROM json_each(?))",
                (json.dumps(list(best)),),
            )
        }
    passages = [
        Passage(other, heads[other][0], heads[other][1], s, e, text, value)
        for other, (value, s, e, text) in best.items()
        if other in heads
    ]
    passages.sort(key=lambda p: (-p.score, p.article_id, p.start))
    return passages


# -- clusters -----------------------------------------------------------------


@dataclass(frozen=True)
class Cluster:
    """Passages of one or more articles that report one thing."""

    passages: list[Passage]

    @property
    def articles(self) -> int:
        return len({p.article_id for p in self.passages})


def clusters(store: Store, min_score: float = align.DEFAULT_MIN_SCORE) -> list[Cluster]:
    """Every indexed passage, grouped with its counterparts across the library.

    Two passages are linked when each is the other's best match in its article
    (as `also_in` finds them); linked passages form a cluster. Clusters are sorted
    by how many articles carry them, then by where they first appear: the facts
    every outlet carries first, those only one has last."""
    ensure_indexed(store)
    with store.read() as conn:
        rows = conn.execute(
            'SELECT p.id, p.article_id, p.start, p."end", p.terms FROM passages p '
            "JOIN articles a ON a.id = p.article_id ORDER BY a.title COLLATE NOCASE, a.id, p.start"
        ).fetchall()
    key_of = {(r[1], r[2], r[3]): r[0] for r in rows}
    parent = {r[0]: r[0] for r in rows}
    linked: dict[int, float] = {}  # passage -> its best link's score

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    # passage -> other article -> (score, its best passage there)
    best: dict[int, dict[str, tuple[float, int]]] = {}
    texts: dict[str, str] = {}  # the current article's text, read once
    for pid, article_id, start, end, terms in rows:
        if article_id not in texts:
            texts.clear()
            texts[article_id] = store.article(article_id).text
        folded = align.fold(texts[article_id][start:end])
        query = align.Sentence(start, end, *align.features(terms.split(" ")), folded)
        mine = best[pid] = {}
        for key, value in _matches(store, query, exclude=article_id, min_score=min_score).items():
            other = key_of.get(key)
            if other is not None and (key[0] not in mine or value > mine[key[0]][0]):
                mine[key[0]] = (value, other)
    article_of = {r[0]: r[1] for r in rows}
    for pid, mine in best.items():
        for value, other in mine.values():
            # Linked only when each is the other's best in its article: chains
            # of second-best matches would join different facts.
            back = best.get(other, {}).get(article_of[pid])
            if back is not None and back[1] == pid:
                parent[find(pid)] = find(other)
                for end in (pid, other):
                    linked[end] = max(linked.get(end, 0.0), value)
    groups: dict[int, list[tuple[str, int, int, float]]] = {}
    for pid, article_id, s, e, _ in rows:
        groups.setdefault(find(pid), []).append((article_id, s, e, linked.get(pid, 0.0)))
    return _cluster_records(store, list(groups.values()))


def _cluster_records(
    store: Store, groups: list[list[tuple[str, int, int, float]]]
) -> list[Cluster]:
    """Clusters with titles and texts; a passage's score is that of its best link."""
    with store.read() as conn:
        heads = {r[0]: r[1:] for r in conn.execute("SELECT id, title, source FROM articles")}
    flat = [(k, a, s, e) for k, (a, s, e, _) in enumerate(x for g in groups for x in g)]
    texts = _texts(store, flat)
    out = []
    k = 0
    for group in groups:
        passages = []
        for article_id, s, e, value in group:
            title, source = heads.get(article_id, ("?", None))
            passages.append(Passage(article_id, title, source, s, e, texts.get(k, ""), value))
            k += 1
        out.append(Cluster(passages))
    out.sort(key=lambda c: -c.articles)  # stable: first appearance breaks ties
    return out
