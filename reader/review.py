"""Adjudication of two annotators' work on one article, without a screen.

`plan` splits the two annotators' live annotations into the agreed ones (the
same label, start and end, paired one to one) and the disagreements: the rest,
grouped where they overlap (whatever their labels), in reading order. A
disagreement is decided by taking a's version, b's, both, neither, or custom
spans. `Review` keeps the result in the store as annotations signed by the gold
annotator (`gold` unless told), origin `adjudicated`, each decision its own
transaction, undoable.

Whose version a gold annotation came from is written in its note, which also
ties it to its disagreement so that a review can be left and resumed:

- `agreed by ana and ben` for an agreed annotation;
- `review 120-164: from ana` (a's, b's or both versions), `review 120-164: custom`;
- `review 120-164: neither`: a tombstone (deleted from birth, so it is in no
  count, listing or export without --include-deleted) that records the decision.

The original annotation's note follows after "; ". (The screen itself, with
`]` `[` `a` `b` `=` `x` `E` and "12 of 31 left", is built on this in reader/tui/.)
"""

from __future__ import annotations

import re
import uuid
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from operator import attrgetter
from typing import Literal

from reader.errors import ReaderError
from reader.history import State
from reader.models import Annotation, Article, stamp_after, utc_now
from reader.store import Store
from reader.text.sanitize import clean_line

ORIGIN = "adjudicated"
GOLD = "gold"
_KEY = re.compile(r"review (\d+)-(\d+): (from |custom|neither)")
Kind = Literal["a", "b", "both", "neither", "custom"]


@dataclass(frozen=True)
class Disagreement:
    """Overlapping annotations of a and b that do not pair up exactly."""

    start: int  # the extent of all of them
    end: int
    a: tuple[Annotation, ...]
    b: tuple[Annotation, ...]

    @property
    def key(self) -> str:
        return f"{self.start}-{self.end}"


@dataclass(frozen=True)
class Plan:
    agreed: tuple[tuple[Annotation, Annotation], ...]
    disagreements: tuple[Disagreement, ...]


@dataclass(frozen=True)
class Decision:
    kind: Kind
    spans: tuple[tuple[int, int, str], ...] = ()  # custom: (start, end, label) each


TAKE_A = Decision("a")
TAKE_B = Decision("b")
BOTH = Decision("both")
NEITHER = Decision("neither")


def custom(*spans: tuple[int, int, str]) -> Decision:
    """Spans of one's own (after a resize, a relabel) in place of both versions."""
    if not spans:
        raise ReaderError("a custom decision needs at least one span")
    return Decision("custom", tuple(spans))


def plan(a: Iterable[Annotation], b: Iterable[Annotation]) -> Plan:
    """Agreed pairs and disagreements of two annotators' live annotations of one article."""
    mine = sorted((x for x in a if not x.deleted), key=_order)
    theirs = sorted((x for x in b if not x.deleted), key=_order)
    waiting: dict[tuple[int, int, str], list[Annotation]] = {}
    for annotation in theirs:
        waiting.setdefault(_extent(annotation), []).append(annotation)
    agreed, rest_a = [], []
    for annotation in mine:
        same = waiting.get(_extent(annotation))
        if same:
            agreed.append((annotation, same.pop(0)))
        else:
            rest_a.append(annotation)
    rest_b = [x for x in theirs if not any(x is pair[1] for pair in agreed)]
    return Plan(tuple(agreed), tuple(_groups(rest_a, rest_b)))


_order = attrgetter("start", "end", "label", "id")  # reading order, then label and id


def _extent(annotation: Annotation) -> tuple[int, int, str]:
    return annotation.start, annotation.end, annotation.label


def _groups(a: list[Annotation], b: list[Annotation]) -> list[Disagreement]:
    """Connected stretches of overlapping annotations, in reading order."""
    tagged = sorted([(x, 0) for x in a] + [(x, 1) for x in b], key=lambda t: _order(t[0]))
    groups: list[Disagreement] = []
    sides: tuple[list[Annotation], list[Annotation]] = ([], [])
    start = end = -1
    for annotation, side in tagged:
        if annotation.start >= end and (sides[0] or sides[1]):
            groups.append(Disagreement(start, end, tuple(sides[0]), tuple(sides[1])))
            sides = ([], [])
        if not (sides[0] or sides[1]):
            start, end = annotation.start, annotation.end
        end = max(end, annotation.end)
        sides[side].append(annotation)
    if sides[0] or sides[1]:
        groups.append(Disagreement(start, end, tuple(sides[0]), tuple(sides[1])))
    return groups


