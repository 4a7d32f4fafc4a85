"""Markdown -> reading text: no markup characters, styles as ranges over the text."""

from __future__ import annotations

import datetime as dt
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.errors import ReaderError
from reader.models import Style
from reader.text.markdown import MarkdownError, parse_markdown, split_front_matter
from reader.text.normalize import normalize
from reader.text.paragraphs import paragraph_spans


def styled(source: str) -> tuple[str, list[tuple[str, str, object]]]:
    """The text, and each style as (kind, the text it covers, value)."""
    parsed = parse_markdown(source)
    assert normalize(parsed.text) == parsed.text
    return parsed.text, [(s.kind, parsed.text[s.start : s.end], s.value) for s in parsed.styles]


# -- blocks ---------------------------------------------------------------------


def test_blocks_become_paragraphs_without_markup() -> None:
    text, styles = styled(
        "# The *Title*\n\nA paragraph\nwith a soft break.\n\n"
        "- one\n- two\n  1. nested\n\n"
        "> quoted\n> words\n\n"
        "```python\nx = 1\n\n  y = 2\n```\n\n"
        "    indented code\n\n"
        "---\n\n"
        "Setext heading\n--------------\n"
    )
    assert text == (
        "The Title\n\nA paragraph with a soft break.\n\none\ntwo\nnested\n\nquoted words\n\n"
        "x = 1\n\n  y = 2\n\nindented code\n\nSetext heading"
    )
    assert styles == [
        ("heading", "The Title", 1),
        ("em", "Title", None),
        ("list_item", "one", "•"),
        ("list_item", "two\nnested", "•"),
        ("list_item", "nested", "1."),
        ("quote", "quoted words", None),
        ("code_block", "x = 1\n\n  y = 2", "python"),
        ("code_block", "indented code", None),
        ("heading", "Setext heading", 2),
    ]
    paragraphs = [text[s:e] for s, e in paragraph_spans(text)]
    assert paragraphs[:4] == ["The Title", "A paragraph with a soft break.", "one", "two"]


def test_loose_lists_keep_blank_lines_and_ordered_markers() -> None:
    text, styles = styled("3. first\n\n4. second\n")
    assert text == "first\n\nsecond"
    assert styles == [("list_item", "first", "3."), ("list_item", "second", "4.")]


def test_list_item_with_two_paragraphs_and_a_quote_with_a_list() -> None:
    text, styles = styled("* para one\n\n  para two\n* next\n\n> - in quote\n")
    assert text == "para one\n\npara two\n\nnext\n\nin quote"
    assert ("list_item", "para one\n\npara two", "•") in styles
    assert ("quote", "in quote", None) in styles and ("list_item", "in quote", "•") in styles


def test_hard_breaks_are_line_breaks() -> None:
    text, _ = styled("line one  \nline two\\\nline three")
    assert text == "line one\nline two\nline three"


def test_html_is_kept_as_literal_text() -> None:
    text, styles = styled('<div class="x">\n<b>bold?</b>\n</div>\n\nA <span>[bold]</span> b')
    assert text == '<div class="x">\n<b>bold?</b>\n</div>\n\nA <span>[bold]</span> b'
    assert styles == []


# -- inline ---------------------------------------------------------------------


def test_inline_styles() -> None:
    text, styles = styled(
        "Some *em*, **strong**, `a code`, [a link](https://example.com/a?b=1) and "
        '![an *alt* text](pic.png "t") and <https://auto.link>.'
    )
    assert text == ("Some em, strong, a code, a link and an alt text and https://auto.link.")
    assert styles == [
        ("em", "em", None),
        ("strong", "strong", None),
        ("code", "a code", None),
        ("link", "a link", "https://example.com/a?b=1"),
        ("image", "an alt text", "pic.png"),
        ("link", "https://auto.link", "https://auto.link"),
    ]


def test_nested_inline_styles() -> None:
    _, styles = styled("***both*** and [**bold link**](u)")
    assert ("em", "both", None) in styles and ("strong", "both", None) in styles
    assert ("link", "bold link", "u") in styles and ("strong", "bold link", None) in styles


def test_escapes_and_entities_are_text_and_controls_are_removed() -> None:
    text, _ = styled("\\*not em\\* &amp; &copy; &#x202E;rtl&#x1b;x\u0007")
    assert text == "*not em* & © rtl\ufffdx"


def test_combining_mark_starting_a_styled_piece_is_composed() -> None:
    text, styles = styled("Cafe*\u0301 au lait*")
    assert text == "Café au lait" == normalize(text)
    [(kind, covered, _)] = styles
    assert kind == "em" and covered == " au lait"


def test_leading_indented_code_and_blank_space_are_handled() -> None:
    parsed = parse_markdown("\n\n    code first\n\nthen *text*   \n\n")
    assert parsed.text == "code first\n\nthen text"
    assert [(s.kind, parsed.text[s.start : s.end]) for s in parsed.styles] == [
        ("code_block", "code first"),
        ("em", "text"),
    ]


def test_empty_styles_are_dropped() -> None:
    parsed = parse_markdown("[](https://x.example) text ** ** ``")
    assert all(s.end > s.start for s in parsed.styles)


