"""MetadataDialog: edit an article's title, author, source, date and url."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from reader.errors import ReaderError
from reader.models import Article
from reader.text.sanitize import clean_line
from reader.tui.dialogs.base import Dialog


class MetadataDialog(Dialog):
    """Edit title, author, source, date and url. Enter in a field moves on; in the last
    one (or ctrl+s anywhere) it saves."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "save", "Save"),
    ]
    FIELDS = (
        ("title", "Title"),
        ("author", "Author"),
        ("source", "Source"),
        ("published", "Date"),
        ("url", "URL"),
    )

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
            values[name] = clean_line(self.query_one(f"#field-{name}", Input).value) or None
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
