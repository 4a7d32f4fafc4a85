"""The reading pane's wrapping / offset model, without Textual."""

from __future__ import annotations

import unicodedata
from functools import partial

import regex
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from reader.text import motions as tm
from reader.text.cells import SIMPLE_CHARS, cells_between, display, safe
from reader.text.paragraphs import paragraph_spans
from reader.text.spans import SpanIndex
from reader.text.wrapping import (
    Fenwick,
    TextGeometry,
    _wrap_general,
    _wrap_simple,
    measure,
    wrap_block,
)

GRAPHEME = regex.compile(r"\X", regex.DOTALL)


def rows_of(text: str, width: int, final: bool = True) -> list[str]:
    starts = wrap_block(text, 0, len(text), width, final)
    return [text[a:b] for a, b in zip(starts, [*starts[1:], len(text)], strict=True)]


def layout_of(text: str, chunk: int = 2000) -> TextGeometry:
    return TextGeometry(text, chunk=chunk)


def boundaries(text: str) -> set[int]:
    return {0, *(m.end() for m in GRAPHEME.finditer(text))}


# -- wrapping ---------------------------------------------------------------------


def test_wraps_at_spaces_and_lets_one_space_hang():
    assert rows_of("the quick brown fox", 10) == ["the quick ", "brown fox"]
    assert rows_of("aaaa bbbb cccc", 4) == ["aaaa ", "bbbb ", "cccc"]


def test_a_long_word_is_split():
    assert rows_of("abcdefghij xy", 4) == ["abcd", "efgh", "ij ", "xy"]


def test_wide_characters_take_two_cells():
    assert rows_of("中文字符测试", 5) == ["中文", "字符", "测试"]
    assert [cell_len(r) for r in rows_of("ab中文字", 5)] == [4, 4]


def test_emoji_zwj_sequences_and_flags_are_never_split():
    family = "👨\u200d👩\u200d👧"
    text = (family + "🇫🇷") * 6
    for width in range(2, 9):
        for row in rows_of(text, width):
            assert row.startswith((family, "🇫🇷")) or row == ""
            assert cells_between(row, 0, len(row)) <= width


def test_a_full_last_row_gets_an_empty_row_for_the_end_position():
    assert rows_of("abcd ", 4, final=True) == ["abcd ", ""]
    assert rows_of("abcd ", 4, final=False) == ["abcd "]


@settings(max_examples=300)
@given(st.text(alphabet="ab c", max_size=60), st.integers(1, 12), st.booleans())
def test_fast_path_wraps_like_the_grapheme_walk(text, width, final):
    assert _wrap_simple(text, 0, len(text), width, final) == _wrap_general(
        text, 0, len(text), width, final
    )


def test_simple_characters_are_single_cell_single_graphemes():
    for ch in SIMPLE_CHARS:
        assert cell_len(ch) == 1
        assert unicodedata.category(ch)[0] not in "MC"
    assert "’" in SIMPLE_CHARS and "中" not in SIMPLE_CHARS and "\u0301" not in SIMPLE_CHARS


def test_control_characters_are_made_visible():
    assert safe("a\x1b[31mb\tc") == "a\ufffd[31mb    c"
    assert safe("a\u202eb") == "a\ufffdb"
    assert safe("plain") == "plain"


def test_measure_centres_a_readable_column():
    x, width = measure(200)
    assert width == 88 and x > 4 and x + width + 1 + 4 <= 200
    x, width = measure(60)
    assert width == 60 - 9 and x == 4
    x, width = measure(10)
    assert width == 9 and x == 0


# -- blocks and rows ----------------------------------------------------------------


def test_blank_row_between_paragraphs():
    layout = layout_of("one two\n\nthree")
    wrap = layout.wrap(20)
    assert wrap.total == 3
    assert wrap.row_span(*wrap.locate(0)) == (0, 7)
    assert wrap.row_span(*wrap.locate(1)) is None
    assert wrap.row_span(*wrap.locate(2)) == (9, 14)


def test_long_paragraph_is_cut_into_blocks_at_sentence_ends():
    text = " ".join(f"Sentence number {i} is here." for i in range(400))
    layout = layout_of(text, chunk=500)
    assert len(layout) > 10
    assert layout.starts[0] == 0 and layout.ends[-1] == len(text)
    for a, b in zip(layout.ends, layout.starts[1:], strict=False):
        assert a == b  # contiguous: the paragraph is whole
    assert all(text[s - 2 : s] == ". " for s in layout.starts[1:])
    assert all(layout.final[k] is False for k in range(len(layout) - 1))