def test_styles_are_sorted_and_within_the_text() -> None:
    parsed = parse_markdown("# H\n\n- *a* **b**\n\n> `c` [d](e)\n")
    assert parsed.styles == sorted(parsed.styles, key=lambda s: (s.start, -s.end))
    assert all(0 <= s.start < s.end <= len(parsed.text) for s in parsed.styles)


# -- front matter ------------------------------------------------------------------


def test_front_matter_is_metadata_not_text() -> None:
    parsed = parse_markdown(
        "---\ntitle: The Title\nSource: Example\ndate: 2025-01-23\n---\n# Heading\n\nBody."
    )
    assert parsed.text == "Heading\n\nBody."
    assert parsed.front_matter == {
        "title": "The Title",
        "source": "Example",
        "date": dt.date(2025, 1, 23),
    }
    assert parsed.styles == [Style(0, 7, "heading", 1)]


def test_empty_and_dot_closed_front_matter() -> None:
    assert split_front_matter("---\n---\nBody") == ({}, "\n\nBody")
    assert split_front_matter("---\na: 1\n...\nBody")[0] == {"a": 1}


def test_a_leading_rule_without_a_closing_one_is_markdown() -> None:
    assert parse_markdown("---\nJust text").text == "Just text"


def test_invalid_front_matter_names_the_line() -> None:
    with pytest.raises(MarkdownError) as info:
        parse_markdown("---\ntitle: ok\nbad: [unclosed\n---\nBody")
    assert str(info.value) == (
        "front matter line 3: while parsing a flow sequence: "
        "expected ',' or ']', but got '<stream end>'"
    )
    assert isinstance(info.value, ReaderError)
    with pytest.raises(MarkdownError, match=r"front matter line 3: "):
        parse_markdown("---\ntitle: ok\n  - : x: [\n---\nBody")


def test_front_matter_that_is_not_a_mapping_is_refused() -> None:
    with pytest.raises(MarkdownError, match="expected `key: value` lines, found a list"):
        parse_markdown("---\n- a\n- b\n---\nBody")


# -- the property: every inline piece maps back to its text ---------------------------

# Text for pieces: letters of several scripts, digits, emoji (with ZWJ), combining
# marks after a letter, spaces and ASCII punctuation (escaped in the Markdown).
_LETTERS = string.ascii_letters + "éßøΩжЖ東京記者의한글"
_EXTRAS = [" ", "👩‍👩‍👧‍👦", "🇫🇷", "😀", "e\u0301", "a\u0308\u0323", "١٢", "﷽", "\u00a0x"]
_PUNCT = [c for c in string.punctuation]


def _word_text(allow_punct: bool) -> st.SearchStrategy[str]:
    middle = st.lists(
        st.sampled_from(list(_LETTERS))
        | st.sampled_from(_EXTRAS)
        | (st.sampled_from(_PUNCT) if allow_punct else st.nothing()),
        max_size=12,
    )
    edge = st.sampled_from(list(_LETTERS))
    return st.builds(lambda a, m, b: a + "".join(m) + b, edge, middle, edge)


def _escape(text: str) -> str:
    return "".join("\\" + c if c in string.punctuation else c for c in text)


@st.composite
def _piece(draw: st.DrawFn) -> tuple[str, str, str | None, str]:
    """(kind, its text, its value, its Markdown)."""
    kind = draw(st.sampled_from(["plain", "em", "strong", "code", "link"]))
    if kind == "code":
        text = draw(_word_text(allow_punct=True).filter(lambda t: "`" not in t))
        return kind, text, None, f"`{text}`"
    text = draw(_word_text(allow_punct=True))
    source = _escape(text)
    if kind == "em":
        return kind, text, None, f"*{source}*"
    if kind == "strong":
        return kind, text, None, f"**{source}**"
    if kind == "link":
        path = draw(st.text(string.ascii_letters + string.digits + "-_", max_size=10))
        url = f"https://example.com/{path}"
        return kind, text, url, f"[{source}]({url})"
    return kind, text, None, source


@settings(max_examples=300, deadline=None)
@given(st.lists(_piece(), min_size=1, max_size=8))
def test_every_inline_piece_maps_to_its_text(
    pieces: list[tuple[str, str, str | None, str]],
) -> None:
    parsed = parse_markdown(" ".join(markdown for *_, markdown in pieces))
    text = parsed.text
    assert normalize(text) == text
    expected = " ".join(normalize(piece_text) for _, piece_text, _, _ in pieces)
    assert text == expected
    styles = list(parsed.styles)
    position = 0
    for kind, piece_text, value, _ in pieces:
        piece_text = normalize(piece_text)
        start = text.index(piece_text, position)
        assert start == position
        end = start + len(piece_text)
        if kind != "plain":
            assert Style(start, end, kind, value) in styles
            styles.remove(Style(start, end, kind, value))
        position = end + 1
    assert styles == []  # nothing but the pieces' styles


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_any_input_gives_normalized_text_and_valid_styles(source: str) -> None:
    try:
        parsed = parse_markdown(source)
    except MarkdownError:
        return
    assert normalize(parsed.text) == parsed.text == parsed.text.strip()
    for style in parsed.styles:
        assert 0 <= style.start < style.end <= len(parsed.text)
