"""History: undo / redo over the Store, checked against a plain model."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
)

from reader.errors import NotFound, StoreError
from reader.history import History
from reader.models import Article
from reader.store import Store
from tests.factories import add_article

TEXT = "Alpha beta gamma. Delta epsilon zeta. Eta theta iota. Kappa lambda mu."
LABELS = ["claim", "opinion", "speculation"]


@pytest.fixture
def history(store: Store) -> History:
    return History(store, add_article(store, TEXT), "tester")


def live(store: Store, article: Article) -> list[tuple[int, int, str, str | None]]:
    return [(a.start, a.end, a.label, a.note) for a in store.annotations(article.id)]


def test_tag_then_undo_tombstones_and_redo_restores(history: History, store: Store) -> None:
    change, added = history.tag(0, 17, "claim")
    assert change is not None and change.kind == "tag"
    assert live(store, history.article) == [(0, 17, "claim", None)]
    history.undo()
    assert live(store, history.article) == []
    assert store.annotation(added.id).deleted  # a tombstone, not gone
    history.redo()
    assert live(store, history.article) == [(0, 17, "claim", None)]
    assert store.annotation(added.id).id == added.id  # the same annotation came back


def test_tagging_the_same_span_relabels_instead_of_duplicating(
    history: History, store: Store
) -> None:
    history.tag(0, 17, "claim")
    change, _ = history.tag(0, 17, "opinion")
    assert change is not None and change.kind == "relabel"
    assert live(store, history.article) == [(0, 17, "opinion", None)]
    assert history.tag(0, 17, "opinion")[0] is None  # same label: nothing to record
    history.undo()
    assert live(store, history.article) == [(0, 17, "claim", None)]


def test_another_annotators_span_is_kept_and_gets_a_second_annotation(
    history: History, store: Store
) -> None:
    colleague = History(store, history.article, "colleague")
    colleague.tag(0, 17, "claim")
    change, mine = history.tag(0, 17, "opinion")
    assert change is not None and change.kind == "tag"
    by_annotator = {a.annotator: a.label for a in store.annotations(history.article.id)}
    assert by_annotator == {"colleague": "claim", "tester": "opinion"}
    assert history.tag(0, 17, "speculation")[1].id == mine.id  # my own span: relabelled


def test_note_delete_and_their_undo(history: History, store: Store) -> None:
    _, added = history.tag(18, 37, "speculation")
    history.set_note(added.id, "why [red]")
    assert live(store, history.article) == [(18, 37, "speculation", "why [red]")]
    history.set_note(added.id, "")
    assert live(store, history.article) == [(18, 37, "speculation", None)]
    history.delete(added.id)
    assert live(store, history.article) == []
    history.undo()  # delete
    history.undo()  # clearing the note
    assert live(store, history.article) == [(18, 37, "speculation", "why [red]")]


def test_a_new_action_clears_redo(history: History) -> None:
    history.tag(0, 17, "claim")
    history.undo()
    assert history.can_redo
    history.tag(18, 37, "claim")
    assert not history.can_redo
    assert history.redo() is None


def test_a_failed_undo_stays_undoable(
    history: History, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    history.tag(0, 17, "claim")

    def locked(*args: object, **kwargs: object) -> None:
        raise StoreError("the database is locked")

    with monkeypatch.context() as m:
        m.setattr(store, "delete_annotation", locked)
        with pytest.raises(StoreError):
            history.undo()
    assert history.can_undo and not history.can_redo
    assert live(store, history.article) == [(0, 17, "claim", None)]
    history.undo()  # retried: now it works
    assert live(store, history.article) == []


def test_a_failed_action_is_not_recorded(
    history: History, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(*args: object, **kwargs: object) -> None:
        raise StoreError("the disk is full")

    monkeypatch.setattr(store, "add_annotation", full)
    with pytest.raises(StoreError):
        history.tag(0, 17, "claim")
    assert not history.can_undo


def test_editing_a_deleted_annotation_is_refused(history: History) -> None:
    _, added = history.tag(0, 17, "claim")
    history.delete(added.id)
    with pytest.raises(NotFound):
        history.set_note(added.id, "x")


SPANS = [(0, 17), (18, 37), (38, 53), (54, 70), (6, 16), (0, 37)]


class HistoryMachine(RuleBasedStateMachine):
    """The Store, through History, against a dict of live annotations with its own
    undo / redo stacks of whole snapshots: the simplest model that can be right."""

    ids = Bundle("ids")

    @initialize()
    def open_store(self) -> None:
        self.tmp = tempfile.TemporaryDirectory()
        self.store = Store(Path(self.tmp.name) / "reader.db")
        self.article = add_article(self.store, TEXT)
        self.history = History(self.store, self.article, "tester")
        self.model: dict[str, tuple[int, int, str, str | None]] = {}
        self.undo_stack: list[dict[str, tuple[int, int, str, str | None]]] = []
        self.redo_stack: list[dict[str, tuple[int, int, str, str | None]]] = []

    def teardown(self) -> None:
        if hasattr(self, "store"):
            self.store.close()
            self.tmp.cleanup()

    def _push(self) -> None:
        self.undo_stack.append(dict(self.model))
        self.redo_stack.clear()

    @rule(target=ids, span=st.sampled_from(SPANS), label=st.sampled_from(LABELS))
    def tag(self, span: tuple[int, int], label: str) -> str:
        same = [i for i, v in self.model.items() if (v[0], v[1]) == span]
        change, annotation = self.history.tag(span[0], span[1], label)
        if same and self.model[same[0]][2] == label:
            assert change is None
        else:
            self._push()
            if same:
                start, end, _, note = self.model[same[0]]
                self.model[same[0]] = (start, end, label, note)
            else:
                self.model[annotation.id] = (span[0], span[1], label, None)
        return annotation.id

    @rule(annotation_id=ids, note=st.sampled_from([None, "", "a note", "[red]x[/"]))
    def note(self, annotation_id: str, note: str | None) -> None:
        if annotation_id not in self.model:
            with pytest.raises(NotFound):
                self.history.set_note(annotation_id, note)
            return
        start, end, label, old = self.model[annotation_id]
        change, _ = self.history.set_note(annotation_id, note)
        if (note or None) == old:
            assert change is None
            return
        self._push()
        self.model[annotation_id] = (start, end, label, note or None)

    @rule(annotation_id=ids, label=st.sampled_from(LABELS))
    def relabel(self, annotation_id: str, label: str) -> None:
        if annotation_id not in self.model:
            return
        start, end, old, note = self.model[annotation_id]
        change, _ = self.history.relabel(annotation_id, label)
        if label == old:
            assert change is None
            return
        self._push()
        self.model[annotation_id] = (start, end, label, note)

    @rule(annotation_id=ids)
    def delete(self, annotation_id: str) -> None:
        if annotation_id not in self.model:
            return
        self.history.delete(annotation_id)
        self._push()
        del self.model[annotation_id]

    @rule()
    def undo(self) -> None:
        result = self.history.undo()
        if not self.undo_stack:
            assert result is None
            return
        assert result is not None
        self.redo_stack.append(dict(self.model))
        self.model = self.undo_stack.pop()

    @rule()
    def redo(self) -> None:
        result = self.history.redo()
        if not self.redo_stack:
            assert result is None
            return
        assert result is not None
        self.undo_stack.append(dict(self.model))
        self.model = self.redo_stack.pop()

    @invariant()
    def store_matches_model(self) -> None:
        if not hasattr(self, "store"):
            return
        stored = {
            a.id: (a.start, a.end, a.label, a.note) for a in self.store.annotations(self.article.id)
        }
        assert stored == self.model
        for annotation in self.store.annotations(self.article.id):
            assert TEXT[annotation.start : annotation.end] == annotation.quote
        assert self.history.can_undo == bool(self.undo_stack)
        assert self.history.can_redo == bool(self.redo_stack)


HistoryMachine.TestCase.settings = settings(max_examples=60, stateful_step_count=30, deadline=None)
test_history_matches_model = HistoryMachine.TestCase


def test_the_history_is_stored_and_survives_a_new_history(history: History, store: Store) -> None:
    article = history.article
    _, first = history.tag(0, 5, "claim")
    history.tag(6, 9, "opinion")
    history.resize(first.id, 0, 4)
    history.undo()  # the resize, onto the redo stack
    again = History(store, article, history.annotator)
    assert again.can_undo and again.can_redo
    again.redo()
    assert (store.annotation(first.id).start, store.annotation(first.id).end) == (0, 4)
    again.undo()
    again.undo()  # the second tag
    again.undo()  # the first tag
    assert live(store, article) == []
    assert not History(store, article, history.annotator).can_undo
    # another annotator has their own history
    other = History(store, article, "someone else")
    assert not other.can_undo and not other.can_redo


def test_the_stored_history_is_bounded(store: Store, history: History) -> None:
    small = History(store, history.article, "bounded", limit=3)
    ids = [small.tag(i, i + 1, "claim")[1].id for i in range(6)]
    again = History(store, history.article, "bounded", limit=3)
    undone = [again.undo() for _ in range(4)]
    assert undone[3] is None  # only the three newest were kept
    assert [u[0].annotation_id for u in undone[:3] if u] == ids[:-4:-1]


def test_progress_follows_the_changes(history: History, store: Store) -> None:
    article = history.article
    assert article.id not in store.work()
    history.tag(0, 5, "claim")
    status, progress = store.work()[article.id]
    assert status == "in progress" and progress is not None and 0 < progress <= 1
    history.undo()
    assert store.work()[article.id] == ("new", 0.0)
    store.set_status(article.id, "done")
    history.redo()
    assert store.work()[article.id][0] == "done"


@pytest.mark.parametrize("how", ["rename", "remove --to"])
def test_a_stored_history_follows_a_renamed_label(history: History, store: Store, how: str) -> None:
    """An undo after `labels rename` (or `remove --to`) restores the label by its new name."""
    article = history.article
    store.add_label("préjugé", key="4")
    _, tagged = history.tag(0, 5, "préjugé")
    history.relabel(tagged.id, "claim")
    history.undo()  # back to préjugé; the relabel waits on the redo stack
    if how == "rename":
        store.rename_label("préjugé", "bias")
        new = "bias"
    else:
        store.remove_label("préjugé", to="opinion")
        new = "opinion"
    again = History(store, article, history.annotator)
    again.redo()
    assert store.annotation(tagged.id).label == "claim"
    again.undo()  # the relabel's before: the renamed label
    assert store.annotation(tagged.id).label == new
    again.undo()  # the tag
    assert live(store, article) == []
