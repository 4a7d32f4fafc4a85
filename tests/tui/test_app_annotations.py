"""The workspace's annotations screen: from the library, filters, opening at an annotation,
back again, hostile strings, and a list that reads only what it shows."""

from __future__ import annotations

from typing import Any

from reader.models import Annotation, Article
from reader.store import Store
from reader.tui.app import ReaderApp
from reader.tui.screens.annotations import AnnotationsScreen
from reader.tui.widgets.workspace_list import WorkspaceList
from tests.tui.app_support import SIZE, add_article, app_for, screen_text, sentences

LABELS = ("claim", "opinion", "speculation")


def annotate(store: Store, articles: list[Article], per_article: int = 6) -> list[Annotation]:
    made = []
    for article in articles[:3]:
        for i, (start, end) in enumerate(sentences(article, per_article)):
            made.append(
                store.add_annotation(
                    article,
                    start,
                    end,
                    LABELS[i % 3],
                    "ana" if i % 2 else "ben",
                    note="look again" if i == 2 else None,
                )
            )
    return made


async def settle(pilot: Any) -> None:
    """The count runs in a worker: wait for it, then for the screen."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def entries(app: ReaderApp) -> WorkspaceList:
    return app.screen.query_one(WorkspaceList)


def status(app: ReaderApp) -> str:
    return str(app.screen.query_one("#annotations-status").render())


async def test_a_in_the_library_lists_every_annotation(store: Store, seeded: list[Article]) -> None:
    made = annotate(store, seeded)
    app = app_for(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert "Annotations" in screen_text(app)  # the library's keys in `?`
        await pilot.press("escape", "a")
        await settle(pilot)
        assert isinstance(app.screen, AnnotationsScreen)
        listing = entries(app).source
        assert len(listing) == len(made)
        shown = screen_text(app)
        first = listing.rows(0, 1)[0]
        assert first.title[:20] in shown and first.quote[:20] in shown
        assert "✎" in shown and "ana" in shown and "ben" in shown
        assert f"1 of {len(made)} in 3 articles" in status(app)
        # by title, then in reading order inside each article
        rows = listing.rows(0, len(made))
        keys = [(r.title.casefold(), r.article_id, r.start, r.end, r.id) for r in rows]
        assert keys == sorted(keys)
        await pilot.press("q")
        await pilot.pause()
        assert type(app.screen).__name__ == "LibraryScreen"


async def test_label_keys_annotator_and_text_filter(store: Store, seeded: list[Article]) -> None:
    made = annotate(store, seeded)
    app = app_for(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        await settle(pilot)

        def labels_and_annotators() -> set[tuple[str, str]]:
            listing = entries(app).source
            return {(r.label, r.annotator) for r in listing.rows(0, len(listing))}

        await pilot.press("1")  # claims only
        await settle(pilot)
        assert {label for label, _ in labels_and_annotators()} == {"claim"}
        assert len(entries(app).source) == sum(a.label == "claim" for a in made)
        assert "claim" in status(app) and "0 clears" in status(app)
        await pilot.press("a")  # the first annotator (by name): ana
        await settle(pilot)
        assert labels_and_annotators() == {("claim", "ana")}
        await pilot.press("a", "a")  # ben, then everyone again
        await settle(pilot)
        assert {who for _, who in labels_and_annotators()} == {"ana", "ben"}
        await pilot.press("1")  # the same key again: every label
        await settle(pilot)
        assert len(entries(app).source) == len(made)
        # text: what the quotes or notes contain, once typing pauses
        await pilot.press("slash", *"LOOK again")
        await pilot.pause(0.4)
        await settle(pilot)
        noted = [a for a in made if a.note]
        assert {r.id for r in entries(app).source.rows(0, 99)} == {a.id for a in noted}
        assert "“LOOK again”" in status(app)
        await pilot.press("escape")  # clears the field, back to the list
        await settle(pilot)
        assert app.screen.focused is entries(app)
        assert len(entries(app).source) == len(made)
        await pilot.press("2", "slash", *"nothing matches this", "enter")
        await settle(pilot)
        assert len(entries(app).source) == 0
        assert "no annotations pass these filters" in status(app)
        await pilot.press("0")
        await settle(pilot)
        assert len(entries(app).source) == len(made) and "0 clears" not in status(app)


async def test_enter_opens_the_article_at_the_annotation(
    store: Store, seeded: list[Article]
) -> None:
    annotate(store, seeded)
    app = app_for(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("G", "k", "k")
        wanted = entries(app).current
        assert wanted is not None and entries(app).cursor == len(entries(app).source) - 3
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "ReadScreen"
        panel = app.screen.panel  # type: ignore[attr-defined]
        assert panel.article.id == wanted.article_id and panel.pane.cursor == wanted.start
        assert panel.annotation_here().id == wanted.id
        await pilot.press("x", "q")  # delete it there, come back: the list follows
        await settle(pilot)
        assert isinstance(app.screen, AnnotationsScreen)
        listing = entries(app).source
        assert wanted.id not in {r.id for r in listing.rows(0, len(listing))}
        # the cursor stays where the deleted entry was (now its successor)
        assert entries(app).cursor == len(listing) - 2


async def test_hostile_strings_are_shown_as_text(store: Store) -> None:
    article = add_article(
        store, "Plain [bold]words[/] \x1b[31m to tag here.", "[red]Title\x1b]0;x\x07"
    )
    label = store.add_label("h\x1b[2Jed[i]ge", key="4")
    store.add_annotation(article, 0, 20, label.name, "\x1b[31meve[/]", note="[@click=app.quit]x[/]")
    app = app_for(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        await settle(pilot)
        shown = screen_text(app)
        assert "\x1b" not in shown
        assert "[red]Title" in shown and "[bold]words[/]" in shown and "eve[/]" in shown
        assert "hed[i]ge" in shown
        await pilot.press("4")
        await settle(pilot)
        assert len(entries(app).source) == 1
        assert isinstance(app.screen, AnnotationsScreen)  # no markup ran


async def test_the_list_reads_only_the_pages_it_shows(store: Store) -> None:
    """2,000 annotations: the screen has the same widgets as with one, and reads one
    page to show the top and one more at the bottom, not the whole list."""
    article = add_article(store, "word " * 4000, "Many")
    rows = [
        Annotation.over(
            article.text, article.id, 5 * i, 5 * i + 4, id=f"id-{i:05}", label="claim",
            note=None, annotator="ana", created_at="2025-01-01T00:00:00.000000Z",
            updated_at="2025-01-01T00:00:00.000000Z",
        )
        for i in range(2000)
    ]  # fmt: skip
    store.put_annotations(rows)
    app = app_for(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        await settle(pilot)
        widgets = len(list(app.screen.query("*")))
        listing = entries(app).source
        asked: list[tuple[int, int]] = []
        real = listing.rows

        def spy(first: int, count: int) -> list[Any]:
            asked.append((first, count))
            return real(first, count)

        listing.rows = spy  # type: ignore[method-assign]
        entries(app)._pages.clear()
        entries(app)._drawn.clear()
        entries(app).refresh()
        await pilot.pause()
        assert asked == [(0, 64)]
        await pilot.press("G")
        await pilot.pause()
        assert asked[1:] == [(1984, 64)] and len(asked) == 2
        assert "word" in screen_text(app) and "2,000 of 2,000" in status(app)
        assert len(list(app.screen.query("*"))) == widgets  # no widget per entry


async def test_what_another_process_writes_shows(store: Store, seeded: list[Article]) -> None:
    annotate(store, seeded)
    app = app_for(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        await settle(pilot)
        before = len(entries(app).source)
        with Store(store.path) as other:  # a merge or sync in another terminal
            other.add_label("hedge", key="4")
            start, end = sentences(seeded[4], 1)[0]
            other.add_annotation(seeded[4], start, end, "hedge", "cy")
        app.poll_elsewhere()
        await settle(pilot)
        assert len(entries(app).source) == before + 1
        await pilot.press("4")  # the new label's key works at once
        await settle(pilot)
        (row,) = entries(app).source.rows(0, 5)
        assert (row.label, row.annotator) == ("hedge", "cy")


async def test_keys_typed_while_counting_still_move(
    store: Store, seeded: list[Article], monkeypatch: Any
) -> None:
    import threading

    from reader.tui.screens import annotations as screen_module

    annotate(store, seeded)
    release = threading.Event()
    real = screen_module.count_apart

    def slow(*args: Any) -> Any:
        release.wait(5)  # a count of a million rows takes this long
        return real(*args)

    app = app_for(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        await settle(pilot)
        monkeypatch.setattr(screen_module, "count_apart", slow)
        await pilot.press("3", "j", "j")  # before the count of speculations is back
        assert "counting…" in status(app)
        release.set()
        await settle(pilot)
        assert entries(app).cursor == 2
        assert all(r.label == "speculation" for r in entries(app).source.rows(0, 99))
