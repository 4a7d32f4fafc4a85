"""Across the library: "also in N of M articles", the passages behind it, tag projection.

Each article panel keeps one `AlsoIn`. When the cursor settles on another
sentence, a thread worker asks the passage index (`reader.passage_store.also_in`,
its own connection to the database, so the UI thread's transactions are never
shared) and the status line says "also in N of M articles". Then:

- `A` lists those passages (source, title, text); Enter opens one in compare
  beside this article, each cursor on its passage.
- `p` on a tagged sentence offers its label (the innermost tag under the
  cursor) on each counterpart, one confirmation each, or all at once: in
  compare the aligned sentence of the other pane first (through that pane's
  history, so `u` there undoes it), then the library's passages, each snapped
  to the sentence it starts in. Stored as ordinary annotations with origin
  `projected`; a counterpart already carrying one's own tag on that span is
  left as it is.
"""

from __future__ import annotations

import contextlib
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.css.query import NoMatches
from textual.timer import Timer

from reader import passage_store
from reader.errors import ReaderError
from reader.models import Annotation, Article
from reader.passage_store import AlsoIn as Found
from reader.store import Store
from reader.text.blocks import TextBlocks
from reader.text.motions import sentence_at
from reader.tui.display import label_chip

if TYPE_CHECKING:
    from reader.tui.screens.aligned import AlignedReading
    from reader.tui.screens.article_panel import ArticlePanel

ALSO_IN_KEYS: list[BindingType] = [
    Binding("A,shift+a", "also_in", "Also in", show=False),
    Binding("p", "project", "Project tag", show=False),
]
SETTLE_SECONDS = 0.12  # the cursor rests this long before the index is asked

Span = tuple[int, int]


@dataclass(frozen=True)
class Target:
    """A counterpart a tag may be projected onto."""

    article_id: str
    where: str  # source · title, for the confirmation
    start: int
    end: int
    text: str
    panel: ArticlePanel | None = None  # open beside this one (compare)


class AlsoIn:
    """One panel's view of the library: the counts for the sentence under the cursor."""

    def __init__(self, panel: ArticlePanel) -> None:
        self.panel = panel
        self.span: Span | None = None  # the sentence the status is about
        self.found: Found | None = None  # the index's last answer ...
        self.found_for: Span | None = None  # ... and the sentence it is for
        self._timer: Timer | None = None
        self._generation = 0
        self._own: Store | None = None  # the workers' connection, one at a time
        self._lock = threading.Lock()
        self._running = 0  # workers asked and not answered yet

    # -- asking the index ---------------------------------------------------

    def cursor_moved(self) -> None:
        span = sentence_under(self.panel)
        if span == self.span:
            return
        # The last answer stays shown until the new one comes (no flicker).
        self.span = span
        self._generation += 1
        if self._timer is not None:
            self._timer.stop()
        if span is not None:
            self._timer = self.panel.set_timer(SETTLE_SECONDS, self._ask)

    def _ask(self) -> None:
        self._timer = None
        span, generation = self.span, self._generation
        if span is None:
            return
        panel = self.panel
        path = panel.store.path
        if str(path) == ":memory:":  # no second connection can see it: ask here
            self._arrived(generation, self._query(panel.store, span), worker=False)
            return
        article = panel.article

        self._running += 1

        def work() -> None:
            with self._lock:
                try:
                    if self._own is None:
                        self._own = Store(path)
                    found: Found | None = _also_in(self._own, article, span)
                except ReaderError:
                    found = None  # the status says nothing rather than something wrong
            with contextlib.suppress(RuntimeError):  # the app has closed meanwhile
                panel.app.call_from_thread(self._arrived, generation, found)

        panel.run_worker(work, thread=True, group="also-in")

    def _query(self, store: Store, span: Span) -> Found | None:
        try:
            return _also_in(store, self.panel.article, span)
        except ReaderError:
            return None

    def _arrived(self, generation: int, found: Found | None, *, worker: bool = True) -> None:
        if worker:
            self._running -= 1
        if generation != self._generation or not self.panel.is_mounted:
            return
        self.found, self.found_for = found, self.span
        with contextlib.suppress(NoMatches):  # the panel is being taken down
            self.panel.refresh_status()

    @property
    def pending(self) -> bool:
        """A lookup is waiting for the cursor to settle, or running."""
        return self._timer is not None or self._running > 0

    def close(self) -> None:
        with self._lock:
            if self._own is not None:
                self._own.close()
                self._own = None

    def current(self) -> Found | None:
        """The answer for the sentence under the cursor, asked now if not known yet."""
        span = sentence_under(self.panel)
        if span is None:
            return None
        if span != self.found_for or self.found is None:
            self.span, self.found_for = span, span
            self.found = self._query(self.panel.store, span)
            self._generation += 1  # a worker's older answer is stale now
        return self.found

    def status(self) -> Text:
        """ "also in N of M articles" for the status line, once known."""
        found = self.found
        if found is None or found.library == 0:
            return Text()
        noun = "article" if found.library == 1 else "articles"
        text = Text(f"also in {found.articles} of {found.library} {noun}", style="bold")
        if found.articles:
            text.append(" · A lists", style="dim")
        return text


def _also_in(store: Store, article: Article, span: Span) -> Found:
    return passage_store.also_in(store, article.id, span[0], span[1], text=article.text)


def sentence_under(panel: ArticlePanel) -> Span | None:
    """The sentence holding the pane's cursor (in a gap, the one before it)."""
    pane = panel.pane
    cursor = pane.cursor
    best = None
    for span in pane.sentences_between(cursor, cursor + 1):
        if span[0] <= cursor:
            best = span
    return best


