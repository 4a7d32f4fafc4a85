"""Undo / redo of one article's annotation edits, over the Store (no UI).

Every action is written to the Store first (each Store method commits before it
returns) and only then recorded, so the history never holds a change the
database does not. Undo and redo write too: undo of a tag tombstones the
annotation, undo of a delete brings the tombstone back, undo of a relabel or a
note writes the old values. A change whose undo fails (a locked database) stays
on its stack, so the user can simply press the key again.
"""

from __future__ import annotations

from dataclasses import astuple, dataclass
from typing import Any

from reader.errors import NotFound, ReaderError
from reader.models import Annotation, Article
from reader.progress import sentence_spans, update_progress
from reader.store import Store
from reader.text.spans import Span


@dataclass(frozen=True)
class State:
    """What undo / redo restores of one annotation: alive or not, label, note, extent."""

    alive: bool
    label: str
    note: str | None
    start: int = -1  # -1: the extent is not part of the change
    end: int = -1

    @classmethod
    def of(cls, annotation: Annotation) -> State:
        return cls(
            not annotation.deleted,
            annotation.label,
            annotation.note,
            annotation.start,
            annotation.end,
        )


@dataclass(frozen=True)
class Change:
    """One user action on one annotation: its state before and after."""

    kind: str  # "tag", "relabel", "note", "delete", "resize"
    annotation_id: str
    before: State
    after: State

    def to_json(self) -> list[Any]:
        return [
            self.kind,
            self.annotation_id,
            list(astuple(self.before)),
            list(astuple(self.after)),
        ]

    @classmethod
    def from_json(cls, row: list[Any]) -> Change:
        kind, annotation_id, before, after = row
        return cls(str(kind), str(annotation_id), State(*before), State(*after))

    def describe(self) -> str:
        return {
            "tag": f"tag as {self.after.label}",
            "relabel": f"relabel {self.before.label} → {self.after.label}",
            "note": "note",
            "delete": f"delete {self.before.label}",
            "resize": f"resize {self.after.label}",
        }[self.kind]


