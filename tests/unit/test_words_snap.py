"""Selections snapped to words: trim_span and word_span."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from reader.text.words import trim_span, word_span

TEXT = "  Expanding Compute  OpenAI’s 6.6 billion "


def test_trim_leaves_out_white_space_only() -> None:
    start, end = trim_span(TEXT, 0, 21)
    assert TEXT[start:end] == "Expanding Compute"


def test_word_span_takes_whole_words_at_both_ends() -> None:
    start, end = word_span(TEXT, TEXT.index("anding"), TEXT.index("AI’s"))
    assert TEXT[start:end] == "Expanding Compute  OpenAI’s"
    start, end = word_span(TEXT, TEXT.index(".6"), TEXT.index(".6") + 2)
    assert TEXT[start:end] == "6.6"


def test_only_space_is_empty() -> None:
    start, end = word_span(TEXT, 0, 2)
    assert start == end


@given(st.text(alphabet="ab ’.\n", max_size=30), st.data())
def test_snapped_spans_stay_inside_and_have_no_outer_space(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    for snap in (trim_span, word_span):
        a, b = snap(text, start, end)
        assert 0 <= a <= b <= len(text)
        if a < b:
            assert not text[a].isspace() and not text[b - 1].isspace()
    a, b = trim_span(text, start, end)
    assert start <= a <= b <= end
