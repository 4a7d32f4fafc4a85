"""One annotatable article: the reading pane, its undo history and its status line.

The read screen shows one panel, the compare screen two; each panel has its own
history, so `u` in the left pane never undoes a tag made in the right one.
Every action goes through History, which writes to the Store (committed on
return) before the panel repaints: what the screen shows as saved is saved.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from operator import attrgetter
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.timer import Timer

from reader import marks
from reader.errors import ReaderError
from reader.history import Change, History
from reader.marks import MarkSet
from reader.models import Annotation, Article, Label, Mark, Marked
from reader.store import Store
from reader.text.sanitize import clean_line
from reader.tui.context import reader_app
from reader.tui.display import as_markup, counts_text, database_text, label_chip
from reader.tui.screens.also_in import ALSO_IN_KEYS, AlsoIn, AlsoInActions
from reader.tui.screens.suggesting import SUGGESTION_KEYS, SuggestionActions, Suggestions
from reader.tui.widgets.reading_pane import ReadingPane
from reader.tui.widgets.status_line import StatusLine

_ID, _LABEL = attrgetter("id"), attrgetter("label")
# An article with more annotations than this opens with those starting in its first
# FIRST_SCREEN_CHARS (a screen of text is about 4,000) and loads them all after, in a
# thread worker (reader.marks: read and built there, swapped in at once).
FIRST_SCREEN_FROM = 5_000
FIRST_SCREEN_CHARS = 12_000
MESSAGE_SECONDS = 5.0  # a status message fades after this long
PROGRESS_SECONDS = 3.0  # the article's progress is stored after this long without a change
_MESSAGE_ROOM = 34  # cells kept beside the counts for "Tagged claim · saved · u undoes"


class ArticlePanel(SuggestionActions, AlsoInActions, Vertical):
    """ReadingPane + StatusLine; the keys that change annotations live here
    (those for suggested tags in screens/suggesting.py)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "note", "Note"),
        Binding("x", "delete", "Delete"),
        Binding("u", "undo", "Undo"),
        Binding("E", "resize", "Resize", show=False),
        Binding("enter", "save_resize", "Save extent", show=False),
        Binding("ctrl+r", "redo", "Redo", show=False),
        *SUGGESTION_KEYS,
        *ALSO_IN_KEYS,
    ]

    @dataclass
    class Changed(Message):
        """The panel's annotations changed (tag, note, delete, undo, reload); handed
        to the screen's panel_changed at once (see _changed), not posted.

        `annotation` is the one that changed, in its committed state (a Mark, or
        the deleted record); None after a reload, when any may have."""

        panel: ArticlePanel
        annotation: Marked | None = None
        built: MarkSet | None = None  # all loaded: the list's entries, ready

    def __init__(
        self, article: Article, *, offset: int | None = None, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.article = article
        self.start_offset = offset
        # Marks, not Annotations: offsets, label, id, note, annotator; a tenth of
        # the memory. Full records are fetched where one is shown or edited.
        self.annotations: dict[str, Mark] = {}
        self.counts: dict[str, int] = {}  # live annotations per label, kept per change
        self.loaded = True  # False while only the first screen's annotations are in
        # while not loaded: what changed here, by id, its last state (replayed onto
        # the loaded set, so none is lost or doubled)
        self._meanwhile: dict[str, Mark | Annotation] = {}
        self._built = False  # reader.marks built the set (and froze it from the collector)
        self._gone = False  # unmounted
        self.under: list[Marked] = []  # under the cursor, innermost first
        self._under_at = -1  # the cursor `under` was found at
        self._counts: tuple[object, Text] | None = None  # the counts line, by what it shows
        self._status_due = False  # a drawing of the status line is queued
        self.message: Text | None = None
        self.error = False
        self.sync_note = ""  # "⇅ together" in compare, when the panes scroll together
        self._label_keys: list[str] = []
        self._message_at: int | None = None  # the cursor when the message was shown
        self._grouped = False  # label keys under one footer caption (narrow screens)
        self.suggesting = Suggestions(self)
        self.also_in = AlsoIn(self)  # "also in N of M articles" (screens/also_in.py)
        self._fade_timer: Timer | None = None
        self._progress_timer: Timer | None = None
        self.resizing: Mark | None = None  # `E`: the annotation whose extent is edited
        self._target: Mark | None = None  # act_on: the list's entry, not the cursor's
        self._where: tuple[int, Text] | None = None  # the first status line, per width

    # -- set up -----------------------------------------------------------

    @property
    def store(self) -> Store:
        return reader_app(self).store

    @property
    def labels(self) -> list[Label]:
        return reader_app(self).labels

    def compose(self) -> ComposeResult:
        self.history = History(
            self.store, self.article, reader_app(self).annotator, defer_progress=True
        )
        try:
            counts = self.store.article_label_counts(self.article.id)
            if sum(counts.values()) > FIRST_SCREEN_FROM and self.start_offset is None:
                # Many: the first screen's now, the rest once the text is on screen
                # (the status counts the store's meanwhile)
                first = self.store.annotation_marks(self.article.id, FIRST_SCREEN_CHARS)
                self._set_all(first)
                self.counts = counts
                self.loaded = False
            else:
                self._set_all(self.store.annotation_marks(self.article.id))
        except ReaderError as exc:
            self._set_all([])
            self.fail(exc)
        pane = ReadingPane(self.article, list(self.annotations.values()), self.labels)
        if not self.loaded:  # `]` `[` ask the store until the pane has them all
            pane.seek_annotation = self._seek
        yield pane
        yield StatusLine()

    def _load_rest(self) -> None:
        """Every annotation, after the first screen's: read and built in a thread
        worker on its own connection (reader.marks), then swapped in (_take_loaded)."""
        if self.loaded or not self.is_mounted:
            return
        path, article_id, blocks = self.store.path, self.article.id, self.pane.geometry
        self._built = True
        if str(path) == ":memory:":  # no second connection can see it: read it here
            try:
                built = marks.build(self.store.annotation_mark_batches(article_id), blocks)
            except ReaderError as exc:
                self.fail(exc)
                return
            self._take_loaded(built)
            return
        app = self.app

        def turn() -> None:  # between batches: after what the UI thread has queued
            app.call_from_thread(_nothing)

        def work() -> None:
            try:
                built = marks.load(path, article_id, blocks, turn)
            except RuntimeError:  # the app has closed meanwhile
                return
            except ReaderError as exc:
                with contextlib.suppress(RuntimeError):  # the app has closed meanwhile
                    app.call_from_thread(self.fail, exc)
                return
            with contextlib.suppress(RuntimeError):
                app.call_from_thread(self._take_loaded, built)

        self.run_worker(work, thread=True, exclusive=True, group="annotations")

    def _take_loaded(self, built: MarkSet) -> None:
        """The worker's set, with what changed here meanwhile replayed onto it,
        becomes the panel's, the pane's and the list's in one turn."""
        if self._gone:  # left before the worker was done (is_mounted stays True)
            marks.release()
            return
        if self.loaded:  # a reload took them all meanwhile
            return
        for annotation in self._meanwhile.values():
            built.apply(annotation)
        self._all_in()
        self.annotations, self.counts = built.marks, built.counts
        self.pane.take_annotations(built.pane_marks, built.index, built.starts)
        self._after_taking(built)

    def _take_stored(self) -> bool:
        """The article's annotations as the store has them now, counted and drawn;
        False (and said) when they cannot be read."""
        try:
            annotations = self.store.annotation_marks(self.article.id)
        except ReaderError as exc:
            self.fail(exc)
            return False
        self._all_in()
        self._set_all(annotations)
        self.pane.set_annotations(annotations)
        return True

    def _all_in(self) -> None:
        self.loaded = True
        self._meanwhile = {}
        self.pane.seek_annotation = None

    def _seek(self, direction: int, offset: int) -> int | None:
        """While loading: the nearest annotation start beside offset, as stored."""
        try:
            return self.store.annotation_start_beside(self.article.id, offset, direction)
        except ReaderError as exc:
            self.fail(exc)
            return None

    def _after_taking(self, built: MarkSet | None = None) -> None:
        self.suggesting.annotations_changed()
        self._look_here()
        self.refresh_status()
        self._changed(built=built)

    def on_unmount(self) -> None:
        self.history.update_progress()  # leaving the article: the library shows it
        self.also_in.close()
        self._gone = True
        if self._built:  # the collector may walk what the build froze again
            marks.release()

    def _progress_soon(self) -> None:
        """The progress once the keys have been quiet a while (not on a keystroke)."""
        if self._progress_timer is not None:
            self._progress_timer.stop()
        self._progress_timer = self.set_timer(PROGRESS_SECONDS, self.history.update_progress)

    def on_mount(self) -> None:
        if not self.loaded:  # after two refreshes: once the first frame is out
            self.call_after_refresh(self.call_after_refresh, self._load_rest)
        self.bind_label_keys()
        if self.start_offset is not None:
            self.pane.move_cursor(self.start_offset, center=True)
        self.refresh_status()

    @property
    def pane(self) -> ReadingPane:
        return self.query_one(ReadingPane)

    def bind_label_keys(self) -> None:
        """1-9: one binding per label that has a key, described by its name, so the
        footer, the help and the command palette all show the real labels."""
        keymap = self._bindings.key_to_bindings
        for key in self._label_keys:
            keymap.pop(key, None)
        self._label_keys = []
        # Where the footer has no room for every name, the keys share one caption
        # ("1 2 3 4 Tag"), so `?` and the screen's own keys stay in view.
        group = Binding.Group("Tag") if self._grouped else None
        for label in self.labels:
            if label.key and len(label.key) == 1 and label.key.isdigit():
                name = clean_line(label.name, 16)
                keymap[label.key] = [
                    Binding(
                        label.key,
                        f"tag({label.key!r})",
                        name,
                        group=group,
                        # a grouped key's tooltip, else its description: markup
                        tooltip=as_markup(name) if group else "",
                    )
                ]
                self._label_keys.append(label.key)
        # A free key of 4-9 offers to make a label on the spot (name, then it tags).
        used = {label.key for label in self.labels}
        for key in "456789":
            if key not in used:
                keymap[key] = [Binding(key, f"new_label({key!r})", "New label", show=False)]
                self._label_keys.append(key)
        self.refresh_bindings()

    def footer_width(self) -> int:
        """Columns the footer needs for the screen's keys with every label named."""
        app = self.app
        width = 0
        for active in self.screen.active_bindings.values():
            binding = active.binding
            if binding.show and not binding.action.startswith("tag("):
                width += len(app.get_key_display(binding)) + len(binding.description) + 2
        for label in self.labels:
            if label.key and len(label.key) == 1 and label.key.isdigit():
                width += len(label.key) + len(clean_line(label.name, 16)) + 2
        return width

    def fit_footer(self) -> None:
        grouped = self.footer_width() > self.app.size.width
        if grouped != self._grouped:
            self._grouped = grouped
            self.bind_label_keys()

    def reload(self) -> None:
        """Annotations and labels as the Store has them now (another process may
        have changed them while this screen was away)."""
        self.pane.set_labels(self.labels)
        if not self._take_stored():
            return
        self.history.reload()  # a renamed label is renamed in the stored stacks
        self.bind_label_keys()
        # a new label may need the room; compare decides its own keys' too
        getattr(self.screen, "fit_footer", self.fit_footer)()
        self._after_taking()

    def _set_all(self, annotations: list[Mark]) -> None:
        # C-level passes: 100,000 Marks at open, no Python call per one
        self.annotations = dict(zip(map(_ID, annotations), annotations, strict=True))
        self.counts = dict(Counter(map(_LABEL, annotations)))

    # -- what is under the cursor -----------------------------------------

    def on_reading_pane_cursor_moved(self, event: ReadingPane.CursorMoved) -> None:
        pane = self.pane
        # What is under the cursor now: the message may have been posted before an
        # action changed the annotations (tagging clears the selection first).
        self._look_here()
        # The last action's outcome stays until the cursor really moves away from
        # where the action left it; messages posted during the action do not count.
        if self.resizing is not None and not pane.extending:
            self.resizing = None  # escape (or `v`) left extent editing: nothing changed
            self.say(Text("Resize cancelled"))
        current = event.offset == pane.cursor
        if current and pane.cursor != self._message_at and not self.error:
            self.message = None
        self.also_in.cursor_moved()
        self.refresh_status()

    def on_reading_pane_search_requested(self, event: ReadingPane.SearchRequested) -> None:
        from reader.tui.dialogs.search_prompt import SearchPrompt

        event.stop()
        self.app.push_screen(SearchPrompt(event.query), event.pane.searched)

    def _look_here(self) -> list[Marked]:
        """What is under the cursor, innermost first: found once per cursor move or
        change, read by the status line, the list's follow and the actions."""
        pane = self.pane
        self.under = _innermost_first(pane.annotations_at(pane.cursor))
        self._under_at = pane.cursor
        return self.under

    def annotation_here(self, *, own: bool = False) -> Mark | None:
        """The innermost live annotation under the cursor (the newest on a tie);
        with `own`, the innermost of this annotator's."""
        me = reader_app(self).annotator
        if self._target is not None:
            return self._target if not own or self._target.annotator == me else None
        under = self.under if self._under_at == self.pane.cursor else self._look_here()
        for a in under:
            if a.id in self.annotations and (not own or a.annotator == me):
                return self.annotations[a.id]
        return None

    # -- actions ----------------------------------------------------------

    def act_on(self, annotation_id: str, action: str, key: str | None = None) -> None:
        """An action of the annotation list's ("tag" with a label key, "delete",
        "note", "resize") on that annotation, not the innermost under the cursor;
        the cursor goes to it so the status line and `u` show what changed."""
        target = self.annotations.get(annotation_id)
        if target is None:
            return
        if action in ("tag", "resize") and target.annotator != reader_app(self).annotator:
            verb = "relabelled" if action == "tag" else "resized"
            self.say(Text(f"Only your own annotations can be {verb}."))
            return
        pane = self.pane
        pane.clear_selection()
        pane.move_cursor(target.start, center=True)
        self._target = target
        try:
            if action == "tag":
                self.action_tag(key or "")
            else:
                getattr(self, f"action_{action}")()
        finally:
            self._target = None

    def action_resize(self) -> None:
        """`E`: edit the extent of the own annotation under the cursor."""
        annotation = self.annotation_here(own=True)
        if annotation is None:
            self.say(Text("No annotation of yours under the cursor to resize."))
            return
        self.resizing = annotation
        self.pane.select_span(annotation.start, annotation.end)
        self.say(Text("o other end · enter saves · esc cancels"))

    def action_save_resize(self, label: str | None = None) -> None:
        annotation, pane = self.resizing, self.pane
        if annotation is None:  # Enter, not resizing: on a suggestion it accepts it
            self.action_accept_suggestion()
            return
        span = pane.selection
        if span is None:
            self.say(Text("An empty extent: move the end, or escape to cancel."))
            return
        self.resizing = None
        try:
            change, updated = self.history.resize(annotation.id, span[0], span[1], label)
        except ReaderError as exc:
            self.fail(exc)
            return
        pane.clear_selection()
        _keep_inside(pane, span)
        self.apply(updated)
        if change is None:
            self.say(Text("Extent unchanged"))
        else:
            self.done(change)

    def action_new_label(self, key: str) -> None:
        """A key without a label: ask for a name, make the label, then tag with it."""
        from reader.tui.dialogs.label_name import LabelNameDialog

        made: list[str] = []

        def save(name: str) -> None:
            made.append(self.store.add_label(name, key=key).name)

        def closed(_: object) -> None:
            self.pane.focus()
            if not made:
                return
            reader_app(self).reload_labels()
            for panel in self.screen.query(ArticlePanel):
                panel.reload()
            self.action_tag(key)

        self.app.push_screen(
            LabelNameDialog(f"Key {key} has no label: name a new one", save), closed
        )

    def action_tag(self, key: str) -> None:
        label = next((label for label in self.labels if label.key == key), None)
        if label is None:
            return
        if self.resizing is not None:  # a label key saves the new extent, relabelled
            self.action_save_resize(label.name)
            return
        pane = self.pane
        if pane.selection is None and self._target is None and self.suggesting.accept(label.name):
            return  # on a suggestion: accept it as this label
        # No selection on an annotation of one's own: the key relabels it (the
        # innermost, the one the status line names first), whatever its extent.
        own = self.annotation_here(own=True) if pane.selection is None else None
        span = (own.start, own.end) if own is not None else pane.target_span()
        if span is None:
            self.say(Text("Nothing to tag here: move onto a sentence or select some text."))
            return
        try:
            if own is not None:
                change, annotation = self.history.relabel(own.id, label.name)
            else:  # a selection equal to an own annotation relabels it (History.tag)
                change, annotation = self.history.tag(span[0], span[1], label.name)
        except ReaderError as exc:
            self.fail(exc)
            return
        # The cursor stays where it was, kept inside what was tagged (a selection's
        # end is just past it): the status shows it, `c`, `x`, `E` act on it.
        pane.clear_selection()
        _keep_inside(pane, span)
        self.apply(annotation)
        if change is None:
            self.say(Text("Already tagged ").append_text(label_chip(label.name, self.by_name)))
        else:
            self.done(change)

    def action_note(self) -> None:
        from reader.tui.dialogs.note import NoteDialog

        annotation = self.annotation_here()
        if annotation is None:
            self.say(Text("No annotation under the cursor: tag one first (1-9), then c."))
            return
        results: list[tuple[Change | None, Annotation]] = []
        # from the annotation list (act_on): back to the list, else to the pane
        back = self.screen.focused if self._target is not None else None

        def save(note: str | None) -> None:
            results.append(self.history.set_note(annotation.id, note))

        def closed(_: object) -> None:
            if results:
                change, updated = results[-1]
                self.apply(updated)
                if change is not None:
                    self.done(change)
            (back if back is not None and back.is_mounted else self.pane).focus()

        try:  # the screen holds Marks: the full record for the dialog
            full = self.store.annotation(annotation.id)
        except ReaderError as exc:
            self.fail(exc)
            return
        self.app.push_screen(NoteDialog(full.quote, full.note, save), closed)

    def action_delete(self) -> None:
        if self._target is None and self.suggesting.reject():  # on a suggestion: reject it
            return
        annotation = self.annotation_here()
        if annotation is None:
            self.say(Text("No annotation under the cursor to delete."))
            return
        try:
            change, deleted = self.history.delete(annotation.id)
        except ReaderError as exc:
            self.fail(exc)
            return
        self.apply(deleted)
        self.done(change)

    def action_undo(self) -> None:
        if self.suggesting.undo_reject():
            return
        self._step(self.suggesting.watch(self.history.undo, undo=True), "Undid", "Nothing to undo.")

    def action_redo(self) -> None:
        self._step(
            self.suggesting.watch(self.history.redo, undo=False), "Redid", "Nothing to redo."
        )

    def _step(
        self, step: Callable[[], tuple[Change, Annotation] | None], verb: str, nothing: str
    ) -> None:
        try:
            result = step()
        except ReaderError as exc:
            self.fail(exc)
            return
        if result is None:
            self.say(Text(nothing))
            return
        change, annotation = result
        self.apply(annotation)
        self.say(Text(f"{verb}: {change.describe()}"))

    # -- showing results --------------------------------------------------

    @property
    def by_name(self) -> dict[str, Label]:
        return reader_app(self).labels_by_name

    def apply(self, annotation: Annotation) -> None:
        """Show one annotation's committed state (held as a Mark while live)."""
        # one change costs what it touches: counts, the pane's index, the list's entry
        before = self.annotations.pop(annotation.id, None)
        if before is not None:
            self.counts[before.label] = self.counts.get(before.label, 1) - 1
        shown: Marked = annotation
        if not annotation.deleted:
            shown = self.annotations[annotation.id] = Mark.of(annotation)
            self.counts[annotation.label] = self.counts.get(annotation.label, 0) + 1
        if not self.loaded:
            self._while_loading(annotation)
        pane = self.pane
        pane.change_annotation(before, shown)
        self.suggesting.annotations_changed(shown)
        self._look_here()
        self.error = False
        self._changed(shown)
        if self.history.progress_due:
            self._progress_soon()

    def _while_loading(self, annotation: Annotation) -> None:
        """A change before the rest is in: kept for the loaded set, and the counts
        the store's (the change may be to one not loaded yet: undo, relabel)."""
        self._meanwhile[annotation.id] = (
            annotation if annotation.deleted else self.annotations[annotation.id]
        )
        with contextlib.suppress(ReaderError):  # else counted as above, by what is here
            self.counts = self.store.article_label_counts(self.article.id)

    def _changed(self, annotation: Marked | None = None, built: MarkSet | None = None) -> None:
        """Tell the screen at once (its panel_changed), not by a message: a message
        reaches the screen after the pane's repaint, and the list would be drawn a
        frame (17-30 ms) after the pane, not in the same one."""
        from reader.tui.screens.panels import PanelsScreen  # it imports this module

        screen = self.screen
        if isinstance(screen, PanelsScreen):
            screen.panel_changed(self.Changed(self, annotation, built))

    def done(self, change: Change) -> None:
        """The outcome of an action, shown only once the Store has committed it."""
        if change.kind == "note":
            text = Text("Note saved" if change.after.note else "Note cleared")
        else:
            verb = {
                "tag": "Tagged",
                "relabel": "Relabelled",
                "delete": "Deleted",
                "resize": "Resized",
            }[change.kind]
            label = change.before.label if change.kind == "delete" else change.after.label
            text = Text(f"{verb} ").append_text(label_chip(label, self.by_name))
            if change.kind != "delete":
                text.append(" · saved")
        text.append(" · u undoes", style="dim")
        self.say(text)

    def say(self, text: Text) -> None:
        self.error = False
        self.message = text
        self._message_at = self.pane.cursor if self.is_mounted else None
        # now, not once the queued messages are handled: in the frame that shows
        # what the action changed (the pane's, the list's), not one after it
        self._draw_status()
        if self.is_mounted:  # a message fades; an error (fail) stays until the next action
            if self._fade_timer is not None:
                self._fade_timer.stop()
            self._fade_timer = self.set_timer(MESSAGE_SECONDS, self._fade)

    def _fade(self) -> None:
        self._fade_timer = None
        if not self.error and self.resizing is None:
            self.message = None
            self.refresh_status()

    def fail(self, exc: BaseException) -> None:
        """One line, in the status and as a notification; nothing shown as saved."""
        self.error = True
        self.message = Text(f"Not saved: {clean_line(str(exc))}")
        reader_app(self).report(exc)
        if self.is_mounted:
            self.refresh_status()

    def refresh_status(self) -> None:
        """The status line, drawn once the messages queued now are handled: keys in
        a row, and the cursor moves a tag posts (the selection cleared, the cursor
        kept inside), make one drawing (an action's outcome is drawn at once: say)."""
        if not self.is_mounted or self._status_due:
            return
        self._status_due = True
        self.call_later(self._draw_status)

    def _draw_status(self) -> None:
        """Three lines: where (article, database, annotator); the counts and the
        last action's outcome; what is under the cursor, its note shown in full."""
        self._status_due = False
        if not self.is_mounted:
            return
        by_name = self.by_name
        annotator = reader_app(self).annotator
        status = self.query_one(StatusLine)
        width = status.content_region.width or 80
        if self._where is None or self._where[0] != width:
            # the title gives way first, so the database and the annotator stay in view
            after = f"  ·  {database_text(self.store.path, self.store.read_only)}  ·  {annotator}"
            if self.article.author:  # the byline gives way before the title
                # the title keeps what it needs (up to 40 cells) before a byline is shown
                room = width - len(after) - min(len(self.article.title), 40) - 1
                if room >= 10:
                    after = f"  by {clean_line(self.article.author, min(room - 5, 40))}" + after
            line = Text(clean_line(self.article.title, max(width - len(after), 12)), style="bold")
            line.append(after)
            self._where = (width, line)
        where = self._where[1].copy()
        per_label = {label.name: self.counts.get(label.name, 0) for label in self.labels}
        for name, count in self.counts.items():
            if count and name not in per_label:
                per_label[name] = count
        after_counts = Text()
        if self.sync_note:
            after_counts.append(f"  {self.sync_note}", style="bold")
        if self.pane.match_info:
            after_counts.append(f"  │  match {self.pane.match_info}", style="bold")
        if self.message is not None:
            after_counts.append("  │  ")
            after_counts.append_text(self.message)
        shown = (tuple(per_label.items()), width, len(self.sync_note), tuple(self.labels))
        if self._counts is None or self._counts[0] != shown:  # per change, not per key
            counts = counts_text(per_label, by_name)
            if counts.cell_len + len(self.sync_note) + _MESSAGE_ROOM > width:
                # labels by initial, so the outcome of the last action stays readable
                # (compare panes, 80 columns); decided by width alone, so the counts
                # do not change shape as messages come and go
                counts = counts_text(per_label, by_name, compact=True)
            self._counts = (shown, counts)
        counts = self._counts[1].copy()
        counts.append_text(after_counts)
        counts = _mode(self.pane, self.resizing is not None).append_text(counts)
        here = Text("Here: ", style="bold")
        # "also in N of M articles" (screens/also_in.py)
        also = self.also_in.status(tagged=bool(self.under))
        if self.under:
            # innermost first: the one a label key relabels, `c` and `x` act on
            for i, annotation in enumerate(self.under):
                if len(here) > width:  # one row: what would be cut off is not built
                    break
                if i:
                    here.append("  ")
                here.append_text(label_chip(annotation.label, by_name))
                if annotation.note:
                    here.append(f" ✎ {clean_line(annotation.note)}")
        elif (suggested := self.suggesting.status()) is not None:
            here.append_text(suggested)
        else:
            here.append("nothing tagged", style="")
            if not also:
                here.append("  ·  1-9 tag the sentence or selection  ·  ? all keys", style="dim")
        if also:  # one space each side: "A lists" still in a compare pane at 120 columns
            here.append(" · ", style="dim").append_text(also)
        status.show(_join([where, counts, here]), error=self.error)

    def on_resize(self) -> None:
        self.refresh_status()
        self.fit_footer()


def _nothing() -> None:
    pass


def _keep_inside(pane: ReadingPane, span: tuple[int, int]) -> None:
    """The cursor where it is, or at the nearest character of span if outside it."""
    pane.move_cursor(min(max(pane.cursor, span[0]), span[1] - 1))


def _mode(pane: ReadingPane, resizing: bool) -> Text:
    """ "RESIZE" or "SELECT" and the selection's length, before the counts."""
    span = pane.selection
    if not resizing and span is None and not pane.extending:
        return Text()
    length = span[1] - span[0] if span else 0
    mode = Text(" RESIZE " if resizing else " SELECT ", style="reverse bold")
    return mode.append(f" {length:,} chars  ", style="bold")


def _join(lines: list[Text]) -> Text:
    """One Text, one row per line, each cut with an ellipsis rather than wrapped."""
    joined = Text(no_wrap=True, overflow="ellipsis")
    for i, line in enumerate(lines):
        if i:
            joined.append("\n")
        joined.append_text(line)
    return joined


def _innermost_first(annotations: list[Marked]) -> list[Marked]:
    """The shortest first; among equals the newest (two stable sorts: no key tuples)."""
    found = sorted(annotations, key=_created, reverse=True)
    found.sort(key=_length)
    return found


def _created(annotation: Marked) -> str:
    return annotation.created_at


def _length(annotation: Marked) -> int:
    return annotation.end - annotation.start
