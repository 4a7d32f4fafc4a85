"""Adjudication logic (reader/review.py): agreed annotations, disagreements, decisions."""

from __future__ import annotations

import io
import json

import pytest

from reader.errors import NotFound, ReaderError
from reader.exporting import export
from reader.models import Annotation, Article
from reader.review import (
    BOTH,
    NEITHER,
    TAKE_A,
    TAKE_B,
    Review,
    custom,
    plan,
    proposed,
    versions,
)
from reader.store import Store
from tests.factories import add_article

TEXT = "Microsoft said the deal is big. It is, said OpenAI. Stargate costs $500 billion. Done."


@pytest.fixture
def article(store: Store) -> Article:
    return add_article(store, TEXT)


def tag(
    store: Store, article: Article, words: str, label: str, who: str, note: str = ""
) -> Annotation:
    start = TEXT.index(words)
    return store.add_annotation(article, start, start + len(words), label, who, note=note or None)


@pytest.fixture
def tagged(store: Store, article: Article) -> dict[str, Annotation]:
    """ana and ben agree on one claim and differ on three stretches."""
    return {
        "agreed_a": tag(store, article, "Microsoft said the deal is big.", "claim", "ana"),
        "agreed_b": tag(store, article, "Microsoft said the deal is big.", "claim", "ben"),
        "label_a": tag(store, article, "It is, said OpenAI.", "claim", "ana", note="sure?"),
        "label_b": tag(store, article, "It is, said OpenAI.", "opinion", "ben"),
        "extent_a": tag(store, article, "Stargate costs $500 billion.", "claim", "ana"),
        "extent_b": tag(store, article, "Stargate costs", "speculation", "ben"),
        "only_b": tag(store, article, "Done.", "claim", "ben"),
        "other": tag(store, article, "Done.", "opinion", "cleo"),  # not in this review
    }


def spans(annotations: list[Annotation]) -> list[tuple[int, int, str]]:
    return sorted((x.start, x.end, x.label) for x in annotations)


# -- the plan ------------------------------------------------------------------


def test_plan_agreed_and_disagreements_in_order(tagged: dict[str, Annotation]) -> None:
    mine = [x for x in tagged.values() if x.annotator == "ana"]
    theirs = [x for x in tagged.values() if x.annotator == "ben"]
    result = plan(mine, theirs)
    assert result.agreed == ((tagged["agreed_a"], tagged["agreed_b"]),)
    assert [(d.a, d.b) for d in result.disagreements] == [
        ((tagged["label_a"],), (tagged["label_b"],)),
        ((tagged["extent_a"],), (tagged["extent_b"],)),
        ((), (tagged["only_b"],)),
    ]
    first = result.disagreements[0]
    assert TEXT[first.start : first.end] == "It is, said OpenAI."


def test_plan_groups_chains_of_overlaps_and_pairs_duplicates_once(
    store: Store, article: Article
) -> None:
    def make(start: int, end: int, who: str, label: str = "claim") -> Annotation:
        return store.add_annotation(article, start, end, label, who)

    a = [make(0, 10, "ana"), make(12, 20, "ana"), make(30, 35, "ana"), make(30, 35, "ana")]
    b = [make(5, 15, "ben"), make(30, 35, "ben"), make(40, 45, "ben")]
    result = plan(a, b)
    assert len(result.agreed) == 1  # one of ana's two copies pairs with ben's
    groups = [(d.start, d.end, len(d.a), len(d.b)) for d in result.disagreements]
    assert groups == [(0, 20, 2, 1), (30, 35, 1, 0), (40, 45, 0, 1)]


def test_deleted_annotations_take_no_part(store: Store, article: Article) -> None:
    x = store.add_annotation(article, 0, 9, "claim", "ana")
    store.delete_annotation(x.id)
    assert plan(store.annotations(article.id, include_deleted=True), []).disagreements == ()


# -- decisions -------------------------------------------------------------------


def test_proposed_gold_annotations(article: Article, tagged: dict[str, Annotation]) -> None:
    d = plan([tagged["label_a"]], [tagged["label_b"]]).disagreements[0]
    (taken,) = proposed(article, d, TAKE_A)
    assert (taken.start, taken.end, taken.label) == (d.start, d.end, "claim")
    assert (taken.annotator, taken.origin, taken.deleted) == ("gold", "adjudicated", False)
    assert taken.note == f"review {d.key}: from ana; sure?"
    assert taken.quote == TEXT[taken.start : taken.end]
    assert [x.note for x in proposed(article, d, BOTH, gold="judge")] == [
        f"review {d.key}: from ana; sure?",
        f"review {d.key}: from ben",
    ]
    (made,) = proposed(article, d, custom((d.start, d.start + 5, "speculation")))
    assert (made.end - made.start, made.label, made.note) == (
        5,
        "speculation",
        f"review {d.key}: custom",
    )
    (marker,) = proposed(article, d, NEITHER)
    assert marker.deleted and marker.note == f"review {d.key}: neither"
    with pytest.raises(ReaderError, match="outside the article"):
        proposed(article, d, custom((0, len(TEXT) + 1, "claim")))
    with pytest.raises(ReaderError, match="at least one span"):
        custom()


