"""ReadingPane in a tiny App, driven by Pilot: motions, selection, search, mouse."""

from __future__ import annotations

from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding

from reader.models import Annotation, Article, Label
from reader.tui.widgets import ReadingPane, SearchPrompt

LABELS = [
    Label("claim", "1", "#56B4E9", "", 1),
    Label("opinion", "2", "#E69F00", "", 2),
    Label("speculation", "3", "#CC79A7", "", 3),
]

TEXT = (
    "The deal was signed. Mr. Smith said the U.S. market grew by $6.6 billion.\n\n"
    "Second paragraph starts here. It has two sentences.\n\n"
    "Third paragraph with a café and 中文 and 👨\u200d👩\u200d👧 emoji."
)


def annotation(aid: str, start: int, end: int, label: str, text: str = TEXT) -> Annotation:
    return Annotation(
        aid, "a1", start, end, text[start:end], "", "", label, None, "t", "now", "now"
    )


class PaneApp(App):
    BINDINGS = [Binding("escape", "back", "Back")]  # noqa: RUF012

    def __init__(self, text: str = TEXT, annotations: list[Annotation] | None = None) -> None:
        super().__init__()
        self.article = Article("a1", "Title", text)
        self.annotations = annotations or []
        self.moves: list[ReadingPane.CursorMoved] = []
        self.backs = 0

    def compose(self) -> ComposeResult:
        yield ReadingPane(self.article, self.annotations, LABELS, id="pane")

    def on_reading_pane_cursor_moved(self, message: ReadingPane.CursorMoved) -> None:
        self.moves.append(message)

    def action_back(self) -> None:
        self.backs += 1


def pane_of(app: App) -> ReadingPane:
    return app.query_one(ReadingPane)


async def test_character_and_row_motions():
    app = PaneApp()
    async with app.run_test(size=(60, 20)) as pilot:
        pane = pane_of(app)
        assert pane.has_focus and pane.cursor == 0
        await pilot.press("l", "l", "right")
        assert pane.cursor == 3
        await pilot.press("h", "left")
        assert pane.cursor == 1
        await pilot.press("j")
        y0, _c0 = pane._wrap.to_screen(1)
        y1, c1 = pane._wrap.to_screen(pane.cursor)
        assert (y1, c1) == (y0 + 1, 1)  # next visual row, same column
        await pilot.press("k")
        assert pane.cursor == 1
        await pilot.press("up")  # no row above: the start, like less
        assert pane.cursor == 0
        await pilot.press("down", "down", "down")  # crosses the blank row
        assert pane.cursor >= TEXT.index("Second")


async def test_vertical_moves_keep_the_goal_column():
    text = "abcdefghij klmnop\n\nxy\n\nabcdefghijklm"
    app = PaneApp(text)
    async with app.run_test(size=(30, 12)) as pilot:
        pane = pane_of(app)
        pane.move_cursor(8)
        await pilot.press("j")
        assert pane.cursor == text.index("xy") + 2  # short row: its end
        await pilot.press("j")
        assert pane.cursor == text.index("abcdefghijklm") + 8  # the column comes back


async def test_word_sentence_paragraph_motions():
    app = PaneApp()
    async with app.run_test(size=(60, 20)) as pilot:
        pane = pane_of(app)
        await pilot.press("w")
        assert pane.cursor == TEXT.index("deal")
        await pilot.press("b")
        assert pane.cursor == 0
        await pilot.press("right_parenthesis")
        assert pane.cursor == TEXT.index("Mr.")
        await pilot.press("right_parenthesis")
        assert pane.cursor == TEXT.index("Second")  # "U.S." and "$6.6" do not end it
        await pilot.press("left_parenthesis")
        assert pane.cursor == TEXT.index("Mr.")
        await pilot.press("right_curly_bracket", "right_curly_bracket")
        assert pane.cursor == TEXT.index("Third")
        await pilot.press("left_curly_bracket")
        assert pane.cursor == TEXT.index("Second")