class History:
    """Actions on one article's annotations, each undoable, oldest first.

    The stacks are stored per article and annotator (store.work), so undo
    survives leaving the article and restarting; at most `limit` changes are
    kept, the oldest dropped. Each change also updates the article's progress.
    """

    def __init__(
        self,
        store: Store,
        article: Article,
        annotator: str,
        limit: int = 200,
        *,
        defer_progress: bool = False,
    ) -> None:
        self.store = store
        self.article = article
        self.annotator = annotator
        self.limit = limit
        # The TUI defers the progress (segmenting a long article takes a while)
        # to a quiet moment and to leaving the article: `update_progress`.
        self.defer_progress = defer_progress
        self.progress_due = False
        self._sentences: list[Span] | None = None
        undo, redo = store.load_history(article.id, annotator)
        self._undo: list[Change] = _changes(undo)[-limit:]
        self._redo: list[Change] = _changes(redo)[-limit:]

    def reload(self) -> None:
        """The stacks as stored now: a label renamed since (`labels rename`, the labels
        screen) is renamed there, and the next save must not bring the old name back."""
        try:
            undo, redo = self.store.load_history(self.article.id, self.annotator)
        except ReaderError:
            return
        self._undo = _changes(undo)[-self.limit :]
        self._redo = _changes(redo)[-self.limit :]

    def _changed(self) -> None:
        """After every committed change: the stacks and the progress, stored.

        Best effort: the annotation itself is already committed, so a failure
        here (a locked database) loses at most this step of history."""
        try:
            self.store.save_history(
                self.article.id,
                self.annotator,
                [c.to_json() for c in self._undo],
                [c.to_json() for c in self._redo],
            )
        except ReaderError:
            pass
        self.progress_due = True
        if not self.defer_progress:
            self.update_progress()

    def update_progress(self) -> None:
        """Store the article's progress if a change since the last time needs it."""
        if not self.progress_due:
            return
        try:
            if self._sentences is None:
                self._sentences = sentence_spans(self.article.text)
            update_progress(self.store, self.article, self._sentences)
            self.progress_due = False
        except ReaderError:
            pass  # best effort, as above: tried again after the next change

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    @property
    def depth(self) -> int:
        """How many changes undo can take back (actions kept beside the history,
        such as a rejected suggestion, remember it to interleave with undo)."""
        return len(self._undo)

    def _record(self, change: Change) -> None:
        self._undo.append(change)
        del self._undo[: -self.limit]
        self._redo.clear()
        self._changed()

    # -- actions ----------------------------------------------------------

    def tag(
        self, start: int, end: int, label: str, origin: str = "manual"
    ) -> tuple[Change | None, Annotation]:
        """Tag [start, end) with label; this annotator's live annotation of exactly
        that span is relabelled instead of duplicated. Another annotator's is left
        as it is (their judgement stays theirs, for agreement studies): this one
        gets an annotation of their own. (None, annotation) when nothing changed.
        origin: "suggested" for an accepted suggestion (reader.suggest_store.accept)."""
        existing = self.store.own_annotation(self.article.id, start, end, self.annotator)
        if existing is not None:
            return self._relabel(existing, label)
        added = self.store.add_annotation(
            self.article, start, end, label, self.annotator, origin=origin
        )
        before = State(False, added.label, added.note)
        change = Change("tag", added.id, before, State.of(added))
        self._record(change)
        return change, added

    def set_note(self, annotation_id: str, note: str | None) -> tuple[Change | None, Annotation]:
        """Write the note (empty or None clears it)."""
        current = self._live(annotation_id)
        if (note or None) == current.note:
            return None, current
        updated = self.store.update_annotation(annotation_id, note=note or None)
        change = Change("note", annotation_id, State.of(current), State.of(updated))
        self._record(change)
        return change, updated

    def relabel(self, annotation_id: str, label: str) -> tuple[Change | None, Annotation]:
        return self._relabel(self._live(annotation_id), label)

    def _relabel(self, current: Annotation, label: str) -> tuple[Change | None, Annotation]:
        if label == current.label:
            return None, current
        updated = self.store.update_annotation(current.id, label=label)
        change = Change("relabel", current.id, State.of(current), State.of(updated))
        self._record(change)
        return change, updated

    def resize(
        self, annotation_id: str, start: int, end: int, label: str | None = None
    ) -> tuple[Change | None, Annotation]:
        """A new extent [start, end) for the annotation (same id); with label, relabelled
        too, as one change."""
        current = self._live(annotation_id)
        updated = self.store.move_annotation(self.article, annotation_id, start, end)
        if label is not None and label != updated.label:
            updated = self.store.update_annotation(annotation_id, label=label)
        if State.of(updated) == State.of(current):
            return None, current
        change = Change("resize", annotation_id, State.of(current), State.of(updated))
        self._record(change)
        return change, updated

    def delete(self, annotation_id: str) -> tuple[Change, Annotation]:
        current = self._live(annotation_id)
        deleted = self.store.delete_annotation(annotation_id)
        change = Change("delete", annotation_id, State.of(current), State.of(deleted))
        self._record(change)
        return change, deleted

    # -- undo / redo ------------------------------------------------------

    def undo(self) -> tuple[Change, Annotation] | None:
        """Undo the last change; None when there is none. The change moves to
        the redo stack only once the Store has committed its reversal."""
        if not self._undo:
            return None
        change = self._undo[-1]
        annotation = self._restore(change.annotation_id, change.before)
        self._redo.append(self._undo.pop())
        self._changed()
        return change, annotation

    def redo(self) -> tuple[Change, Annotation] | None:
        if not self._redo:
            return None
        change = self._redo[-1]
        annotation = self._restore(change.annotation_id, change.after)
        self._undo.append(self._redo.pop())
        self._changed()
        return change, annotation

    def _restore(self, annotation_id: str, state: State) -> Annotation:
        current = self.store.annotation(annotation_id)
        if state.start >= 0 and (current.start, current.end) != (state.start, state.end):
            current = self.store.move_annotation(
                self.article, annotation_id, state.start, state.end
            )
        if current.deleted and state.alive:
            current = self.store.undelete_annotation(annotation_id)
        if current.label != state.label or current.note != state.note:
            current = self.store.update_annotation(
                annotation_id, label=state.label, note=state.note
            )
        if not current.deleted and not state.alive:
            current = self.store.delete_annotation(annotation_id)
        return current

    # -- queries ----------------------------------------------------------

    def _live(self, annotation_id: str) -> Annotation:
        current = self.store.annotation(annotation_id)
        if current.deleted:
            raise NotFound("that annotation was deleted (by another window?)")
        return current


def _changes(rows: list[Any]) -> list[Change]:
    """Stored changes back; a row this version cannot read is left out."""
    changes = []
    for row in rows:
        try:
            changes.append(Change.from_json(row))
        except (TypeError, ValueError):
            continue
    return changes
