"""ReadingPane in a tiny App, driven by Pilot: motions, selection, search, mouse."""

from __future__ import annotations

from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding

from reader.models import Annotation, Article, Label, Style
from reader.tui.dialogs.search_prompt import SearchPrompt
from reader.tui.widgets.reading_pane import ReadingPane

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

    def on_reading_pane_search_requested(self, message: ReadingPane.SearchRequested) -> None:
        # what the article panel does: the prompt is a dialog, above the widgets
        self.push_screen(SearchPrompt(message.query), message.pane.searched)

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
        assert pane.selection == (0, TEXT.index("was") - 1)  # no trailing space
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
        assert pane.selection == (0, TEXT.index("was") - 1)  # no trailing space
        await pilot.press("v")  # stop extending; the selection stays for tagging
        assert pane.selection == (0, TEXT.index("was") - 1)  # no trailing space
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
        assert [n.message for n in app._notifications][-1].startswith("2 matches for 'PARAGRAPH'")
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
        assert sel is not None and sel[0] == 0  # a drag takes whole words: "Paragraph"
        assert pane._wrap.to_screen(sel[1])[0] == 2 and text[sel[1]] == " "  # a word's end
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


# -- more motions and selections ---------------------------------------------------

LONG = "\n\n".join(f"Paragraph {i} " + "word " * 30 for i in range(60))


async def test_arrow_rows_and_extending_pages_and_edges():
    app = PaneApp(LONG)
    async with app.run_test(size=(50, 20)) as pilot:
        pane = pane_of(app)
        await pilot.press("down")
        assert pane._wrap.to_screen(pane.cursor) == (1, 0)
        await pilot.press("up")
        assert pane.cursor == 0
        await pilot.press("shift+pagedown")
        sel = pane.selection
        assert sel is not None and sel[0] == 0 and pane.scroll_y > 0
        assert _cursor_visible(pane)
        await pilot.press("shift+pageup")
        assert pane.selection is None  # back where it started: nothing selected
        await pilot.press("l", "l", "shift+end")
        row_end = pane._wrap.row_last(0, 0)
        assert pane.selection == (2, row_end)
        await pilot.press("shift+home")
        assert pane.selection == (0, 2)
        await pilot.press("ctrl+shift+end")
        assert pane.selection == (2, len(LONG))
        await pilot.press("ctrl+shift+home")
        assert pane.selection == (0, 2) and pane.scroll_y == 0
        await pilot.press("w", "w", "B")
        assert pane.selection == (LONG.index("0 word"), LONG.index("word") - 1)


async def test_v_mode_extends_with_every_motion():
    app = PaneApp()
    async with app.run_test(size=(60, 20)) as pilot:
        pane = pane_of(app)
        await pilot.press("v", "right_parenthesis")
        assert pane.selection == (0, TEXT.index("Mr.") - 1)  # no trailing space
        await pilot.press("right_curly_bracket")
        assert pane.selection == (0, TEXT.index("\n\nSecond"))  # the paragraph, no breaks
        await pilot.press("j")
        assert pane.selection[1] > TEXT.index("Second")
        await pilot.press("G")
        assert pane.selection == (0, len(TEXT))
        await pilot.press("g")
        assert pane.selection is None and pane._visual  # still extending from 0
        await pilot.press("l")
        assert pane.selection == (0, 1)
        await pilot.press("v", "l")  # v again stops extending; a plain motion clears
        assert pane.selection is None


async def test_shift_click_extends_and_clicks_on_blank_rows_and_margins():
    app = PaneApp()
    async with app.run_test(size=(60, 20)) as pilot:
        pane = pane_of(app)
        x0 = pane._x0
        await pilot.click(ReadingPane, offset=(x0 + 4, 0))
        await pilot.click(ReadingPane, offset=(x0 + 8, 0), shift=True)
        assert pane.selection == (4, 8)
        end = TEXT.index("\n")
        blank = pane._wrap.row_of(end) + 1
        await pilot.click(ReadingPane, offset=(x0 + 3, blank))  # the blank row
        assert pane.cursor == end and pane.selection is None
        await pilot.click(ReadingPane, offset=(0, 0))  # the left margin: the row start
        assert pane.cursor == 0
        await pilot.click(ReadingPane, offset=(x0 + 3, 19))  # below the text: its end
        assert pane.cursor == len(TEXT)