def test_review_session(store: Store, article: Article, tagged: dict[str, Annotation]) -> None:
    review = Review(store, article.id, "ana", "ben")
    assert (review.total, review.left) == (3, 3)
    (agreed,) = review.accept_agreed()
    assert agreed.note == "agreed by ana and ben" and agreed.origin == "adjudicated"
    assert review.accept_agreed() == []  # once only

    assert review.next_open() == 0
    review.decide(0, TAKE_B)
    assert (review.left, review.next_open(0), review.previous_open(0)) == (2, 1, 2)
    review.decide(1, custom((TEXT.index("Stargate"), TEXT.index(" costs"), "claim")))
    review.decide(2, NEITHER)
    assert review.left == 0 and review.next_open() is None
    assert spans(review.result()) == [
        (0, 31, "claim"),
        (32, 51, "opinion"),
        (TEXT.index("Stargate"), TEXT.index(" costs"), "claim"),
    ]

    # deciding again replaces the earlier decision
    review.decide(0, BOTH)
    assert sorted(x.label for x in review.result() if x.start == 32) == ["claim", "opinion"]
    review.decide(2, TAKE_B)
    assert (TEXT.index("Done."), len(TEXT), "claim") in spans(review.result())
    assert review.left == 0


def test_undo_and_redo_a_decision(
    store: Store, article: Article, tagged: dict[str, Annotation]
) -> None:
    review = Review(store, article.id, "ana", "ben")
    review.decide(0, TAKE_A)
    review.decide(0, TAKE_B)  # replaces
    review.decide(2, NEITHER)
    assert review.left == 1
    assert review.undo() == 2 and review.left == 2  # the "neither" no longer counts
    assert review.undo() == 0
    assert spans(review.result()) == [(32, 51, "claim")]  # ana's version is back
    assert review.undo() == 0 and review.result() == [] and review.left == 3
    assert review.undo() is None
    assert review.redo() == 0 and review.redo() == 0
    assert spans(review.result()) == [(32, 51, "opinion")]
    assert review.redo() == 2 and review.left == 1
    assert review.redo() is None


def test_a_review_resumes_where_it_was_left(
    store: Store, article: Article, tagged: dict[str, Annotation]
) -> None:
    first = Review(store, article.id, "ana", "ben")
    first.accept_agreed()
    first.decide(0, TAKE_A)
    first.decide(2, NEITHER)
    again = Review(store, article.id, "ana", "ben")
    assert again.decided() == {0, 2} and again.left == 1 and again.next_open() == 1
    assert again.accept_agreed() == []


def test_gold_exports_with_origin_adjudicated(
    store: Store, article: Article, tagged: dict[str, Annotation]
) -> None:
    review = Review(store, article.id, "ana", "ben", gold="judge")
    review.accept_agreed()
    review.decide(0, TAKE_A)
    review.decide(2, NEITHER)  # a tombstone: not exported
    out = io.StringIO()
    export(store, out)
    gold = [r for r in map(json.loads, out.getvalue().splitlines()) if r["annotator"] == "judge"]
    assert [(r["origin"], r["label"], r["note"]) for r in gold] == [
        ("adjudicated", "claim", "agreed by ana and ben"),
        ("adjudicated", "claim", f"review {review.disagreements[0].key}: from ana; sure?"),
    ]


def test_bad_decisions_store_nothing(
    store: Store, article: Article, tagged: dict[str, Annotation]
) -> None:
    review = Review(store, article.id, "ana", "ben")
    with pytest.raises(NotFound):
        review.decide(0, custom((0, 5, "nope")))
    with pytest.raises(ReaderError):
        review.decide(0, custom((0, 500, "claim")))
    assert review.result() == [] and review.left == 3
    with pytest.raises(ReaderError, match="third name"):
        Review(store, article.id, "ana", "ana")


def test_versions_for_the_status_area(tagged: dict[str, Annotation]) -> None:
    d = plan([tagged["label_a"]], [tagged["label_b"]]).disagreements[0]
    mine, theirs = versions(d, TEXT)
    assert mine == f"claim {d.start}-{d.end} “It is, said OpenAI.”"
    assert theirs.startswith("opinion ")
    assert versions(plan([], [tagged["only_b"]]).disagreements[0], TEXT)[0] == "nothing"
