"""Display pieces shared by the TUI: paths, label chips, counts, a label's short name.

Everything here builds rich.text.Text objects (or plain strings) from data, never
markup strings: titles, notes and paths are shown exactly as they are. No widgets.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from rich.text import Text

from reader.models import Label
from reader.text.sanitize import clean_line

_FALLBACK_COLOR = "#999999"


def database_text(path: Path | str, read_only: bool) -> str:
    """The database as the screens name it: its path, one clean line (it may come
    from the environment), and "read-only" when nothing can be saved in it."""
    shown = clean_line(display_path(path))
    return f"{shown}  ·  read-only" if read_only else shown


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


def as_markup(text: str) -> str:
    """text written as Textual markup that shows it as it is, for the few places
    that take nothing but a markup string: a binding's tooltip (the footer shows a
    grouped key's description there, and a label named `[/x]` raised MarkupError)."""
    return text.replace("[", "\\[")


def label_style(label: Label | None) -> str:
    """Dark text on the label's colour: legible on dark and light themes alike
    (the Okabe-Ito colours are all mid to light)."""
    color = label.color if label is not None else _FALLBACK_COLOR
    return f"bold #000000 on {color}"


def label_chip(name: str, labels: Mapping[str, Label]) -> Text:
    return Text(f" {name} ", style=label_style(labels.get(name)))


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