def proposed(
    article: Article, disagreement: Disagreement, decision: Decision, gold: str = GOLD
) -> list[Annotation]:
    """The gold annotations a decision makes (not stored). `neither` makes one
    tombstone, the record of the decision."""
    now = utc_now()
    prefix = f"review {disagreement.key}: "

    def make(start: int, end: int, label: str, note: str, deleted: bool = False) -> Annotation:
        if not 0 <= start < end <= len(article.text):
            raise ReaderError(f"span {start}-{end} is outside the article (0-{len(article.text)})")
        return Annotation.over(
            article.text, article.id, start, end,
            id=str(uuid.uuid4()), label=label, note=note, annotator=gold,
            created_at=now, updated_at=now, origin=ORIGIN, deleted_at=now if deleted else None,
        )  # fmt: skip

    if decision.kind == "custom":
        return [make(s, e, label, prefix + "custom") for s, e, label in decision.spans]
    sides = {"a": disagreement.a, "b": disagreement.b, "both": disagreement.a + disagreement.b}
    if decision.kind not in (*sides, "neither"):
        raise ReaderError(f"unknown decision {decision.kind!r}")
    taken = sides.get(decision.kind, ())
    if not taken:  # neither, or the version of someone who tagged nothing here
        first = (disagreement.a + disagreement.b)[0]
        return [make(disagreement.start, disagreement.end, first.label, prefix + "neither", True)]
    return [
        make(x.start, x.end, x.label, _with_note(f"{prefix}from {x.annotator}", x.note))
        for x in taken
    ]


def _with_note(provenance: str, *notes: str | None) -> str:
    extra = [note for note in dict.fromkeys(notes) if note]
    return "; ".join([provenance, *extra])


@dataclass(frozen=True)
class _Change:
    annotation_id: str
    before: State
    after: State


@dataclass(frozen=True)
class Step:
    """One decision as stored: which disagreement, and each annotation's change."""

    index: int
    changes: tuple[_Change, ...]
    was_decided: bool  # before the step (undo restores it; after it, it is decided)


