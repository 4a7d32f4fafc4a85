"""CoNLL: one token per line with an IOB2 tag per label (one column each), sentences
separated by a blank line, each article opened by a `-DOCSTART-` line (CoNLL-2003).

A token is a word (as reader counts words: "OpenAI’s", "6.6") or one other
character (a grapheme: an emoji sequence is one); it belongs to a span when
they share a character. A span over several sentences starts again with B- in
each. IOB holds one span at a time
per column: where two spans of one label overlap (other than exactly), the
later one is left out of its column, and said so on stderr; so is a span that
covers no token.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator

import regex

from reader.models import Annotation
from reader.text.paragraphs import paragraph_spans
from reader.text.sentences import sentence_spans
from reader.text.words import WORD

from .common import Item, Warn

DOCSTART = "-DOCSTART-"
# A word, else one grapheme of anything else (an emoji ZWJ sequence stays whole).
_TOKEN = regex.compile(WORD.pattern + r"|(?![\w\s])\X")


def export(items: Iterable[Item], labels: list[str], warn: Warn) -> Iterator[bytes]:
    for item in items:
        yield _article(item, labels, warn).encode("utf-8")


def tokens(text: str) -> list[list[tuple[int, int]]]:
    """The tokens of a text, sentence by sentence, as (start, end)."""
    sentences: list[list[tuple[int, int]]] = []
    for start, end in paragraph_spans(text):
        # Every token goes to the sentence it starts in: none is lost where the
        # sentence splitter skips a character.
        starts = [s for s, _ in sentence_spans(text, start, end)] or [start]
        starts[0] = start
        groups: list[list[tuple[int, int]]] = [[] for _ in starts]
        for m in _TOKEN.finditer(text, start, end):
            groups[max(bisect_right(starts, m.start()) - 1, 0)].append(m.span())
        sentences.extend(group for group in groups if group)
    return sentences


def _article(item: Item, labels: list[str], warn: Warn) -> str:
    text = item.article.text
    sentences = tokens(text)
    flat = [t for sentence in sentences for t in sentence]
    starts = [s for s, _ in flat]
    first_of_sentence = {sentence[0] for sentence in sentences}
    columns = {label: ["O"] * len(flat) for label in labels}
    owner: dict[str, list[Annotation | None]] = {label: [None] * len(flat) for label in labels}
    for a in item.annotations:
        if a.label not in columns:
            continue
        # tokens sharing a character with [start, end)
        lo = max(bisect_right(starts, a.start) - 1, 0)
        covered = [i for i in range(lo, bisect_right(starts, a.end - 1)) if flat[i][1] > a.start]
        if not covered:
            warn(
                f"article {item.article.id}: {a.label} span {a.start}-{a.end} ({a.id}) covers "
                "no token; not in the CoNLL file"
            )
            continue
        taken = owner[a.label]
        clash = next((taken[i] for i in covered if taken[i] is not None), None)
        if clash is not None:
            if (clash.start, clash.end) != (a.start, a.end):
                warn(
                    f"article {item.article.id}: {a.label} span {a.start}-{a.end} ({a.id}) "
                    f"overlaps {a.label} span {clash.start}-{clash.end} ({clash.id}); "
                    "IOB holds one, the first is written"
                )
            continue
        column = columns[a.label]
        for n, i in enumerate(covered):
            begins = n == 0 or flat[i] in first_of_sentence
            column[i] = ("B-" if begins else "I-") + a.label
            taken[i] = a
    lines = ["\t".join([DOCSTART, *("O" for _ in labels)]), ""]
    i = 0
    for sentence in sentences:
        for start, end in sentence:
            lines.append("\t".join([text[start:end], *(columns[label][i] for label in labels)]))
            i += 1
        lines.append("")
    return "\n".join(lines) + "\n"
