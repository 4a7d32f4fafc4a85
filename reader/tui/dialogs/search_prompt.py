"""SearchPrompt: the `/` query box of the reading pane, as a small modal."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static


class SearchPrompt(ModalScreen[str | None]):
    """Ask for a search query; dismissed with the query (enter) or None (escape)."""

    DEFAULT_CSS = """
    SearchPrompt {
        align: center bottom;
        background: $background 30%;
    }
    SearchPrompt > Vertical {
        width: 60;
        max-width: 100%;
        height: auto;
        border: round $accent;
        background: $surface;
        padding: 0 1;
        margin-bottom: 2;
    }
    SearchPrompt Static { color: $text-muted; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(
        self,
        query: str = "",
        title: str = "Search in the article (enter to search, escape to cancel)",
    ) -> None:
        super().__init__()
        self._query = query
        self._title = title

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self._title, markup=False)
            yield Input(value=self._query, placeholder="text to find", id="query")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
