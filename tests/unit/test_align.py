"""reader.align: terms, scores, one-to-one pairs, word differences, quotations."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from reader import align
from reader.text.paragraphs import paragraph_spans
from reader.text.quick_sentences import rough_sentences, sentences
from reader.text.sentences import sentence_spans

ROFR_A = (
    "Although Microsoft is no longer the sole cloud provider for OpenAI, "
    "they’ve secured the “right of first refusal.”"
)
ROFR_B = (
    "Moving forward, Microsoft will retain a “right of first refusal” for additional "
    "capacity requests from OpenAI but will no longer hold exclusivity."
)


def keys(text: str) -> list[str]:
    return [w.key for w in align.words(text) if w.content]


# -- terms --------------------------------------------------------------------


def test_number_forms_meet() -> None:
    assert keys("$500 billion") == keys("$500bn") == keys("500 billion") == ["500bn"]
    assert keys("$6.6 billion") == keys("$6.6bn") == ["6.6bn"]
    assert keys("$750 million") == keys("$750m") == ["750m"]
    assert keys("1,000 people") == keys("1000 people")
    assert keys("$500 billion") != keys("$100 billion")


def test_case_quotes_possessives_and_stems_fold() -> None:
    assert keys("OpenAI’s Providers") == keys("openai's provider")
    assert keys("computing") == keys("compute")
    assert align.fold("“Right”  of ‘first’") == "\"right\" of 'first'"


def test_stopwords_are_not_content() -> None:
    assert keys("it is the one that they would have") == []


# -- scores -------------------------------------------------------------------


def prepared(*texts: str) -> list[align.Sentence]:
    return [align.sentence(t, 0, len(t)) for t in texts]


def test_identical_sentences_score_highest() -> None:
    a, b, c = prepared(ROFR_A, ROFR_A, ROFR_B)
    weights = align.idf_of([a, b, c])
    assert align.score(a, b, weights) >= 0.99
    assert 0 < align.score(a, c, weights) < align.score(a, b, weights)


def test_scores_are_between_zero_and_one() -> None:
    sents = prepared(ROFR_A, ROFR_B, "Oracle’s stock surged by 7% following the announcement.")
    weights = align.idf_of(sents)
    for x in sents:
        for y in sents:
            assert 0.0 <= align.score(x, y, weights) <= 1.0


def test_one_shared_word_is_not_a_match() -> None:
    a, b = prepared("Oracle shares rose sharply today.", "Oracle built ten data centres.")
    assert len(a.terms & b.terms) == 1
    assert align.score(a, b, align.idf_of([a, b])) == 0.0


def test_the_same_fact_reworded_aligns_and_another_fact_does_not() -> None:
    text_a = f"{ROFR_A} Oracle’s stock surged by 7% following the announcement."
    text_b = "Construction of ten data centres has begun in Texas, Ellison said. " + ROFR_B
    pairs = align.align(text_a, text_b)
    assert len(pairs) == 1
    (pair,) = pairs
    assert text_a[pair.a[0] : pair.a[1]] == ROFR_A
    assert text_b[pair.b[0] : pair.b[1]] == ROFR_B
    assert pair.kind == "reworded"
    assert align.DEFAULT_MIN_SCORE <= pair.score <= 1.0


def test_copies_are_told_from_rewordings() -> None:
    text_b = ROFR_A.replace("they’ve", "they have") + " " + ROFR_B
    kinds = {text_b[p.b[0] : p.b[1]]: p.kind for p in align.align(ROFR_A, text_b)}
    assert list(kinds.values()) == ["copy"]


def test_a_higher_threshold_keeps_fewer_pairs() -> None:
    a = f"{ROFR_A} Microsoft holds a 49% stake worth $14 billion in OpenAI."
    b = f"{ROFR_B} Microsoft owns 49% of OpenAI, a stake worth $14 billion."
    low, high = align.align(a, b, 0.1), align.align(a, b, 0.9)
    assert len(high) < len(low)
    assert all(p.score >= 0.9 for p in high)


# -- assignment ---------------------------------------------------------------


def test_assignment_is_one_to_one() -> None:
    # Both sentences of b restate a's first one; only one may be its counterpart.
    text_a = f"{ROFR_A} The weather in Seattle was mild on Tuesday."
    text_b = f"{ROFR_B} {ROFR_A}"
    pairs = align.align(text_a, text_b, 0.05)
    assert len({p.a for p in pairs}) == len(pairs)
    assert len({p.b for p in pairs}) == len(pairs)
    first = next(p for p in pairs if p.a[0] == 0)
    assert text_b[first.b[0] : first.b[1]] == ROFR_A  # the better one won


def test_pairs_are_sorted_and_deterministic() -> None:
    a = f"{ROFR_B} {ROFR_A}"
    b = f"{ROFR_A} {ROFR_B}"
    pairs = align.align(a, b)
    assert pairs == sorted(pairs, key=lambda p: p.a)
    assert pairs == align.align(a, b)


def test_alignment_finds_the_counterpart_of_an_offset_both_ways() -> None:
    text_a = f"Intro words here. {ROFR_A}"
    text_b = f"{ROFR_B} Something else entirely about tennis."
    alignment = align.counterparts(text_a, text_b)
    (pair,) = alignment.pairs
    inside = text_a.index("refusal")
    assert alignment.counterpart("a", inside) == pair
    assert alignment.counterpart("b", pair.b[0]) == pair
    assert alignment.counterpart("a", 2) is None  # "Intro words here."
    assert alignment.spans("a") == [pair.a]
    assert alignment.spans("b") == [pair.b]


def test_given_spans_are_used() -> None:
    text = f"{ROFR_A} {ROFR_B}"
    spans = [(0, len(ROFR_A))]
    alignment = align.counterparts(text, ROFR_B, spans_a=spans)
    assert [p.a for p in alignment.pairs] == spans


# -- offsets, with wide, combining and astral characters ----------------------

WORDS = st.sampled_from(
    "Microsoft OpenAI cloud refusal right first 😀 中文字 café cafe\u0301 naïve "
    "👩‍👩‍👧 $500 billion 2030 the of and Mr. U.S. é x".split()
)
SENTENCE = st.lists(WORDS, min_size=1, max_size=12).map(lambda ws: " ".join(ws) + ".")
TEXT = st.lists(SENTENCE, min_size=1, max_size=6).map(" ".join)


@settings(max_examples=60, deadline=None)
@given(TEXT, TEXT)
def test_offsets_are_always_valid_slices(a: str, b: str) -> None:
    alignment = align.counterparts(a, b, 0.0)
    for pair in alignment.pairs:
        assert 0 <= pair.a[0] < pair.a[1] <= len(a)
        assert 0 <= pair.b[0] < pair.b[1] <= len(b)
        assert (pair.a[0], pair.a[1]) in sentences(a)
        assert (pair.b[0], pair.b[1]) in sentences(b)
        assert 0.0 <= pair.score <= 1.0
        diff = alignment.diff(pair)
        for spans, text, span in (
            (diff.a_shared + diff.a_changed, a, pair.a),
            (diff.b_shared + diff.b_changed, b, pair.b),
        ):
            for s, e in spans:
                assert span[0] <= s < e <= span[1]
                assert text[s:e].strip() == text[s:e]


@settings(max_examples=60, deadline=None)
@given(TEXT)
def test_a_text_aligned_with_itself_gives_a_copy_of_every_sentence(text: str) -> None:
    pairs = align.align(text, text)
    scorable = [(s, e) for s, e in sentences(text) if len(align.sentence(text, s, e).terms) >= 2]
    assert sorted(p.a for p in pairs) == scorable
    for pair in pairs:
        assert pair.kind == "copy"
        assert text[pair.a[0] : pair.a[1]] == text[pair.b[0] : pair.b[1]]


# -- word differences ---------------------------------------------------------


def test_word_diff_marks_shared_and_changed_words() -> None:
    a = "Microsoft keeps a right of first refusal on new capacity."
    b = "Microsoft retains the right of first refusal over extra capacity."
    diff = align.word_diff(a, (0, len(a)), b, (0, len(b)))
    shared_a = [a[s:e] for s, e in diff.a_shared]
    changed_a = [a[s:e] for s, e in diff.a_changed]
    shared_b = [b[s:e] for s, e in diff.b_shared]
    changed_b = [b[s:e] for s, e in diff.b_changed]
    assert shared_a == ["Microsoft", "right", "of", "first", "refusal", "capacity"]
    assert changed_a == ["keeps", "a", "on", "new"]
    assert shared_b == ["Microsoft", "right", "of", "first", "refusal", "capacity"]
    assert changed_b == ["retains", "the", "over", "extra"]


def test_word_diff_of_a_copy_has_no_changes() -> None:
    diff = align.word_diff(ROFR_A, (0, len(ROFR_A)), ROFR_A, (0, len(ROFR_A)))
    assert diff.a_changed == diff.b_changed == ()
    assert len(diff.a_shared) == len(diff.b_shared) > 0


def test_word_diff_counts_numbers_as_one_word() -> None:
    a, b = "It costs $500 billion.", "It costs $500bn."
    diff = align.word_diff(a, (0, len(a)), b, (0, len(b)))
    assert [a[s:e] for s, e in diff.a_shared] == ["It", "costs", "500 billion"]
    assert [b[s:e] for s, e in diff.b_shared] == ["It", "costs", "500bn"]


# -- quotations ---------------------------------------------------------------


def test_quotations_match_across_quote_styles() -> None:
    a = "They’ve secured the “right of first refusal.” Musk said “no money” too."
    b = 'Microsoft retains a "right of first refusal" clause; the right of first refusal holds.'
    quotes = align.shared_quotes(a, b)
    assert [q.text for q in quotes] == ["right of first refusal"]
    (quote,) = quotes
    assert [a[s:e] for s, e in quote.a] == ["right of first refusal"]
    assert [b[s:e] for s, e in quote.b] == ["right of first refusal"] * 2


def test_a_quotation_matches_whole_words_only() -> None:
    a = "He called it “new capacity” twice."
    assert align.shared_quotes(a, "Brand-new capacityless plans.") == []
    assert align.shared_quotes(a, "A quote of one word: “capacity”.") == []


def test_quotations_keep_offsets_with_wide_characters() -> None:
    a = "😀 中文 “前所未有 的 交易” é"
    b = "字 “前所未有 的 交易”"
    (quote,) = align.shared_quotes(a, b)
    for text, spans in ((a, quote.a), (b, quote.b)):
        assert [text[s:e] for s, e in spans] == ["前所未有 的 交易"]


# -- sentences ----------------------------------------------------------------

PIECES = st.sampled_from(
    [
        "The",
        "deal",
        "was",
        "signed",
        "today.",
        "Mr.",
        "Smith",
        "U.S.",
        "officials",
        "said",
        "$6.6",
        "billion",
        "in",
        "2030.",
        "It",
        "grew!",
        "Why?",
        "e.g.",
        "etc.",
        "“Quoted",
        "words.”",
        "(aside)",
        "A.",
        "B.",
        "Inc.",
        "No.",
        "1.",
        "Yes",
        "—",
        "•",
        "ok.",
        "is.",
        "café.",
        "中文。",
        "😀",
        "Dr.",
        "Jan.",
        "approx.",
        "fig.",
        "St.",
    ]
)
PARAGRAPH = st.lists(PIECES, min_size=1, max_size=25).map(" ".join)


@settings(max_examples=150, deadline=None)
@given(st.lists(PARAGRAPH, min_size=1, max_size=4).map("\n".join))
def test_quick_sentences_are_exactly_pysbds(text: str) -> None:
    expected = [s for p in paragraph_spans(text) for s in sentence_spans(text, *p)]
    assert sentences(text) == expected


@settings(max_examples=100, deadline=None)
@given(st.lists(PARAGRAPH, min_size=1, max_size=4).map("\n".join))
def test_rough_sentences_are_ordered_slices_of_paragraphs(text: str) -> None:
    spans = rough_sentences(text)
    paragraphs = paragraph_spans(text)
    for (s, e), following in zip(spans, [*spans[1:], None], strict=True):
        assert s < e and text[s:e] == text[s:e].strip()
        assert any(ps <= s and e <= pe for ps, pe in paragraphs)
        if following is not None:
            assert e <= following[0]


def test_rough_sentences_keep_abbreviations_and_numbers_whole() -> None:
    text = "Mr. Smith of the U.S. paid $6.6 billion. Then it ended."
    assert [text[s:e] for s, e in rough_sentences(text)] == [
        "Mr. Smith of the U.S. paid $6.6 billion.",
        "Then it ended.",
    ]


@settings(max_examples=100, deadline=None)
@given(TEXT)
def test_content_terms_are_the_content_words_keys(text: str) -> None:
    assert align.content_terms(text) == [w.key for w in align.words(text) if w.content]


@settings(max_examples=100, deadline=None)
@given(st.lists(PARAGRAPH, min_size=1, max_size=4).map("\n".join))
def test_rough_sentences_cut_plain_paragraphs_like_pysbd(text: str) -> None:
    from reader.text.quick_sentences import _plain

    for start, end in paragraph_spans(text):
        plain = _plain(text, start, end)
        if plain is not None:
            assert [s for s in rough_sentences(text) if start <= s[0] < end] == plain


@settings(max_examples=100, deadline=None)
@given(TEXT)
def test_the_fast_word_pattern_finds_the_same_terms(text: str) -> None:
    pattern = align.word_pattern(text)
    if pattern is not None:
        assert align.content_terms(text, 0, len(text), pattern) == align.content_terms(text)


PIECES = [*'ab C.!? \n"”$5,0', "billion", "U.S.", "OpenAI’s", "Mr.", "\t", "y" * 47, "x" * 70]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=120).map("".join))
def test_terms_of_spans_are_content_terms_of_each_span(text: str) -> None:
    spans = rough_sentences(text)
    pattern = align.word_pattern(text)
    assert align.terms_of_spans(text, spans, pattern) == [
        align.content_terms(text, s, e) for s, e in spans
    ]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=120).map("".join))
def test_the_rough_splitter_looks_at_the_last_word_as_a_full_search_would(text: str) -> None:
    from reader.text import quick_sentences as q

    for m in q._ROUGH_END.finditer(text):
        for pos in range(0, m.start() + 1, 7):
            cut = m.start() + len(m.group(1))
            full = q._ROUGH_BEFORE.search(text, pos, cut)
            fast = q._before(text, pos, cut)
            assert (full and full.group(1)) == (fast and fast.group(1))


# -- the index's terms, pinned ------------------------------------------------

PINNED = (
    "Microsoft’s $500 billion Stargate deal gave OpenAI the “right of first refusal,” "
    "the U.S. firms said; 6.60 Mn users, 5 \u212a and 1,000 GPUs."
)


def test_terms_of_a_sentence_are_pinned() -> None:
    # What the passage index stores for a sentence: a change here changes every
    # library's index (and what also_in answers), so it must be on purpose.
    expected = ["micro", "500bn", "starg", "deal", "gave", "opena", "right", "first"]
    expected += ["refus", "u.s", "firms", "6.6m", "users", "5k", "1000", "gpus"]
    assert keys(PINNED) == expected
    assert align.content_terms(PINNED) == expected
    spans = [(0, len(PINNED))]
    assert align.terms_of_spans(PINNED, spans, align.word_pattern(PINNED)) == [expected]
    assert align.terms_of_spans(PINNED, spans, None) == [expected]


def test_terms_of_the_samples_spans_are_their_words_terms() -> None:
    from reader.importing import load_file
    from reader.seeds import seed_files

    for path in seed_files():
        text = load_file(path).text
        spans = rough_sentences(text)
        expected = [[w.key for w in align.words(text, s, e) if w.content] for s, e in spans]
        assert align.terms_of_spans(text, spans, align.word_pattern(text)) == expected
        assert align.terms_of_spans(text, spans) == expected


SCALED = [" ", "\n", "5", "0", ",", ".", "-", "a", "B", "bn", "billion", "Million", "k", "\u212a"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(SCALED + PIECES), max_size=60).map("".join))
def test_numbers_and_scale_words_join_as_words_joins_them(text: str) -> None:
    # terms_of_spans takes words()'s slow path only where a number may meet
    # its scale word; everywhere else each word's own term is the same
    spans = rough_sentences(text)
    expected = [[w.key for w in align.words(text, s, e) if w.content] for s, e in spans]
    assert align.terms_of_spans(text, spans, align.word_pattern(text)) == expected


def test_case_blind_scale_words_find_every_spelling_whose_lower_case_is_one() -> None:
    # _SCALED finds "5 K" by IGNORECASE: every character whose lower case is
    # ASCII letters (the Kelvin sign's is "k") must match them so, in every
    # scale word, or a number and its scale word would go unjoined
    folding = {}
    for code in range(0x110000):
        low = chr(code).lower()
        if low != chr(code) and low.isascii() and low.isalpha():
            folding.setdefault(low, []).append(chr(code))
    assert "\u212a" in folding["k"]
    for scale in align._SCALES:
        for low, spellings in folding.items():
            at = scale.find(low)
            while at >= 0:
                for ch in spellings:
                    word = scale[:at] + ch + scale[at + len(low) :]
                    assert align._SCALED.search("5 " + word), word
                    assert align._SCALES.get(word.lower()) == align._SCALES[scale]
                at = scale.find(low, at + 1)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from([*PIECES, "\u00a0", "\r", "x²", "½", "e\u0301", "हि", "。", "  \n\n"]),
        max_size=80,
    ).map("".join)
)
def test_the_words_counted_with_the_terms_are_count_words(text: str) -> None:
    from reader.text.words import count_words

    for pattern in (align.word_pattern(text), None):
        _, counted = align.terms_and_words(text, rough_sentences(text), pattern)
        assert counted == count_words(text)


def _content_term_as_it_was(raw: str) -> str | None:
    """The rule before its fast path: fold by _FOLD and lower(), then term()."""
    folded = raw.translate(align._FOLD).lower()
    content = folded not in align.STOPWORDS and (len(folded) > 1 or folded.isdigit())
    return align.term(raw) if content else None


WORDISH = st.lists(
    st.sampled_from([*"aZs'’`-.,_ 5", "0", "²", "١", "İ", "ß", "K", "\u212a", "bn", "The"]),
    max_size=12,
).map("".join)


@settings(max_examples=500, deadline=None)
@given(WORDISH)
def test_a_words_term_is_the_same_by_the_fast_path(text: str) -> None:
    for raw in [*align.WORD.findall(text), text]:
        assert align._content_term(raw) == _content_term_as_it_was(raw)
        align.term.cache_clear()
        assert align.term(raw) == align._stem(raw.translate(align._FOLD).lower())


def test_the_samples_words_have_the_same_terms_by_the_fast_path() -> None:
    from reader.importing import load_file
    from reader.seeds import seed_files

    for path in seed_files():
        for raw in set(align.WORD.findall(load_file(path).text)):
            assert align._content_term(raw) == _content_term_as_it_was(raw)


def test_a_digit_is_a_decimal_character_for_the_number_patterns() -> None:
    # _stem tries the number patterns (\d first) only after str.isdecimal()
    import re

    digit = re.compile(r"\d")
    for code in range(0x110000):
        ch = chr(code)
        assert bool(digit.match(ch)) == ch.isdecimal(), hex(code)
