"""PassagesDialog: the passages of other articles that report the sentence under the cursor.

Behind "also in N of M articles": one line per article (source, title, score)
and the passage under it. Enter picks one (the screen opens it in compare
beside the current article), escape closes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from reader.passage_store import Passage
from reader.text.sanitize import clean_line
from reader.tui.dialogs.base import Dialog


class PassagesDialog(Dialog):
    """Pick one passage (dismissed with it) or none (escape: None)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "cancel", "Close", show=False),
    ]

    def __init__(self, quote: str, passages: Sequence[Passage], library: int) -> None:
        super().__init__()
        self.quote = quote
        self.passages = list(passages)
        self.library = library

    def compose(self) -> ComposeResult:
        count = len(self.passages)
        with Vertical(classes="dialog passages-dialog"):
            yield Label(Text(f"Also in {count} of {self.library} articles"), classes="dialog-title")
            yield Static(Text(clean_line(self.quote, 200), style="italic"), classes="dialog-quote")
            yield OptionList(*(passage_option(p) for p in self.passages), id="passages-list")
            yield Static(
                Text("enter opens it in compare beside this article · escape closes"),
                classes="dialog-hint",
            )

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        if options.option_count:
            options.highlighted = 0
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.passages[event.option_index])


def passage_option(passage: Passage) -> Option:
    """Source and title on one line, the passage itself below, all plain Text."""
    head = Text()
    if passage.source:
        head.append(clean_line(passage.source, 30), style="bold")
        head.append("  ·  ")
    head.append(clean_line(passage.title, 60))
    head.append(f"  score {passage.score:.2f}", style="dim")  # a bare number said nothing
    head.append("\n")
    head.append(clean_line(passage.text, 240), style="italic")
    return Option(head)
