"""The read screen: tag, relabel, note, delete, undo / redo, list, export, errors."""

from __future__ import annotations

import json
import re

import pytest
from textual.color import Color

from reader.errors import StoreError
from reader.models import Article
from reader.store import Store
from reader.tui.app import ReaderApp
from reader.tui.screens.article_panel import ArticlePanel
from reader.tui.widgets.annotation_list import AnnotationList
from reader.tui.widgets.reading_pane import ReadingPane
from tests.tui.app_support import (
    SIZE,
    add_article,
    app_for,
    live,
    notifications,
    pane_of,
    screen_text,
    sentences,
)


async def test_tag_sentences_and_selection_with_1_2_3(store: Store, seeded: list[Article]) -> None:
    article = seeded[0]
    first, second, third = sentences(article, 3)
    app = app_for(store, article)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s", "1")  # the selected first sentence
        await pilot.press("right_parenthesis", "2")  # no selection: the sentence under the cursor
        await pilot.press("right_parenthesis", "v", "w", "w", "3")  # a selection of two words
        await pilot.pause()
        pane = pane_of(app)
        assert pane.selection is None  # tagging clears the selection
        stored = live(store, article)
        assert stored[0] == (first[0], first[1], "claim", None)
        assert stored[1] == (second[0], second[1], "opinion", None)
        start, end, label, _ = stored[2]
        assert label == "speculation" and start == third[0] and third[0] < end < third[1]
        for annotation in store.annotations(article.id):
            assert article.text[annotation.start : annotation.end] == annotation.quote
        # what the screen shows is what was saved
        assert {a.id for a in pane._annotations.values()} == {
            a.id for a in store.annotations(article.id)
        }
        assert "claim 1" in screen_text(app).replace("  ", " ")


async def test_same_span_relabels_instead_of_duplicating(
    store: Store, seeded: list[Article]
) -> None:
    article = seeded[0]
    first = sentences(article, 1)[0]
    async with app_for(store, article).run_test(size=SIZE) as pilot:
        await pilot.press("1", "2")
        await pilot.pause()
        assert live(store, article) == [(first[0], first[1], "opinion", None)]
        await pilot.press("u")
        await pilot.pause()
        assert live(store, article) == [(first[0], first[1], "claim", None)]


async def test_note_delete_undo_redo(store: Store, seeded: list[Article]) -> None:
    article = seeded[0]
    first = sentences(article, 1)[0]
    app = app_for(store, article)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1", "c")
        await pilot.pause()
        assert type(app.screen).__name__ == "NoteDialog"
        await pilot.press(*"check [red]this[/red]", "enter")
        await pilot.pause()
        note = "check [red]this[/red]"
        assert live(store, article) == [(first[0], first[1], "claim", note)]
        text = screen_text(app)
        assert "[red]this[/red]" in text  # shown literally, in the status and the list
        await pilot.press("x")
        await pilot.pause()
        assert live(store, article) == []
        assert not pane_of(app)._annotations
        await pilot.press("u")  # undo the delete
        await pilot.pause()
        assert live(store, article) == [(first[0], first[1], "claim", note)]
        await pilot.press("u")  # undo the note
        await pilot.pause()
        assert live(store, article) == [(first[0], first[1], "claim", None)]
        await pilot.press("ctrl+r", "ctrl+r")
        await pilot.pause()
        assert live(store, article) == []
        # an empty note clears it
        await pilot.press("u", "c", "ctrl+u", "enter")
        await pilot.pause()
        assert live(store, article) == [(first[0], first[1], "claim", None)]


async def test_note_dialog_escape_changes_nothing(store: Store, seeded: list[Article]) -> None:
    article = seeded[0]
    app = app_for(store, article)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1", "c", *"draft", "escape")
        await pilot.pause()
        assert [a.note for a in store.annotations(article.id)] == [None]
        assert isinstance(app.screen.focused, ReadingPane)


async def test_note_without_annotation_says_so(store: Store, seeded: list[Article]) -> None:
    app = app_for(store, seeded[0])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c", "x")
        await pilot.pause()
        assert type(app.screen).__name__ == "ReadScreen"
        assert "No annotation under the cursor" in screen_text(app)


