"""An article's progress: the share of its sentences a live annotation touches.

Computed when an article's annotations change (History, merge) and stored with
the article's status (store.work), so the library never segments every article
at start; `reader list` computes the few not yet known, on demand.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable

from reader.models import Article
from reader.store import Store
from reader.text.blocks import TextBlocks
from reader.text.spans import Span


def sentence_spans(text: str) -> list[Span]:
    """Every sentence of the text, in order (pysbd: milliseconds per paragraph)."""
    blocks = TextBlocks(text)
    return [span for k in range(len(blocks)) for span in blocks.sentences(k)]


def coverage(sentences: list[Span], spans: Iterable[tuple[int, int]]) -> float:
    """The share of sentences that at least one of spans overlaps (0 with none)."""
    if not sentences:
        return 0.0
    starts = [s[0] for s in sentences]
    touched: set[int] = set()
    for start, end in spans:
        i = max(bisect_right(starts, start) - 1, 0)
        while i < len(sentences) and sentences[i][0] < end:
            if sentences[i][1] > start:
                touched.add(i)
            i += 1
    return len(touched) / len(sentences)


def update_progress(store: Store, article: Article, sentences: list[Span] | None = None) -> float:
    """Compute and store the article's progress (only computed on a database opened
    read-only: a read command changes nothing); `sentences` when already known."""
    if sentences is None:
        sentences = sentence_spans(article.text)
    value = coverage(sentences, ((a.start, a.end) for a in store.annotations(article.id)))
    if not store.read_only:
        store.set_progress(article.id, value)
    return value
