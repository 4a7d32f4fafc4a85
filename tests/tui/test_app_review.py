"""The review screen: start, walk, decide each way, edit, undo / redo, quit; the
gold annotations stored and exported; the library's `r`."""

from __future__ import annotations

import io
import json

import pytest

from reader.errors import StoreError
from reader.exporting import export
from reader.models import Article
from reader.store import Store
from reader.tui.app import ReaderApp
from reader.tui.dialogs.review import ReviewDialog
from reader.tui.screens.library import LibraryScreen
from reader.tui.screens.review import ReviewScreen
from tests.tui.app_support import SIZE, notifications, screen_text, sentences


def two_versions(store: Store, article: Article) -> list[tuple[int, int]]:
    """ana and ben agree on the first sentence and differ on five stretches:
    label (1), extent (2), ana only (3), ben only (4), label again (5)."""
    s = sentences(article, 6)
    tags = [
        (s[0], "claim", "ana"),
        (s[0], "claim", "ben"),
        (s[1], "claim", "ana"),
        (s[1], "opinion", "ben"),
        (s[2], "speculation", "ana"),
        ((s[2][0], s[2][0] + 10), "speculation", "ben"),
        (s[3], "claim", "ana"),
        (s[4], "claim", "ben"),
        (s[5], "speculation", "ana"),
        (s[5], "claim", "ben"),
    ]
    for span, label, who in tags:
        store.add_annotation(article, *span, label, who)
    return s


def gold(store: Store, article: Article, name: str = "gold") -> list[tuple[int, int, str]]:
    return sorted(
        (a.start, a.end, a.label)
        for a in store.annotations(article.id)
        if a.annotator == name and a.origin == "adjudicated"
    )


def review_app(store: Store, article: Article, gold_name: str = "gold") -> ReaderApp:
    """The app as `reader review ARTICLE --annotators ana,ben --as gold_name` starts it."""
    return ReaderApp(store, "tester", [], (article.id, "ana", "ben", gold_name))


def screen_of(app: ReaderApp) -> ReviewScreen:
    assert isinstance(app.screen, ReviewScreen)
    return app.screen


@pytest.fixture
def article(store: Store, seeded: list[Article]) -> Article:
    return seeded[0]


async def test_start_accepts_the_agreed_and_shows_the_first_disagreement(
    store: Store, article: Article
) -> None:
    s = two_versions(store, article)
    app = review_app(store, article)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = screen_of(app)
        assert gold(store, article) == [(*s[0], "claim")]  # the agreed one, at once
        text = screen_text(app)
        assert "5 of 5 left" in text and "1/5" in text
        assert "1 agreed annotation in the result" in text
        # each side under its annotator's name; the versions under the panes
        assert " a  ana" in text and " b  ben" in text
        assert "claim" in text and "opinion" in text
        pane_a, pane_b = screen.panes
        assert {x.annotator for x in pane_a._annotations.values()} == {"ana"}
        assert {x.annotator for x in pane_b._annotations.values()} == {"ben"}
        # the disagreement is selected in both panes
        assert pane_a.selection == pane_b.selection == s[1]


async def test_decide_each_way_then_quit(store: Store, article: Article) -> None:
    s = two_versions(store, article)
    app = review_app(store, article)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("a")  # 1: ana's claim
        assert gold(store, article) == [(*s[0], "claim"), (*s[1], "claim")]
        assert "4 of 5 left" in screen_text(app)
        await pilot.press("b")  # 2: ben's shorter speculation
        assert (s[2][0], s[2][0] + 10, "speculation") in gold(store, article)
        await pilot.press("equals_sign")  # 3: both (ana's only)
        assert (*s[3], "claim") in gold(store, article)
        await pilot.press("x")  # 4: neither: ben's claim stays out
        assert all(start != s[4][0] for start, _, _ in gold(store, article))
        # 5: E in ana's pane, two words shorter at the end, then 2 (opinion)
        await pilot.press("E", "b", "b", "2")
        await pilot.pause()
        made = [g for g in gold(store, article) if g[0] == s[5][0]]
        assert len(made) == 1 and made[0][2] == "opinion" and made[0][1] < s[5][1]
        assert article.text[made[0][0] : made[0][1]].strip()
        assert "0 of 5 left" in screen_text(app)
        await pilot.press("right_square_bracket")
        assert "All decided" in screen_text(app)
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)
    # the result: ordinary annotations of gold, exported with origin adjudicated
    out = io.StringIO()
    export(store, out)
    rows = [r for r in map(json.loads, out.getvalue().splitlines()) if r["annotator"] == "gold"]
    assert len(rows) == 5 and {r["origin"] for r in rows} == {"adjudicated"}
    notes = [r["note"].split(": ", 1)[-1] for r in rows]  # in reading order
    assert notes == ["agreed by ana and ben", "from ana", "from ben", "from ana", "custom"]
    for r in rows:
        assert article.text[r["start"] : r["end"]] == r["text"]


