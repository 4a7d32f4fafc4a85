"""Small display pieces shared by the screens: paths, label chips, excerpts, a status line.

Everything here builds rich.text.Text objects from data, never markup strings:
titles, notes and paths are shown exactly as they are.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from rich.text import Text
from textual.dom import NoScreen
from textual.widgets import Footer, Static

from reader.models import Annotation, Label

_SPACES = re.compile(r"\s+")
_FALLBACK_COLOR = "#999999"
_PALETTE_WIDTH = 100  # columns from which the footer also shows "^p palette"


def display_path(path: Path | str, cwd: Path | None = None, home: Path | None = None) -> str:
    """A path as a person wants to read it: relative under cwd, ~ under home."""
    text = str(path)
    if text == ":memory:":
        return text
    try:
        resolved = Path(path).expanduser().resolve()
        here = (cwd or Path.cwd()).resolve()
        if resolved.is_relative_to(here):
            return str(resolved.relative_to(here))
        home_dir = (home or Path.home()).resolve()
        if resolved.is_relative_to(home_dir):
            return os.path.join("~", str(resolved.relative_to(home_dir)))
        return str(resolved)
    except (OSError, RuntimeError):
        return text


def one_line(value: str, limit: int | None = None) -> str:
    """White space (newlines included) folded to single spaces, cut with an ellipsis."""
    text = _SPACES.sub(" ", value).strip()
    if limit is not None and len(text) > limit:
        text = text[: max(limit - 1, 0)].rstrip() + "…"
    return text


def label_style(label: Label | None) -> str:
    """Dark text on the label's colour: legible on dark and light themes alike
    (the Okabe-Ito colours are all mid to light)."""
    color = label.color if label is not None else _FALLBACK_COLOR
    return f"bold #000000 on {color}"


def label_chip(name: str, labels: Mapping[str, Label]) -> Text:
    return Text(f" {name} ", style=label_style(labels.get(name)))


def label_counts(annotations: Iterable[Annotation], labels: Iterable[Label]) -> dict[str, int]:
    counts = {label.name: 0 for label in labels}
    for annotation in annotations:
        counts[annotation.label] = counts.get(annotation.label, 0) + 1
    return counts


def short_name(name: str, labels: Mapping[str, Label]) -> str:
    """A label's initial (its key where two labels share one): the pane's gutter mark."""
    initial = name[:1].upper() or "?"
    label = labels.get(name)
    if label is not None and label.key:
        if [n[:1].upper() for n in labels].count(initial) > 1:
            return label.key
    return initial


def counts_text(
    counts: Mapping[str, int], labels: Mapping[str, Label], *, compact: bool = False
) -> Text:
    """`claim 3 opinion 1 ...`; compact, each label by its initial (`C 3 O 1`)."""
    text = Text()
    for name, count in counts.items():
        if text:
            text.append(" ")
        chip = short_name(name, labels) if compact else name
        text.append(f" {chip} ", style=label_style(labels.get(name)))
        text.append(f" {count}")
    return text


class StatusLine(Static):
    """A line (or two) of plain Text; never parsed as markup."""

    DEFAULT_CSS = """
    StatusLine {
        height: auto;
        padding: 0 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
        background: $panel;
        color: $text;
    }
    StatusLine.-error {
        background: $error 30%;
    }
    """

    def show(self, text: Text, *, error: bool = False) -> None:
        self.set_class(error, "-error")
        self.update(text)


class ReaderFooter(Footer):
    """Textual's Footer, compact, rebuilt only when the keys it shows change.

    The stock Footer rebuilds all its keys on every bindings signal (each focus
    change sends one; a screen's start sends several); rebuilding the same keys
    again cost a tenth of the library's start-up."""

    def __init__(self, *, show_command_palette: bool = True) -> None:
        super().__init__(compact=True, show_command_palette=show_command_palette)
        self._shown: tuple[object, ...] | None = None
        self._palette = show_command_palette

    def on_resize(self) -> None:
        # The "^p palette" key is docked right; on a narrow terminal it would cover
        # the screen's own keys (`?` names ctrl+p there).
        wanted = self._palette and self.size.width >= _PALETTE_WIDTH
        if self.show_command_palette != wanted:
            self.show_command_palette = wanted
            self._shown = None
            # the reactive does not recompose by itself: a terminal resized from
            # wide to narrow kept the key over the screen's own keys
            if self.children:
                self.call_after_refresh(self.recompose)

    def _keys(self) -> tuple[object, ...]:
        return tuple(
            (key, b.description, b.action, active.enabled, b.group and b.group.description)
            for key, active in self.screen.active_bindings.items()
            if (b := active.binding).show
        )

    async def recompose(self) -> None:
        try:
            keys = self._keys()
        except NoScreen:  # its screen was closed meanwhile
            return
        if keys == self._shown and self.children:
            return
        self._shown = keys
        await super().recompose()
