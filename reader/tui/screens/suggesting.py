"""Suggested tags in an article panel: `S`, Enter, a label key, `x`, `>` and `<`.

Off by default (a suggestion seen first anchors the reader's judgement). `S`
computes the suggestions of the rows on screen at once (`reader.suggest` with the
pane's own sentences, so a suggestion is exactly what `s` selects) and the rest
of the article in a thread worker, so a 3 MB article shows its first screen
without waiting. The pane draws them dimmed with a margin mark; this module
decides what they are and what the keys do with them:

- Enter accepts the one under the cursor with its label, a label key with that
  label: an ordinary annotation with origin `suggested`, through History, and the
  decision recorded (`reader.suggest_store`).
- `x` rejects it: recorded, never suggested again for this span and label.
- `u` takes back the last action, whichever it was: undoing an accept tombstones
  the tag *and forgets its decision* (the suggestion shows again, and the cue's
  weight is as before); redo tags again and records the accept again. Undoing a
  reject forgets it (the suggestion comes back). An accepted tag deleted later
  with `x` keeps its decision: the delete is a new judgement, not a take-back.
- The palette's "Accept all remaining <label> suggestions" accepts each one,
  one undoable change each.

Kept apart from the panel's own keys: the panel calls in at a few marked points.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from itertools import accumulate
from typing import TYPE_CHECKING

from rich.text import Text
from textual.actions import SkipAction
from textual.binding import Binding, BindingType

from reader.errors import ReaderError
from reader.history import Change
from reader.models import Annotation, Marked
from reader.text.sanitize import clean_line
from reader.tui.display import label_chip

if TYPE_CHECKING:
    from reader.suggest import Suggestion
    from reader.tui.screens.article_panel import ArticlePanel

SUGGESTION_KEYS: list[BindingType] = [
    Binding("S,shift+s", "toggle_suggestions", "Suggestions", show=False),
    Binding("enter", "accept_suggestion", "Accept suggestion", show=False),
    Binding("greater_than_sign", "suggestion(1)", "Next suggestion", key_display=">", show=False),
    Binding("less_than_sign", "suggestion(-1)", "Previous suggestion", key_display="<", show=False),
]

Step = Callable[[], "tuple[Change, Annotation] | None"]


@dataclass(frozen=True)
class _Reject:
    decision: int
    suggestion: Suggestion
    depth: int  # History.depth when it was made: where it sits among the undos


class Suggestions:
    """One panel's suggestions: shown or not, which, and what was decided here."""

    def __init__(self, panel: ArticlePanel) -> None:
        self.panel = panel
        self.on = False
        self.shown: list[Suggestion] = []  # sorted by start, never overlapping
        self._starts: list[int] = []  # their starts, for bisect
        self.weights: dict[str, float] = {}
        self.rejected: set[tuple[int, int, str]] = set()
        self.complete = False  # the worker has covered the whole article
        self._generation = 0  # a toggle or a reload makes older workers' results stale
        self._accepted: dict[str, tuple[Suggestion, int]] = {}  # annotation id -> (s, decision)
        self._rejects: list[_Reject] = []

    # -- computing ----------------------------------------------------------

    def toggle(self) -> None:
        from reader import suggest, suggest_store  # only once suggestions are asked for

        panel = self.panel
        self._generation += 1
        if self.on:
            self.on = False
            self._show([])
            panel.say(Text("Suggestions hidden · S shows them"))
            return
        try:
            self.weights, self.rejected = suggest_store.load_for_article(
                panel.store, panel.article.id
            )
        except ReaderError as exc:
            panel.fail(exc)
            return
        self.on = True
        self.complete = False
        pane = panel.pane
        lo, hi = pane.visible_span()
        first = suggest.suggestions(
            panel.article.text,
            self._existing(),
            self.weights,
            self.rejected,
            start=lo,
            end=hi,
            sentences=pane.sentences_between(lo, hi),
        )
        self._show(first)
        generation = self._generation
        text, existing = panel.article.text, self._existing()
        weights, rejected = dict(self.weights), set(self.rejected)

        def compute() -> None:
            found = suggest.suggestions(text, existing, weights, rejected)
            panel.app.call_from_thread(self._arrived, generation, found)

        panel.run_worker(compute, thread=True, exclusive=True, group="suggestions")
        panel.say(self._summary())

    def _arrived(self, generation: int, found: list[Suggestion]) -> None:
        """The whole article's suggestions: those on screen already stay as they are."""
        if generation != self._generation or not self.on:
            return
        # One merge of two sorted lists (a 3 MB article has tens of thousands).
        first, merged, j = self.shown, [], 0
        for s in found:
            while j < len(first) and first[j].end <= s.start:
                merged.append(first[j])
                j += 1
            if j < len(first) and first[j].start < s.end:
                continue  # overlaps one already shown
            merged.append(s)
        merged.extend(first[j:])
        self.complete = True
        self._show(self._open(merged))
        self.panel.refresh_status()

    def _existing(self) -> list[tuple[int, int]]:
        return [(a.start, a.end) for a in self.panel.annotations.values()]

    def _open(self, candidates: list[Suggestion]) -> list[Suggestion]:
        """Those not rejected and not overlapping an annotation (made meanwhile)."""
        spans = sorted((a.start, a.end) for a in self.panel.annotations.values())
        starts = [a for a, _ in spans]
        reach = list(accumulate((b for _, b in spans), max))  # furthest end so far
        kept = []
        for s in candidates:
            if s.key in self.rejected:
                continue
            i = bisect_left(starts, s.end)  # the annotations starting before s ends
            if i and reach[i - 1] > s.start:
                continue
            kept.append(s)
        return kept

    def _show(self, shown: list[Suggestion]) -> None:
        self.shown = shown
        self._starts = [s.start for s in shown]
        self.panel.pane.set_suggestions(shown)

    def annotations_changed(self, annotation: Marked | None = None) -> None:
        """A tag made (or all reloaded): suggestions it overlaps are gone."""
        if not self.on:
            return
        if annotation is None:
            self._show(self._open(self.shown))
        elif not annotation.deleted:
            a, b = annotation.start, annotation.end
            kept = [s for s in self.shown if not (s.start < b and a < s.end)]
            if len(kept) != len(self.shown):
                self._show(kept)

    def _put_back(self, s: Suggestion) -> None:
        if not self.on or s in self.shown:
            return
        self._show(sorted([*self.shown, s], key=lambda x: x.start))

    # -- where the cursor is ---------------------------------------------------

    def here(self) -> Suggestion | None:
        """The suggestion holding the cursor, if suggestions are shown."""
        if not self.on or not self.shown:
            return None
        cursor = self.panel.pane.cursor
        i = bisect_right(self._starts, cursor) - 1
        if i >= 0 and self.shown[i].start <= cursor < self.shown[i].end:
            return self.shown[i]
        return None

    def status(self) -> Text | None:
        """The status line's "Here" for a suggestion: label, score, the cues that fired."""
        s = self.here()
        if s is None:
            return None
        line = Text("suggested ", style="dim")
        line.append_text(label_chip(s.label, self.panel.by_name))
        line.append(f" {s.score:.2f} · cues: {clean_line(', '.join(s.cues), 80)}")
        line.append("  ·  enter accepts · 1-9 as that label · x rejects", style="dim")
        return line

    def _summary(self) -> Text:
        n = len(self.shown)
        more = "" if self.complete else " on screen (the rest on the way)"
        return Text(f"Suggestions shown: {n}{more} · > < go through them · S hides")

    def jump(self, direction: int) -> None:
        panel = self.panel
        if not self.on:
            panel.say(Text("Suggestions are hidden: S shows them."))
            return
        cursor = panel.pane.cursor
        starts = self._starts
        if direction > 0:
            i = bisect_right(starts, cursor)
            target = self.shown[i] if i < len(starts) else None
        else:
            here = self.here()
            i = bisect_right(starts, here.start - 1 if here else cursor - 1) - 1
            target = self.shown[i] if i >= 0 and starts[i] < cursor else None
        if target is None:
            panel.say(Text("No more suggestions this way."))
            return
        panel.pane.move_cursor(target.start)

    # -- deciding --------------------------------------------------------------

    def accept(self, label: str | None = None) -> bool:
        """Accept the suggestion under the cursor (with `label`, else its own); False
        when there is none, or a selection says the key means the selection."""
        s = self.here()
        if s is None or self.panel.pane.selection is not None:
            return False
        self._accept(s, label)
        return True

    def _accept(self, s: Suggestion, label: str | None) -> bool:
        from reader import suggest_store  # only once suggestions are asked for

        panel = self.panel
        try:
            change, annotation, decision = suggest_store.accept(panel.history, s, label)
        except ReaderError as exc:
            panel.fail(exc)
            panel.reload()  # the tag may be saved though the decision is not
            return False
        self._accepted[annotation.id] = (s, decision)
        panel.pane.move_cursor(s.start)
        panel.apply(annotation)
        chip = label_chip(annotation.label, panel.by_name)
        panel.say(Text("Accepted ").append_text(chip).append(" · saved · u undoes", style="dim"))
        return change is not None

    def accept_label(self, key: str) -> bool:
        """A label key on a suggestion: accept it with that key's label."""
        label = next((x for x in self.panel.labels if x.key == key), None)
        return label is not None and self.accept(label.name)

    def reject(self) -> bool:
        """`x` on a suggestion: remembered, never suggested again; False if none here."""
        s = self.here()
        if s is None:
            return False
        from reader import suggest_store  # only once suggestions are asked for

        panel = self.panel
        try:
            decision = suggest_store.reject(
                panel.store, panel.article.id, s, panel.history.annotator
            )
        except ReaderError as exc:
            panel.fail(exc)
            return True
        self.rejected.add(s.key)
        self._rejects.append(_Reject(decision, s, panel.history.depth))
        self._show([x for x in self.shown if x != s])
        chip = label_chip(s.label, panel.by_name)
        text = Text("Rejected suggested ").append_text(chip)
        panel.say(text.append(" · not suggested again · u undoes", style="dim"))
        return True

    def accept_all(self, label: str) -> None:
        """Every remaining suggestion of `label` in the article, accepted."""
        from reader import suggest  # only once suggestions are asked for

        panel = self.panel
        if not self.complete:  # the worker has not finished: compute the rest now
            found = suggest.suggestions(
                panel.article.text, self._existing(), self.weights, self.rejected
            )
            self._arrived(self._generation, found)
        count = 0
        for s in [x for x in self.shown if x.label == label]:
            if not self._accept(s, None):
                break
            count += 1
        chip = label_chip(label, panel.by_name)
        noun = "suggestion" if count == 1 else "suggestions"
        panel.say(Text(f"Accepted {count} ").append_text(chip).append(f" {noun} · u undoes one"))

    def commands(self) -> Iterator[tuple[str, str, Callable[[], None]]]:
        """For the palette: accept all remaining suggestions of each label shown."""
        if not self.on:
            return
        for label in dict.fromkeys(s.label for s in self.shown):
            name = clean_line(label, 40)
            yield (
                f"Accept all remaining suggestions of {name}",
                f"tag every {name} suggestion still shown in this article",
                partial(self.accept_all, label),
            )

    # -- undo and redo ---------------------------------------------------------

    def undo_reject(self) -> bool:
        """`u` when the last action was a reject: forget it; the suggestion is back."""
        panel = self.panel
        if not self._rejects or self._rejects[-1].depth != panel.history.depth:
            return False
        from reader import suggest_store  # only once suggestions are asked for

        last = self._rejects[-1]
        try:
            suggest_store.forget_decision(panel.store, last.decision)
        except ReaderError as exc:
            panel.fail(exc)
            return True
        self._rejects.pop()
        self.rejected.discard(last.suggestion.key)
        self._put_back(last.suggestion)
        panel.say(Text("Undid: reject of a suggestion"))
        return True

    def watch(self, step: Step, *, undo: bool) -> Step:
        """History's undo or redo, followed by what it means for a suggestion's decision."""

        def stepped() -> tuple[Change, Annotation] | None:
            result = step()
            if result is not None and result[0].kind == "tag":
                self._after(result[1], undo)
            return result

        return stepped

    def _after(self, annotation: Annotation, undo: bool) -> None:
        accepted = self._accepted.get(annotation.id)
        if accepted is None:
            return
        from reader import suggest_store  # only once suggestions are asked for

        s, decision = accepted
        store = self.panel.store
        try:
            if undo:
                suggest_store.forget_decision(store, decision)
                self._put_back(s)
            else:
                again = suggest_store.record_decision(
                    store,
                    self.panel.article.id,
                    s,
                    True,
                    annotation.label,
                    annotator=self.panel.history.annotator,
                )
                self._accepted[annotation.id] = (s, again)
        except ReaderError as exc:
            self.panel.fail(exc)


class SuggestionActions:
    """The panel's actions for SUGGESTION_KEYS (a mixin of ArticlePanel)."""

    suggesting: Suggestions

    def action_toggle_suggestions(self) -> None:
        self.suggesting.toggle()

    def action_accept_suggestion(self) -> None:
        if not self.suggesting.accept():
            raise SkipAction()

    def action_suggestion(self, direction: int) -> None:
        self.suggesting.jump(direction)