class Review:
    """Adjudicating `a` and `b` on one article into `gold`'s annotations."""

    def __init__(self, store: Store, article_id: str, a: str, b: str, gold: str = GOLD) -> None:
        if len({a, b, gold}) < 3:
            raise ReaderError("review two different annotators into a third name")
        self.store = store
        self.article = store.article(article_id)
        self.a, self.b, self.gold = a, b, gold
        # one read of the three annotators' rows (tombstones too, for gold's records)
        everything = store.annotations(article_id, include_deleted=True, annotators=[a, b, gold])
        self.of_a = [x for x in everything if x.annotator == a and not x.deleted]
        self.of_b = [x for x in everything if x.annotator == b and not x.deleted]
        self.plan = plan(self.of_a, self.of_b)
        self._undo: list[Step] = []
        self._redo: list[Step] = []
        # One scan of gold's annotations here; afterwards the review keeps track
        # itself, so that "12 of 31 left" and ] [ cost nothing on a large article.
        keys = {d.key: i for i, d in enumerate(self.plan.disagreements)}
        self._starts = [d.start for d in self.plan.disagreements]  # sorted: reading order
        self._records: dict[str, list[str]] = {}  # key -> ids of gold annotations noting it
        self._decided: set[int] = set()
        for annotation in everything:
            if annotation.annotator != gold or annotation.origin != ORIGIN:
                continue
            match = _KEY.match(annotation.note or "")
            if match is not None:
                self._records.setdefault(f"{match.group(1)}-{match.group(2)}", []).append(
                    annotation.id
                )
            key = _decision_key(annotation)
            if key in keys:
                self._decided.add(keys[key])

    # -- state --------------------------------------------------------------

    @property
    def disagreements(self) -> tuple[Disagreement, ...]:
        return self.plan.disagreements

    @property
    def total(self) -> int:
        return len(self.plan.disagreements)

    @property
    def left(self) -> int:
        """Disagreements not decided yet ("12 of 31 left")."""
        return self.total - len(self.decided())

    def decided(self) -> set[int]:
        """Indexes of the decided disagreements: those the store held when the review
        began, kept up to date by its decisions, undos and redos."""
        return set(self._decided)

    def next_open(self, after: int = -1) -> int | None:
        """The first undecided disagreement after index `after`, wrapping around."""
        return self._open(range(after + 1, after + 1 + self.total))

    def previous_open(self, before: int | None = None) -> int | None:
        before = self.total if before is None else before
        return self._open(range(before - 1, before - 1 - self.total, -1))

    def _open(self, indexes: Iterable[int]) -> int | None:
        for i in indexes:
            if i % self.total not in self._decided:
                return i % self.total
        return None

    def index_at(self, offset: int) -> int | None:
        """The disagreement whose extent holds `offset`, None outside them all."""
        starts = self._starts
        i = bisect_right(starts, offset) - 1
        if i >= 0 and offset < self.plan.disagreements[i].end:
            return i
        return None

    def outcome(self, index: int) -> str:
        """How disagreement `index` stands: "open", "from ana", "from ana and ben",
        "custom" or "neither"."""
        if index not in self._decided:
            return "open"
        made = self._of(self.plan.disagreements[index])
        if any(x.deleted for x in made):
            return "neither"
        sources = []
        for x in made:
            match = _KEY.match(x.note or "")
            tail = (x.note or "")[match.end() :] if match else ""
            source = "custom" if match and match.group(3) == "custom" else tail.split(";")[0]
            if source not in sources:
                sources.append(source)
        if "custom" in sources:
            return "custom"
        rank = {self.a: 0, self.b: 1}  # a's name first, whatever order the store gave
        return "from " + " and ".join(sorted(sources, key=lambda name: rank.get(name, 2)))

    def result(self) -> list[Annotation]:
        """Gold's live annotations of this article: the adjudicated result so far."""
        return [x for x in self._gold() if not x.deleted]

    def _gold(self) -> list[Annotation]:
        return [
            x
            for x in self.store.annotations(self.article.id, annotators=[self.gold])
            if x.origin == ORIGIN
        ]

    # -- actions ------------------------------------------------------------

    def accept_agreed(self) -> list[Annotation]:
        """Put the agreed annotations into the result (once: those gold already has
        with the same label and extent are not added again). One transaction."""
        have = {_extent(x) for x in self.result()}
        now = utc_now()
        added = []
        for x, y in self.plan.agreed:
            if _extent(x) in have:
                continue
            have.add(_extent(x))
            note = _with_note(f"agreed by {x.annotator} and {y.annotator}", x.note, y.note)
            added.append(
                replace(
                    x, id=str(uuid.uuid4()), note=note, annotator=self.gold, origin=ORIGIN,
                    created_at=now, updated_at=now, deleted_at=None,
                )
            )  # fmt: skip
        if added:
            self.store.put_annotations(added)
        return added

    def decide(self, index: int, decision: Decision) -> list[Annotation]:
        """Decide disagreement `index` (again: the earlier decision is replaced), in
        one transaction; returns the gold annotations it made."""
        disagreement = self.plan.disagreements[index]
        for _, _, label in decision.spans:
            self.store.label(label)  # an unknown label is an error before anything is stored
        made = proposed(self.article, disagreement, decision, self.gold)
        changes = []
        with self.store.write():
            for old in self._of(disagreement):
                # an earlier decision: its annotations go, its "neither" stops counting
                note = f"{old.note} (replaced)" if old.deleted else old.note
                changes.append(_Change(old.id, State.of(old), State(False, old.label, note)))
            for change in changes:
                self._restore(change.annotation_id, change.after)
            self.store.put_annotations(made)
            for annotation in made:
                before = State(False, annotation.label, _undone(annotation))
                changes.append(_Change(annotation.id, before, State.of(annotation)))
        self._records.setdefault(disagreement.key, []).extend(x.id for x in made)
        self._undo.append(Step(index, tuple(changes), index in self._decided))
        self._decided.add(index)
        self._redo.clear()
        return made

    def undo(self) -> int | None:
        """Undo the last decision; the index of its disagreement, None when none."""
        return self._replay(self._undo, self._redo, backwards=True)

    def redo(self) -> int | None:
        return self._replay(self._redo, self._undo, backwards=False)

    def _replay(self, source: list[Step], target: list[Step], backwards: bool) -> int | None:
        if not source:
            return None
        step = source[-1]
        with self.store.write():
            for change in reversed(step.changes) if backwards else step.changes:
                self._restore(change.annotation_id, change.before if backwards else change.after)
        target.append(source.pop())
        if backwards and not step.was_decided:
            self._decided.discard(step.index)
        else:
            self._decided.add(step.index)
        return step.index

    def _of(self, disagreement: Disagreement) -> list[Annotation]:
        """Gold annotations that record a decision of this disagreement, as they are now."""
        found = self.store.annotations_by_id(self._records.get(disagreement.key, []))
        return [x for x in found.values() if _decision_key(x) == disagreement.key]

    def _restore(self, annotation_id: str, state: State) -> None:
        """Bring one gold annotation to `state` with a single write (the caller holds
        the transaction that makes the whole decision one)."""
        current = self.store.annotation(annotation_id)
        if State.of(current) == state:
            return
        now = stamp_after(current.updated_at)  # a local edit: later than stored
        deleted_at = None if state.alive else (current.deleted_at or now)
        changed = replace(
            current, label=state.label, note=state.note, deleted_at=deleted_at, updated_at=now
        )
        self.store.put_annotations([changed])


