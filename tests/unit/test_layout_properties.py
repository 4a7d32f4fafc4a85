"""Properties of the pane's offset model on hostile text, without Textual.

Random text mixes wide characters, emoji ZWJ sequences and modifiers, flags,
combining marks, Hangul jamo, tabs and any other code point; the model must give
every grapheme boundary its own screen cell, map it back, keep motions and
selections on whole graphemes, and agree with a slow reference for row contents.
"""

from __future__ import annotations

from functools import partial

import regex
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from reader.text import motions as tm
from reader.text.cells import cells_between, display
from reader.text.paragraphs import paragraph_spans
from reader.text.spans import SpanIndex
from reader.text.wrapping import TextGeometry

GRAPHEME = regex.compile(r"\X", regex.DOTALL)

PIECES = [
    "a",
    "Z",
    " ",
    " ",
    ".",
    "\n",
    "\n\n",
    "中",
    "ｶ",
    "e\u0301",
    "x\u0308\u0301",
    "👍🏽",
    "👨\u200d👩\u200d👧\u200d👦",
    "🏳\ufe0f\u200d🌈",
    "🇫🇷",
    "🇯🇵",
    "\u1100\u1161\u11a8",
    "\t",
    "’",
    "\u0915\u094d\u0937",  # Devanagari conjunct
    "\u200b",
    "\ufe0f",
]
# Any code point but surrogates and the line separators normalization removes.
ANY = st.characters(exclude_categories=("Cs",), exclude_characters="\r\x0b\x0c\x1c\x1d\x1e\x85")
TEXT = st.lists(st.one_of(st.sampled_from(PIECES), ANY), max_size=70).map("".join)


def boundaries(text: str) -> set[int]:
    return {0, *(m.end() for m in GRAPHEME.finditer(text))}


@settings(max_examples=250, deadline=None)
@given(TEXT, st.integers(2, 16), st.integers(6, 40))
def test_every_position_has_its_own_cell_and_maps_back(text, width, chunk):
    layout = TextGeometry(text, chunk=chunk)
    wrap = layout.wrap(width)
    bounds = boundaries(text)
    cells: dict[tuple[int, int], int] = {}
    for offset in range(len(text) + 1):
        pos = layout.position(offset)
        assert pos in bounds
        assert layout.position(pos) == pos
        y, cell = wrap.to_screen(pos)
        assert wrap.from_screen(y, cell) == pos
        assert cells.setdefault((y, cell), pos) == pos  # no two positions share a cell


@settings(max_examples=250, deadline=None)
@given(TEXT, st.integers(2, 16), st.integers(6, 40))
def test_rows_hold_whole_graphemes_and_fit_the_width(text, width, chunk):
    layout = TextGeometry(text, chunk=chunk)
    wrap = layout.wrap(width)
    bounds = boundaries(text)
    covered = []
    y = 0
    while y < wrap.total:  # the total grows or shrinks as blocks are wrapped
        k, r = wrap.locate(y)
        y += 1
        span = wrap.row_span(k, r)
        if span is None:
            continue
        a, b = span
        assert a in bounds and b in bounds
        cells = cells_between(text, a, b)
        trailing = text[b - 1] in " \t\u3000" if b > a else False
        # a row fits, but for one hanging break or a single grapheme wider than the row
        single = len([m for m in GRAPHEME.finditer(text, a, b)]) == 1
        assert cells <= width or single or (trailing and cells_between(text, a, b - 1) <= width)
        covered.append((a, b))
    # the rows cover every paragraph exactly, in order
    joined = [p for a, b in covered for p in range(a, b)]
    assert joined == [p for s, e in paragraph_spans(text) for p in range(s, e)]


@settings(max_examples=200, deadline=None)
@given(
    TEXT,
    st.lists(
        st.sampled_from(
            ["left", "right", "word", "word_back", "sentence", "sentence_back", "para", "para_back"]
        ),
        max_size=20,
    ),
    st.integers(0, 100),
)
def test_motions_and_selections_stay_on_grapheme_boundaries(text, motions, start):
    layout = TextGeometry(text, chunk=12)
    bounds = boundaries(text)
    moves = {
        "left": partial(tm.previous_position, layout),
        "right": partial(tm.next_position, layout),
        "word": lambda p: tm.next_word(layout, p),
        "word_back": lambda p: tm.previous_word(layout, p),
        "sentence": lambda p: tm.next_sentence(layout, p),
        "sentence_back": lambda p: tm.previous_sentence(layout, p),
        "para": partial(tm.next_paragraph, layout),
        "para_back": partial(tm.previous_paragraph, layout),
    }
    anchor = pos = layout.position(start)
    for motion in motions:
        pos = moves[motion](pos)
        assert pos in bounds
        assert layout.position(pos) == pos
    a, b = sorted((anchor, pos))
    sentence = tm.sentence_at(layout, pos)
    for lo, hi in [(a, b), *([sentence] if sentence else [])]:
        assert lo in bounds and hi in bounds
        assert not any(
            m.start() < lo < m.end() or m.start() < hi < m.end() for m in GRAPHEME.finditer(text)
        )


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.sampled_from(["word ", "中文 ", "\n\n", "👍🏽 "]), max_size=60).map("".join),
    st.lists(st.tuples(st.integers(0, 200), st.integers(0, 60)), max_size=30),
    st.integers(6, 40),
)
def test_span_index_finds_exactly_the_overlapping_spans(text, raw, chunk):
    layout = TextGeometry(text, chunk=chunk)
    spans = [(s, min(s + n, len(text)), i) for i, (s, n) in enumerate(raw) if s < len(text)]
    spans = [span for span in spans if span[1] > span[0]]
    if not layout.starts:
        spans = []  # no paragraph, nothing drawn: the index holds nothing
    built = SpanIndex(layout, spans)
    grown = SpanIndex(layout)
    for span in reversed(spans):
        grown.add(*span)
    for a in range(0, len(text) + 1, 3):
        for b in (a, a + 1, a + 7):
            expected = {i for s, e, i in spans if s < max(b, a + 1) and e > a}
            for index in (built, grown):
                found = index.overlapping(a, b)
                assert {i for _, _, i in found} == expected
                assert len(found) == len(expected)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_what_is_drawn_takes_the_cells_the_model_counts(text):
    for paragraph in text.split("\n"):
        shown = display(paragraph)
        assert cell_len(shown) == cells_between(paragraph, 0, len(paragraph))
        assert not any(ch in shown for ch in "\x1b\x00\x7f\u202e\u2066")
