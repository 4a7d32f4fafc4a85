"""reader.marks: the read screen's set built in batches equals the set built plainly,
and changes replayed onto it (tag, relabel, move, delete; each seen or not by the
worker's read) leave every part of it as the store has them: none lost or doubled."""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Iterator

from hypothesis import given, settings
from hypothesis import strategies as st

from reader import marks
from reader.marks import MarkSet
from reader.models import Annotation, Mark
from reader.store import Store
from reader.text.blocks import TextBlocks
from tests import factories

TEXT = "\n\n".join(f"Paragraph {i} has a few words in it, and then some more." for i in range(30))
BLOCKS = TextBlocks(TEXT)
LABELS = ("claim", "opinion", "speculation")


def mark(i: int, start: int, length: int, label: int) -> Mark:
    start = min(start, len(TEXT) - 1)
    end = min(start + length, len(TEXT))
    return Mark(start, end, LABELS[label % 3], f"id{i:04d}", None, "ana", "t")


def batches(found: list[Mark], size: int) -> Iterator[list[Mark]]:
    ordered = sorted(found, key=lambda m: (m.start, m.end, m.id))  # the store's order
    for i in range(0, len(ordered), size):
        yield ordered[i : i + size]


def check(built: MarkSet, expected: dict[str, Mark]) -> None:
    """Every part of the set says what `expected` (the store) says, once each."""
    assert built.marks == expected
    assert built.pane_marks == expected and built.list_marks == expected
    assert built.marks is not built.pane_marks is not built.list_marks
    assert built.keys == sorted((m.start, m.end, m.id) for m in expected.values())
    assert built.starts == sorted((m.start, m.id) for m in expected.values())
    assert built.counts == dict(Counter(m.label for m in expected.values()))
    indexed = built.index.overlapping(0, len(TEXT))
    assert sorted(s[2].id for s in indexed) == sorted(expected)  # each once
    for start in range(0, len(TEXT), 37):
        held = {s[2].id for s in built.index.overlapping(start, start + 1)}
        assert held == {m.id for m in expected.values() if m.start <= start < m.end}


marks_strategy = st.lists(
    st.tuples(st.integers(0, len(TEXT)), st.integers(1, 120), st.integers(0, 2)), max_size=60
)


@settings(max_examples=60, deadline=None)
@given(marks_strategy, st.integers(1, 7))
def test_built_in_batches_is_the_plain_set(specs: list[tuple[int, int, int]], size: int) -> None:
    found = [mark(i, *spec) for i, spec in enumerate(specs)]
    try:
        built = marks.build(batches(found, size), BLOCKS)
    finally:
        marks.release()
    check(built, {m.id: m for m in found})


# a change: (which annotation, a new start, length and label, or None: deleted)
changes_strategy = st.lists(
    st.tuples(
        st.integers(0, 70),
        st.none() | st.tuples(st.integers(0, len(TEXT)), st.integers(1, 120), st.integers(0, 2)),
    ),
    max_size=25,
)


def deleted(m: Mark) -> Annotation:
    return Annotation.over(
        TEXT, "a", m.start, m.end, id=m.id, label=m.label, note=m.note,
        annotator=m.annotator, created_at=m.created_at, updated_at="u", deleted_at="d",
    )  # fmt: skip


@settings(max_examples=80, deadline=None)
@given(marks_strategy, changes_strategy, st.integers(0, 25), st.integers(1, 7))
def test_changes_replayed_onto_the_set_are_neither_lost_nor_doubled(
    specs: list[tuple[int, int, int]],
    changes: list[tuple[int, tuple[int, int, int] | None]],
    seen: int,
    size: int,
) -> None:
    """The worker reads the store after the first `seen` changes; all of them are
    then replayed (the UI thread made them all): the set ends as the store."""
    store = {m.id: m for m in (mark(i, *spec) for i, spec in enumerate(specs))}
    shown: dict[str, Mark | Annotation] = {}  # the UI thread's last state of each
    snapshot: list[Mark] | None = None
    for n, (which, new) in enumerate(changes):
        if n == seen:
            snapshot = list(store.values())
        ident = f"id{which:04d}"
        if new is None:
            if ident in store:
                shown[ident] = deleted(store.pop(ident))
        else:
            store[ident] = shown[ident] = mark(which, *new)
    if snapshot is None:
        snapshot = list(store.values())
    try:
        built = marks.build(batches(snapshot, size), BLOCKS)
    finally:
        marks.release()
    for annotation in shown.values():
        built.apply(annotation)
    check(built, store)
    for annotation in shown.values():  # replayed twice: the same
        built.apply(annotation)
    check(built, store)


def test_the_collector_is_kept_off_the_set_until_released() -> None:
    found = [mark(i, i * 7, 20, i) for i in range(50)]
    before = gc.get_freeze_count()
    built = marks.build(batches(found, 8), BLOCKS)
    try:
        assert gc.isenabled()
        assert gc.get_freeze_count() > before
        walked = {id(o) for o in gc.get_objects()}  # the generations it walks
        assert not any(id(m) in walked for m in built.marks.values())
    finally:
        marks.release()
    assert gc.get_freeze_count() == 0


def test_between_is_called_after_each_batch() -> None:
    found = [mark(i, i * 7, 20, i) for i in range(10)]
    calls: list[int] = []
    try:
        marks.build(batches(found, 3), BLOCKS, lambda: calls.append(1))
    finally:
        marks.release()
    assert len(calls) == 4


def test_loaded_from_the_store_on_a_connection_of_its_own(store: Store) -> None:
    """`load` reads what the store holds, live only, in batches that together are
    `annotation_marks`; `annotation_start_beside` is what `]` `[` find in them."""
    from bisect import bisect_left, bisect_right

    article = factories.add_article(store, TEXT)
    made = [
        store.add_annotation(article, start, start + 9, LABELS[start % 3], "ana")
        for start in range(0, len(TEXT) - 10, 23)
    ]
    store.delete_annotation(made[3].id)
    try:
        built = marks.load(store.path, article.id, BLOCKS)
    finally:
        marks.release()
    live = store.annotation_marks(article.id)
    assert len(live) == len(made) - 1
    check(built, {m.id: m for m in live})
    batched = list(store.annotation_mark_batches(article.id, size=4))
    assert [m for batch in batched for m in batch] == live and len(batched[0]) == 4
    starts = sorted(m.start for m in live)
    for offset in (0, 1, made[3].start, 230, len(TEXT) - 1):
        i = bisect_right(starts, offset)
        after = starts[i] if i < len(starts) else None
        j = bisect_left(starts, offset) - 1
        before = starts[j] if j >= 0 else None
        assert store.annotation_start_beside(article.id, offset, 1) == after
        assert store.annotation_start_beside(article.id, offset, -1) == before
