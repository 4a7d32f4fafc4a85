"""Adjudication: two annotators' versions of one article side by side, decided
one disagreement at a time into the gold annotator's annotations.

The left pane shows a's annotations, the right b's (each a ReadingPane with its
painter: label colour plus the label's second cue and initial), under a header
naming the annotator, so whose span is whose never rests on colour. The current
disagreement is selected in both panes and its two versions are written under
them. The logic (what is agreed, what a decision stores, undo) is
reader/review.py's; this screen only shows it and maps keys to it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from typing import ClassVar

from rich.text import Text
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Static

from reader.errors import ReaderError
from reader.models import Annotation, Label
from reader.review import BOTH, NEITHER, TAKE_A, TAKE_B, Decision, Review, custom
from reader.text.sanitize import clean_line
from reader.tui.context import reader_app
from reader.tui.display import label_chip
from reader.tui.widgets.footer import ReaderFooter
from reader.tui.widgets.reading_pane import ReadingPane

DECISIONS = {"a": TAKE_A, "b": TAKE_B, "both": BOTH, "neither": NEITHER}
# Keys the reading pane also has (b: word back; ] [: annotations): while an
# extent is being edited they go to the pane.
_PANE_KEYS_WHILE_EDITING = frozenset({"b", "walk"})


class ReviewScreen(Screen[None]):
    """`reader review ARTICLE --annotators A,B [--as gold]`, or `r` in the library."""

    DEFAULT_CSS = """
    ReviewScreen #review-body { height: 1fr; }
    ReviewScreen .review-side { width: 1fr; height: 1fr; }
    ReviewScreen #side-a { border-right: vkey $panel-lighten-2; }
    ReviewScreen Static { text-wrap: nowrap; text-overflow: ellipsis; }
    ReviewScreen .review-head { height: 1; padding: 0 1; background: $panel; }
    ReviewScreen .review-side:focus-within .review-head { background: $primary 35%; }
    ReviewScreen .review-side ReadingPane { height: 1fr; }
    ReviewScreen .review-version { height: 2; padding: 0 1; background: $panel; text-wrap: wrap; }
    ReviewScreen #review-status { height: 2; padding: 0 1; background: $panel; }
    ReviewScreen #review-status.-error { background: $error 30%; }
    """

    # priority: `b`, `]` and `[` are reading-pane keys too; here they decide and walk
    BINDINGS: ClassVar[list[BindingType]] = [
        # short captions: the footer holds them all at 80 columns
        Binding("right_square_bracket", "walk(1)", "Next", key_display="]", priority=True),
        Binding("left_square_bracket", "walk(-1)", "Prev", key_display="[", priority=True),
        Binding("a", "decide('a')", "Take a", priority=True),
        Binding("b", "decide('b')", "Take b", priority=True),
        Binding("equals_sign", "decide('both')", "Both", key_display="=", priority=True),
        Binding("x", "decide('neither')", "Neither", priority=True),
        Binding("E", "edit", "Edit", priority=True),
        Binding("A", "accept_agreed", "Accept agreed", show=False, priority=True),
        Binding("u", "undo", "Undo", priority=True),
        Binding("ctrl+r", "redo", "Redo", show=False, priority=True),
        Binding("enter", "save_edit", "Save edit", show=False),
        Binding("tab", "switch", "Other pane", show=False),
        Binding("q,escape", "back", "Back", show=False),
    ]

    def __init__(self, review: Review) -> None:
        super().__init__()
        self.review = review
        self.current: int | None = None  # the disagreement shown
        # `E`: the pane edited, the label enter keeps, the disagreement decided
        self.editing: tuple[ReadingPane, str, int] | None = None
        self.message: Text | None = None
        self.error = False
        self._label_keys: list[str] = []
        # how each disagreement stands, read from the store once per change, not
        # on every cursor move
        self._outcomes: dict[int, str] = {}

    # -- set up -------------------------------------------------------------

    def compose(self) -> ComposeResult:
        review, labels = self.review, reader_app(self).labels
        with Horizontal(id="review-body"):
            for side, name, mine in (("a", review.a, review.of_a), ("b", review.b, review.of_b)):
                with Vertical(id=f"side-{side}", classes="review-side"):
                    yield Static(_head(side, name, len(mine)), classes="review-head")
                    yield ReadingPane(review.article, mine, labels, id=f"pane-{side}")
                    yield Static(id=f"version-{side}", classes="review-version")
        yield Static(id="review-status")
        # no ctrl+p in this footer: it needs the room (`?` names it)
        yield ReaderFooter(show_command_palette=False)

    @property
    def panes(self) -> tuple[ReadingPane, ReadingPane]:
        return self.query_one("#pane-a", ReadingPane), self.query_one("#pane-b", ReadingPane)

    def on_mount(self) -> None:
        self.bind_label_keys()
        for pane in self.panes:
            pane.hide_from_footer("s")  # selecting a sentence decides nothing here
            self.watch(pane, "scroll_y", partial(self._scrolled, pane), init=False)
        self.panes[0].focus()
        first = self.review.next_open()
        if first is not None:
            self.show(first)
        # what both annotators tagged alike goes into the result at once
        if self._accept_agreed() and not self.review.plan.agreed and first is None:
            self.say(Text("Nothing to decide: no disagreement is open"))
        self.refresh_status()

    def refresh_from_store(self) -> None:
        """Another process wrote (`reader labels`, ctrl+l): labels and keys anew.
        The two versions are those read when the review began."""
        if not (self.is_mounted and self.app.screen is self):
            return
        reader_app(self).reload_labels()
        for pane in self.panes:
            pane.set_labels(reader_app(self).labels)
        self.bind_label_keys()
        self._outcomes.clear()
        self.refresh_status()

    def outcome(self, index: int) -> str:
        if index not in self._outcomes:
            self._outcomes[index] = self.review.outcome(index)
        return self._outcomes[index]

    def bind_label_keys(self) -> None:
        """1-9 save an edited extent with that label (`E`, then a label key)."""
        keymap = self._bindings.key_to_bindings
        for key in self._label_keys:
            keymap.pop(key, None)
        self._label_keys = []
        for label in reader_app(self).labels:
            if label.key and len(label.key) == 1 and label.key.isdigit():
                description = f"Edit as {clean_line(label.name, 16)}"
                keymap[label.key] = [
                    Binding(label.key, f"label({label.key!r})", description, show=False)
                ]
                self._label_keys.append(label.key)
        self.refresh_bindings()

    # -- where we are -------------------------------------------------------

    def on_resize(self) -> None:
        """Both panes exactly as wide (the odd column, if any, left blank): the
        same width wraps the text into the same rows, so the two read line by line."""
        half = (self.size.width - 1) // 2  # one column for the border between them
        self.query_one("#side-a").styles.width = half + 1
        self.query_one("#side-b").styles.width = half

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """The review's own keys first, in the order declared: Textual orders them
        by the focused pane's keys, and `b`, `]`, `[` (pane keys too) came before
        `a` ("b Take b ] Next [ Prev a Take a")."""
        found = super().active_bindings
        own = {k: found[k] for k in self._bindings.key_to_bindings if k in found}
        own = {k: v for k, v in own.items() if v.node is self}
        return {**own, **found}

    def focused_pane(self) -> ReadingPane:
        for pane in self.panes:
            if self.focused is pane:
                return pane
        return self.panes[0]

    def here(self) -> int | None:
        """The disagreement under the cursor, else the one walked to last."""
        index = self.review.index_at(self.focused_pane().cursor)
        return index if index is not None else self.current

    def show(self, index: int) -> None:
        """Select disagreement `index` in both panes, centred."""
        self.current = index
        self.message = None
        self.error = False
        d = self.review.disagreements[index]
        for pane in self.panes:
            pane.clear_selection()
            pane.move_cursor(d.end)
            pane.move_cursor(d.start, select=True, center=True)
        self.refresh_status()

    def on_reading_pane_cursor_moved(self, event: ReadingPane.CursorMoved) -> None:
        pane = event.pane
        if self.editing is not None and self.editing[0] is pane and not pane.extending:
            self.editing = None  # escape left the edit: nothing stored
            self.say(Text("Edit cancelled"))
        if pane is self.focused_pane():
            _mirror(pane, next(p for p in self.panes if p is not pane))
            index = self.review.index_at(pane.cursor)
            if index is not None:
                self.current = index
        self.refresh_status()

    def _scrolled(self, source: ReadingPane) -> None:
        """The other pane shows the same rows (the same text at the same width)."""
        if source is self.focused_pane():
            other = next(p for p in self.panes if p is not source)
            if other.top_offset != source.top_offset:
                other.scroll_to_offset(source.top_offset)

    # -- actions ------------------------------------------------------------

    def _check_editing(self, action: str) -> bool:
        """While editing an extent: pane keys go to the pane; other decisions wait."""
        if self.editing is None:
            return False
        if action in _PANE_KEYS_WHILE_EDITING:
            raise SkipAction()
        self.say(Text("Editing: a label key saves the extent, escape cancels"))
        return True

    def action_walk(self, direction: int) -> None:
        if self._check_editing("walk"):
            return
        review = self.review
        if review.total == 0:
            self.say(Text("No disagreements in this article"))
            return
        at = self.here()
        if direction > 0:
            index = review.next_open(-1 if at is None else at)
        else:
            index = review.previous_open(at)
        if index is None:
            self.say(Text("All decided: u undoes, a b = x E decide one again"))
            return
        self.show(index)

    def action_decide(self, kind: str) -> None:
        if self._check_editing("b" if kind == "b" else "decide"):
            return
        self._decide(DECISIONS[kind])

    def _decide(self, decision: Decision, index: int | None = None) -> None:
        index = self.here() if index is None else index
        if index is None:
            self.say(Text("No disagreement here: ] goes to the next open one"))
            return
        try:
            self.review.decide(index, decision)
        except ReaderError as exc:
            self.fail(exc)
            return
        self._outcomes.pop(index, None)
        outcome = self.outcome(index)
        text = Text(f"{index + 1}: {_said(outcome)} · saved")
        text.append(" · u undoes", style="dim")
        following = self.review.next_open(index)
        if following is not None:
            self.show(following)
        self.say(text)

    def action_edit(self) -> None:
        """`E`: the extent of the focused side's version (or the whole disagreement)
        selected; motions and `o` change it, a label key (or enter) decides it."""
        index = self.here()
        if index is None:
            self.say(Text("No disagreement here: ] goes to the next open one"))
            return
        d = self.review.disagreements[index]
        pane = self.focused_pane()
        if self.editing is not None and self.editing[0] is not pane:
            earlier = self.editing[0]
            self.editing = None  # E again, in the other pane: the first edit is dropped
            earlier.clear_selection()
        side = d.a if pane is self.panes[0] else d.b
        mine = side if len(side) == 1 else (d.a + d.b)[:1]
        start, end = (mine[0].start, mine[0].end) if len(side) == 1 else (d.start, d.end)
        self.current = index
        self.editing = (pane, mine[0].label, index)
        pane.select_span(start, end)
        self.say(Text("EDIT · motions, o other end · 1-9 saves as that label · esc cancels"))

    def action_label(self, key: str) -> None:
        label = next((x for x in reader_app(self).labels if x.key == key), None)
        if label is None:
            return
        if self.editing is None:
            self.say(Text("E first: edit the extent, then a label key decides it"))
            return
        self._save_edit(label.name)

    def action_save_edit(self) -> None:
        if self.editing is None:
            raise SkipAction()
        self._save_edit(self.editing[1])

    def _save_edit(self, label: str) -> None:
        assert self.editing is not None
        pane, _, index = self.editing
        span = pane.selection
        if span is None:
            self.say(Text("An empty extent: move the end, or escape to cancel"))
            return
        self.editing = None
        pane.clear_selection()
        self._decide(custom((span[0], span[1], label)), index)

    def action_accept_agreed(self) -> None:
        if self._check_editing("accept"):
            return
        if self._accept_agreed() and not self.review.plan.agreed:
            self.say(Text("The two agree on no annotation here"))

    def _accept_agreed(self) -> bool:
        """Store the agreed ones gold lacks and say how many; False when refused."""
        try:
            added = self.review.accept_agreed()
        except ReaderError as exc:
            self.fail(exc)
            return False
        agreed = len(self.review.plan.agreed)
        if agreed:
            noun = "annotation" if agreed == 1 else "annotations"
            self.say(Text(f"{agreed} agreed {noun} in the result ({len(added)} new)"))
        return True

    def action_undo(self) -> None:
        if self._check_editing("undo"):
            return
        self._replay(self.review.undo, "Undid", "Nothing to undo")

    def action_redo(self) -> None:
        if self._check_editing("redo"):
            return
        self._replay(self.review.redo, "Redid", "Nothing to redo")

    def _replay(self, step: Callable[[], int | None], verb: str, nothing: str) -> None:
        try:
            index = step()
        except ReaderError as exc:
            self.fail(exc)
            return
        if index is None:
            self.say(Text(nothing))
            return
        self._outcomes.pop(index, None)
        self.show(index)
        self.say(Text(f"{verb} {index + 1}: now {_said(self.outcome(index))}"))

    def action_switch(self) -> None:
        a, b = self.panes
        # set_focus, not focus(): keys typed right after tab go to the new pane
        self.set_focus(b if self.focused_pane() is a else a)

    def action_back(self) -> None:
        self.dismiss(None)

    # -- showing ------------------------------------------------------------

    def say(self, text: Text) -> None:
        self.error = False
        self.message = text
        self.refresh_status()

    def fail(self, exc: BaseException) -> None:
        self.error = True
        self.message = Text(f"Not saved: {clean_line(str(exc))}")
        reader_app(self).report(exc)
        self.refresh_status()

    def refresh_status(self) -> None:
        """Under each pane its version of the disagreement; below both, where the
        review stands ("12 of 31 left") and the last action's outcome."""
        if not self.is_mounted:
            return
        review = self.review
        index = self.here()
        by_name = reader_app(self).labels_by_name
        if index is None:
            left = right = Text("no disagreement here", style="dim")
        else:
            d = review.disagreements[index]
            left, right = (_version(side, review.article.text, by_name) for side in (d.a, d.b))
        self.query_one("#version-a", Static).update(left)
        self.query_one("#version-b", Static).update(right)
        top = Text(f"{review.left} of {review.total} left", style="reverse bold")
        top.append(f"  {clean_line(review.a)} / {clean_line(review.b)}", style="bold")
        top.append(f" → {clean_line(review.gold)}  ·  ")
        top.append(clean_line(review.article.title))
        bottom = Text()
        if index is not None:
            d = review.disagreements[index]
            bottom.append(f"{index + 1}/{review.total} ", style="bold")
            bottom.append(f"{d.start}-{d.end}: {_said(self.outcome(index))}")
        if self.message is not None:
            bottom.append("  │  " if index is not None else "")
            bottom.append_text(self.message)
        else:
            bottom.append("  ·  " if index is not None else "")
            bottom.append("a b take · = both · x neither · E edit · ] [ walk", style="dim")
        status = self.query_one("#review-status", Static)
        status.set_class(self.error, "-error")
        status.update(_lines(top, bottom))