async def test_brackets_and_list_jump(store: Store, seeded: list[Article]) -> None:
    article = seeded[0]
    spans = sentences(article, 4)
    app = app_for(store, article)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1", "right_parenthesis", "right_parenthesis", "2")
        await pilot.press("right_parenthesis", "3", "g")
        await pilot.pause()
        pane = pane_of(app)
        await pilot.press("right_square_bracket")
        assert pane.cursor == spans[2][0]
        await pilot.press("right_square_bracket")
        assert pane.cursor == spans[3][0]
        await pilot.press("left_square_bracket")
        assert pane.cursor == spans[2][0]
        # the list beside: label, excerpt; enter jumps and gives the pane the focus
        await pilot.press("tab")
        listing = app.screen.query_one(AnnotationList)
        assert app.screen.focused is listing
        assert [a.label for a in listing.items] == ["claim", "opinion", "speculation"]
        listing.highlighted = 0
        await pilot.press("enter")
        await pilot.pause()
        assert pane.cursor == spans[0][0]
        assert app.screen.focused is pane
        # a hides the list, a again shows it
        await pilot.press("a")
        await pilot.pause()
        assert not listing.display
        await pilot.press("a")
        await pilot.pause()
        assert listing.display


async def test_custom_label_key_4(store: Store, seeded: list[Article]) -> None:
    store.add_label("rumour", key="4")
    article = seeded[0]
    first = sentences(article, 1)[0]
    app = app_for(store, article)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        await pilot.pause()
        assert live(store, article) == [(first[0], first[1], "rumour", None)]
        assert "rumour" in screen_text(app)  # in the status counts and the footer
        await pilot.press("5", "escape")  # no label has key 5: a name is asked; cancelled
        await pilot.pause()
        assert len(live(store, article)) == 1


async def test_store_error_shown_and_nothing_pretended(
    store: Store, seeded: list[Article], monkeypatch: pytest.MonkeyPatch
) -> None:
    article = seeded[0]
    real = store.add_annotation

    def locked(*args: object, **kwargs: object) -> None:
        raise StoreError(f"the database {store.path} is locked by another program; try again")

    app = app_for(store, article)
    async with app.run_test(size=SIZE) as pilot:
        monkeypatch.setattr(store, "add_annotation", locked)
        await pilot.press("1")
        await pilot.pause()
        assert live(store, article) == []
        assert not pane_of(app)._annotations  # nothing painted as saved
        assert any("is locked" in message for message in notifications(app))
        assert "Not saved" in screen_text(app)
        assert "claim 0" in " ".join(screen_text(app).split())
        monkeypatch.setattr(store, "add_annotation", real)
        await pilot.press("1")  # retried, and this time it is saved
        await pilot.pause()
        assert len(live(store, article)) == 1
        assert "Not saved" not in screen_text(app)


async def test_failed_undo_can_be_retried(
    store: Store, seeded: list[Article], monkeypatch: pytest.MonkeyPatch
) -> None:
    article = seeded[0]
    real = store.delete_annotation

    def readonly(*args: object, **kwargs: object) -> None:
        raise StoreError("the database is read-only; nothing was changed")

    app = app_for(store, article)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1")
        monkeypatch.setattr(store, "delete_annotation", readonly)
        await pilot.press("u")
        await pilot.pause()
        assert len(live(store, article)) == 1 and pane_of(app)._annotations
        monkeypatch.setattr(store, "delete_annotation", real)
        await pilot.press("u")
        await pilot.pause()
        assert live(store, article) == [] and not pane_of(app)._annotations


async def test_export_writes_every_annotation_beside_the_database(
    store: Store, seeded: list[Article]
) -> None:
    first_article, other = seeded[0], seeded[1]
    store.add_annotation(other, *sentences(other, 1)[0], "opinion", "someone")
    app = app_for(store, first_article)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s", "1", "right_parenthesis", "3", "e")
        await pilot.pause()
    exports = list(store.path.parent.glob("tester-*.jsonl"))
    assert len(exports) == 1
    assert re.fullmatch(r"tester-\d{8}T\d{6}Z\.jsonl", exports[0].name)
    rows = [json.loads(line) for line in exports[0].read_text(encoding="utf-8").splitlines()]
    assert sorted(r["label"] for r in rows) == ["claim", "opinion", "speculation"]
    texts = {a.id: a.text for a in seeded}
    for row in rows:
        assert texts[row["article_id"]][row["start"] : row["end"]] == row["text"]
    # the whole path, to paste into another command wherever it runs
    assert any(str(exports[0].resolve()) in m for m in notifications(app))


async def test_status_line_shows_title_db_annotator_and_what_is_here(
    store: Store, seeded: list[Article]
) -> None:
    article = add_article(
        store, "First [bold]sentence[/bold] here. Second one.", "[bold]x[/ title", "[i]Wire"
    )
    app = app_for(store, article)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1", "c", *"a [red] note", "enter")
        await pilot.pause()
        text = screen_text(app)
        assert "[bold]x[/ title" in text
        assert "annotations/reader.db" in text  # relative to the cwd
        assert "tester" in text
        assert "[bold]sentence[/bold]" in text
        panel = app.screen.query_one(ArticlePanel)
        panel.pane.move_cursor(0)
        await pilot.pause()
        status = screen_text(app)
        assert "Here:" in status and "✎ a [red] note" in status