async def test_top_bottom_home_end_and_pages():
    text = "\n\n".join(f"Paragraph {i} " + "word " * 30 for i in range(60))
    app = PaneApp(text)
    async with app.run_test(size=(50, 20)) as pilot:
        pane = pane_of(app)
        await pilot.press("G")
        assert pane.cursor == len(text) and pane.scroll_y > 0  # after the trailing space
        await pilot.press("g")
        assert pane.cursor == 0 and pane.scroll_y == 0
        await pilot.press("end")
        row_end = pane.cursor
        assert 0 < row_end < text.index("\n")
        assert pane._wrap.to_screen(row_end)[0] == 0
        await pilot.press("home")
        assert pane.cursor == 0
        await pilot.press("pagedown")
        assert pane.scroll_y > 0
        first_page = pane.cursor
        await pilot.press("space")
        assert pane.cursor > first_page
        assert _cursor_visible(pane)
        await pilot.press("pageup", "pageup")
        assert pane.scroll_y == 0


def _cursor_visible(pane: ReadingPane) -> bool:
    y = pane._wrap.row_of(pane.cursor)
    top = round(pane.scroll_y)
    return top <= y < top + pane.scrollable_content_region.height


async def test_shift_motions_extend_the_selection_and_plain_ones_clear_it():
    app = PaneApp()
    async with app.run_test(size=(60, 20)) as pilot:
        pane = pane_of(app)
        await pilot.press("shift+right", "shift+right", "shift+right")
        assert pane.selection == (0, 3)
        await pilot.press("W", "W")
        assert pane.selection == (0, TEXT.index("was"))
        await pilot.press("shift+left")
        assert pane.selection == (0, TEXT.index("was") - 1)
        await pilot.press("J")
        assert pane.selection is not None and pane.selection[1] > TEXT.index("was")
        await pilot.press("K")  # back up: the same column
        assert pane.selection == (0, TEXT.index("was") - 1)
        await pilot.press("shift+end")
        assert pane.selection is not None
        await pilot.press("l")
        assert pane.selection is None


async def test_v_mode_and_s_and_escape():
    app = PaneApp()
    async with app.run_test(size=(60, 20)) as pilot:
        pane = pane_of(app)
        await pilot.press("v", "w", "w")
        assert pane.selection == (0, TEXT.index("was"))
        await pilot.press("v")  # stop extending; the selection stays for tagging
        assert pane.selection == (0, TEXT.index("was"))
        await pilot.press("escape")
        assert pane.selection is None and app.backs == 0
        await pilot.press("escape")  # nothing to clear: the screen's escape runs
        assert app.backs == 1
        pane.move_cursor(TEXT.index("Smith"))
        await pilot.press("s")
        start = TEXT.index("Mr.")
        assert pane.selection == (start, TEXT.index("\n"))
        assert pane.target_span() == pane.selection
        pane.clear_selection()
        assert pane.target_span() == (start, TEXT.index("\n"))


async def test_selection_never_splits_a_grapheme():
    app = PaneApp()
    async with app.run_test(size=(60, 20)) as pilot:
        pane = pane_of(app)
        family = TEXT.index("👨")
        pane.move_cursor(family + 2)  # inside the ZWJ sequence: snapped back
        assert pane.cursor == family
        await pilot.press("shift+right")
        assert pane.selection == (family, family + len("👨\u200d👩\u200d👧"))
        pane.move_cursor(TEXT.index("café") + 3)
        await pilot.press("shift+right")
        assert TEXT[slice(*pane.selection)] == "é"


async def test_annotation_jumps_and_cursor_messages():
    first = annotation("a", TEXT.index("Mr."), TEXT.index("\n"), "claim")
    second = annotation("b", TEXT.index("It has"), TEXT.index("It has") + 6, "opinion")
    app = PaneApp(annotations=[second, first])
    async with app.run_test(size=(60, 20)) as pilot:
        pane = pane_of(app)
        await pilot.press("right_square_bracket")
        assert pane.cursor == first.start
        await pilot.pause()
        last = app.moves[-1]
        assert last.offset == first.start and last.control is pane
        assert [a.id for a in last.annotations] == ["a"]
        await pilot.press("right_square_bracket")
        assert pane.cursor == second.start
        await pilot.press("right_square_bracket")  # no more: stays
        assert pane.cursor == second.start
        await pilot.press("left_square_bracket")
        assert pane.cursor == first.start
        assert [a.id for a in pane.annotations_at(second.start)] == ["b"]
        assert pane.annotations_at(0) == []


