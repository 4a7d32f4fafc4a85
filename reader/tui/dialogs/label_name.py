"""LabelNameDialog: name a new label for a free key (4-9), then it tags."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from reader.errors import ReaderError
from reader.tui.dialogs.base import Dialog


class LabelNameDialog(Dialog):
    """One line: the new label's name. Enter creates it (errors stay in the dialog)."""

    def __init__(self, title: str, save: Callable[[str], object], value: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.save = save
        self.value = value

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Text(self.title_text), classes="dialog-title")
            yield Input(self.value, placeholder="one word, e.g. hedge", id="label-name-input")
            yield Static("", id="dialog-error", classes="dialog-error")
            yield Static(Text("enter saves · escape cancels"), classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#dialog-error").display = False

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        value = event.value.strip()
        try:
            self.save(value)
        except ReaderError as exc:
            self.show_error(exc)
            return
        self.dismiss(value)
