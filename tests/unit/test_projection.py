"""reader.projection: an annotation's label offered and stored on its counterparts."""

from __future__ import annotations

import pytest

from reader import align, passage_store, projection
from reader.history import History
from reader.importing import import_seeds
from reader.models import Annotation
from reader.store import Store
from reader.text.quick_sentences import sentences
from tests import factories

ROFR = "right of first refusal"
Compared = tuple[str, str, align.Alignment]  # article a, article b, their alignment
TEXT_A = (
    "Microsoft loses its exclusive cloud role. Although Microsoft is no longer the sole "
    "cloud provider for OpenAI, it has secured the “right of first refusal.” "
    "The weather in Redmond was grey all week."
)
TEXT_B = (
    "OpenAI signs new deals. Moving forward, Microsoft will retain a “right of first "
    "refusal” for additional capacity requests from OpenAI but will no longer hold "
    "exclusivity. Analysts expect more deals with other cloud providers soon."
)


def sentence_with(text: str, needle: str) -> tuple[int, int]:
    at = text.index(needle)
    return next((s, e) for s, e in sentences(text) if s <= at < e)


def tag(store: Store, article_id: str, span: tuple[int, int], label: str = "claim") -> Annotation:
    article = store.article(article_id)
    return store.add_annotation(article, span[0], span[1], label, "alice")


@pytest.fixture
def pair(store: Store) -> Compared:
    a = factories.add_article(store, TEXT_A, title="A", source="Alpha")
    b = factories.add_article(store, TEXT_B, title="B", source="Beta")
    return a.id, b.id, align.counterparts(TEXT_A, TEXT_B)


def test_a_sentence_tag_is_offered_on_its_counterpart(store: Store, pair: Compared) -> None:
    a, b, alignment = pair
    annotation = tag(store, a, sentence_with(TEXT_A, ROFR))
    targets = projection.targets_in_alignment(store, annotation, alignment, "a", b)
    expected = sentence_with(TEXT_B, ROFR)
    assert [(t.article_id, t.start, t.end) for t in targets] == [(b, *expected)]
    t = targets[0]
    assert t.text == TEXT_B[t.start : t.end]
    assert t.label == "claim" and t.title == "B" and t.source == "Beta"
    assert t.kind in ("copy", "reworded") and 0 < t.score <= 1
    assert not t.done


def test_from_pane_b_to_pane_a(store: Store, pair: Compared) -> None:
    a, b, alignment = pair
    annotation = tag(store, b, sentence_with(TEXT_B, ROFR), "opinion")
    targets = projection.targets_in_alignment(store, annotation, alignment, "b", a)
    assert [(t.start, t.end, t.label) for t in targets] == [
        (*sentence_with(TEXT_A, ROFR), "opinion")
    ]


def test_a_phrase_found_in_the_counterpart_is_projected_on_those_words(store: Store, pair) -> None:
    a, b, alignment = pair
    at = TEXT_A.index(ROFR)
    annotation = tag(store, a, (at, at + len(ROFR)))
    [target] = projection.targets_in_alignment(store, annotation, alignment, "a", b)
    assert target.text == ROFR
    assert TEXT_B[target.start : target.end] == ROFR


def test_an_unaligned_sentence_has_no_target(store: Store, pair: Compared) -> None:
    a, b, alignment = pair
    annotation = tag(store, a, sentence_with(TEXT_A, "weather"))
    assert projection.targets_in_alignment(store, annotation, alignment, "a", b) == []


def test_a_bad_side_is_refused(store: Store, pair: Compared) -> None:
    a, b, alignment = pair
    annotation = tag(store, a, sentence_with(TEXT_A, ROFR))
    with pytest.raises(ValueError):
        projection.targets_in_alignment(store, annotation, alignment, "c", b)


def test_project_stores_an_ordinary_annotation_with_origin_projected(store: Store, pair) -> None:
    a, b, alignment = pair
    annotation = tag(store, a, sentence_with(TEXT_A, ROFR))
    [target] = projection.targets_in_alignment(store, annotation, alignment, "a", b)
    done = projection.project(store, target, "bob")
    stored = store.annotations(b)
    assert [(x.start, x.end, x.label, x.origin, x.annotator) for x in stored] == [
        (target.start, target.end, "claim", "projected", "bob")
    ]
    assert done.annotation == stored[0] and done.change is not None
    assert stored[0].quote == TEXT_B[target.start : target.end]
    # now the target is reported done, and project_all skips it
    [again] = projection.targets_in_alignment(store, annotation, alignment, "a", b)
    assert again.done and again.existing == stored[0]
    assert projection.project_all(store, [again], "bob") == []
    assert len(store.annotations(b)) == 1


def test_a_projection_is_undone_through_the_target_articles_history(store: Store, pair) -> None:
    a, b, alignment = pair
    annotation = tag(store, a, sentence_with(TEXT_A, ROFR))
    [target] = projection.targets_in_alignment(store, annotation, alignment, "a", b)
    history = History(store, store.article(b), "bob")
    projection.project(store, target, "bob", history)
    assert history.can_undo
    history.undo()
    assert store.annotations(b) == []
    with pytest.raises(ValueError):
        projection.project(store, target, "bob", History(store, store.article(a), "bob"))


def test_across_the_library_every_carrying_article_is_a_target(store: Store) -> None:
    import_seeds(store)
    carrying = {}
    for summary in store.articles():
        text = store.article(summary.id).text
        if ROFR in text:
            carrying[summary.id] = sentence_with(text, ROFR)
    assert len(carrying) == 4
    first = sorted(carrying)[0]
    annotation = tag(store, first, carrying[first])
    targets = projection.targets_in_library(store, annotation)
    assert {t.article_id for t in targets} == set(carrying) - {first}
    scores = [t.score for t in targets]
    assert scores == sorted(scores, reverse=True)
    for t in targets:
        text = store.article(t.article_id).text
        assert text[t.start : t.end] == t.text
        assert (t.start, t.end) == carrying[t.article_id]  # the pane's sentence
        assert t.kind == "library" and t.score >= passage_store.align.DEFAULT_MIN_SCORE
    projected = projection.project_all(store, targets, "bob")
    assert len(projected) == len(targets)
    for p in projected:
        assert p.annotation.origin == "projected"
        assert p.annotation.article_id == p.target.article_id
    # the article's own annotation is not a target of itself, and nothing is offered twice
    assert all(t.done for t in projection.targets_in_library(store, annotation))


def test_an_annotation_over_two_sentences_gives_one_joined_target(store: Store) -> None:
    one = "The board approved a $500 billion data centre plan. It starts in Texas next year."
    two = "A $500bn data centre plan was approved by the board. It starts in Texas next year."
    a = factories.add_article(store, one)
    b = factories.add_article(store, two)
    annotation = tag(store, a.id, (0, len(one)))
    alignment = align.counterparts(one, two)
    assert len(alignment.pairs) == 2
    [target] = projection.targets_in_alignment(store, annotation, alignment, "a", b.id)
    assert (target.start, target.end) == (0, len(two))
    assert target.score == min(p.score for p in alignment.pairs)
