"""Compare, aligned: which sentences of the two articles report the same thing.

The compare screen owns one `AlignedReading`. When compare opens, a thread
worker aligns the two texts (`reader.align.counterparts`: tens of ms for two
news articles, more for long ones, never on the UI thread); until it answers the
screen works as before (sync scrolling by relative position). Then:

- the margin marks every sentence that has a counterpart (`≈` reworded, `=`
  copy, highlights.py draws them);
- the counterpart of the sentence under the cursor of the focused pane is
  tinted in the other pane, with `▶` in its margin;
- `%` jumps to it, and from there `%` jumps back;
- `d` toggles the diff view: in every aligned pair the words the other sentence
  lacks are bold, underlined and coloured (shared words stay plain), and the
  sentences without a counterpart are dimmed;
- with `=` on, the other pane follows the alignment: the counterpart level with
  the cursor's sentence when it has one on screen, else the place between the
  neighbouring aligned sentences that the top row is at (along the pairs in
  reading order in both texts, so scrolling down never scrolls the other back).
"""

from __future__ import annotations

import contextlib
from bisect import bisect_right
from typing import TYPE_CHECKING

from rich.text import Text
from textual.css.query import NoMatches

from reader.align import Alignment, Pair, Span, counterparts
from reader.tui.widgets.highlights import Item, Look

if TYPE_CHECKING:
    from reader.tui.screens.article_panel import ArticlePanel
    from reader.tui.screens.compare import CompareScreen

MARKS = {"copy": "=", "reworded": "≈"}
COUNTERPART = Look("counterpart", "▶")
CHANGED = Look("changed")
UNPAIRED = Look("unpaired")
SIDES = ("a", "b")
# Alignment grows with the product of the sentence counts (measured: two 110 KB
# texts 5-14 s, two 450 KB about 2 min): longer articles are compared unaligned,
# rather than have a thread busy for minutes beside the UI.
MAX_CHARS = 100_000


class AlignedReading:
    """The alignment of a compare screen's two articles and what is drawn of it."""

    def __init__(self, screen: CompareScreen) -> None:
        self.screen = screen
        self.alignment: Alignment | None = None
        self.chain: list[Pair] = []  # pairs in reading order on both sides
        self.diff_on = False
        self.unavailable: str | None = None  # why there is no alignment, if there is none

    # -- computing ----------------------------------------------------------

    def start(self) -> None:
        left, right = self.screen.articles
        screen = self.screen
        if max(len(left.text), len(right.text)) > MAX_CHARS:
            self.unavailable = f"Too long to align (over {MAX_CHARS:,} characters)"
            screen.notify(self.unavailable, severity="warning", markup=False)
            return

        def compute() -> None:
            try:
                found = counterparts(left.text, right.text)
            except Exception as exc:  # a bug in the aligner must not take compare down
                with contextlib.suppress(RuntimeError):  # the app has closed meanwhile
                    screen.app.call_from_thread(self._failed, exc)
                return
            with contextlib.suppress(RuntimeError):
                screen.app.call_from_thread(self._arrived, found)

        screen.run_worker(compute, thread=True, exclusive=True, group="alignment")

    def _failed(self, exc: BaseException) -> None:
        self.unavailable = f"Could not align the articles: {exc}"
        self.screen.notify(self.unavailable, severity="error", markup=False)

    def _arrived(self, alignment: Alignment) -> None:
        if not self.screen.is_mounted or len(self.screen.panels) != 2:
            return
        with contextlib.suppress(NoMatches):  # the screen is being taken down
            self._show(alignment)

    def _show(self, alignment: Alignment) -> None:
        self.alignment = alignment
        self.chain = monotone_chain(alignment.pairs)
        for side, panel in zip(SIDES, self.screen.panels, strict=True):
            panel.pane.set_highlights("aligned", self._margin_marks(side))
        if self.diff_on:
            self._draw_diff()
        self.follow()
        self.screen.refresh_notes()
        if self.screen.sync:
            self.level(self.screen.focused_panel())

    @property
    def ready(self) -> bool:
        return self.alignment is not None

    def note(self) -> str:
        """What the status lines say of the alignment: the diff view is on (the
        margin marks say the rest; a note per pane would crowd out the outcome of
        the last action)."""
        return "≠ diff" if self.diff_on else ""

    # -- what is where ------------------------------------------------------

    def side_of(self, panel: ArticlePanel) -> str:
        return SIDES[self.screen.panels.index(panel)]

    def pair_at(self, panel: ArticlePanel) -> Pair | None:
        """The pair whose sentence in this panel holds its cursor."""
        if self.alignment is None:
            return None
        return self.alignment.counterpart(self.side_of(panel), panel.pane.cursor)

    def counterpart_span(self, panel: ArticlePanel) -> Span | None:
        """The other pane's sentence aligned with the one under this panel's cursor."""
        pair = self.pair_at(panel)
        if pair is None:
            return None
        return pair.b if self.side_of(panel) == "a" else pair.a

    def _margin_marks(self, side: str) -> list[Item]:
        assert self.alignment is not None
        return [
            (*getattr(pair, side), Look(mark=MARKS.get(pair.kind, "≈")))
            for pair in self.alignment.pairs
        ]

    # -- following the cursor -------------------------------------------------

    def follow(self) -> None:
        """Tint the counterpart of the focused pane's sentence in the other pane."""
        if self.alignment is None:
            return
        leader = self.screen.focused_panel()
        other = self.screen.other_panel(leader)
        span = self.counterpart_span(leader)
        leader.pane.set_highlights("counterpart", [])
        other.pane.set_highlights("counterpart", [(*span, COUNTERPART)] if span else [])

    def jump(self) -> None:
        """`%`: to the counterpart in the other pane (and, pressed there, back)."""
        leader = self.screen.focused_panel()
        if self.alignment is None:
            leader.say(Text(self.unavailable or "Still aligning the two articles…"))
            return
        span = self.counterpart_span(leader)
        if span is None:
            leader.say(Text("No counterpart of this sentence in the other article"))
            return
        other = self.screen.other_panel(leader)
        other.pane.move_cursor(span[0], center=not self.screen.sync)
        self.screen.set_focus(other.pane)
        self.follow()
        if self.screen.sync:
            self.level(other)

    # -- the diff view ----------------------------------------------------------

    def toggle_diff(self) -> None:
        self.diff_on = not self.diff_on
        if self.alignment is not None:
            self._draw_diff()
        self.screen.refresh_notes()

    def _draw_diff(self) -> None:
        alignment = self.alignment
        assert alignment is not None
        layers: dict[str, list[Item]] = {"a": [], "b": []}
        if self.diff_on:
            for pair in alignment.pairs:
                diff = alignment.diff(pair)
                layers["a"] += [(s, e, CHANGED) for s, e in diff.a_changed]
                layers["b"] += [(s, e, CHANGED) for s, e in diff.b_changed]
            for side, text in (("a", alignment.text_a), ("b", alignment.text_b)):
                unpaired = gaps(alignment.spans(side), len(text))
                layers[side] += [(s, e, UNPAIRED) for s, e in unpaired]
        for side, panel in zip(SIDES, self.screen.panels, strict=True):
            panel.pane.set_highlights("diff", layers[side])

    # -- scrolling together -------------------------------------------------------

    def level(self, leader: ArticlePanel) -> bool:
        """Scroll the other pane by the alignment; False before there is one."""
        if self.alignment is None:
            return False
        side = self.side_of(leader)
        lead, follower = leader.pane, self.screen.other_panel(leader).pane
        pair = self.pair_at(leader)
        if pair is not None:
            mine, theirs = (pair.a, pair.b) if side == "a" else (pair.b, pair.a)
            row = lead.screen_row(mine[0])
            if 0 <= row < lead.size.height:
                follower.scroll_to_offset(theirs[0], row=row)
                return True
        top = lead.top_offset
        follower.scroll_to_offset(along(self.chain, side, top, self._lengths(side)))
        return True

    def _lengths(self, side: str) -> tuple[int, int]:
        assert self.alignment is not None
        a, b = len(self.alignment.text_a), len(self.alignment.text_b)
        return (a, b) if side == "a" else (b, a)


