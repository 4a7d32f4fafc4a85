"""Modal dialogs: a note, a yes/no confirmation, an article's metadata.

A dialog that saves takes a `save` callable and calls it itself: when the
Store refuses (locked, read-only, a title left empty) the dialog stays open
with the one-line reason, so nothing typed is lost and saving can be retried.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from reader.errors import ReaderError
from reader.models import Article


class _Dialog(ModalScreen[Any]):
    BINDINGS = [  # noqa: RUF012
        Binding("escape", "cancel", "Cancel"),
    ]

    def action_cancel(self) -> None:
        self.dismiss(None)

    def show_error(self, exc: BaseException) -> None:
        error = self.query_one("#dialog-error", Static)
        error.update(Text(str(exc)))
        error.display = True
        self.app.bell()


class NoteDialog(_Dialog):
    """Write or edit a note; an empty note clears it. Enter saves, escape cancels."""

    def __init__(self, quote: str, note: str | None, save: Callable[[str | None], object]) -> None:
        super().__init__()
        self.quote = quote
        self.note = note
        self.save = save

    def compose(self) -> ComposeResult:
        from reader.tui.screens.common import one_line

        with Vertical(classes="dialog"):
            yield Label("Note", classes="dialog-title")
            yield Static(Text(one_line(self.quote, 200), style="italic"), classes="dialog-quote")
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


class ConfirmDialog(_Dialog):
    """A question answered with y / enter (yes) or n / escape (no)."""

    BINDINGS = [  # noqa: RUF012
        Binding("y", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]

    def __init__(self, question: str, yes: str = "Delete") -> None:
        super().__init__()
        self.question = question
        self.yes = yes

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(self.question), classes="dialog-question")
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"{self.yes} (y)", variant="error", id="yes")
                yield Button("Keep (n)", variant="primary", id="no")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()  # the safe answer is the default

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")


class MetadataDialog(_Dialog):
    """Edit title, source, date and url. Enter in a field moves on; in the last
    one (or ctrl+s anywhere) it saves."""

    BINDINGS = [  # noqa: RUF012
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "save", "Save"),
    ]
    FIELDS = (("title", "Title"), ("source", "Source"), ("published", "Date"), ("url", "URL"))

    def __init__(self, article: Article, save: Callable[[dict[str, str | None]], object]) -> None:
        super().__init__()
        self.article = article
        self.save = save

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Edit article", classes="dialog-title")
            for name, caption in self.FIELDS:
                yield Label(caption, classes="field-label")
                yield Input(getattr(self.article, name) or "", id=f"field-{name}")
            yield Static("", id="dialog-error", classes="dialog-error")
            yield Static(
                Text("enter: next field, saves on the last · ctrl+s saves · escape cancels"),
                classes="dialog-hint",
            )

    def on_mount(self) -> None:
        self.query_one("#dialog-error").display = False
        self.query_one("#field-title", Input).focus()

    def values(self) -> dict[str, str | None]:
        values: dict[str, str | None] = {}
        for name, _ in self.FIELDS:
            text = " ".join(self.query_one(f"#field-{name}", Input).value.split())
            values[name] = text or None
        return values

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == f"field-{self.FIELDS[-1][0]}":
            self.action_save()
        else:
            self.focus_next()

    def action_save(self) -> None:
        values = self.values()
        try:
            self.save(values)
        except ReaderError as exc:
            self.show_error(exc)
            return
        self.dismiss(values)