async def test_walk_open_disagreements_and_the_cursor_picks_one(
    store: Store, article: Article
) -> None:
    s = two_versions(store, article)
    app = review_app(store, article)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = screen_of(app)
        await pilot.press("right_square_bracket")
        assert screen.current == 1 and "2/5" in screen_text(app)
        await pilot.press("right_square_bracket", "right_square_bracket")
        assert screen.current == 3
        await pilot.press("left_square_bracket")
        assert screen.current == 2
        # 2 is ana's alone: ben's version there is nothing, kept as "neither"
        await pilot.press("b")  # and on to the next open one (3)
        assert screen.current == 3
        await pilot.press("left_square_bracket", "left_square_bracket")
        assert screen.current == 0  # 2 is decided: [ skips it
        # the cursor moved by hand into a decided disagreement: keys act on that one
        pane_a = screen.panes[0]
        pane_a.move_cursor(s[3][0] + 1)
        await pilot.pause()
        assert screen.current == 2 and "3/5" in screen_text(app)
        assert "neither" in screen_text(app)
        assert (*s[3], "claim") not in gold(store, article)
        await pilot.press("a")  # decided again: ana's version this time
        assert (*s[3], "claim") in gold(store, article)
        # the other pane follows the cursor; b's pane scrolls with a's
        await pilot.press("j")
        await pilot.pause()
        assert screen.panes[1].cursor == pane_a.cursor


async def test_undo_and_redo_decisions(store: Store, article: Article) -> None:
    s = two_versions(store, article)
    app = review_app(store, article)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("a", "x")
        assert "3 of 5 left" in screen_text(app)
        await pilot.press("u")
        assert "4 of 5 left" in screen_text(app) and screen_of(app).current == 1
        await pilot.press("u")
        assert gold(store, article) == [(*s[0], "claim")]
        assert "5 of 5 left" in screen_text(app)
        await pilot.press("u")
        assert "Nothing to undo" in screen_text(app)
        await pilot.press("ctrl+r")
        assert gold(store, article) == [(*s[0], "claim"), (*s[1], "claim")]
        assert "4 of 5 left" in screen_text(app)


async def test_edit_cancelled_and_pane_keys_while_editing(store: Store, article: Article) -> None:
    s = two_versions(store, article)
    app = review_app(store, article)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = screen_of(app)
        await pilot.press("E")
        pane = screen.panes[0]
        assert pane.selection == s[1] and screen.editing is not None
        await pilot.press("b", "a")  # b moves the end (a word back); a waits for the edit
        assert pane.selection is not None and pane.selection[1] < s[1][1]
        assert "Editing" in screen_text(app) and len(gold(store, article)) == 1
        await pilot.press("escape")
        await pilot.pause()
        assert screen.editing is None and "Edit cancelled" in screen_text(app)
        assert gold(store, article) == [(*s[0], "claim")]
        await pilot.press("1")  # a label key without E only says how
        assert "E first" in screen_text(app)
        # E in ben's pane starts from ben's version; enter keeps its label
        await pilot.press("tab", "E", "enter")
        assert (*s[1], "opinion") in gold(store, article)


async def test_a_review_resumes_with_what_was_decided(store: Store, article: Article) -> None:
    two_versions(store, article)
    async with review_app(store, article).run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("a", "b")
    app = review_app(store, article)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "3 of 5 left" in screen_text(app) and screen_of(app).current == 2
        assert "(0 new)" in screen_text(app)  # the agreed one is not added twice


async def test_into_another_name(store: Store, article: Article) -> None:
    s = two_versions(store, article)
    async with review_app(store, article, "judge").run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("b")
    assert gold(store, article, "judge") == [(*s[0], "claim"), (*s[1], "opinion")]
    assert gold(store, article) == []


async def test_from_the_library(store: Store, article: Article, seeded: list[Article]) -> None:
    s = two_versions(store, article)
    store.add_annotation(article, *s[1], "claim", "cleo")  # three annotators
    app = ReaderApp(store, "tester", [])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        library = app.screen
        assert isinstance(library, LibraryScreen)
        assert library.current_id() == article.id
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, ReviewDialog)
        text = screen_text(app)
        assert "ana  (5)" in text and "ben  (5)" in text and "cleo  (1)" in text
        await pilot.press("down", "down", "space")  # cleo ticked too: three
        await pilot.press("enter")
        assert "tick two annotators, not 3" in screen_text(app)
        await pilot.press("space", "tab")  # cleo unticked; the name: "gold" to "ben"
        await pilot.press(*["backspace"] * 4, "b", "e", "n", "enter")
        assert "a name of its own" in screen_text(app)
        await pilot.press(*["backspace"] * 3, "j", "u", "r", "y", "enter")
        await pilot.pause()
        screen = screen_of(app)
        assert (screen.review.a, screen.review.b, screen.review.gold) == ("ana", "ben", "jury")
        await pilot.press("a", "q")
        await pilot.pause()
        assert app.screen is library
    assert gold(store, article, "jury") == [(*s[0], "claim"), (*s[1], "claim")]


