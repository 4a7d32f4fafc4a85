"""The read screen's list of annotations: label, excerpt, note marker; enter jumps."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from reader.models import Annotation, Label
from reader.text.sanitize import clean_line
from reader.tui.display import label_chip


class AnnotationList(OptionList):
    """Annotations in text order. Choosing one asks the screen to jump there."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "Jump to it"),
        Binding("j,down", "cursor_down", "Next", show=False),
        Binding("k,up", "cursor_up", "Previous", show=False),
    ]

    @dataclass
    class Jump(Message):
        """Go to this annotation in the reading pane."""

        annotation: Annotation

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.items: list[Annotation] = []
        self._labels: Mapping[str, Label] = {}
        self.border_title = "Annotations"

    def show(self, annotations: Sequence[Annotation], labels: Mapping[str, Label]) -> None:
        """Replace the list, keeping the highlighted annotation when it is still there."""
        keep = self.highlighted_annotation()
        self.items = list(annotations)
        self._labels = labels
        # the row: label chip and the start of the quote; a note gets a row of its own
        width = self.scrollable_content_region.width - 1 if self.is_mounted else 0
        width = width if width > 10 else 34
        options = []
        for annotation in self.items:
            # a fresh Text around the chip: the chip's colours stay on the chip, not
            # on the whole row (where they also hid the highlighted row)
            prompt = Text()
            prompt.append_text(label_chip(annotation.label, labels))
            prompt.append(" ")
            prompt.append(clean_line(annotation.quote, width - len(prompt)), style="dim")
            if annotation.note:
                prompt.append("\n✎ ")
                prompt.append(clean_line(annotation.note, width - 2), style="italic")
            options.append(Option(prompt, id=annotation.id))
        self.clear_options()
        self.add_options(options)
        self.border_title = f"Annotations ({len(self.items)})"
        if keep is not None and any(a.id == keep.id for a in self.items):
            self.highlighted = next(i for i, a in enumerate(self.items) if a.id == keep.id)
        if not self.items:
            self.add_option(
                Option(Text("No annotations yet.\n1-9 tag a sentence.", style="dim"), disabled=True)
            )

    def on_resize(self) -> None:
        """Excerpts are cut to the list's width."""
        if self.items:
            self.show(self.items, self._labels)

    def highlighted_annotation(self) -> Annotation | None:
        if self.highlighted is None or self.highlighted >= len(self.items):
            return None
        return self.items[self.highlighted]

    def follow(self, annotation_id: str | None) -> None:
        """Highlight the annotation under the reading cursor (without jumping)."""
        if annotation_id is None:
            return
        for index, annotation in enumerate(self.items):
            if annotation.id == annotation_id:
                if self.highlighted != index:
                    self.highlighted = index
                return

    def follow_offset(self, offset: int) -> None:
        """Highlight the first annotation starting at or after offset (else the
        last one), so arrows in the list start from where the reader is."""
        if not self.items:
            return
        index = next(
            (i for i, a in enumerate(self.items) if a.start >= offset), len(self.items) - 1
        )
        if self.highlighted != index:
            self.highlighted = index

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_index < len(self.items):
            self.post_message(self.Jump(self.items[event.option_index]))
