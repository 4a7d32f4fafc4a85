"""ReviewDialog: which two annotators of an article to adjudicate, and into whom."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, Label, SelectionList, Static
from textual.widgets.selection_list import Selection

from reader.errors import ReaderError
from reader.text.sanitize import clean_line
from reader.tui.dialogs.base import Dialog

Pair = tuple[str, str, str]  # a, b, gold


class AnnotatorChoice(SelectionList[str]):
    """Space ticks an annotator; enter starts the review (not a second tick)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "screen.start", "Start", show=False),
    ]


class ReviewDialog(Dialog):
    """The article's annotators (given most annotations first, shown by name), the
    first two ticked; the name of the result. `check(a, b, gold)` refuses a bad
    choice with a ReaderError: the dialog stays open and says why."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "start", "Start"),
    ]

    def __init__(
        self,
        title: str,
        annotators: Sequence[tuple[str, int]],
        check: Callable[[str, str, str], object],
        gold: str = "gold",
    ) -> None:
        super().__init__()
        self.title_text = title
        # shown by name, the two with most annotations ticked
        self.ticked = {name for name, _ in annotators[:2]}
        self.annotators = sorted(annotators)
        self.check = check
        self.gold = gold

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Text(f"Review “{clean_line(self.title_text, 50)}”"), classes="dialog-title")
            yield Label(Text("Two annotators (space ticks):"), classes="field-label")
            yield AnnotatorChoice(
                *(
                    Selection(Text(f"{clean_line(name, 40)}  ({count})"), name, name in self.ticked)
                    for name, count in self.annotators
                ),
                id="review-annotators",
            )
            yield Label(Text("The result is signed by:"), classes="field-label")
            yield Input(self.gold, id="review-gold")
            yield Static("", id="dialog-error", classes="dialog-error")
            yield Static(
                Text("enter starts · tab: the name · escape cancels"), classes="dialog-hint"
            )

    def on_mount(self) -> None:
        self.query_one("#dialog-error").display = False
        self.query_one(AnnotatorChoice).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_start()

    def action_start(self) -> None:
        chosen = [
            name for name, _ in self.annotators if name in self.query_one(AnnotatorChoice).selected
        ]
        gold = clean_line(self.query_one("#review-gold", Input).value)
        try:
            if len(chosen) != 2:
                raise ReaderError(f"tick two annotators, not {len(chosen)}")
            self.check(chosen[0], chosen[1], gold)
        except ReaderError as exc:
            self.show_error(exc)
            return
        self.dismiss((chosen[0], chosen[1], gold))
