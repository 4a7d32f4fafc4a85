"""The workspace's annotations as one list: counted per article, read a page at a time,
in the order and with the filters a plain computation over every row gives."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.errors import StoreError
from reader.models import Annotation, Article
from reader.store import Store, browse
from reader.store.browse import AnnotationFilter, WorkspaceAnnotations, count, count_apart
from tests.factories import add_article

WORDS = "Cloud deal billion 100% of_it Stargate compute Oracle said maybe".split()


def fill(store: Store, seed: int, articles: int = 4, per_article: int = 30) -> list[Article]:
    """Articles (titles out of id order) with annotations by three annotators, some
    deleted, some noted."""
    rng = random.Random(seed)
    made = []
    for n in range(articles):
        text = " ".join(rng.choice(WORDS) for _ in range(60)) + f" article {n}."
        made.append(add_article(store, text, title=f"{'zyxwvu'[n % 6]} title {n}"))
    rows = []
    for article in made:
        for i in range(rng.randint(0, per_article)):
            start = rng.randrange(0, len(article.text) - 20)
            end = start + rng.randint(1, 20)
            rows.append(
                Annotation.over(
                    article.text,
                    article.id,
                    start,
                    end,
                    id=f"{article.id}-{i:04}",
                    label=rng.choice(["claim", "opinion", "speculation"]),
                    note=rng.choice([None, None, "a Note", ""]),
                    annotator=rng.choice(["ana", "ben", "cy"]),
                    created_at="2025-01-01T00:00:00.000000Z",
                    updated_at="2025-01-01T00:00:00.000000Z",
                    deleted_at=rng.choice([None, None, None, "2025-01-02T00:00:00.000000Z"]),
                )
            )
    store.put_annotations(rows)
    return made


def expected(store: Store, wanted: AnnotationFilter) -> list[tuple[str, str, int, int, str]]:
    """(title, article id, start, end, id) of every row the filter keeps, the plain way."""
    text = wanted.text.strip().lower()
    found = []
    for summary in store.articles():
        for a in store.annotations(summary.id):
            if wanted.label is not None and a.label != wanted.label:
                continue
            if wanted.annotator is not None and a.annotator != wanted.annotator:
                continue
            if text and text not in a.quote.lower() and text not in (a.note or "").lower():
                continue
            found.append((summary.title, a.article_id, a.start, a.end, a.id))
    found.sort(key=lambda r: (r[0].casefold(), r[1], r[2], r[3], r[4]))
    return found


def listed(
    listing: WorkspaceAnnotations, first: int, count: int
) -> list[tuple[str, str, int, int, str]]:
    return [(r.title, r.article_id, r.start, r.end, r.id) for r in listing.rows(first, count)]


filters = st.builds(
    AnnotationFilter,
    label=st.sampled_from([None, "claim", "opinion"]),
    annotator=st.sampled_from([None, "ana", "cy", "nobody"]),
    text=st.sampled_from(["", "cloud", "CLOUD", "note", "100%", "of_it", "_", "%", "zzz"]),
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    seed=st.integers(0, 10_000), wanted=filters, first=st.integers(0, 200), size=st.integers(1, 50)
)
def test_any_page_is_the_plain_computations_slice(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    seed: int,
    wanted: AnnotationFilter,
    first: int,
    size: int,
) -> None:
    monkeypatch.setattr(
        browse, "ANCHOR_EVERY", 3
    )  # pages deep inside an article start from anchors
    path = tmp_path / f"{seed}.db"
    with Store(path) as store:
        if store.article_count() == 0:
            fill(store, seed)
        want = expected(store, wanted)
        listing = WorkspaceAnnotations(store, wanted)
        assert len(listing) == len(want)
        assert listed(listing, 0, len(want) + 5) == want
        assert listed(listing, first, size) == want[first : first + size]
        if want:  # every row is found again by its key
            title, article_id, start, end, id_ = want[min(first, len(want) - 1)]
            assert listing.index_of(article_id, start, end, id_) == want.index(
                (title, article_id, start, end, id_)
            )


def test_rows_carry_what_the_screen_shows(store: Store) -> None:
    article = add_article(store, "Microsoft said the deal is big.", title="Deal")
    noted = store.add_annotation(article, 0, 9, "claim", "ana", note="check")
    store.add_annotation(article, 10, 14, "opinion", "ben")
    gone = store.add_annotation(article, 15, 18, "opinion", "ben")
    store.delete_annotation(gone.id)
    (first, second) = WorkspaceAnnotations(store).rows(0, 10)
    assert (first.id, first.title, first.label, first.annotator, first.has_note) == (
        noted.id, "Deal", "claim", "ana", True,
    )  # fmt: skip
    assert (first.quote, second.quote, second.has_note) == ("Microsoft", "said", False)


def test_a_long_quote_is_cut_for_the_list(store: Store) -> None:
    text = "word " * 400
    article = add_article(store, text.strip())
    store.add_annotation(article, 0, len(text) - 1, "claim", "ana")
    (row,) = WorkspaceAnnotations(store).rows(0, 1)
    assert len(row.quote) == browse.QUOTE_CHARS


def test_the_text_filter_takes_like_wildcards_literally(store: Store) -> None:
    article = add_article(store, "Up 100% today, 1000 tomorrow; a_b and ab.")
    for quote in ("100%", "1000", "a_b", "ab."):
        start = article.text.index(quote)
        store.add_annotation(article, start, start + len(quote), "claim", "ana")

    def quotes(text: str) -> list[str]:
        return [
            r.quote for r in WorkspaceAnnotations(store, AnnotationFilter(text=text)).rows(0, 9)
        ]

    assert quotes("100%") == ["100%"]
    assert quotes("a_b") == ["a_b"]
    assert quotes("AB.") == ["ab."]  # without regard to case


def test_counting_apart_is_the_same_count(store: Store) -> None:
    fill(store, 7)
    for wanted in (AnnotationFilter(), AnnotationFilter(label="claim", text="cloud")):
        with store.read() as conn:
            here = count(conn, wanted)
        assert count_apart(store.path, wanted) == here
    with pytest.raises(StoreError):
        count_apart(store.path.with_name("missing.db"), AnnotationFilter())


def test_counts_use_the_covering_index_and_pages_the_primary_key(store: Store) -> None:
    """What keeps the screen fast at a million annotations (benchmarks/annotations_screen.py)."""
    plans = []
    for wanted in (
        AnnotationFilter(),
        AnnotationFilter(label="claim"),
        AnnotationFilter(annotator="a"),
    ):
        where, params = wanted.sql()
        plan = store.conn.execute(
            f"EXPLAIN QUERY PLAN SELECT article_id, count(*) FROM annotations WHERE {where} "
            "GROUP BY article_id",
            params,
        ).fetchall()
        plans.append(" ".join(row[-1] for row in plan))
        where, params = wanted.sql(walk=True)
        plan = store.conn.execute(
            f"EXPLAIN QUERY PLAN SELECT id FROM annotations WHERE article_id = ? AND {where} "
            'ORDER BY start, "end", id LIMIT 5',
            ["x", *params],
        ).fetchall()
        plans.append(" ".join(row[-1] for row in plan))
    assert plans[0::2] == ["SCAN annotations USING COVERING INDEX annotations_live"] * 3
    assert all("PRIMARY KEY (article_id=?)" in p and "TEMP B-TREE" not in p for p in plans[1::2])
