"""ProjectDialog: put the same label on one counterpart of a tagged sentence?

Asked once per counterpart: y tags it, n skips it, a tags it and every one
after it without asking again, escape stops (what was tagged stays tagged).
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Label, Static

from reader.text.sanitize import clean_line
from reader.tui.dialogs.base import Dialog


class ProjectDialog(Dialog):
    """Dismissed with "yes", "no", "all", or None (escape: stop asking)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer('yes')", "Tag it"),
        Binding("n", "answer('no')", "Skip"),
        Binding("a", "answer('all')", "All"),
    ]

    def __init__(self, label: Text, where: str, passage: str, place: tuple[int, int]) -> None:
        super().__init__()
        self.label = label
        self.where = where
        self.passage = passage
        self.place = place  # (this one, of how many)

    def compose(self) -> ComposeResult:
        index, count = self.place
        title = Text("Tag ").append_text(self.label).append(f" here too?  ({index} of {count})")
        with Vertical(classes="dialog"):
            yield Label(title, classes="dialog-title")
            yield Static(Text(clean_line(self.where, 100), style="bold"))
            quote = Text(clean_line(self.passage, 300), style="italic")
            yield Static(quote, classes="dialog-quote")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Tag it (y)", variant="primary", id="yes")
                yield Button("Skip (n)", id="no")
                yield Button("All (a)", id="all")
            yield Static(Text("escape stops asking"), classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#yes", Button).focus()

    def action_answer(self, answer: str) -> None:
        self.dismiss(answer)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id)