def monotone_chain(pairs: list[Pair]) -> list[Pair]:
    """The most pairs that are in reading order in both texts (pairs sorted by a).

    A longest increasing subsequence of the b starts: sync scrolling moves
    along it, so an out-of-order pair (a fact one outlet gives last) cannot send
    the other pane back up while this one goes down."""
    tails: list[int] = []  # tails[k]: index of the smallest last b start of a run of k+1
    tail_keys: list[int] = []
    before: list[int] = [-1] * len(pairs)
    for i, pair in enumerate(pairs):
        key = pair.b[0]
        k = bisect_right(tail_keys, key)
        if k > 0:
            before[i] = tails[k - 1]
        if k == len(tails):
            tails.append(i)
            tail_keys.append(key)
        else:
            tails[k] = i
            tail_keys[k] = key
    chain: list[Pair] = []
    i = tails[-1] if tails else -1
    while i >= 0:
        chain.append(pairs[i])
        i = before[i]
    return chain[::-1]


def along(chain: list[Pair], side: str, offset: int, lengths: tuple[int, int]) -> int:
    """Where offset of `side` falls in the other text, between the chain's pairs."""
    other = "b" if side == "a" else "a"
    mine = [0, *(getattr(p, side)[0] for p in chain), lengths[0]]
    theirs = [0, *(getattr(p, other)[0] for p in chain), lengths[1]]
    i = max(min(bisect_right(mine, offset) - 1, len(mine) - 2), 0)
    span = mine[i + 1] - mine[i]
    fraction = (offset - mine[i]) / span if span > 0 else 0.0
    return round(theirs[i] + min(max(fraction, 0.0), 1.0) * (theirs[i + 1] - theirs[i]))


def gaps(spans: list[Span], length: int) -> list[Span]:
    """The parts of [0, length) outside the sorted spans."""
    out: list[Span] = []
    at = 0
    for start, end in spans:
        if start > at:
            out.append((at, start))
        at = max(at, end)
    if at < length:
        out.append((at, length))
    return out
