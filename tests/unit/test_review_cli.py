"""`reader review ARTICLE --annotators A,B [--as gold]`: the names and the article
checked before the TUI starts (one line on stderr, exit 1; a malformed pair exit 2);
and the plain helpers the screen and the library's dialog use."""

from __future__ import annotations

import sys
import types
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from reader.cli import cli
from reader.errors import ReaderError
from reader.models import Article
from reader.review import (
    BOTH,
    NEITHER,
    TAKE_A,
    TAKE_B,
    Review,
    annotators_of,
    check_pair,
    custom,
    parse_pair,
)
from reader.store import Store
from tests.factories import add_article, table_dump
from tests.unit.test_cli import one_error_line

TEXT = "Microsoft said the deal is big. It is, said OpenAI. Stargate costs $500 billion. Done."


@pytest.fixture
def article(store: Store) -> Article:
    article = add_article(store, TEXT, "Microsoft loses cloud role")
    for words, label, who in [
        ("Microsoft said the deal is big.", "claim", "ana"),
        ("Microsoft said the deal is big.", "claim", "ben"),
        ("It is, said OpenAI.", "claim", "ana"),
        ("It is, said OpenAI.", "opinion", "ben"),
        ("Stargate costs $500 billion.", "claim", "ana"),
        ("Stargate costs", "speculation", "ben"),
        ("Done.", "claim", "ben"),
    ]:
        start = TEXT.index(words)
        store.add_annotation(article, start, start + len(words), label, who)
    return article


@pytest.fixture
def fake_tui(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, ...]]:
    calls: list[tuple[Any, ...]] = []
    module = types.ModuleType("reader.tui.app")

    def run_app(store: Store, annotator: str, open_ids: list[str], review: Any = None) -> None:
        calls.append((annotator, open_ids, review))

    module.run_app = run_app  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "reader.tui.app", module)
    return calls


def run(db: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", str(db), *args], catch_exceptions=False)


def test_review_opens_the_tui_on_the_article(
    fake_tui: list[tuple[Any, ...]], db_path: Path, article: Article
) -> None:
    assert run(db_path, "review", "cloud role", "--annotators", "ana, ben").exit_code == 0
    assert (
        run(db_path, "review", article.id[:6], "--annotators", "ben,ana", "--as", "judge").exit_code
        == 0
    )
    assert fake_tui == [
        ("tester", [], (article.id, "ana", "ben", "gold")),
        ("tester", [], (article.id, "ben", "ana", "judge")),
    ]


@pytest.mark.parametrize(
    ("args", "needles"),
    [
        (["no such article", "--annotators", "ana,ben"], ["no article matches"]),
        (
            ["cloud", "--annotators", "ana,zed"],
            ["zed has no annotations", "annotated by: ana, ben"],
        ),
        (["cloud", "--annotators", "ana,ben", "--as", "ben"], ["a name of its own"]),
        (["cloud", "--annotators", "ana,ben", "--as", " "], ["name is empty"]),
        (["cloud", "--annotators", "ana,\x1b[31mred"], ["red has no annotations"]),
    ],
)
def test_bad_article_or_annotator_is_one_line_and_exit_1(
    fake_tui: list[tuple[Any, ...]],
    db_path: Path,
    article: Article,
    args: list[str],
    needles: list[str],
) -> None:
    before = table_dump(db_path)
    result = run(db_path, "review", *args)
    assert result.exit_code == 1 and fake_tui == []
    one_error_line(result, *needles)
    assert "\x1b" not in result.stderr
    assert table_dump(db_path) == before  # nothing stored, not even the agreed ones


@pytest.mark.parametrize("pair", ["ana", "ana,ben,cleo", "ana,ana", ",ben", ""])
def test_a_malformed_pair_is_a_usage_error(
    fake_tui: list[tuple[Any, ...]], db_path: Path, article: Article, pair: str
) -> None:
    result = run(db_path, "review", "cloud", "--annotators", pair)
    assert result.exit_code == 2 and fake_tui == []
    assert "--annotators" in result.stderr and "Traceback" not in result.output


def test_annotators_is_required(db_path: Path, article: Article) -> None:
    result = run(db_path, "review", "cloud")
    assert result.exit_code == 2 and "--annotators" in result.stderr


# -- the helpers ------------------------------------------------------------------


def test_parse_pair() -> None:
    assert parse_pair(" ana , ben ") == ("ana", "ben")
    assert parse_pair("Ana López,ben") == ("Ana López", "ben")
    for bad in ("ana", "ana,", "a,b,c", "ana,ana"):
        with pytest.raises(ReaderError):
            parse_pair(bad)


def test_annotators_of_leave_out_the_adjudicated(store: Store, article: Article) -> None:
    assert annotators_of(store, article.id) == [("ben", 4), ("ana", 3)]
    review = Review(store, article.id, "ana", "ben")
    review.accept_agreed()
    review.decide(0, TAKE_A)
    store.add_annotation(article, 0, 9, "claim", "gold")  # gold's own hand: offered
    assert annotators_of(store, article.id) == [("ben", 4), ("ana", 3), ("gold", 1)]


def test_check_pair(store: Store, article: Article) -> None:
    check_pair(store, article, "ana", "ben", "gold")
    with pytest.raises(ReaderError, match="cleo has no annotations"):
        check_pair(store, article, "ana", "cleo", "gold")
    with pytest.raises(ReaderError, match="name of its own"):
        check_pair(store, article, "ana", "ben", "ana")


def test_index_at_and_outcome(store: Store, article: Article) -> None:
    review = Review(store, article.id, "ana", "ben")
    d = review.disagreements
    assert [review.index_at(x.start) for x in d] == [0, 1, 2]
    assert [review.index_at(x.end - 1) for x in d] == [0, 1, 2]
    assert review.index_at(0) is None  # the agreed sentence
    assert review.index_at(d[0].end) is None  # the space between
    assert review.index_at(len(TEXT) + 5) is None
    assert [review.outcome(i) for i in range(3)] == ["open"] * 3
    review.decide(0, TAKE_A)
    review.decide(1, BOTH)
    review.decide(2, NEITHER)
    assert [review.outcome(i) for i in range(3)] == ["from ana", "from ana and ben", "neither"]
    review.decide(0, TAKE_B)
    review.decide(1, custom((d[1].start, d[1].start + 8, "claim")))
    assert [review.outcome(i) for i in range(2)] == ["from ben", "custom"]
    review.decide(2, TAKE_B)  # ben's "Done." after all
    assert review.outcome(2) == "from ben"
    review.undo()
    assert review.outcome(2) == "neither"
    review.undo()
    review.undo()
    assert review.outcome(0) == "from ana"


def test_store_annotations_of_some_annotators(store: Store, article: Article) -> None:
    everyone = store.annotations(article.id)
    assert store.annotations(article.id, annotators=["ben"]) == [
        x for x in everyone if x.annotator == "ben"
    ]
    assert store.annotations(article.id, annotators=[]) == []
    gone = store.delete_annotation(everyone[0].id)
    kept = store.annotations(article.id, include_deleted=True, annotators=[gone.annotator])
    assert gone.id in {x.id for x in kept}
    assert gone.id not in {x.id for x in store.annotations(article.id, annotators=["ana", "ben"])}
