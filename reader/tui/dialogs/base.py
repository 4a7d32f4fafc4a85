"""What every dialog shares: escape cancels, and a line for why saving failed.

A dialog that saves takes a `save` callable and calls it itself: when the
Store refuses (locked, read-only, a title left empty) the dialog stays open
with the one-line reason, so nothing typed is lost and saving can be retried.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen
from textual.widgets import Static


class Dialog(ModalScreen[Any]):
    """A modal that escape cancels (dismissed with None)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
    ]

    def action_cancel(self) -> None:
        self.dismiss(None)

    def show_error(self, exc: BaseException) -> None:
        error = self.query_one("#dialog-error", Static)
        error.update(Text(str(exc)))
        error.display = True
        self.app.bell()
