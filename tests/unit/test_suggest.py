"""The cue model of suggested tags (reader.suggest, reader.suggest_cues): no Textual."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader import suggest
from reader.errors import ReaderError
from reader.suggest import Suggestion, clauses, learned_weight, suggestions
from reader.suggest_cues import load_cues, parse_cues
from reader.text.paragraphs import paragraph_spans
from reader.text.sentences import sentence_spans


def only(text: str, **options: object) -> Suggestion:
    made = suggestions(text, **options)  # type: ignore[arg-type]
    assert len(made) == 1, made
    return made[0]


def span_of(text: str, piece: str) -> tuple[int, int]:
    start = text.index(piece)
    return start, start + len(piece)


# -- cues fire, labels follow -----------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "label", "cues"),
    [
        ("Analysts speculate that the bank could cut rates.", "speculation", {"speculate"}),
        ("The merger is expected to close in the spring.", "speculation", {"expected to"}),
        ("Prices will probably climb further this winter.", "speculation", {"probably"}),
        ("The striker is rumoured to be leaving the club.", "speculation", {"rumoured"}),
        ("I'm excited about what this game-changer brings.", "opinion", {"I feel"}),
        ("This is undoubtedly a dramatic turn for the firm.", "opinion", {"stance adverb"}),
        ("Frankly, the plan is a disgraceful waste of time.", "opinion", {"blame"}),
        ("Shares rose 7% on Tuesday, the company said.", "claim", {"percentage", "said"}),
        ("According to Reuters, the deal is worth $6.6 billion.", "claim", {"according to"}),
        ("The plant closed in March 2019 after the flood.", "claim", {"date", "year"}),
    ],
)
def test_cues_fire_and_choose_the_label(sentence: str, label: str, cues: set[str]) -> None:
    made = only(sentence)
    assert made.label == label
    assert cues <= set(made.cues)
    assert (made.start, made.end) == (0, len(sentence))
    assert 0.0 <= made.score <= 1.0


def test_a_hedge_outranks_the_numbers_of_a_claim() -> None:
    made = only("OpenAI might lose another $44 billion before 2029.")
    assert made.label == "speculation"
    assert made.cues == ("might",)  # only the cues of the label shown


def test_cues_are_named_in_reading_order() -> None:
    made = only("The deal could close soon and may even lift prices.")
    assert made.cues == ("could", "may")


def test_may_the_month_is_not_a_hedge() -> None:
    assert only("The factory closed in May 2019, the union said.").label == "claim"


@pytest.mark.parametrize(
    "text",
    [
        "Will Microsoft face challenges from the deal?",  # a question
        "Microsoft Loses Exclusive Cloud Role for OpenAI",  # a heading
        "Key points of the $500 billion deal include:",  # a lead-in to a list
        "It rose 5%.",  # three words
        "The weather was grey and the streets were quiet.",  # no cue at all
    ],
)
def test_no_suggestion_for_questions_headings_fragments_or_plain_text(text: str) -> None:
    assert suggestions(text) == []


def test_min_score_filters() -> None:
    text = "The minister resigned on Friday. It could rain in Leeds."
    made = suggestions(text, min_score=0.0)
    assert {s.label for s in made} == {"claim", "speculation"}
    cut = min(s.score for s in made) + 1e-9
    assert [s for s in suggestions(text, min_score=cut)] == [s for s in made if s.score >= cut]
    assert suggestions(text, min_score=1.0) == [s for s in made if s.score >= 1.0]


# -- offsets ---------------------------------------------------------------------


def test_offsets_are_code_points_with_emoji_and_cjk() -> None:
    first = "楽天 👩‍👩‍👧 said revenue rose 8% in 2024 🇯🇵."
    second = "Analysts 🤔 expect it could fall."
    text = f"東京 — {first} {second}\n\n日本語の段落。 Prices might rise, 専門家 said."
    made = suggestions(text)
    assert [(s.label, text[s.start : s.end]) for s in made] == [
        ("claim", f"東京 — {first}"),
        ("speculation", second),
        ("speculation", "Prices might rise, 専門家 said."),
    ]
    # the code-point offsets, counted here independently of the module
    assert made[1].start == len(f"東京 — {first} ")
    assert made[2].end == len(text)


def test_a_sentence_ending_in_an_emoji_is_not_a_heading() -> None:
    assert only("The sequel is a mess, honestly 🙄").label == "opinion"


# -- clauses ---------------------------------------------------------------------


def test_clause_split_points() -> None:
    text = "Revenue rose 5% in March; analysts expect that it could fall next year."
    assert [text[s:e] for s, e in clauses(text, 0, len(text))] == [
        "Revenue rose 5% in March",
        "analysts expect that it could fall next year.",
    ]
    text = "Profits rose 20% in 2024, but analysts fear the gains may not last."
    assert [text[s:e] for s, e in clauses(text, 0, len(text))] == [
        "Profits rose 20% in 2024",
        "but analysts fear the gains may not last.",
    ]
    glued = "Microsoft invested $1 billion in 2019.But it was not all smooth sailing."
    assert len(clauses(glued, 0, len(glued))) == 2


@pytest.mark.parametrize("text", ["Yes; it rose 5% in 2024.", "Oil, but not gas, rose 5%."])
def test_short_sides_are_not_clauses(text: str) -> None:
    assert clauses(text, 0, len(text)) == [(0, len(text))]


def test_clauses_that_disagree_are_suggested_apart() -> None:
    text = "Revenue rose 5% in March, the company said; analysts expect that it could fall."
    made = suggestions(text)
    assert [(s.label, text[s.start : s.end]) for s in made] == [
        ("claim", "Revenue rose 5% in March, the company said"),
        ("speculation", "analysts expect that it could fall."),
    ]


def test_clauses_that_agree_make_one_suggestion() -> None:
    text = "Revenue rose 5% in March, but costs fell 2% in April, the company said."
    made = only(text)
    assert (made.label, made.start, made.end) == ("claim", 0, len(text))


# -- what is left out -------------------------------------------------------------


TWO = "The minister resigned on Friday, aides said. The storm could reach Leeds by Sunday."


def test_sentences_covered_by_an_annotation_are_not_suggested() -> None:
    full = suggestions(TWO)
    assert [s.label for s in full] == ["claim", "speculation"]
    word = span_of(TWO, "resigned")  # any overlap counts, not only the whole sentence
    assert suggestions(TWO, [word]) == full[1:]
    assert suggestions(TWO, [(full[0].start, full[1].end)]) == []
    assert suggestions(TWO, [(full[0].end, full[1].start)]) == full  # the gap between


def test_rejected_span_and_label_never_come_back() -> None:
    full = suggestions(TWO)
    assert suggestions(TWO, rejected={full[0].key}) == full[1:]
    other = (full[0].start, full[0].end, "opinion")  # a rejection is for one label
    assert suggestions(TWO, rejected=[other]) == full


def test_weights_replace_the_priors() -> None:
    text = "The storm could reach Leeds by Sunday."
    assert only(text).label == "speculation"
    assert only(text, weights={"could": 0.0}).label == "claim"  # "Sunday" is left
    assert only(text, weights={"could": 1.0}).score == 1.0
    assert only(text, weights={"could": 7.0}).score == 1.0  # clamped into [0, 1]


# -- ranges, given sentences --------------------------------------------------------


def _article(paragraphs: int) -> str:
    lines = [
        "The minister resigned on Friday, aides said. Prices might rise again.",
        "Critics called it a disgraceful decision. The vote was held in 2021.",
        "Nothing here fires at all. The river could burst its banks by Thursday.",
    ]
    return "\n\n".join(lines[i % 3] for i in range(paragraphs))


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 1200), st.integers(0, 400))
def test_a_range_gives_the_suggestions_that_meet_it(start: int, length: int) -> None:
    text = _article(20)
    full = suggestions(text)
    end = min(start + length, len(text))
    expected = [s for s in full if s.start < end and s.end > start] if start < end else []
    assert suggestions(text, start=start, end=end) == expected


def test_a_very_long_paragraph_is_read_only_around_the_range() -> None:
    sentence = "The minister resigned on Friday, aides said. Prices might rise again. "
    text = sentence * 2000  # one 140,000-character paragraph
    middle = len(text) // 2
    window = suggestions(text, start=middle, end=middle + 500)
    assert window and all(s.start < middle + 500 and s.end > middle for s in window)
    for s in window:
        assert text[s.start : s.end] in sentence
        assert s.start == 0 or text[s.start - 1] == " "


def test_given_sentences_are_used_as_they_are() -> None:
    text = "The minister resigned on Friday. Prices might rise again."
    # one "sentence" over both: a pane whose splitter sees one
    made = only(text, sentences=[(0, len(text))])
    assert (made.start, made.end, made.label) == (0, len(text), "speculation")


# -- learning ---------------------------------------------------------------------


def test_learned_weight_is_the_prior_without_evidence() -> None:
    assert learned_weight(0.55, 0, 0) == 0.55


@given(
    st.floats(0.0, 1.0),
    st.integers(0, 200),
    st.integers(0, 200),
)
def test_learned_weight_lies_between_prior_and_acceptance_rate(
    prior: float, accepts: int, more: int
) -> None:
    fires = accepts + more
    weight = learned_weight(prior, accepts, fires)
    if fires:
        rate = accepts / fires
        assert min(prior, rate) - 1e-12 <= weight <= max(prior, rate) + 1e-12
    assert 0.0 <= weight <= 1.0


def test_more_evidence_moves_the_weight_closer_to_the_rate() -> None:
    prior, rate = 0.6, 0.2
    gaps = [abs(learned_weight(prior, int(n * rate), n) - rate) for n in (5, 10, 50, 500)]
    assert gaps == sorted(gaps, reverse=True) and gaps[-1] < 0.01
    # a single decision moves it less than the prior strength's worth of them
    one = learned_weight(prior, 0, 1)
    many = learned_weight(prior, 0, int(suggest.PRIOR_STRENGTH))
    assert prior > one > many > 0


# -- the cue file ------------------------------------------------------------------


def test_the_packaged_cue_file_has_every_default_label() -> None:
    cues = load_cues()
    assert {cue.label for cue in cues} == set(suggest.LABELS)
    assert len({cue.name for cue in cues}) == len(cues)
    assert all(0.0 <= cue.weight <= 1.0 for cue in cues)


def test_a_phrase_cue_matches_any_white_space_and_either_apostrophe(tmp_path: Path) -> None:
    path = tmp_path / "cues.toml"
    path.write_text(
        "[speculation]\ncues = [{ name = \"it's anyone's guess\", weight = 0.9 }]\n",
        encoding="utf-8",
    )
    cues = load_cues(path)
    text = "Whether the deal survives, it’s   anyone's guess at this point."
    made = only(text, cues=cues)
    assert (made.label, made.cues) == ("speculation", ("it's anyone's guess",))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"claim": {"cues": [{"name": "x", "weight": 1.5}]}}, "not in [0, 1]"),
        ({"claim": {"cues": [{"name": "x", "weight": 0.5, "pattern": "("}]}}, "bad pattern"),
        ({"claim": {"cues": [{"name": "x", "weight": 0.5}] * 2}}, "used twice"),
        ({"claim": {"cues": [{"weight": 0.5}]}}, "needs a name"),
        ({"claim": 3}, "not a table"),
    ],
)
def test_a_bad_cue_file_is_one_clear_error(data: dict[str, object], message: str) -> None:
    with pytest.raises(ReaderError, match=message.replace("[", r"\[")):
        parse_cues(data, "cues.toml")


def test_an_unreadable_cue_file_is_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "cues.toml"
    path.write_bytes(b"[claim\n")
    with pytest.raises(ReaderError, match="cannot read the cues"):
        load_cues(path)


# -- properties -------------------------------------------------------------------

PIECES = [
    "could", "may", "said", "I think", "dramatic", "$5 billion", "7%", "2024", "Monday",
    "according to", "is expected to", "the", "deal", "OpenAI", "楽天", "👩‍👩‍👧", "é", "\u0301",
    ".", "?", "!", ";", ",", ", but", ":", " ", "  ", "\n", "\n\n", "\t", "Mr.", "U.S.",
]  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=60), st.integers(0, 400), st.integers(0, 400))
def test_suggestions_are_valid_slices_with_scores_in_range(
    pieces: list[str], start: int, length: int
) -> None:
    text = " ".join(pieces)
    for made in (suggestions(text), suggestions(text, start=start, end=start + length)):
        previous_end = 0
        for s in made:
            assert 0 <= s.start < s.end <= len(text)
            assert s.start >= previous_end  # sorted, never overlapping
            previous_end = s.end
            quote = text[s.start : s.end]
            assert quote == quote.strip() and "\n" not in quote
            assert 0.0 <= s.score <= 1.0 and s.score >= suggest.DEFAULT_THRESHOLD
            assert s.label in suggest.LABELS and s.cues
            assert s.as_json(text)["text"] == quote


def test_every_suggestion_is_a_sentence_or_inside_one() -> None:
    text = _article(9)
    sentences = [s for p in paragraph_spans(text) for s in sentence_spans(text, *p)]
    for s in suggestions(text):
        assert any(a <= s.start and s.end <= b for a, b in sentences)


def test_suggesting_loads_no_textual() -> None:
    code = (
        "import sys, reader.suggest, reader.suggest_store, reader.suggest_output\n"
        "reader.suggest.suggestions('It could rain on Monday in Leeds.')\n"
        "sys.exit('textual' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr
