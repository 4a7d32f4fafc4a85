"""The reader app: library, read and compare screens over one Store.

Start-up is kept light: this module imports only what the library needs to
paint; the reading pane (and the sentence splitter behind it), the dialogs and
the other screens are imported the first time they are opened.
"""

from __future__ import annotations

import gc
import re
import time
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.command import DiscoveryHit, Hit, Hits
from textual.content import Content
from textual.screen import Screen
from textual.system_commands import SystemCommandsProvider

from reader.errors import ReaderError
from reader.models import Label
from reader.paths import exports_dir
from reader.store import Store

if TYPE_CHECKING:
    from reader.tui.screens.library import LibraryScreen

LIGHT_THEME = "textual-light"
DARK_THEME = "textual-dark"
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def export_path(db_path: Path, annotator: str, now: datetime | None = None) -> Path:
    """`<folder of the database>/<annotator>-<UTC timestamp>.jsonl`, never an existing file."""
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    name = _UNSAFE_NAME.sub("_", annotator).strip("._") or "annotations"
    folder = exports_dir(db_path)
    path = folder / f"{name}-{stamp}.jsonl"
    n = 2
    while path.exists():
        path = folder / f"{name}-{stamp}-{n}.jsonl"
        n += 1
    return path


class PlainCommands(SystemCommandsProvider):
    """The palette's commands as plain Content: a label named `[@click=app.quit]x[/]`
    is shown as those characters (Textual's own provider parses names as markup)."""

    async def discover(self) -> Hits:
        commands = sorted(self.app.get_system_commands(self.screen), key=lambda c: c[0])
        for name, help_text, callback, discover in commands:
            if discover:
                yield DiscoveryHit(Content(name), callback, text=name, help=Content(help_text))  # type: ignore[arg-type]

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback, *_ in self.app.get_system_commands(self.screen):
            if (match := matcher.match(name)) > 0:
                shown = Content(name)
                _, offsets = matcher.fuzzy_search.match(matcher.query, name)
                for offset in offsets:
                    if not name[offset].isspace():
                        shown = shown.stylize(matcher.match_style, offset, offset + 1)
                yield Hit(match, shown, callback, text=name, help=Content(help_text))  # type: ignore[arg-type]


class ReaderApp(App[None]):
    """One store, one annotator; the library underneath everything."""

    CSS_PATH = "app.tcss"
    COMMANDS: ClassVar[set[Any]] = {PlainCommands}
    TITLE = "reader"
    POLL_SECONDS = 2.0  # how often to look for another process's writes
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("e", "export", "Export"),
        Binding("t", "toggle_theme", "Light/dark", show=False),
        # not L: shift+l extends the selection in the reading pane
        Binding("ctrl+l", "labels", "Labels", show=False),
    ]

    def __init__(
        self,
        store: Store,
        annotator: str,
        open_ids: Sequence[str] = (),
        review: tuple[str, str, str, str] | None = None,
    ) -> None:
        super().__init__()
        self.store = store
        self.annotator = annotator
        self.open_ids = list(open_ids)
        self.start_review = review  # (article id, a, b, gold): `reader review`
        self.labels: list[Label] = []
        self.reload_labels()
        self._data_version: int | None = None
        self.changed_elsewhere()  # the baseline
        self._restore_theme()

    def _restore_theme(self) -> None:
        """The theme last chosen with `t` (kept in the database's settings)."""
        try:
            theme = self.store.setting("theme")
        except ReaderError:
            return
        if theme in (LIGHT_THEME, DARK_THEME):
            self.theme = theme

    last_key = 0.0  # time.perf_counter of the last key: the footer waits for a pause

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key):
            self.last_key = time.perf_counter()
        await super().on_event(event)

    # -- start ------------------------------------------------------------

    def get_default_screen(self) -> LibraryScreen:
        from reader.tui.screens.library import LibraryScreen

        return LibraryScreen()

    def on_mount(self) -> None:
        # Terminals (tmux by default) often send no focus events: look for another
        # process's writes now and then too. One PRAGMA, nothing when unchanged.
        self.set_interval(self.POLL_SECONDS, self.poll_elsewhere)
        # What start-up built (Textual, the modules, the first screen) lives as long as
        # the app: frozen, a full collection no longer walks it (15-35 ms otherwise,
        # long enough to hold a key past its budget).
        self.call_after_refresh(gc.freeze)
        if len(self.open_ids) == 1:
            self.open_article(self.open_ids[0])
        elif len(self.open_ids) >= 2:
            self.compare(self.open_ids[0], self.open_ids[1])
        if self.start_review is not None:
            self.review(*self.start_review)

    def changed_elsewhere(self) -> bool:
        """Has another connection (another `reader`, `reader labels add`) written to
        the database since the last call? SQLite's data_version says so cheaply,
        so coming back to a screen repaints only when there is something new."""
        try:
            version = self.store.data_version()
        except ReaderError:
            return True  # cannot tell: reload, and let the reload report the error
        changed = version != self._data_version
        self._data_version = version
        return changed

    def on_app_focus(self) -> None:
        """Back in this terminal: show what another `reader` may have written."""
        self.poll_elsewhere()

    def poll_elsewhere(self) -> None:
        # Only a screen that can refresh consumes the change: under a dialog it
        # waits, and the screen's resume picks it up. None while the app closes.
        if not self.screen_stack:
            return
        refresh = getattr(self.screen, "refresh_from_store", None)
        if refresh is not None and self.changed_elsewhere():
            refresh()

    # -- shared state -----------------------------------------------------

    def reload_labels(self) -> None:
        """Labels may be added by `reader labels add` while the app runs."""
        try:
            self.labels = self.store.labels()
        except ReaderError as exc:
            self.report(exc)

    @property
    def labels_by_name(self) -> dict[str, Label]:
        return {label.name: label for label in self.labels}

    def report(self, exc: BaseException) -> None:
        """A user-facing failure: one line, never markup, nothing pretended saved."""
        self.bell()
        self.notify(
            str(exc),
            title="Not saved" if _is_store(exc) else "",
            severity="error",
            markup=False,
            timeout=8,
        )

    # -- navigation -------------------------------------------------------

    def open_article(self, article_id: str, offset: int | None = None) -> None:
        from reader.tui.screens.read import ReadScreen

        try:
            article = self.store.article(article_id)
        except ReaderError as exc:
            self.report(exc)
            return
        self.push_screen(ReadScreen(article, offset=offset))

    def compare(self, first_id: str, second_id: str) -> None:
        from reader.tui.screens.compare import CompareScreen

        try:
            articles = (self.store.article(first_id), self.store.article(second_id))
        except ReaderError as exc:
            self.report(exc)
            return
        self.push_screen(CompareScreen(*articles))

    def review(self, article_id: str, a: str, b: str, gold: str) -> None:
        """Adjudicate a's and b's annotations of the article into gold's."""
        from reader.review import Review
        from reader.tui.screens.review import ReviewScreen

        try:
            review = Review(self.store, article_id, a, b, gold)
        except ReaderError as exc:
            self.report(exc)
            return
        self.push_screen(ReviewScreen(review))

    def ask_review(self, article_id: str) -> None:
        """Ask which two of the article's annotators to adjudicate, then review."""
        from reader.review import GOLD, annotators_of, check_pair
        from reader.tui.dialogs.review import Pair, ReviewDialog

        try:
            article = self.store.article(article_id)
            found = annotators_of(self.store, article_id)
        except ReaderError as exc:
            self.report(exc)
            return
        if len(found) < 2:
            names = ", ".join(name for name, _ in found) or "nobody"
            self.notify(
                f"A review needs two annotators of this article (annotated by: {names})",
                markup=False,
            )
            return

        def check(a: str, b: str, gold: str) -> None:
            check_pair(self.store, article, a, b, gold)

        def chosen(pair: Pair | None) -> None:
            if pair is not None:
                self.review(article_id, *pair)

        self.push_screen(ReviewDialog(article.title, found, check, GOLD), chosen)

    # -- actions everywhere -----------------------------------------------

    def action_help(self) -> None:
        from reader.tui.dialogs.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.pop_screen()
            return
        self.push_screen(HelpScreen(self.screen))

    def action_export(self) -> None:
        """Every annotation of the workspace, to a new file beside the database."""
        from reader.exporting import export_to_file

        try:
            path = export_path(self.store.path, self.annotator)
            count = export_to_file(self.store, path)
        except (ReaderError, OSError) as exc:
            self.report(exc)
            return
        from reader.text.sanitize import clean_line

        noun = "annotation" if count == 1 else "annotations"
        self.notify(  # the whole path: to paste into another command as it is
            f"{count} {noun} exported to {clean_line(path.resolve())}",
            title="Exported",
            markup=False,
            timeout=10,
        )

    def action_toggle_theme(self) -> None:
        self.theme = DARK_THEME if self.theme == LIGHT_THEME else LIGHT_THEME
        try:
            self.store.set_setting("theme", self.theme)
        except ReaderError:
            pass  # a read-only database: the theme holds for this run only

    def action_labels(self) -> None:
        """ctrl+l: the labels screen; what changed there shows everywhere on closing."""
        from reader.tui.dialogs.labels import LabelsDialog
        from reader.tui.screens.article_panel import ArticlePanel

        def closed(changed: bool | None) -> None:
            if not changed:
                return
            self.reload_labels()
            screen = self.screen
            refresh = getattr(screen, "refresh_from_store", None)
            if refresh is not None:
                refresh()
            for panel in screen.query(ArticlePanel):
                panel.reload()

        self.push_screen(LabelsDialog(self.store), closed)

    # -- command palette --------------------------------------------------

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Every action bound on the screen (focused pane first), then Textual's own."""
        seen: set[tuple[int, str]] = set()
        for active in screen.active_bindings.values():
            binding, node = active.binding, active.node
            if binding.system or not binding.description or not active.enabled:
                continue
            if binding.action in {"command_palette", "quit"}:
                continue
            if (id(node), binding.action) in seen:
                continue
            seen.add((id(node), binding.action))
            key = binding.key_display or self.get_key_display(binding)
            yield SystemCommand(
                binding.description,
                f"key: {key}",
                partial(self.run_action, binding.action, node),
            )
        extra = getattr(screen, "palette_commands", None)  # a read or compare screen's
        if extra is not None:
            for title, help_text, callback in extra():
                yield SystemCommand(title, help_text, callback)
        yield SystemCommand(
            "Light / dark theme",
            "key: t · switch between the light and dark themes",
            self.action_toggle_theme,
        )
        for command in super().get_system_commands(screen):
            # Textual's "Keys" panel reads every binding's description as Rich
            # markup, and a label key's is the label's name (`[/x]` raised
            # MarkupError): `?` lists the keys instead
            if command.callback != self.action_show_help_panel:
                yield command


def _is_store(exc: BaseException) -> bool:
    from reader.errors import StoreError

    return isinstance(exc, StoreError | OSError)


def run_app(
    store: Store,
    annotator: str,
    open_ids: list[str],
    review: tuple[str, str, str, str] | None = None,
) -> None:
    """Run the TUI: [] the library, [id] one article, [id, id] side by side; with
    `review` (article id, a, b, gold), the adjudication of that article."""
    ReaderApp(store, annotator, open_ids, review).run()