async def test_library_needs_two_annotators(store: Store, seeded: list[Article]) -> None:
    article = seeded[0]
    store.add_annotation(article, 0, 5, "claim", "ana")
    app = ReaderApp(store, "tester", [])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)
        assert any("needs two annotators" in n and "ana" in n for n in notifications(app))


async def test_hostile_names_and_notes_are_shown_as_text(store: Store, article: Article) -> None:
    s = sentences(article, 2)
    bad = "[bold]x[/bold]\x1b[31m"
    short = (s[1][0], s[1][0] + 10)  # the note fits beside the quote
    store.add_annotation(article, *short, "claim", bad, note="[@click=app.quit]q[/]")
    store.add_annotation(article, *short, "opinion", "ben")
    (name,) = {a.annotator for a in store.annotations(article.id)} - {"ben"}  # as cleaned
    app = ReaderApp(store, "tester", [], (article.id, name, "ben", "gold"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "[bold]x[/bold]" in text and "[@click=app.quit]q[/]" in text
        assert "\x1b" not in text
        await pilot.press("a")
        assert isinstance(app.screen, ReviewScreen)  # no markup ran


def test_review_screen_keys_are_the_issues() -> None:
    keys = {b.key: b.action for b in ReviewScreen.BINDINGS}  # type: ignore[union-attr]
    assert keys["right_square_bracket"] == "walk(1)" and keys["left_square_bracket"] == "walk(-1)"
    assert keys["a"] == "decide('a')" and keys["b"] == "decide('b')"
    assert keys["equals_sign"] == "decide('both')" and keys["x"] == "decide('neither')"
    assert keys["E"] == "edit" and keys["u"] == "undo" and keys["ctrl+r"] == "redo"


async def test_a_label_made_elsewhere_gets_its_key(store: Store, article: Article) -> None:
    s = two_versions(store, article)
    app = review_app(store, article)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("E", "4")
        assert screen_of(app).editing is not None  # no label has key 4 yet
        store.add_label("hedge", key="4")  # as `reader labels add` would
        screen_of(app).refresh_from_store()
        await pilot.press("4")
        assert (*s[1], "hedge") in gold(store, article)
        assert "custom" in screen_text(app)


async def test_nothing_to_decide(store: Store, article: Article) -> None:
    s = sentences(article, 1)
    for who in ("ana", "ben"):
        store.add_annotation(article, *s[0], "claim", who)
    app = review_app(store, article)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "0 of 0 left" in screen_text(app)
        await pilot.press("right_square_bracket")
        assert "No disagreements in this article" in screen_text(app)
        await pilot.press("a")
        assert "No disagreement here" in screen_text(app)
        await pilot.press("E")
        assert "No disagreement here" in screen_text(app)
    assert gold(store, article) == [(*s[0], "claim")]


async def test_a_refused_write_says_so_and_stores_nothing(
    store: Store, article: Article, monkeypatch: pytest.MonkeyPatch
) -> None:
    two_versions(store, article)

    def locked(*_: object, **__: object) -> int:
        raise StoreError("the database is locked by another program; try again")

    real = store.put_annotations
    monkeypatch.setattr(store, "put_annotations", locked)
    app = review_app(store, article)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "Not saved: the database is locked" in screen_text(app)  # the agreed ones
        await pilot.press("a")
        assert "Not saved" in screen_text(app) and "5 of 5 left" in screen_text(app)
        assert gold(store, article) == []
        monkeypatch.setattr(store, "put_annotations", real)
        await pilot.press("A", "a")  # again, the database free: both go in
        assert "4 of 5 left" in screen_text(app) and len(gold(store, article)) == 2


async def test_help_names_the_review_keys(store: Store, article: Article) -> None:
    two_versions(store, article)
    app = review_app(store, article)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        text = screen_text(app)
        assert "Review screen" in text and "Neither" in text and "Take b" in text


async def test_edit_again_in_the_other_pane(store: Store, article: Article) -> None:
    s = two_versions(store, article)
    app = review_app(store, article)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = screen_of(app)
        pane_a, pane_b = screen.panes
        await pilot.press("E", "tab", "E")
        await pilot.pause()
        assert not pane_a.extending and screen.editing is not None
        assert screen.editing[0] is pane_b
        await pilot.press("3")
        assert (*s[1], "speculation") in gold(store, article)


async def test_the_footer_shows_no_sentence_key(store: Store, article: Article) -> None:
    """The pane's `s Sentence` decides nothing in a review: not in its footer, which
    shows the review's own keys."""
    two_versions(store, article)
    app = review_app(store, article)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.pause()
        footer = screen_text(app).splitlines()[-1]
        assert "Take a" in footer and "Undo" in footer
        assert "Sentence" not in footer
        # the review's keys in the order it declares them, not the pane's
        order = ["] Next", "[ Prev", "a Take a", "b Take b", "= Both", "x Neither", "E Edit"]
        at = [footer.index(caption) for caption in order]
        assert at == sorted(at), footer
