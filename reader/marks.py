"""An article's annotations as the read screen holds them, built off the UI thread.

A 3 MB article with 100,000 annotations opens with its first screen's; the rest
are read by a worker on a connection of its own (`load`) and built here into
everything the panel, its reading pane and its list hold (Marks by id, a dict
each, since each changes its own; the span index; the list's keys and the starts
`]` `[` step through, sorted; the counts per label), so the UI thread only swaps
them in and no key waits for 100,000 of anything. What was changed on the UI
thread meanwhile (a tag, a relabel, an undo, a delete) is replayed onto the set
(`apply`) before the swap: a change the worker's read already saw is replayed
to the same state, one it did not see is added; none is lost or doubled.
"""

from __future__ import annotations

import contextlib
import gc
from bisect import bisect_left, insort
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from operator import attrgetter
from pathlib import Path
from typing import Any

from reader.models import Annotation, Mark, Marked
from reader.store import Store
from reader.text.blocks import TextBlocks
from reader.text.spans import Item, SpanIndex

Key = tuple[int, int, str]  # (start, end, id): the list's order, the store's
_KEY = attrgetter("start", "end", "id")
_START_ID = attrgetter("start", "id")
_ID = attrgetter("id")
_LABEL = attrgetter("label")


@dataclass
class MarkSet:
    """Every live annotation of one article, in the shapes the read screen holds."""

    marks: dict[str, Mark]  # the panel's
    pane_marks: dict[str, Marked]  # the reading pane's
    list_marks: dict[str, Marked]  # the annotation list's
    index: SpanIndex  # the pane's painter: spans by block
    starts: list[tuple[int, str]]  # (start, id), sorted: `]` and `[`
    keys: list[Key]  # the list's entries, sorted
    counts: dict[str, int]  # live annotations per label

    def apply(self, annotation: Mark | Annotation) -> None:
        """One annotation's committed state (a Mark, or the deleted record): its
        old state out of every part, its new one in; the same state twice is a no-op."""
        old = self.marks.pop(annotation.id, None)
        if old is not None:
            self.counts[old.label] -= 1
            if not self.counts[old.label]:
                del self.counts[old.label]
            self.index.remove(old.start, old.end, old)
            _discard(self.starts, (old.start, old.id))
            _discard(self.keys, _KEY(old))
            del self.pane_marks[old.id], self.list_marks[old.id]
        if annotation.deleted:
            return
        mark = annotation if isinstance(annotation, Mark) else Mark.of(annotation)
        self.marks[mark.id] = self.pane_marks[mark.id] = self.list_marks[mark.id] = mark
        self.counts[mark.label] = self.counts.get(mark.label, 0) + 1
        self.index.add(mark.start, mark.end, mark)
        insort(self.starts, (mark.start, mark.id))
        insort(self.keys, _KEY(mark))


BATCH = 1_000  # rows read and built at a time: a few ms of the GIL


def build(
    batches: Iterable[list[Mark]],
    blocks: TextBlocks,
    between: Callable[[], object] | None = None,
) -> MarkSet:
    """The set from the store's Marks, in reading order (as `annotation_mark_batches`
    gives them); `blocks` are the pane's (only their starts and ends are read);
    `between` is called after each batch (the worker waits there for the UI
    thread's turn, so a key never shares the GIL for more than a batch).

    Made to run beside the UI thread, which needs the GIL for every key: no single
    step walks all 100,000 in C (a batch at a time), and the cyclic collector is
    kept off them: left on, it walked the whole heap again and again as the set
    grew (four full collections of 30-160 ms, the UI thread waiting on each), and
    a Mark (a NamedTuple) is never untracked as a plain tuple of numbers would be.
    So the collector is off while the set is made and then everything it tracks
    is frozen (`gc.freeze`: never walked again, still freed by reference counts);
    `release` gives it back once the set is no longer held."""
    by_id: dict[str, Mark] = {}
    spans: list[Item] = []
    starts: list[tuple[int, str]] = []
    keys: list[Key] = []
    counts: Counter[str] = Counter()
    with _frozen_after():
        for batch in batches:
            by_id.update(zip(map(_ID, batch), batch, strict=True))
            spans += [(m.start, m.end, m) for m in batch]
            starts += sorted(map(_START_ID, batch))
            keys += map(_KEY, batch)  # in this order already: the store's
            counts.update(map(_LABEL, batch))
            if between is not None:
                between()
        starts.sort()  # sorted runs, one per batch: a linear merge
        built = MarkSet(
            marks=by_id,
            pane_marks=dict(by_id),
            list_marks=dict(by_id),
            index=SpanIndex(blocks, spans),
            starts=starts,
            keys=keys,
            counts=dict(counts),
        )
    return built


def load(
    path: Path, article_id: str, blocks: TextBlocks, between: Callable[[], object] | None = None
) -> MarkSet:
    """The article's annotations as they are stored now, read on a connection of
    this thread's own (a Store is one per thread) and built (see `build`)."""
    with Store(path, read_only=True) as own:
        return build(own.annotation_mark_batches(article_id, size=BATCH), blocks, between)


def release() -> None:
    """A set `build` made is no longer held (its article left): the collector may
    walk what was frozen again (and free what is cyclic garbage in it)."""
    gc.unfreeze()


@contextlib.contextmanager
def _frozen_after() -> Iterator[None]:
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()  # one move of a list: nothing is walked
        if was:
            gc.enable()


def _discard(ordered: list[Any], item: object) -> None:
    """item out of the sorted list, if it is there."""
    i = bisect_left(ordered, item)
    if i < len(ordered) and ordered[i] == item:
        del ordered[i]
