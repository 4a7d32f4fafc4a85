"""anchor(): where a quote is now, from its context; never a wrong offset."""

from __future__ import annotations

from hypothesis import assume, given
from hypothesis import strategies as st

from reader.anchoring import anchor
from reader.models import context_of

TEXT = "The deal is big. Microsoft said the deal is big. OpenAI said the deal is big."


def test_exact_position_wins_when_context_agrees() -> None:
    start = TEXT.index("the deal", 20)
    quote, prefix, suffix = context_of(TEXT, start, start + 8)
    assert anchor(TEXT, quote, prefix, suffix, start) == start


def test_context_beats_nearness_to_the_hint() -> None:
    second = TEXT.rindex("the deal")
    quote, prefix, suffix = context_of(TEXT, second, second + 8)
    first = TEXT.index("the deal")
    # The hint points at the first occurrence, but the context is the second's.
    assert anchor(TEXT, quote, prefix, suffix, first) == second


def test_without_context_the_nearest_to_the_hint_wins() -> None:
    positions = [i for i in range(len(TEXT)) if TEXT.startswith("deal", i)]
    assert len(positions) == 3
    for target in positions:
        assert anchor(TEXT, "deal", "", "", target + 2) == target


def test_shifted_text_is_found() -> None:
    start = TEXT.index("OpenAI")
    quote, prefix, suffix = context_of(TEXT, start, start + 6)
    shifted = "BREAKING: " + TEXT
    assert anchor(shifted, quote, prefix, suffix, start) == start + len("BREAKING: ")


def test_missing_quote_is_none() -> None:
    assert anchor(TEXT, "Google", "", "", 0) is None
    assert anchor(TEXT, "", "", "", 0) is None
    assert anchor("", "deal", "", "", 0) is None


def test_overlapping_occurrences_are_all_candidates() -> None:
    text = "aaaa"
    assert anchor(text, "aa", "aa", "", 0) == 2
    assert anchor(text, "aa", "a", "a", 0) == 1


def test_huge_hint_is_harmless() -> None:
    assert anchor(TEXT, "OpenAI", "", "", 10**30) == TEXT.index("OpenAI")


@given(
    st.text(min_size=1, max_size=200),
    st.data(),
    st.text(max_size=20),
)
def test_result_is_always_an_occurrence(text: str, data: st.DataObject, inserted: str) -> None:
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    quote, prefix, suffix = context_of(text, start, end)
    moved = inserted + text
    found = anchor(moved, quote, prefix, suffix, start)
    assert found is not None
    assert moved[found : found + len(quote)] == quote


@given(st.text(max_size=100), st.text(min_size=1, max_size=10), st.integers(-5, 200))
def test_never_a_wrong_offset(text: str, quote: str, hint: int) -> None:
    found = anchor(text, quote, "", "", hint)
    if quote in text:
        assert found is not None and text[found : found + len(quote)] == quote
    else:
        assert found is None


@given(st.text(alphabet="ab😀\u0301中", min_size=1, max_size=60), st.data())
def test_unique_context_restores_the_exact_span(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    quote, prefix, suffix = context_of(text, start, end)
    full_context_matches = [
        i
        for i in range(len(text))
        if text.startswith(quote, i)
        and text[:i].endswith(prefix)
        and text[i + len(quote) :].startswith(suffix)
        and len(text[max(0, i - len(prefix)) : i]) == len(prefix)
    ]
    assume(full_context_matches == [start])
    assert anchor("xyz" + text, quote, prefix, suffix, 0) == start + 3