async def test_drag_past_the_bottom_scrolls_and_the_wheel_goes_both_ways():
    app = PaneApp(LONG)
    async with app.run_test(size=(60, 20)) as pilot:
        pane = pane_of(app)
        pane.styles.height = 10
        await pilot.pause()
        x0 = pane._x0
        await pilot.mouse_down(ReadingPane, offset=(x0, 0))
        await pilot.hover(ReadingPane, offset=(x0 + 2, 15))  # below the pane
        await pilot.mouse_up(ReadingPane, offset=(x0 + 2, 15))
        assert pane.selection is not None and pane.selection[0] == 0
        assert pane.scroll_y > 0 and _cursor_visible(pane)
        pane.move_cursor(0)
        await pilot.pause()
        for _ in range(3):
            await pilot._post_mouse_events([events.MouseScrollDown], ReadingPane, offset=(10, 5))
        await pilot.pause()
        down = pane.scroll_y
        assert down > 0 and pane.cursor == 0  # the wheel scrolls, the cursor stays
        await pilot._post_mouse_events([events.MouseScrollUp], ReadingPane, offset=(10, 5))
        await pilot.pause()
        assert pane.scroll_y < down


# -- what is drawn -------------------------------------------------------------------


def _cells(strip) -> list[tuple[str, object]]:
    """(character, style) per cell of a strip (a wide character, then "")."""
    import regex
    from rich.cells import cell_len

    cells: list[tuple[str, object]] = []
    for segment in strip:
        for grapheme in regex.findall(r"\X", segment.text):
            cells.append((grapheme, segment.style))
            cells.extend([("", segment.style)] * (cell_len(grapheme) - 1))
    return cells


async def test_overlapping_annotations_show_every_label_and_the_selection_on_top():
    claim = annotation("a", 0, TEXT.index("Mr."), "claim")
    opinion = annotation("b", TEXT.index("was"), TEXT.index("Smith"), "opinion")
    app = PaneApp(annotations=[claim, opinion])
    async with app.run_test(size=(60, 20)) as pilot:
        pane = pane_of(app)
        x0 = pane._x0
        cells = _cells(pane.render_line(0))
        deal = cells[x0 + TEXT.index("deal")][1]
        both = cells[x0 + TEXT.index("was")][1]
        only_opinion = cells[x0 + TEXT.index("Mr.")][1]
        plain = cells[x0 + TEXT.index("said")][1]
        assert deal.underline and not deal.underline2
        assert both.underline and both.underline2  # both cues where they overlap
        assert only_opinion.underline2 and not only_opinion.underline
        assert deal.bgcolor != plain.bgcolor and only_opinion.bgcolor != deal.bgcolor
        assert both.bgcolor == only_opinion.bgcolor  # the inner span's tint on top
        row = "".join(ch for ch, _ in cells).rstrip()
        assert row.endswith("CO")  # the gutter names both labels
        await pilot.press("l", "shift+right", "shift+right")
        cells = _cells(pane.render_line(0))
        selected = cells[x0 + 1][1]
        assert selected.bgcolor not in (deal.bgcolor, plain.bgcolor)
        assert selected.underline  # the annotation's cue still shows under it
        cursor = cells[x0 + 3][1]
        assert cursor.reverse


async def test_styles_headings_emphasis_code_and_links():
    text = "A heading\n\nSome emphasis, strong words, code() and a link here."
    article = Article(
        "s1",
        "T",
        text,
        styles=[
            Style(0, 9, "heading", 1),
            Style(text.index("emphasis"), text.index("emphasis") + 8, "em"),
            Style(text.index("strong"), text.index("strong") + 6, "strong"),
            Style(text.index("code()"), text.index("code()") + 6, "code"),
            Style(text.index("link"), text.index("link") + 4, "link", "https://example.com"),
        ],
    )
    app = PaneApp(text)
    app.article = article
    async with app.run_test(size=(70, 10)) as pilot:
        pane = pane_of(app)
        await pilot.press("j")  # the cursor off the heading
        x0 = pane._x0
        heading = _cells(pane.render_line(0))[x0 + 2][1]
        body = _cells(pane.render_line(2))
        base = len("\n\n") + len("A heading")

        def style(word: str):
            return body[x0 + text.index(word) - base][1]

        assert heading.bold
        assert style("emphasis").italic and not style("Some").italic
        assert style("strong").bold
        assert style("code()").bgcolor != style("Some").bgcolor
        assert style("link").underline and not style("and").underline


