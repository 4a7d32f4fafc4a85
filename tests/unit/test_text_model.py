"""The text model: paragraphs, sentences, words, graphemes and motions, on demand."""

from __future__ import annotations

from itertools import pairwise

import regex
from hypothesis import given
from hypothesis import strategies as st

from reader.text import motions as tm
from reader.text.blocks import TextBlocks
from reader.text.paragraphs import paragraph_spans
from reader.text.sentences import sentence_spans
from reader.text.words import count_words


def texts_of(text: str, spans: list[tuple[int, int]]) -> list[str]:
    return [text[s:e] for s, e in spans]


def test_paragraphs_are_non_empty_lines() -> None:
    text = "Title\n\nFirst line.\nSecond line.\n  \n\tLast."
    assert texts_of(text, paragraph_spans(text)) == [
        "Title",
        "First line.",
        "Second line.",
        "\tLast.",
    ]


def test_sentences_keep_abbreviations_and_numbers_whole() -> None:
    text = (
        "Mr. Nadella met U.S. officials on Tuesday. The deal is worth $6.6 billion, "
        "analysts said. Will it last? Nobody knows!"
    )
    assert texts_of(text, sentence_spans(text)) == [
        "Mr. Nadella met U.S. officials on Tuesday.",
        "The deal is worth $6.6 billion, analysts said.",
        "Will it last?",
        "Nobody knows!",
    ]


def test_sentences_stay_inside_their_paragraph() -> None:
    text = "One sentence without end\nNext paragraph. Two sentences."
    blocks = TextBlocks(text)
    assert texts_of(text, blocks.sentences(0)) == ["One sentence without end"]
    assert texts_of(text, blocks.sentences(1)) == ["Next paragraph.", "Two sentences."]


def test_sentence_motions_and_lookup() -> None:
    text = "First one. Second one.\n\nThird one."
    blocks = TextBlocks(text)
    second = text.index("Second")
    third = text.index("Third")
    assert tm.sentence_at(blocks, second + 3) == (second, second + len("Second one."))
    assert tm.next_sentence(blocks, 0) == second
    assert tm.next_sentence(blocks, second) == third
    assert tm.next_sentence(blocks, third) == len(text)
    assert tm.previous_sentence(blocks, third) == second
    assert tm.previous_sentence(blocks, second) == 0
    assert tm.previous_sentence(blocks, 0) == 0


def test_long_paragraph_is_split_in_chunks_without_losing_sentences() -> None:
    sentence = "The U.S. cloud market grew by 6.6 percent this year. "
    text = (sentence * 200).strip()
    spans = sentence_spans(text)
    assert len(spans) == 200
    assert all(text[s:e] == sentence.strip() for s, e in spans)


def test_words_and_word_motions() -> None:
    text = "Microsoft’s $6.6 billion deal, U.S.-based.\n\nNext"
    blocks = TextBlocks(text)
    assert texts_of(text, blocks.words(0)) == [
        "Microsoft’s",
        "6.6",
        "billion",
        "deal",
        "U.S",
        "based",
    ]
    assert count_words(text) == 7
    assert tm.next_word(blocks, 0) == text.index("6.6")
    assert tm.next_word(blocks, text.index("based")) == text.index("Next")
    assert tm.previous_word(blocks, text.index("Next")) == text.index("based")


def test_paragraph_motions() -> None:
    text = "One\n\nTwo\nThree"
    blocks = TextBlocks(text)
    assert tm.next_paragraph(blocks, 0) == 5
    assert tm.next_paragraph(blocks, 5) == 9
    assert tm.next_paragraph(blocks, 9) == len(text)
    assert tm.previous_paragraph(blocks, 9) == 5
    assert tm.previous_paragraph(blocks, 0) == 0


def test_graphemes_are_never_split() -> None:
    family = "👩\u200d👩\u200d👧\u200d👦"
    text = f"a{family}e\u0301🇫🇷中"
    blocks = TextBlocks(text)
    stops = [0]
    while stops[-1] < len(text):
        stops.append(tm.next_position(blocks, stops[-1]))
    assert texts_of(text, list(pairwise(stops))) == [
        "a",
        family,
        "e\u0301",
        "🇫🇷",
        "中",
    ]
    back = [len(text)]
    while back[-1] > 0:
        back.append(tm.previous_position(blocks, back[-1]))
    assert back[::-1] == stops
    inside = 1 + 2  # inside the ZWJ sequence
    assert blocks.snap(inside) == 1


CLUSTERS = st.sampled_from(
    ["a", "b", " ", ".", "\n", "中", "😀", "👩\u200d💻", "🇫🇷", "e\u0301", "Z\u0308\u0323", "\t"]
)


@given(st.lists(CLUSTERS, max_size=40), st.integers(0, 200))
def test_snap_lands_on_a_grapheme_boundary(pieces: list[str], where: int) -> None:
    text = "".join(pieces)
    boundaries = {0} | {m.end() for m in regex.finditer(r"\X", text)}
    blocks = TextBlocks(text)
    offset = min(where, len(text))
    snapped = blocks.snap(offset)
    assert snapped in boundaries
    assert snapped <= offset
    if offset < len(text):
        assert tm.next_position(blocks, snapped) in boundaries
    if snapped > 0:
        assert tm.previous_position(blocks, snapped) in boundaries
