"""Every sentence of a whole text, fast: what alignment and the passage index split.

`reader.text.sentences.sentence_spans` (pysbd) costs about 5 ms per 1,000
characters: 50 ms for two 5 KB articles, the whole alignment budget, and 25 ms
an article at import, twelve times the import budget. Most paragraphs of news
text are plain: sentences ending in a lower-case word and a period, the next
starting with a capital, no abbreviations, decimals, initials, quotes or
brackets. pysbd splits those at exactly those points, so:

- `sentences(text)`: the pysbd sentences, exactly (a property test compares),
  with plain paragraphs split by one regex and only the others given to pysbd.
  Alignment uses these, so its spans are the reading pane's sentences.
- `rough_sentences(text)`: one cheap rule for every paragraph (a sentence end
  not after an abbreviation, a single letter or inside a number), which cuts
  plain paragraphs exactly where `sentences` does. Nearly always the same spans; used where speed
  matters more than the rare difference: the library-wide index at import.

Offsets are code points into `text`; `text[start:end]` is a sentence without
surrounding white space.
"""

from __future__ import annotations

import re
from functools import lru_cache

import regex

from reader.text.paragraphs import paragraph_spans
from reader.text.sentences import sentence_spans

Span = tuple[int, int]

# A sentence end pysbd agrees on: a lower-case word of two letters or more,
# one end mark, white space, then a capitalised word.
_PLAIN_END = re.compile(r"(?<=[a-z]{2}[.!?])\s+(?=[A-Z][a-z])")
# Anything in a piece that pysbd has rules for: further end marks, quotes,
# brackets, list bullets, ellipses.
_TRICKY = re.compile(r"[.!?\"“”‘()\[\]{}«»…]|^[-•*–—]|\s[-•*–—]\s")
# Other scripts' end marks ("。", "؟", "।") and any other non-ASCII punctuation
# but the apostrophe: pysbd decides those paragraphs.
_FOREIGN_MARK = regex.compile(r"[\p{Po}--[\x00-\x7f’]]", regex.V1)
_LAST_WORD = re.compile(r"([A-Za-z]+)[.!?]$")
# The rough rule for other paragraphs: an end mark (and closing quotes or
# brackets), white space, then something that can start a sentence.
_ROUGH_END = re.compile(r"(?<=[.!?])([\"”’)\]]*)\s+(?=[\"“‘(\[]?[A-Z0-9])")
_ROUGH_BEFORE = re.compile(r"(\S+)[.!?][\"”’)\]]*$")
_REACH = 48  # how far back from a sentence end its last word is looked for
_LAST_SPACE = re.compile(r"\s(?=\S*$)")  # the white space before the last word


@lru_cache(maxsize=1)
def _abbreviations() -> frozenset[str]:
    from pysbd.lang.english import English

    return frozenset(a.lower() for a in English.Abbreviation.ABBREVIATIONS)


def sentences(text: str) -> list[Span]:
    """The sentences of every paragraph, exactly as document.sentence_spans gives them."""
    spans: list[Span] = []
    for start, end in paragraph_spans(text):
        plain = _plain(text, start, end)
        spans.extend(plain if plain is not None else sentence_spans(text, start, end))
    return spans


def rough_sentences(text: str) -> list[Span]:
    """Nearly sentences(text), without pysbd: about a hundred times faster."""
    # On a plain paragraph the rough rule cuts where the plain one does (its
    # pieces have no other end marks), so it is used for every paragraph.
    spans: list[Span] = []
    for start, end in paragraph_spans(text):
        spans.extend(_rough(text, start, end))
    return spans


def _trimmed(text: str, start: int, end: int) -> Span:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _plain(text: str, start: int, end: int) -> list[Span] | None:
    """The sentences of a plain paragraph, or None when pysbd must decide."""
    start, end = _trimmed(text, start, end)
    if _FOREIGN_MARK.search(text, start, end):
        return None
    pieces: list[Span] = []
    pos = start
    for m in _PLAIN_END.finditer(text, start, end):
        pieces.append((pos, m.start()))
        pos = m.end()
    pieces.append((pos, end))
    abbreviations = _abbreviations()
    for i, (s, e) in enumerate(pieces):
        last = i == len(pieces) - 1
        body = text[s : e - 1] if text[e - 1] in ".!?" else text[s:e]
        if _TRICKY.search(body):
            return None
        if text[e - 1] in ".!?":
            word = _LAST_WORD.search(text, s, e)
            if word is None or word.group(1).lower() in abbreviations:
                return None
        elif not last:
            return None
    return pieces


def _before(text: str, pos: int, cut: int) -> re.Match[str] | None:
    """_ROUGH_BEFORE.search(text, pos, cut), looking only at the last word when
    white space begins it within reach: searching a whole sentence for a
    pattern anchored at its end tries every position (measured: a third of
    the splitter's time)."""
    window = cut - _REACH
    if window > pos and text[window - 1].isspace():
        return _ROUGH_BEFORE.search(text, window, cut)
    if window > pos:
        space = _LAST_SPACE.search(text, window, cut)
        if space is not None:
            return _ROUGH_BEFORE.search(text, space.end(), cut)
    return _ROUGH_BEFORE.search(text, pos, cut)


def _rough(text: str, start: int, end: int) -> list[Span]:
    start, end = _trimmed(text, start, end)
    spans: list[Span] = []
    pos = start
    abbreviations = _abbreviations()
    for m in _ROUGH_END.finditer(text, start, end):
        cut = m.start() + len(m.group(1))
        before = _before(text, pos, cut)
        if before is not None:
            word = before.group(1).strip('"“‘([').lower().rstrip(".")
            # "U.S." "Mr." "J." "$6." : not an end
            if word in abbreviations or len(word) <= 1 or "." in word:
                continue
        spans.append((pos, cut))
        pos = m.end()
    if pos < end:
        spans.append((pos, end))
    return spans
