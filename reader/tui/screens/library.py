"""The library: every article with its counts per label; filter, search, open, compare."""

from __future__ import annotations

from typing import ClassVar, cast

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from reader.errors import ReaderError
from reader.models import ArticleSummary, SearchHit
from reader.text.sanitize import clean_line
from reader.tui.context import reader_app
from reader.tui.display import database_text, label_style
from reader.tui.screens import library_columns as columns
from reader.tui.widgets.article_table import ArticleTable
from reader.tui.widgets.footer import ReaderFooter, mount_footer_later
from reader.tui.widgets.status_line import StatusLine

_FIXED_WIDTHS = {
    "mark": 1,
    "source": 12,
    "date": 10,
    "words": 6,
    "total": 5,
    "progress": 4,
    "status": 4,
}
_WIDE = 110  # columns from which the table shows a column per label and a total
_MIN_TITLE = 30  # narrower than this, the date column makes way for the title
# A library of more articles than this shows the first FIRST_SCREEN_ROWS (by
# title) at its first showing and the rest a frame later.
FIRST_SCREEN_FROM = 2_000
FIRST_SCREEN_ROWS = 100
_MIN_WIDE_TITLE = 30  # a column per label only while the title keeps this much


class QueryInput(Input):
    """The filter and search fields: escape leaves the field (clearing it)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "leave", "Back to the list"),
        Binding("down", "leave_keep", "To the list", show=False),
    ]

    def action_leave(self) -> None:
        self.value = ""
        cast("LibraryScreen", self.screen).leave_query(self)

    def action_leave_keep(self) -> None:
        cast("LibraryScreen", self.screen).leave_query(self, keep=True)


class LibraryScreen(Screen[None]):
    """The first screen: pick articles."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open", show=False),
        Binding("space", "mark", "Mark"),
        Binding("c", "compare", "Compare"),
        Binding("slash", "filter", "Filter", key_display="/"),
        Binding("s", "search", "Search"),
        Binding("m", "edit", "Edit"),
        # in `?` and the palette: the footer is full at 80 columns
        Binding("a", "annotations", "Annotations", show=False),
        Binding("d,delete", "delete", "Delete"),
        Binding("D", "done", "Done", show=False),
        Binding("r", "review", "Review", show=False),
        Binding("o", "sort", "Sort", show=False),
        Binding("escape", "back", "Back", show=False),
        Binding("q", "quit_app", "Quit", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.summaries: list[ArticleSummary] = []
        self.marked: list[str] = []  # in marking order: the first is shown left
        self.hits: list[SearchHit] = []
        self.work: columns.Work = {}  # status and progress per article
        self.sort = "title"
        self.reverse = False
        self._filled_width = -1
        self._built = False  # its widgets composed (not yet under an article opened at start)
        self._partial: tuple[int, int] | None = None  # (articles, most words) while loading

    def compose(self) -> ComposeResult:
        if reader_app(self).open_ids and not self._built:
            # `reader open`: an article is pushed over the library at start; the
            # library is built when the reader first comes back to it
            return
        self._built = True
        yield Static(id="library-title", classes="screen-title")
        yield QueryInput(placeholder="/ filter titles and sources", id="filter")
        yield ArticleTable(id="articles", cursor_type="row", zebra_stripes=True)
        yield StatusLine(id="library-status")
        # The footer comes a frame later (see on_mount).

    def on_mount(self) -> None:
        if self._built:
            self._set_up()

    def _set_up(self) -> None:
        app = reader_app(self)
        title = Text("reader", style="bold")
        title.append("  library", style="bold")
        title.append(
            f"  ·  {database_text(app.store.path, app.store.read_only)}  ·  {app.annotator}"
        )
        self.query_one("#library-title", Static).update(title)
        self.query_one(ArticleTable).focus()

    async def on_screen_resume(self) -> None:
        if self.app.screen is not self:
            return  # under an article opened at start: nothing to show yet
        if not self._built:
            self._built = True
            await self.recompose()
            self._set_up()
        if not self.query(ReaderFooter):
            mount_footer_later(self)
        # Also the first showing: the table is filled here, once, not on mount too.
        if self.summaries:
            self.refresh_from_store()
        else:
            self.reload(first_screen=True)

    def refresh_from_store(self) -> None:
        """Back from reading, or another process changed things: fresh counts."""
        reader_app(self).reload_labels()
        self.reload()

    def on_resize(self) -> None:
        # Only a new width changes the columns (a terminal sends several resizes
        # while it settles; each refill would repaint the whole table).
        if self._built and self.is_mounted and self.size.width != self._filled_width:
            self.fill_table()

    # -- data -------------------------------------------------------------

    def reload(self, first_screen: bool = False) -> None:
        """Every article from the store; at the first showing of a large library,
        the first screen's first (by title, as the table sorts at start) and the
        rest once that is painted."""
        store = reader_app(self).store
        try:
            total = store.article_count() if first_screen else 0
            if total > FIRST_SCREEN_FROM:
                self.summaries = store.articles(limit=FIRST_SCREEN_ROWS)
                self._partial = (total, store.most_words())
                self.call_after_refresh(self.call_after_refresh, self.reload)
            else:
                self.summaries = store.articles()
                self._partial = None
            self.work = store.work()
        except ReaderError as exc:
            reader_app(self).report(exc)
            return
        ids = {s.id for s in self.summaries}
        self.marked = [i for i in self.marked if i in ids]
        self.fill_table()

    def visible_summaries(self) -> list[ArticleSummary]:
        terms = self.query_one("#filter", Input).value.casefold().split()
        shown = (
            [
                s
                for s in self.summaries
                if all(t in f"{s.title} {s.source or ''}".casefold() for t in terms)
            ]
            if terms
            else self.summaries  # no filter: no pass over 10,000 titles
        )
        return columns.sorted_summaries(shown, self.sort, self.reverse, self.work)

    def fill_table(self) -> None:
        table = self.query_one(ArticleTable)
        current = self.current_id()
        labels = reader_app(self).labels
        # Narrow terminals (80 columns) keep the title readable: the counts share
        # one compact column (`2·0·1`, in the labels' colours), no total.
        # The counts collapse into one compact column (`2·0·1`, no total) on
        # narrow terminals, or where a column per label leaves the title too little.
        narrow = self.size.width < _WIDE
        count_widths, widths = self._layout(narrow)
        if not narrow and self._room(count_widths, widths) < _MIN_WIDE_TITLE:
            narrow = True
            count_widths, widths = self._layout(narrow)
        if narrow and self._room(count_widths, widths) < _MIN_TITLE:
            del widths["date"]  # the title matters more than the date

        def room() -> int:
            return self._room(count_widths, widths)

        title_width = max(room(), 12)
        self._filled_width = self.size.width
        table.clear(columns=True)

        def head(name: str, key: str, justify: str = "left") -> Text:
            return columns.heading(name, key, self.sort, self.reverse, justify)

        table.add_column(Text("•"), key="mark", width=widths["mark"])
        table.add_column(head("Title", "title"), key="title", width=title_width)
        table.add_column(head("Source", "source"), key="source", width=widths["source"])
        if "date" in widths:
            table.add_column(head("Date", "date"), key="date", width=widths["date"])
        table.add_column(head("Words", "words", "right"), key="words", width=widths["words"])
        if narrow:
            heads = "·".join(label.name[0] for label in labels)
            table.add_column(head(heads, "total", "right"), key="counts", width=count_widths[0])
        else:
            for label, width in zip(labels, count_widths, strict=True):
                heading = Text(label.name[:width], style=label_style(label), justify="right")
                table.add_column(heading, key=f"label:{label.name}", width=width)
            table.add_column(head("Total", "total", "right"), key="total", width=widths["total"])
        table.add_column(head("Done", "progress", "right"), key="progress", width=4)
        table.add_column(head("St", "status"), key="status", width=4)
        rows = self.visible_summaries()
        # cells made as rows are drawn: 10,000 articles cost the rows on screen
        table.set_rows(
            [s.id for s in rows], lambda i: self.cells(rows[i], title_width, widths, narrow)
        )
        if current is not None and any(s.id == current for s in rows):
            table.move_cursor(row=table.get_row_index(current), animate=False)
        if not self.searching:  # the search's own status stays while it is shown
            self.show_status(len(rows))

    def _layout(self, narrow: bool) -> tuple[list[int], dict[str, int]]:
        """(widths of the count columns, widths of the other fixed columns)."""
        labels = reader_app(self).labels
        count_widths = (
            [columns.compact_width(self.summaries, labels)]
            if narrow
            else [min(max(len(label.name), 3), 11) for label in labels]
        )
        widths = dict(_FIXED_WIDTHS, source=10 if narrow else _FIXED_WIDTHS["source"])
        # as wide as the longest count ("489,790"), never cut
        if self._partial is None:
            most = max((s.words for s in self.summaries), default=0)
        else:  # as wide as it will be with every article in
            most = self._partial[1]
        longest = len(f"{most:,}") if self.summaries else 0
        widths["words"] = max(widths["words"], longest)
        if narrow:
            del widths["total"]
        return count_widths, widths

    def _room(self, count_widths: list[int], widths: dict[str, int]) -> int:
        """Cells left for the title."""
        fixed = sum(widths.values()) + sum(count_widths)
        # each column has one cell of padding either side; then the scrollbar
        padding = 2 * (len(widths) + 1 + len(count_widths)) + 2
        return self.size.width - fixed - padding

    def cells(
        self, summary: ArticleSummary, title_width: int, widths: dict[str, int], narrow: bool
    ) -> list[Text]:
        labels = reader_app(self).labels
        mark = "●" if summary.id in self.marked else " "
        cells = [
            Text(mark, style="bold"),
            Text(clean_line(summary.title, title_width), no_wrap=True),
            Text(clean_line(summary.source or "", widths["source"]), no_wrap=True),
            *([Text((summary.published or "")[:10])] if "date" in widths else []),
            Text(f"{summary.words:,}", justify="right"),
        ]
        if narrow:
            cells.append(columns.compact_counts(summary, labels))
        else:
            cells.extend(
                Text(str(summary.counts.get(label.name, 0)), justify="right") for label in labels
            )
            cells.append(Text(str(summary.total), justify="right", style="bold"))
        cells.append(columns.progress_cell(summary, self.work))
        cells.append(columns.status_cell(summary, self.work))
        return cells

    def show_status(self, shown: int | None = None, error: str | None = None) -> None:
        status = self.query_one("#library-status", StatusLine)
        if error is not None:
            status.show(Text(error), error=True)
            return
        total = len(self.summaries) if self._partial is None else self._partial[0]
        shown = total if shown is None or self._partial is not None else shown
        if total == 0:
            text = Text("No articles yet. Add some with: reader import PATH")
        else:
            text = Text(f"{shown} of {total} articles" if shown != total else f"{total} articles")
            if self.marked:
                text.append(f"  ·  {len(self.marked)} marked")
                text.append("  (c: side by side)" if len(self.marked) == 2 else "")
            else:
                text.append("  ·  enter reads  ·  space marks two to compare")
        status.show(text)

    def current_id(self) -> str | None:
        table = self.query_one(ArticleTable)
        if table.row_count == 0:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return row_key.value

    def current_summary(self) -> ArticleSummary | None:
        current = self.current_id()
        return next((s for s in self.summaries if s.id == current), None)

    # -- filter and search ------------------------------------------------

    def action_filter(self) -> None:
        self.hide_search()
        self.query_one("#filter", Input).focus()

    @on(Input.Changed, "#filter")
    def filter_changed(self) -> None:
        self.fill_table()

    @on(Input.Submitted, "#filter")
    def filter_submitted(self) -> None:
        self.query_one(ArticleTable).focus()

    def leave_query(self, field: Input, keep: bool = False) -> None:
        if field.id == "search":
            if keep and self.hits:
                self.query_one("#hits", OptionList).focus()
                return
            if not keep:
                self.hide_search()
        self.query_one(ArticleTable).focus()

    @property
    def searching(self) -> bool:
        """Is the full-text search (field and hits) on screen instead of the table?"""
        return bool(self.query("#search")) and self.query_one("#search").display

    async def action_search(self) -> None:
        # Made on first use: the library's start-up paints only what it shows.
        if not self.query("#search"):
            field = QueryInput(placeholder="search the articles' text (FTS5)", id="search")
            await self.mount_all([field, OptionList(id="hits")], after="#filter")
        self.query_one("#articles").display = False
        self.query_one("#filter").display = False
        search = self.query_one("#search", Input)
        search.display = True
        self.query_one("#hits").display = True
        search.focus()

    def hide_search(self) -> None:
        for widget in self.query("#search, #hits"):
            widget.display = False
        self.query_one("#filter").display = True
        self.query_one("#articles").display = True
        self.show_status(len(self.visible_summaries()))

    @on(Input.Changed, "#search")
    def search_changed(self, event: Input.Changed) -> None:
        hits_list = self.query_one("#hits", OptionList)
        try:
            self.hits = reader_app(self).store.search(event.value)
        except ReaderError as exc:
            self.show_status(error=str(exc))
            return
        hits_list.clear_options()
        for index, hit in enumerate(self.hits):
            prompt = Text(clean_line(hit.title, 100), style="bold")
            prompt.append("\n  ")
            prompt.append(clean_line(hit.snippet, 160), style="italic")
            hits_list.add_option(Option(prompt, id=str(index)))
        if self.hits:
            hits_list.highlighted = 0
        count = len(self.hits)
        matched = "1 article matches" if count == 1 else f"{count} articles match"
        status = Text(matched if event.value.strip() else "")
        if self.hits:
            status.append("  ·  enter or down: pick one, enter opens it at the match")
        self.query_one("#library-status", StatusLine).show(status)

    @on(Input.Submitted, "#search")
    def search_submitted(self) -> None:
        if self.hits:
            self.query_one("#hits", OptionList).focus()

    @on(OptionList.OptionSelected, "#hits")
    def hit_chosen(self, event: OptionList.OptionSelected) -> None:
        hit = self.hits[int(event.option.id or 0)]
        reader_app(self).open_article(hit.article_id, offset=hit.offset)

    # -- actions ----------------------------------------------------------

    @on(ArticleTable.RowSelected, "#articles")
    def row_chosen(self, event: ArticleTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        if self.searching and self.focused is self.query_one("#hits"):
            hits = self.query_one("#hits", OptionList)
            if hits.highlighted is not None:
                hit = self.hits[hits.highlighted]
                reader_app(self).open_article(hit.article_id, offset=hit.offset)
            return
        current = self.current_id()
        if current is not None:
            reader_app(self).open_article(current)

    def action_annotations(self) -> None:
        """`a`: every annotation of the workspace, to filter and open at."""
        from reader.tui.screens.annotations import AnnotationsScreen

        self.app.push_screen(AnnotationsScreen())

    def action_mark(self) -> None:
        current = self.current_id()
        if current is None:
            return
        if current in self.marked:
            self.marked.remove(current)
        else:
            self.marked.append(current)
            if len(self.marked) > 2:  # two at most: the oldest mark goes, and says so
                dropped = next((s for s in self.summaries if s.id == self.marked[0]), None)
                title = clean_line(dropped.title, 50) if dropped else self.marked[0]
                self.app.notify(f"Two at most: unmarked “{title}”", markup=False, timeout=4)
            del self.marked[:-2]
        table = self.query_one(ArticleTable)
        row = table.cursor_row
        self.fill_table()
        table.move_cursor(row=min(row + 1, table.row_count - 1), animate=False)

    def action_compare(self) -> None:
        pair = list(self.marked)
        current = self.current_id()
        if len(pair) == 1 and current is not None and current not in pair:
            pair.append(current)
        if len(pair) != 2:
            self.app.notify("Mark two articles with space, then press c.", markup=False)
            return
        self.marked = []  # used: back in the library, nothing is left marked
        reader_app(self).compare(pair[0], pair[1])

    def action_edit(self) -> None:
        from reader.tui.dialogs.metadata import MetadataDialog

        current = self.current_id()
        if current is None:
            return
        store = reader_app(self).store
        try:
            article = store.article(current)
        except ReaderError as exc:
            reader_app(self).report(exc)
            return

        def save(fields: dict[str, str | None]) -> None:
            store.update_article(current, **fields)

        def done(result: object) -> None:
            if result is not None:
                self.reload()
                self.app.notify("Article updated.", markup=False)

        self.app.push_screen(MetadataDialog(article, save), done)

    def action_delete(self) -> None:
        from reader.tui.dialogs.confirm import ConfirmDialog

        summary = self.current_summary()
        if summary is None:
            return
        count = summary.total
        question = Text("Delete the article ")
        question.append(f"“{clean_line(summary.title, 80)}”", style="bold")
        question.append(
            f" and its {count} annotation{'s' if count != 1 else ''}? This cannot be undone."
            if count
            else "? This cannot be undone."
        )

        def done(yes: bool | None) -> None:
            if not yes:
                return
            try:
                reader_app(self).store.delete_article(summary.id)
            except ReaderError as exc:
                reader_app(self).report(exc)
                return
            self.reload()
            self.app.notify(f"Deleted {clean_line(summary.title, 60)}", markup=False)

        self.app.push_screen(ConfirmDialog(question.plain), done)

    def action_back(self) -> None:
        """Escape unwinds: the search, then the filter, then quits."""
        if self.searching:
            self.hide_search()
            self.query_one(ArticleTable).focus()
        elif self.query_one("#filter", Input).value:
            self.query_one("#filter", Input).value = ""
        else:  # the bare library: escape never quits (q and ctrl+q do)
            self.app.notify("q quits", markup=False, timeout=2)

    def action_sort(self, column: str | None = None) -> None:
        """`o` cycles the sort column; a header click sorts by it (again: reversed)."""
        if column is None:
            self.sort, self.reverse = columns.next_sort(self.sort), False
        elif column == self.sort:
            self.reverse = not self.reverse
        else:
            self.sort, self.reverse = column, False
        self.fill_table()
        order = "descending" if self.reverse else "ascending"
        self.app.notify(f"Sorted by {self.sort}, {order}", markup=False, timeout=2)

    @on(ArticleTable.HeaderSelected, "#articles")
    def header_chosen(self, event: ArticleTable.HeaderSelected) -> None:
        column = columns.column_of(str(event.column_key.value))
        if column is not None:
            self.action_sort(column)

    def action_done(self) -> None:
        """`D`: the article under the cursor is done; pressed again, it is not."""
        summary = self.current_summary()
        if summary is None:
            return
        was = columns.status_of(summary, self.work)
        status = "done" if was != "done" else ("in progress" if summary.total else "new")
        try:
            reader_app(self).store.set_status(summary.id, status)
            self.work = reader_app(self).store.work()
        except ReaderError as exc:
            reader_app(self).report(exc)
            return
        self.fill_table()
        self.app.notify(f"{clean_line(summary.title, 50)}: {status}", markup=False, timeout=3)

    def action_review(self) -> None:
        """`r`: adjudicate two annotators of the article under the cursor."""
        current = self.current_id()
        if current is not None:
            reader_app(self).ask_review(current)

    def action_quit_app(self) -> None:
        self.app.exit()