def test_estimates_are_corrected_as_blocks_are_wrapped():
    text = "\n\n".join("word " * 50 for _ in range(100))
    wrap = layout_of(text).wrap(30)
    estimated = wrap.total
    for k in range(100):
        wrap.rows(k)
    exact = sum(len(wrap_block(text, s, e, 30)) for s, e in paragraph_spans(text)) + 99
    assert wrap.total == exact
    assert estimated > 0


def test_fenwick_prefix_and_search():
    values = [3, 1, 4, 1, 5, 9, 2, 6]
    tree = Fenwick(values)
    for i in range(len(values) + 1):
        assert tree.prefix(i) == sum(values[:i])
    tree.add(2, -2)
    values[2] -= 2
    row = 0
    for k, v in enumerate(values):
        for r in range(v):
            assert tree.search(row) == (k, r)
            row += 1


# -- offsets <-> screen -------------------------------------------------------------


def test_round_trip_simple_text():
    text = "Hello world, this is a test.\n\nSecond paragraph here."
    layout = layout_of(text)
    wrap = layout.wrap(10)
    for offset in range(len(text) + 1):
        pos = layout.position(offset)
        y, cell = wrap.to_screen(pos)
        assert wrap.from_screen(y, cell) == pos


def test_offsets_between_paragraphs_snap_to_the_paragraph_end():
    text = "one\n\n\ntwo"
    layout = layout_of(text)
    assert layout.position(4) == 3 and layout.position(5) == 3 and layout.position(6) == 6
    assert tm.next_position(layout, 3) == 6 and tm.previous_position(layout, 6) == 3


def test_clicking_past_a_row_end_lands_on_its_last_position():
    text = "aaaa bbbb cccc"
    wrap = layout_of(text).wrap(6)
    assert wrap.from_screen(0, 50) == 4  # the hanging space, not the next row's start
    assert wrap.from_screen(1, 50) == 9
    assert wrap.from_screen(2, 50) == 14  # the paragraph's end


