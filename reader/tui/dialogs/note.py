"""NoteDialog: write or edit the note of one annotation."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from reader.errors import ReaderError
from reader.text.sanitize import clean_line
from reader.tui.dialogs.base import Dialog


class NoteDialog(Dialog):
    """Write or edit a note; an empty note clears it. Enter saves, escape cancels."""

    def __init__(self, quote: str, note: str | None, save: Callable[[str | None], object]) -> None:
        super().__init__()
        self.quote = quote
        self.note = note
        self.save = save

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Note", classes="dialog-title")
            yield Static(Text(clean_line(self.quote, 200), style="italic"), classes="dialog-quote")
            yield Input(self.note or "", placeholder="a note (empty clears it)", id="note-input")
            yield Static("", id="dialog-error", classes="dialog-error")
            yield Static(Text("enter saves · escape cancels"), classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#dialog-error").display = False

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        value = event.value.strip() or None
        try:
            self.save(value)
        except ReaderError as exc:
            self.show_error(exc)
            return
        self.dismiss(value)