async def test_reload_when_coming_back_shows_other_process_work(
    store: Store, seeded: list[Article]
) -> None:
    article = seeded[0]
    first = sentences(article, 1)[0]
    app = app_for(store, article)
    async with app.run_test(size=SIZE) as pilot:
        other = Store(store.path)  # a second `reader` on the same database
        other.add_annotation(article, first[0], first[1], "speculation", "colleague")
        other.close()
        await pilot.press("question_mark")
        await pilot.press("escape")  # the read screen is resumed
        await pilot.pause()
        assert [a.label for a in pane_of(app)._annotations.values()] == ["speculation"]


async def test_escape_goes_back_to_the_library(store: Store, seeded: list[Article]) -> None:
    app = app_for(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "ReadScreen"
        await pilot.press("1", "escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "LibraryScreen"
        # counts refreshed on the way back
        assert sum(s.total for s in app.screen.summaries) == 1  # type: ignore[attr-defined]
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_list_follows_the_cursor_and_tab_starts_there(
    store: Store, seeded: list[Article]
) -> None:
    article = seeded[0]
    spans = sentences(article, 3)
    app = app_for(store, article)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1", "right_parenthesis", "2", "right_parenthesis", "3")
        await pilot.pause()
        listing = app.screen.query_one(AnnotationList)
        assert listing.highlighted == 2  # the one just tagged
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert listing.highlighted == 1
        await pilot.press("tab", "down", "enter")
        await pilot.pause()
        assert pane_of(app).cursor == spans[2][0]


async def test_list_rows_keep_the_label_colour_on_the_chip_only(
    store: Store, seeded: list[Article]
) -> None:
    article = seeded[0]
    app = app_for(store, article)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1")
        await pilot.pause()
        listing = app.screen.query_one(AnnotationList)
        claim = Color.parse(app.labels_by_name["claim"].color).rich_color
        row = next(s for s in app.screen._compositor.render_strips() if " claim " in s.text)
        chip = [seg for seg in row if seg.text.strip() == "claim"]
        excerpt_word = article.text.split()[0]
        excerpt = [seg for seg in row if excerpt_word in seg.text and seg.style]
        assert chip and chip[0].style.bgcolor == claim
        assert excerpt and all(seg.style.bgcolor != claim for seg in excerpt)
        assert listing.highlighted == 0


@pytest.mark.parametrize("compare", [False, True])
async def test_the_footer_keeps_help_in_view_at_80_columns(
    store: Store, seeded: list[Article], compare: bool
) -> None:
    store.add_label("hedge", key="4")
    app = app_for(store, *seeded[: 2 if compare else 1])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.pause()
        footer = screen_text(app).splitlines()[-1]
        assert "? Help" in footer and "Tag" in footer
        await pilot.press("4")  # the keys still tag
        await pilot.pause()
        assert [a[2] for a in live(store, seeded[0])] == ["hedge"]
        await pilot.resize_terminal(*SIZE)  # room again: every label by name
        await pilot.pause()
        await pilot.pause()
        assert "4 hedge" in screen_text(app).splitlines()[-1]


async def test_slash_in_the_read_screen_opens_the_search_prompt(
    store: Store, seeded: list[Article]
) -> None:
    from reader.tui.dialogs.search_prompt import SearchPrompt

    article = seeded[0]
    word = article.text.split()[3]
    async with app_for(store, article).run_test(size=SIZE) as pilot:
        app = pilot.app
        await pilot.press("slash")
        assert isinstance(app.screen, SearchPrompt)  # the panel opened it for the pane
        await pilot.press(*word, "enter")
        await pilot.pause()
        assert not isinstance(app.screen, SearchPrompt)
        pane = pane_of(app)
        assert pane._matches and pane.cursor in pane._matches
        assert article.text[pane.cursor : pane.cursor + len(word)].lower() == word.lower()


async def test_the_header_names_the_author_while_there_is_room(store: Store) -> None:
    article = add_article(store, "Microsoft said the deal is big. Nobody knows.", "Deal news")
    article = store.update_article(article.id, author="Priya \x1b[31mRaman")
    async with app_for(store, article).run_test(size=(140, 30)) as pilot:
        await pilot.pause()
        shown = screen_text(app_of(pilot))
        assert "Deal news  by Priya Raman" in shown and "\x1b" not in shown
    async with app_for(store, article).run_test(size=(50, 30)) as pilot:
        await pilot.pause()
        shown = screen_text(app_of(pilot))
        assert "Deal news" in shown and "Priya" not in shown  # the title keeps the room


def app_of(pilot: object) -> ReaderApp:
    return pilot.app  # type: ignore[attr-defined,no-any-return]