NASTY = st.sampled_from(
    [
        "a",
        "b",
        " ",
        " ",
        "\n",
        "\n\n",
        "中",
        "文",
        "e\u0301",
        "👍🏽",
        "👨\u200d👩\u200d👧",
        "🇫🇷",
        "🇯🇵",
        "x\u0308\u0301",
        "\t",
        "’",
        "Ω",
        "한",
        "\u1100\u1161\u11a8",
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(NASTY, max_size=80).map("".join), st.integers(2, 14), st.integers(8, 40))
def test_every_grapheme_boundary_maps_to_a_cell_and_back(text, width, chunk):
    layout = layout_of(text, chunk=chunk)
    wrap = layout.wrap(width)
    bounds = boundaries(text)
    seen = set()
    for offset in range(len(text) + 1):
        pos = layout.position(offset)
        assert pos in bounds
        y, cell = wrap.to_screen(pos)
        assert 0 <= y < max(wrap.total, 1)
        assert 0 <= cell <= width + (4 if "\t" in text else 1)
        assert wrap.from_screen(y, cell) == pos
        seen.add((y, cell))
    # distinct positions are drawn in distinct cells
    assert len(seen) == len({layout.position(o) for o in range(len(text) + 1)})


@settings(max_examples=200, deadline=None)
@given(
    st.lists(NASTY, max_size=60).map("".join),
    st.lists(
        st.sampled_from(["left", "right", "word", "word_back", "sentence", "paragraph"]),
        max_size=25,
    ),
    st.integers(0, 200),
)
def test_selections_built_from_motions_cover_whole_graphemes(text, motions, start):
    layout = layout_of(text, chunk=16)
    bounds = boundaries(text)
    anchor = pos = layout.position(start)
    for motion in motions:
        pos = {
            "left": partial(tm.previous_position, layout),
            "right": partial(tm.next_position, layout),
            "word": lambda p: tm.next_word(layout, p),
            "word_back": lambda p: tm.previous_word(layout, p),
            "sentence": lambda p: tm.next_sentence(layout, p),
            "paragraph": partial(tm.next_paragraph, layout),
        }[motion](pos)
        pos = layout.position(pos)
        assert pos in bounds
    a, b = sorted((anchor, pos))
    assert a in bounds and b in bounds
    # a selection's text never starts or ends inside a cluster
    for m in GRAPHEME.finditer(text):
        assert not (m.start() < a < m.end()) and not (m.start() < b < m.end())


def test_motions_walk_through_paragraphs():
    text = "Mr. Smith went. He said U.S. things.\n\nNext one here."
    layout = layout_of(text)
    assert tm.next_sentence(layout, 0) == text.index("He")
    assert tm.next_sentence(layout, text.index("He")) == text.index("Next")
    assert tm.previous_sentence(layout, text.index("Next")) == text.index("He")
    assert tm.next_word(layout, 0) == text.index("Smith")
    assert tm.next_paragraph(layout, 0) == text.index("Next")
    assert tm.previous_paragraph(layout, text.index("one")) == text.index("Next")
    assert tm.previous_paragraph(layout, text.index("Next")) == 0
    assert tm.sentence_at(layout, text.index("said")) == (text.index("He"), text.index("\n"))
    assert tm.next_word(layout, text.index("here")) == len(text)


def test_span_index_finds_spans_touching_a_range():
    text = "\n\n".join("x" * 30 for _ in range(5))
    layout = layout_of(text)
    index = SpanIndex(layout, [(0, 100, "long"), (40, 45, "short")])
    assert {s[2] for s in index.overlapping(35, 36)} == {"long"}
    assert {s[2] for s in index.overlapping(40, 41)} == {"long", "short"}
    assert {s[2] for s in index.overlapping(120, 130)} == set()
    index.remove(0, 100, "long")
    assert {s[2] for s in index.overlapping(40, 41)} == {"short"}


def test_empty_text():
    layout = layout_of("")
    wrap = layout.wrap(20)
    assert wrap.total == 0
    assert layout.position(5) == 0
    assert wrap.to_screen(0) == (0, 0)
    assert wrap.from_screen(3, 3) == 0


# -- laziness, and what the pane draws -------------------------------------------


def test_a_new_width_wraps_only_the_rows_asked_for():
    text = "\n\n".join(f"Paragraph {i}. " + "Some words in a sentence. " * 30 for i in range(3000))
    layout = layout_of(text)
    for width in (88, 60, 40):
        wrap = layout.wrap(width)
        middle = len(text) // 2
        y, _ = wrap.to_screen(middle)
        wrap.prepare(y - 20, 40)
        assert 0 < len(wrap._rows) <= 12  # the screen's blocks, not 3,000
        assert wrap.from_screen(*wrap.to_screen(middle)) == layout.position(middle)
    assert layout.wrap(60) is layout.wrap(60)  # kept: resizing back costs nothing


def test_next_row_steps_like_locate():
    text = "\n\n".join("word " * n for n in (3, 40, 1, 25, 7))
    wrap = layout_of(text, chunk=60).wrap(12)
    located = []
    y = 0
    while y < wrap.total:
        located.append(wrap.locate(y))
        y += 1
    stepped = [located[0]]
    while (nxt := wrap.next_row(*stepped[-1])) is not None:
        stepped.append(nxt)
    assert stepped == located


def test_snap_and_simple_blocks():
    text = "plain text here\n\nmixed 👨\u200d👩\u200d👧 e\u0301 text"
    layout = layout_of(text)
    assert layout.is_simple(0) and not layout.is_simple(1)
    family = text.index("👨")
    assert layout.snap(family + 1) == family and layout.snap(family + 3) == family
    assert layout.snap(5) == 5 and layout.position(5) == 5
    assert tm.next_position(layout, family) == family + len("👨\u200d👩\u200d👧")
    acute = text.index("e\u0301")
    assert tm.previous_position(layout, acute + 2) == acute


def test_invisible_graphemes_are_drawn_in_a_cell_of_their_own():
    assert display("a\u200bb") == "a·b"
    assert display("\u0301x") == "◌\u0301x"  # a mark with nothing to sit on
    assert display("e\u0301") == "e\u0301"
    assert display("a\x1bb\tc") == "a\ufffdb    c"
    assert cells_between("a\u200bb", 0, 3) == 3


def test_long_lines_without_spaces_are_cut_between_graphemes():
    family = "👨\u200d👩\u200d👧"
    for text in [
        "中文" * 5000,
        "a" * 10_000,
        (family + "🇫🇷" + "e\u0301") * 800,
        "ab" + "\u0301" * 3000,
    ]:
        layout = layout_of(text, chunk=500)
        bounds = boundaries(text)
        assert all(s in bounds for s in layout.starts)
        assert layout.starts[0] == 0 and layout.ends[-1] == len(text)
        for s, e in zip(layout.starts, layout.ends, strict=True):
            assert e - s <= 500 or len(GRAPHEME.findall(text, s, e)) == 1  # one huge cluster
