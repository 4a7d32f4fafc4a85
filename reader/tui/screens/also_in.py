"""Across the library: "also in N of M articles", the passages behind it, tag projection.

Each article panel keeps one `AlsoIn`. When the cursor settles on another
sentence, a thread worker asks the passage index (`reader.passage_store.also_in`,
its own connection to the database, so the UI thread's transactions are never
shared) and the status line says "also in N of M articles". Then:

- `A` lists those passages (source, title, text); Enter opens one in compare
  beside this article, each cursor on its passage.
- `p` on a tagged sentence offers its label (the innermost tag under the
  cursor) on each counterpart, one confirmation each, or all at once: in
  compare the other pane's first (by the alignment; through that pane's
  history, so `u` there undoes it), then the library's (by the passage index).
  Where they go and how they are stored is `reader.projection`'s (the
  annotation's own words where the counterpart has them, else its sentence;
  origin `projected`); a counterpart tagged so already is not asked about.
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

from reader import passage_store, projection
from reader.errors import ReaderError
from reader.models import Annotation, Article
from reader.passage_store import AlsoIn as Found
from reader.store import Store
from reader.tui.display import label_chip

if TYPE_CHECKING:
    from reader.tui.screens.aligned import AlignedReading
    from reader.tui.screens.article_panel import ArticlePanel

ALSO_IN_KEYS: list[BindingType] = [
    Binding("A,shift+a", "also_in", "Also in other articles", show=False),
    Binding("p", "project", "Project tag onto counterparts", show=False),
]
SETTLE_SECONDS = 0.12  # the cursor rests this long before the index is asked

Span = tuple[int, int]


@dataclass(frozen=True)
class Offer:
    """A counterpart the tag may be projected onto (`reader.projection`'s Target),
    and the compare pane showing its article, if one does."""

    target: projection.Target
    panel: ArticlePanel | None = None

    @property
    def where(self) -> str:
        """Source · title, for the confirmation."""
        title = self.target.title
        return f"{self.target.source}  ·  {title}" if self.target.source else title


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

    def status(self, *, tagged: bool = False) -> Text:
        """ "also in N of M articles" for the status line, once known, and the keys
        that use it: `A` lists them, `p` projects the tag here onto them."""
        found = self.found
        if found is None or found.library == 0:
            return Text()
        noun = "article" if found.library == 1 else "articles"
        text = Text(f"also in {found.articles} of {found.library} {noun}", style="bold")
        if found.articles:
            text.append(" · A lists", style="dim")
            if tagged:
                text.append(" · p projects", style="dim")
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
        here = panel.annotation_here()
        if here is None:
            panel.say(Text("No tag here to project: tag the sentence (1-9), then p."))
            return
        try:
            offers = _offers(panel, panel.store.annotation(here.id))
        except ReaderError as exc:
            panel.fail(exc)
            return
        if not offers:
            panel.say(Text("No counterpart of this tag in another article."))
            return
        Projection(panel, here.label, offers).ask(0)


def _open_beside(panel: ArticlePanel, here: int, article_id: str, offset: int) -> None:
    from reader.tui.screens.compare import CompareScreen

    try:
        other = panel.store.article(article_id)
    except ReaderError as exc:
        panel.fail(exc)
        return
    panel.app.push_screen(CompareScreen(panel.article, other, offsets=(here, offset)))


def _offers(panel: ArticlePanel, annotation: Annotation) -> list[Offer]:
    """Counterparts of the annotation: in the other compare pane first (by the
    alignment), then in the library's other articles (by the passage index)."""
    store = panel.store
    offers: list[Offer] = []
    aligned: AlignedReading | None = getattr(panel.screen, "aligned", None)  # compare's
    if aligned is not None and aligned.alignment is not None:
        other = aligned.screen.other_panel(panel)
        side = aligned.side_of(panel)
        found = projection.targets_in_alignment(
            store, annotation, aligned.alignment, side, other.article.id
        )
        offers += [Offer(t, other) for t in found]
    seen = {o.target.article_id for o in offers}
    library = projection.targets_in_library(store, annotation, text=panel.article.text)
    offers += [Offer(t) for t in library if t.article_id not in seen]
    return offers


class Projection:
    """One `p`: a confirmation per target, in turn, then what was done."""

    def __init__(self, panel: ArticlePanel, label: str, offers: list[Offer]) -> None:
        self.panel = panel
        self.label = label
        # those tagged so already are not asked about, only counted
        self.targets = [o for o in offers if not o.target.done]
        self.tagged = 0
        self.already = len(offers) - len(self.targets)

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
        place = (i + 1, len(self.targets))
        dialog = ProjectDialog(chip, target.where, target.target.text, place)
        self.panel.app.push_screen(dialog, answered)

    def tag(self, offer: Offer) -> None:
        try:
            store_projection(self.panel, offer)
        except ReaderError as exc:
            self.panel.fail(exc)
            return
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


def store_projection(panel: ArticlePanel, offer: Offer) -> Annotation:
    """Store one projection (`reader.projection.project`): through the open pane's
    history when its article is shown, so `u` there undoes it."""
    shown = offer.panel
    history = shown.history if shown is not None else None
    done = projection.project(panel.store, offer.target, panel.history.annotator, history)
    if shown is not None:
        shown.apply(done.annotation)
        note = Text("Projected here: ").append_text(label_chip(offer.target.label, shown.by_name))
        shown.say(note.append(" · saved · u undoes", style="dim"))
    return done.annotation
