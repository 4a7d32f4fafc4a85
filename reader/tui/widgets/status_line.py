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

    def show(self, text: Text, *, error: bool = False) -> None:
        self.set_class(error, "-error")
        self.update(text)
