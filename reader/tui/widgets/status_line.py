"""StatusLine: a line (or two) of plain Text under a pane; never parsed as markup."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


class StatusLine(Static):
    """A line (or two) of plain Text; never parsed as markup."""

    DEFAULT_CSS = """
    StatusLine {
        height: auto;
        padding: 0 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
        background: $panel;
        color: $text;
    }
    StatusLine.-error {
        background: $error 30%;
    }
    """

    _shown: tuple[Text, bool] | None = None

    def show(self, text: Text, *, error: bool = False) -> None:
        """Show text; the same again costs nothing, and a new layout is asked for only
        when the number of lines changes (a key in the pane repaints three lines, not
        the screen)."""
        shown = self._shown
        if shown is not None and shown[1] == error and shown[0] == text:
            return
        lines = text.plain.count("\n")
        self._shown = (text, error)
        self.set_class(error, "-error")
        self.update(text, layout=shown is None or shown[0].plain.count("\n") != lines)