async def test_set_annotations_repaints_and_drops_deleted():
    app = PaneApp()
    async with app.run_test(size=(60, 20)) as pilot:
        pane = pane_of(app)
        a = annotation("a", 0, 8, "claim")
        pane.set_annotations([a])
        await pilot.pause()
        assert [x.id for x in pane.annotations_at(2)] == ["a"]
        gone = Annotation(**{**a.as_dict(), "deleted_at": "later"})
        pane.set_annotations([gone])
        assert pane.annotations_at(2) == []


async def test_search_highlights_and_n_N_jump():
    app = PaneApp()
    async with app.run_test(size=(60, 20)) as pilot:
        pane = pane_of(app)
        await pilot.press("slash")
        assert isinstance(app.screen, SearchPrompt)
        await pilot.press(*"PARAGRAPH", "enter")
        await pilot.pause()
        assert not isinstance(app.screen, SearchPrompt)
        assert pane.cursor == TEXT.index("paragraph")
        await pilot.press("n")
        assert pane.cursor == TEXT.index("paragraph with")
        await pilot.press("n")  # wraps around
        assert pane.cursor == TEXT.index("paragraph")
        await pilot.press("N")
        assert pane.cursor == TEXT.index("paragraph with")
        assert pane.search("nothing like this") == 0
        assert pane.search("the") == 2
        await pilot.press("escape")  # clears the highlight first
        assert app.backs == 0 and pane._matches == []


async def test_click_drag_and_wheel():
    text = "\n\n".join(f"Paragraph {i} " + "word " * 30 for i in range(40))
    app = PaneApp(text)
    async with app.run_test(size=(60, 20)) as pilot:
        pane = pane_of(app)
        x0 = pane._x0
        await pilot.click(ReadingPane, offset=(x0 + 4, 0))
        assert pane.cursor == 4 and pane.selection is None
        await pilot.mouse_down(ReadingPane, offset=(x0 + 1, 0))
        await pilot.hover(ReadingPane, offset=(x0 + 6, 2))
        await pilot.mouse_up(ReadingPane, offset=(x0 + 6, 2))
        sel = pane.selection
        assert sel is not None and sel[0] == 1
        assert pane._wrap.to_screen(sel[1]) == (2, 6)
        # Pilot has no wheel helper; post the wheel events the driver would
        await pilot._post_mouse_events([events.MouseScrollDown], ReadingPane, offset=(10, 5))
        await pilot.pause()
        assert pane.scroll_y > 0


async def test_resize_keeps_the_cursor_visible():
    text = "\n\n".join(f"Paragraph {i} " + "word " * 40 for i in range(80))
    app = PaneApp(text)
    async with app.run_test(size=(100, 20)) as pilot:
        pane = pane_of(app)
        target = text.index("Paragraph 40")
        pane.move_cursor(target, center=True)
        await pilot.pause()
        assert _cursor_visible(pane)
        await pilot.resize_terminal(40, 15)
        await pilot.pause()
        assert pane._wrap.width == 40 - 1 - 0 or pane._wrap.width < 40
        assert _cursor_visible(pane)
        assert pane.cursor == target
        await pilot.resize_terminal(120, 30)
        await pilot.pause()
        assert _cursor_visible(pane)


async def test_top_offset_and_scroll_to_offset():
    text = "\n\n".join(f"Paragraph {i} " + "word " * 30 for i in range(40))
    app = PaneApp(text)
    async with app.run_test(size=(60, 20)) as pilot:
        pane = pane_of(app)
        target = text.index("Paragraph 20")
        pane.scroll_to_offset(target)
        await pilot.pause()
        assert pane.top_offset == target


async def test_markup_and_control_characters_are_shown_as_text():
    text = "[bold]not bold[/bold] \x1b[31m and a\ttab"
    app = PaneApp(text)
    async with app.run_test(size=(60, 10)) as pilot:
        pane = pane_of(app)
        await pilot.pause()
        line = pane.render_line(0).text
        assert "[bold]not bold[/bold]" in line
        assert "\x1b" not in line and "\ufffd[31m" in line and "a    tab" in line