async def test_search_matches_are_highlighted():
    app = PaneApp()
    async with app.run_test(size=(60, 20)) as pilot:
        pane = pane_of(app)
        assert pane.search("paragraph") == 2
        await pilot.pause()
        y = pane._wrap.row_of(TEXT.index("Second"))
        cells = _cells(pane.render_line(y - round(pane.scroll_y)))
        x = pane._x0 + TEXT.index("paragraph") - TEXT.index("Second")
        hit, before = cells[x + 1][1], cells[x - 2][1]
        assert hit.bgcolor != before.bgcolor
        pane.search("")
        cells = _cells(pane.render_line(y - round(pane.scroll_y)))
        assert cells[x + 1][1].bgcolor == before.bgcolor


async def test_wide_characters_emoji_and_invisible_ones_take_their_cells():
    family = "👨\u200d👩\u200d👧"
    text = f"中文 {family} e\u0301 a\u200bb 🇫🇷!"
    app = PaneApp(text)
    async with app.run_test(size=(60, 10)) as pilot:
        pane = pane_of(app)
        x0 = pane._x0
        cells = _cells(pane.render_line(0))
        shown = [ch for ch, _ in cells[x0:]]
        assert shown[:3] == ["中", "", "文"]
        assert shown[5] == family and shown[6] == ""
        assert shown[8] == "e\u0301"
        assert shown[10:13] == ["a", "·", "b"]  # a zero-width space gets a visible cell
        assert shown[14:16] == ["🇫🇷", ""] and shown[16] == "!"
        # the cursor covers the whole wide cluster, and motions step over it
        await pilot.press("right", "right", "right")
        assert pane.cursor == text.index(family)
        cells = _cells(pane.render_line(0))
        assert cells[x0 + 5][1].reverse and cells[x0 + 6][1].reverse
        await pilot.press("right")
        assert pane.cursor == text.index(family) + len(family)


async def test_opening_and_resizing_a_long_text_wraps_only_what_is_shown():
    text = "\n\n".join(f"Paragraph {i}. " + "Some words in a sentence. " * 20 for i in range(4000))
    app = PaneApp(text)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = pane_of(app)
        layout = pane._geometry
        assert len(layout) == 4000
        assert len(pane._wrap._rows) < 20
        await pilot.press("G")
        assert pane.cursor == len(text) and _cursor_visible(pane)
        await pilot.resize_terminal(60, 20)
        await pilot.pause()
        assert len(pane._wrap._rows) < 20  # the new width wrapped the screen only
        assert _cursor_visible(pane)
        await pilot.press("g")
        assert pane.cursor == 0 and pane.scroll_y == 0


async def test_a_shorter_pane_keeps_the_cursor_in_view():
    app = PaneApp(LONG)
    async with app.run_test(size=(60, 30)) as pilot:
        pane = pane_of(app)
        pane.move_cursor(pane._wrap.from_screen(25, 0))
        await pilot.pause()
        assert pane.scroll_y == 0
        await pilot.resize_terminal(60, 12)
        await pilot.pause()
        assert _cursor_visible(pane)


async def test_empty_and_blank_articles_take_every_key():
    for text in ("", "  \n\n "):
        app = PaneApp(text)
        async with app.run_test(size=(40, 10)) as pilot:
            pane = pane_of(app)
            await pilot.press(*"jkhlwb", "G", "g", "s", "v", "J", "pagedown", "end", "home")
            await pilot.press("right_parenthesis", "right_curly_bracket", "left_curly_bracket")
            assert pane.cursor == 0 and pane.selection is None
            assert pane.target_span() is None
            assert pane.render_line(0).text.strip() == ""


async def test_a_selection_over_rows_and_paragraphs_is_drawn_on_each_row():
    app = PaneApp()
    async with app.run_test(size=(60, 20)) as pilot:
        pane = pane_of(app)
        x0 = pane._x0
        plain = _cells(pane.render_line(0))[x0 + 1][1].bgcolor
        pane.move_cursor(TEXT.index("Mr."))
        pane.move_cursor(TEXT.index("has two"), select=True)
        await pilot.pause()
        rows = [_cells(pane.render_line(y)) for y in range(4)]
        end_row, end_cell = pane._wrap.to_screen(TEXT.index("\n"))
        assert end_row == 1

        def selected(y: int, x: int) -> bool:
            style = rows[y][x0 + x][1]
            return style.bgcolor != plain and not style.reverse

        assert not selected(0, TEXT.index("Mr.") - 1) and selected(0, TEXT.index("Mr."))
        assert selected(1, 0) and selected(1, end_cell)  # the paragraph's end, one cell
        assert not selected(1, end_cell + 1)
        assert not selected(2, 0)  # the blank row between paragraphs
        start = TEXT.index("Second")
        assert selected(3, 0) and selected(3, TEXT.index("has two") - start - 1)
        assert rows[3][x0 + TEXT.index("has two") - start][1].reverse  # the cursor
