"""`?`: every key of the screen underneath, generated from its bindings so it never lies."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from reader.tui.widgets.footer import ReaderFooter

# What each part of the screen is called in the help; the class name otherwise.
SECTION_TITLES = {
    "ReaderApp": "Everywhere",
    "LibraryScreen": "Library",
    "ArticleTable": "Article list",
    "QueryInput": "Filter and search fields",
    "ReadScreen": "Read screen",
    "CompareScreen": "Compare screen",
    "ArticlePanel": "Annotating",
    "ReadingPane": "Reading pane",
    "AnnotationList": "Annotation list",
    "SearchPrompt": "Search prompt",
    "ReviewScreen": "Review screen",
    "ReviewDialog": "Review: whom",
    "AnnotationsScreen": "Annotations of the workspace",
    "WorkspaceList": "Annotation entries",
    "TextFilter": "Text filter",
}


# Textual's own "ctrl+c: help quit" explains ctrl+q; not a key of this app.
_HIDDEN = {"help_quit"}


@dataclass
class Entry:
    keys: list[str]
    description: str


def _own_bindings(node: DOMNode) -> Iterator[Binding]:
    """Bindings the reader code declared on this node: the BINDINGS of reader
    classes (and the App's), and bindings added to the instance (the label keys).
    Textual's built-in widget bindings (an Input's ctrl+w...) are left out."""
    declared: set[tuple[str, str]] = set()
    for cls in type(node).__mro__:
        if cls.__module__.startswith("reader.") or cls.__name__ == "App":
            bindings = Binding.make_bindings(cls.__dict__.get("BINDINGS", []))
            declared.update((b.key, b.action) for b in bindings)
    merged = type(node)._merged_bindings
    from_classes = {(key, b.action) for key, b in merged} if merged is not None else set()
    for key, binding in node._bindings:
        if (key, binding.action) in declared or (key, binding.action) not in from_classes:
            yield binding


def _humanize(action: str) -> str:
    name = action.split("(")[0].replace("_", " ").strip()
    return name[:1].upper() + name[1:]


def entries(node: DOMNode, key_display: Callable[[Binding], str]) -> list[Entry]:
    grouped: dict[tuple[str, str], Entry] = {}
    extend = Entry(["⇧+motion"], "Extend the selection")
    for binding in _own_bindings(node):
        if binding.action in _HIDDEN:
            continue
        description = binding.description or _humanize(binding.action)
        key = binding.key_display or key_display(binding)
        if description.startswith("Extend"):
            # a dozen "shift + motion" lines say one thing: one line for them all,
            # with the letters that extend without shift (H J K L W B)
            entry = grouped.setdefault(("extend", ""), extend)
            if len(key) != 1:
                continue
        else:
            # the same action on several digits (a new label on 4-9, the list's
            # relabel on 1-9): one line, not one per digit
            action = binding.action.split("(")[0] if key.isdigit() else binding.action
            entry = grouped.setdefault((action, description), Entry([], description))
        if key not in entry.keys:
            entry.keys.append(key)
    for entry in grouped.values():
        entry.keys = digit_runs(entry.keys)
    return list(grouped.values())


def digit_runs(keys: list[str]) -> list[str]:
    """Three or more consecutive digit keys as one range: 4 5 6 7 8 9 -> 4-9."""
    digits = sorted(int(k) for k in keys if len(k) == 1 and k.isdigit())
    rest = [k for k in keys if not (len(k) == 1 and k.isdigit())]
    runs: list[list[int]] = []
    for d in digits:
        if runs and d == runs[-1][-1] + 1:
            runs[-1].append(d)
        else:
            runs.append([d])
    shown = [f"{r[0]}-{r[-1]}" if len(r) >= 3 else " ".join(map(str, r)) for r in runs]
    return [*shown, *rest]


def sections(screen: Screen[Any], app: App[Any]) -> list[tuple[str, list[Entry]]]:
    """(title, entries) for the focused chain first, then the rest, then the app."""
    key_display = app.get_key_display
    nodes: list[DOMNode] = []
    focused = screen.focused
    if focused is not None:
        nodes.extend(n for n in focused.ancestors_with_self if n is not app)
    for node in screen.walk_children(with_self=True):
        if node not in nodes:
            nodes.append(node)
    nodes.append(app)
    seen_titles: set[str] = set()
    result: list[tuple[str, list[Entry]]] = []
    for node in nodes:
        title = SECTION_TITLES.get(type(node).__name__)
        if title is None and not type(node).__module__.startswith("reader."):
            continue
        title = title or type(node).__name__
        if title in seen_titles:  # a second pane in compare: the same keys
            continue
        found = entries(node, key_display)
        if found:
            seen_titles.add(title)
            result.append((title, found))
    return result


def render_help(parts: Iterable[tuple[str, list[Entry]]]) -> Text:
    text = Text()
    for title, found in parts:
        if text:
            text.append("\n")
        text.append(f"{title}\n", style="bold underline")
        width = min(max(cell_len(" ".join(e.keys)) for e in found), 20) + 2
        for entry in found:
            keys = " ".join(entry.keys)
            text.append("  ")
            text.append(keys, style="bold")
            if cell_len(keys) > width:  # a long key list gets a line of its own
                text.append("\n  ")
                keys = ""
            text.append(" " * (width - cell_len(keys)))
            text.append(f"{entry.description}\n")
    return text


class HelpScreen(ModalScreen[None]):
    """Every key of the screen it was opened over."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "close", "Close", key_display="esc"),
        Binding("j,down", "scroll(1)", "Scroll down", show=False),
        Binding("k,up", "scroll(-1)", "Scroll up", show=False),
    ]

    def __init__(self, under: Screen[Any]) -> None:
        super().__init__()
        self.under = under

    def compose(self) -> ComposeResult:
        # Two columns, so every key fits on one screen: the reading pane's motions
        # on the right, what changes things (and everything else) on the left.
        parts = sections(self.under, self.app)
        motions = [part for part in parts if part[0] == SECTION_TITLES["ReadingPane"]]
        others = [part for part in parts if part not in motions]
        with VerticalScroll(id="help-body"):
            yield Static(
                Text("Keys  ·  ctrl+p: every action by name", style="bold"), id="help-title"
            )
            with Horizontal(id="help-columns"):
                yield Static(render_help(others), id="help-text", classes="help-column")
                if motions:
                    yield Static(render_help(motions), id="help-motions", classes="help-column")
        yield ReaderFooter()

    def on_resize(self) -> None:
        # side by side from 100 columns; one under the other below that
        columns = self.query_one("#help-columns")
        columns.styles.layout = "horizontal" if self.size.width >= 100 else "vertical"

    def on_mount(self) -> None:
        self.query_one("#help-body").focus()

    def action_close(self) -> None:
        self.dismiss(None)

    def action_scroll(self, rows: int) -> None:
        self.query_one("#help-body", VerticalScroll).scroll_relative(y=rows, animate=False)
