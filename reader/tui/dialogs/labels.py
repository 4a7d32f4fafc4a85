"""LabelsDialog: every label with its key and colour; rename, re-key, recolour."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from reader.errors import ReaderError
from reader.labels import PALETTE
from reader.store import Store
from reader.text.sanitize import clean_line
from reader.tui.dialogs.base import Dialog
from reader.tui.dialogs.label_name import LabelNameDialog
from reader.tui.display import label_style


class LabelsDialog(Dialog):
    """The labels screen: r renames (annotations follow), k re-keys, c recolours."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "rename", "Rename"),
        Binding("k", "rekey", "Key"),
        Binding("c", "recolour", "Colour"),
    ]

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.changed = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Labels", classes="dialog-title")
            yield OptionList(id="labels-list")
            yield Static("", id="dialog-error", classes="dialog-error")
            yield Static(Text("r rename · k key · c colour · escape closes"), classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#dialog-error").display = False
        self.fill()

    def fill(self, keep: int = 0) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        for label in self.store.labels():
            line = Text(f"{label.key or '-'}  ")
            line.append(f" {clean_line(label.name, 30)} ", style=label_style(label))
            line.append(f"  {label.color}  {clean_line(label.description, 60)}", style="dim")
            options.add_option(Option(line, id=label.name))
        if options.option_count:
            options.highlighted = min(keep, options.option_count - 1)
        options.focus()

    def current(self) -> str | None:
        options = self.query_one(OptionList)
        if options.highlighted is None:
            return None
        return options.get_option_at_index(options.highlighted).id

    def _after(self) -> None:
        self.changed = True
        self.fill(self.query_one(OptionList).highlighted or 0)

    def action_rename(self) -> None:
        name = self.current()
        if name is None:
            return

        def save(new: str) -> None:
            self.store.rename_label(name, new)
            self._after()

        self.app.push_screen(LabelNameDialog(f"Rename {clean_line(name, 30)}", save, name))

    def action_rekey(self) -> None:
        name = self.current()
        if name is None:
            return

        def save(key: str) -> None:
            self.store.set_label_key(name, key or None)
            self._after()

        free = "".join(self.store.free_keys()) or "none"
        title = f"Key for {clean_line(name, 30)} (free: {free}; empty: no key)"
        self.app.push_screen(LabelNameDialog(title, save))

    def action_recolour(self) -> None:
        """The next colour of the palette."""
        name = self.current()
        if name is None:
            return
        try:
            color = self.store.label(name).color
            at = PALETTE.index(color) if color in PALETTE else -1
            self.store.set_label_color(name, PALETTE[(at + 1) % len(PALETTE)])
        except ReaderError as exc:
            self.show_error(exc)
            return
        self._after()

    def action_cancel(self) -> None:
        self.dismiss(self.changed)