def _head(side: str, name: str, count: int) -> Text:
    head = Text(f" {side} ", style="reverse bold")
    head.append(f" {clean_line(name, 40)}", style="bold")
    head.append(f"  {count} annotation{'' if count == 1 else 's'}", style="dim")
    return head


def _version(side: tuple[Annotation, ...], text: str, by_name: Mapping[str, Label]) -> Text:
    """One annotator's version: each span's label chip, offsets and quote."""
    if not side:
        return Text("nothing tagged here", style="dim")
    shown = Text()
    for i, x in enumerate(side):
        if i:
            shown.append("  ")
        shown.append_text(label_chip(x.label, by_name))
        quote = clean_line(text[x.start : x.end], 60)
        shown.append(f" {x.start}-{x.end} “{quote}”")
        if x.note:
            shown.append(f" ✎ {clean_line(x.note, 40)}", style="dim")
    return shown


def _said(outcome: str) -> str:
    return {"open": "open", "neither": "neither (none kept)", "custom": "custom"}.get(
        outcome, outcome
    )


def _lines(*lines: Text) -> Text:
    joined = Text(no_wrap=True, overflow="ellipsis")
    for i, line in enumerate(lines):
        if i:
            joined.append("\n")
        joined.append_text(line)
    return joined


def _mirror(source: ReadingPane, other: ReadingPane) -> None:
    """The other pane's cursor (and selection) where the focused one's is."""
    sel = source.selection
    if (other.cursor, other.selection) == (source.cursor, sel):
        return
    if sel is None:
        other.clear_selection()
        other.move_cursor(source.cursor)
        return
    anchor = sel[0] if source.cursor == sel[1] else sel[1]
    other.clear_selection()
    other.move_cursor(anchor)
    other.move_cursor(source.cursor, select=True)
