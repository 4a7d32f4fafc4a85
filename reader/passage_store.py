"""The library-wide passage index: "also in N of M articles", and clusters.

Every sentence of every article (a *passage*) is stored with its content terms
(`reader.align.content_terms`: stopwords out, folded, stemmed), and an inverted index
maps each term to the passages that have it. "Also in" for a sentence looks up
its rarest terms, takes the passages sharing enough of them as candidates,
scores those with `reader.align`'s formula (idf from the whole library) and
keeps, per other article, the best passage scoring at least `min_score`.

Built at import, incrementally: `reader.importing.import_paths` has its
loading workers find each file's passages (`passages_and_words`, which counts
the article's words with the same search) and pack a batch's
postings, and stores them after the articles (`store_passages`); a database
from before the index, or articles added another way, are indexed lazily the
first time the index is asked (`ensure_indexed`, through `index_articles`). Passages are split with
`reader.text.quick_sentences.rough_sentences` (no pysbd: import stays fast), so a
passage's span is almost always, not always, the reading pane's sentence; the
TUI may snap a result to `TextBlocks.sentence_at(passage.start)`.

Tables and every SQL statement: `reader.store.passages` (the inverted index is
stored one row per term and indexing batch). A database too old for the index
(read-only, so not migrated) answers every query with nothing found.
"""

from __future__ import annotations

import weakref
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, replace

from reader import align
from reader.store import Store
from reader.store.passages import PassageBatch, passage_batch
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
INDEX_CACHE_KIB = 65536  # SQLite's page cache while indexing: 64 MB


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


# -- indexing -----------------------------------------------------------------


def index_articles(store: Store, article_ids: Iterable[str]) -> int:
    """Index the given articles (those already indexed are skipped); passages added.

    Splitting and term-finding (the CPU work) run in worker processes for many
    articles, the next batch while this process stores the last one."""
    ids = list(dict.fromkeys(article_ids))
    if not ids or not store.has_passage_index():
        return 0  # an import that stored nothing leaves the database as it was
    added = 0
    with store.index_cache(INDEX_CACHE_KIB), _pool(len(ids)) as pool:
        pending: deque[Future[PassageBatch]] = deque()
        for i in range(0, len(ids), BATCH):
            texts = store.unindexed_texts(ids[i : i + BATCH])
            pending.append(pool.submit(_passage_batch, texts))
            if len(pending) > 2:  # two computing while one is stored
                added += store.store_passages(pending.popleft().result())
        while pending:
            added += store.store_passages(pending.popleft().result())
    if added:
        _DF.pop(store, None)
    return added


def store_passages(store: Store, batch: PassageBatch) -> int:
    """Store a batch of passages found already (by the importer's workers) of
    articles just stored; passages added."""
    if not batch.articles or not store.has_passage_index():
        return 0
    with store.index_cache(INDEX_CACHE_KIB):
        added = store.store_passages(batch)
    if added:
        _DF.pop(store, None)
    return added


Passages = list[tuple[int, int, list[str]]]  # (start, end, content terms) of each


def passages_of(text: str) -> Passages:
    """(start, end, content terms) of each passage of a text that has terms."""
    return passages_and_words(text)[0]


def passages_and_words(text: str) -> tuple[Passages, int]:
    """passages_of(text), and the number of words of text (exactly
    `reader.text.words.count_words`): the importer counts them here, with the
    same search for words (the passages hold every character but white space)."""
    spans = rough_sentences(text)
    found, words = align.terms_and_words(text, spans, align.word_pattern(text))
    return [(s, e, keys) for (s, e), keys in zip(spans, found, strict=True) if keys], words


def _passage_batch(texts: list[tuple[str, str]]) -> PassageBatch:
    """The batch of each (article id, text)'s passages: pure CPU work, for a worker."""
    return passage_batch((article_id, passages_of(text)) for article_id, text in texts)


class _Here:
    """An executor that runs each task at once, in this process."""

    def __enter__(self) -> _Here:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def submit(
        self, fn: Callable[[list[tuple[str, str]]], PassageBatch], arg: list[tuple[str, str]]
    ) -> Future[PassageBatch]:
        future: Future[PassageBatch] = Future()
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
    if not store.has_passage_index():
        return 0
    missing = store.unindexed_article_ids()
    return index_articles(store, missing) if missing else 0


# -- document frequencies, cached per store -----------------------------------

_DF: weakref.WeakKeyDictionary[Store, dict[str, int]] = weakref.WeakKeyDictionary()


def _vocabulary(store: Store, terms: Iterable[str]) -> dict[str, int]:
    """term -> df for the terms the index knows (cached in this process)."""
    cache = _DF.setdefault(store, {})
    missing = [t for t in set(terms) if t not in cache]
    if missing:
        cache.update(store.passage_vocabulary(missing))
    return {t: cache[t] for t in terms if t in cache}


def _passage_count(store: Store) -> int:
    return store.passage_count()


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
    if not store.has_passage_index():
        return AlsoIn([], 0, store.other_article_count(article_id))
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
    return AlsoIn(passages, len(passages), store.other_article_count(article_id))


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
    return {t: align.idf(df, total) for t, df in _vocabulary(store, terms).items()}


def _scored(
    store: Store, query: align.Sentence, exclude: str | None, floor: float
) -> tuple[Scored, dict[str, float]]:
    """(article, start, end) -> (score, passage) of the indexed passages scoring at
    least floor against query; and the term weights used."""
    vocabulary = _vocabulary(store, query.terms)
    if not vocabulary:
        return {}, {}
    common = max(COMMON * _passage_count(store), 50)
    rare = sorted((t for t in vocabulary if vocabulary[t] <= common), key=lambda t: vocabulary[t])[
        :QUERY_TERMS
    ]
    if not rare:
        return {}, {}
    need = MIN_SHARED if len(rare) > 2 * MIN_SHARED else 1
    rows = store.passages_sharing(rare, need, MAX_CANDIDATES, exclude)
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
    texts = store.span_texts([(h[0], h[1], h[2], h[3]) for h in hopeful])
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


def _passages(store: Store, best: dict[str, tuple[float, int, int, str]]) -> list[Passage]:
    if not best:
        return []
    heads = store.article_titles(best)
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
    rows = store.all_passages() if store.has_passage_index() else []
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
    heads = store.article_titles()
    flat = [(k, a, s, e) for k, (a, s, e, _) in enumerate(x for g in groups for x in g)]
    texts = store.span_texts(flat)
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