def _decision_key(annotation: Annotation) -> str | None:
    """The disagreement a gold annotation records a decision of: a live one with a
    review note, or the tombstone of a "neither"; None for anything else."""
    match = _KEY.match(annotation.note or "")
    if match is None:
        return None
    key = f"{match.group(1)}-{match.group(2)}"
    if annotation.deleted:
        return key if annotation.note == f"review {key}: neither" else None
    return None if match.group(3) == "neither" else key


def _undone(annotation: Annotation) -> str | None:
    """The note a decision's annotation gets when the decision is undone: a marker
    of "neither" must stop counting as a decision; the others are tombstoned."""
    if annotation.deleted:
        return f"{annotation.note} (undone)"
    return annotation.note


def versions(disagreement: Disagreement, text: str, limit: int = 40) -> tuple[str, str]:
    """a's and b's versions in a few words each, for a status area."""

    def one(side: Sequence[Annotation]) -> str:
        if not side:
            return "nothing"
        parts = []
        for x in side:
            quote = text[x.start : x.end]
            quote = quote if len(quote) <= limit else quote[: limit - 1] + "…"
            parts.append(f"{x.label} {x.start}-{x.end} “{quote}”")
        return "; ".join(parts)

    return one(disagreement.a), one(disagreement.b)


def annotators_of(store: Store, article_id: str) -> list[tuple[str, int]]:
    """Who annotated the article (live annotations), with how many each, most first;
    the gold annotators' own adjudicated work left out."""
    counts: dict[str, int] = {}
    for x in store.annotations(article_id):
        if x.origin != ORIGIN:
            counts[x.annotator] = counts.get(x.annotator, 0) + 1
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def parse_pair(value: str) -> tuple[str, str]:
    """`--annotators A,B`: two different names (white space around each ignored)."""
    names = [clean_line(name) for name in value.split(",")]
    if len(names) != 2 or not all(names):
        raise ReaderError(f"give two annotators as A,B, not {clean_line(value)!r}")
    if names[0] == names[1]:
        raise ReaderError(f"review two different annotators, not {names[0]} twice")
    return names[0], names[1]


def check_pair(store: Store, article: Article, a: str, b: str, gold: str) -> None:
    """ReaderError unless a and b both annotated the article and gold is a third name."""
    found = dict(annotators_of(store, article.id))
    for name in (a, b):
        if name not in found:
            who = ", ".join(sorted(found)) or "nobody"
            raise ReaderError(
                f"{name} has no annotations in {article.id} "
                f"“{clean_line(article.title, 40)}” (annotated by: {who})"
            )
    if not clean_line(gold):
        raise ReaderError("the gold annotator's name is empty; give one with --as NAME")
    if gold in (a, b):
        raise ReaderError(f"the result needs a name of its own, not {gold} (one of the two)")