class AlsoInActions:
    """The panel's `A` and `p` (mixed into ArticlePanel)."""

    also_in: AlsoIn

    def action_also_in(self: Any) -> None:
        from reader.tui.dialogs.passages import PassagesDialog

        panel: ArticlePanel = self
        found = panel.also_in.current()
        if found is None:
            panel.say(Text("The library's passages cannot be read now."))
            return
        if not found.passages:
            panel.say(Text(f"This sentence is in none of the {found.library} other articles."))
            return
        span = panel.also_in.found_for
        assert span is not None
        quote = panel.article.text[span[0] : span[1]]

        def chosen(passage: passage_store.Passage | None) -> None:
            panel.pane.focus()
            if passage is not None:
                _open_beside(panel, span[0], passage.article_id, passage.start)

        panel.app.push_screen(PassagesDialog(quote, found.passages, found.library), chosen)

    def action_project(self: Any) -> None:
        panel: ArticlePanel = self
        annotation = panel.annotation_here()
        if annotation is None:
            panel.say(Text("No tag here to project: tag the sentence (1-9), then p."))
            return
        span = sentence_under(panel)
        targets = _targets(panel, span) if span is not None else []
        if not targets:
            panel.say(Text("No counterpart of this sentence in another article."))
            return
        Projection(panel, annotation.label, targets).ask(0)


def _open_beside(panel: ArticlePanel, here: int, article_id: str, offset: int) -> None:
    from reader.tui.screens.compare import CompareScreen

    try:
        other = panel.store.article(article_id)
    except ReaderError as exc:
        panel.fail(exc)
        return
    panel.app.push_screen(CompareScreen(panel.article, other, offsets=(here, offset)))


def _targets(panel: ArticlePanel, span: Span) -> list[Target]:
    """Counterparts of the sentence: the other compare pane's first, then the library's."""
    targets: list[Target] = []
    aligned: AlignedReading | None = getattr(panel.screen, "aligned", None)  # compare's
    if aligned is not None:
        other_span = aligned.counterpart_span(panel)
        if other_span is not None:
            other = aligned.screen.other_panel(panel)
            start, end = other_span
            where = _where(other.article.source, other.article.title)
            text = other.article.text[start:end]
            targets.append(Target(other.article.id, where, start, end, text, panel=other))
    found = panel.also_in.current()
    seen = {t.article_id for t in targets}
    for passage in found.passages if found is not None else []:
        if passage.article_id in seen:
            continue
        try:
            text = panel.store.article(passage.article_id).text
        except ReaderError:
            continue
        # The index splits sentences more cheaply than the pane: snap to the
        # sentence the passage starts in, so the tag is what `s` would select.
        snapped = sentence_at(TextBlocks(text), passage.start) or (passage.start, passage.end)
        start, end = snapped
        targets.append(
            Target(
                passage.article_id,
                _where(passage.source, passage.title),
                start,
                end,
                text[start:end],
            )
        )
    return targets


def _where(source: str | None, title: str) -> str:
    return f"{source}  ·  {title}" if source else title


class Projection:
    """One `p`: a confirmation per target, in turn, then what was done."""

    def __init__(self, panel: ArticlePanel, label: str, targets: list[Target]) -> None:
        self.panel = panel
        self.label = label
        self.targets = targets
        self.tagged = 0
        self.already = 0

    def ask(self, i: int, *, all_: bool = False) -> None:
        from reader.tui.dialogs.project import ProjectDialog

        if i >= len(self.targets):
            self.finish()
            return
        target = self.targets[i]
        if all_:
            self.tag(target)
            self.ask(i + 1, all_=True)
            return

        def answered(answer: str | None) -> None:
            if answer in ("yes", "all"):
                self.tag(target)
            if answer is None or not self.panel.is_mounted:
                self.finish()
            else:
                self.ask(i + 1, all_=answer == "all")

        chip = label_chip(self.label, self.panel.by_name)
        dialog = ProjectDialog(chip, target.where, target.text, (i + 1, len(self.targets)))
        self.panel.app.push_screen(dialog, answered)

    def tag(self, target: Target) -> None:
        try:
            added = store_projection(self.panel, target, self.label)
        except ReaderError as exc:
            self.panel.fail(exc)
            return
        if added is None:
            self.already += 1
        else:
            self.tagged += 1

    def finish(self) -> None:
        panel = self.panel
        if not panel.is_mounted or panel.error:
            return
        panel.pane.focus()
        chip = label_chip(self.label, panel.by_name)
        text = Text("Projected ").append_text(chip)
        noun = "counterpart" if self.tagged == 1 else "counterparts"
        text.append(f" to {self.tagged} {noun}")
        if self.tagged:
            text.append(" · saved")
        if self.already:
            text.append(f" · {self.already} tagged already")
        panel.say(text)


def store_projection(panel: ArticlePanel, target: Target, label: str) -> Annotation | None:
    """Tag the target with label, origin `projected`; None when a live annotation
    with that label overlaps it already (anyone's: the fact is tagged so there).

    The smallest store call, kept here to be swapped for `reader.projection.project`
    (issue 11's non-TUI projection, on its way to main): through the open pane's
    history when the target is shown, so its `u` undoes it, else straight into
    the store."""
    store = panel.store
    annotator = panel.history.annotator
    for existing in store.annotations(target.article_id):
        if existing.label == label and existing.start < target.end and target.start < existing.end:
            return None
    shown = target.panel
    if shown is not None:
        _, added = shown.history.tag(target.start, target.end, label, origin="projected")
        shown.apply(added)
        note = Text("Projected here: ").append_text(label_chip(label, shown.by_name))
        shown.say(note.append(" · saved · u undoes", style="dim"))
        return added
    article = store.article(target.article_id)
    return store.add_annotation(
        article, target.start, target.end, label, annotator, origin="projected"
    )

