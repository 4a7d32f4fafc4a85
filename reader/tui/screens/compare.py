"""Two articles side by side, each a full annotatable panel, aligned; scroll them together.

The alignment (counterpart highlight, `%`, the diff view `d`, sync scrolling by
the alignment) is `aligned.AlignedReading`'s; this screen routes keys and
events to it.
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widget import Widget

from reader.models import Article
from reader.tui.screens.aligned import AlignedReading
from reader.tui.screens.article_panel import ArticlePanel
from reader.tui.screens.panels import PanelsScreen
from reader.tui.widgets.annotation_list import AnnotationList
from reader.tui.widgets.reading_pane import ReadingPane


class CompareScreen(PanelsScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab", "switch", "Switch", key_display="tab"),
        Binding("equals_sign", "toggle_sync", "Sync scroll", key_display="="),
        # shown in the footer where it has room for them beside every label's name
        # (about 140 columns with three labels; see fit_footer), else in `?` and
        # the status line's hints
        Binding("percent_sign", "counterpart", "Counterpart", key_display="%", show=False),
        Binding("d", "toggle_diff", "Diff view", show=False),
        Binding("a", "toggle_lists", "Lists", show=False),
        Binding("q,escape", "back", "Back", show=False),
    ]
    WHEN_ROOM = ("percent_sign", "d", "a")

    def __init__(
        self, left: Article, right: Article, offsets: tuple[int | None, int | None] = (None, None)
    ) -> None:
        super().__init__()
        self.articles = (left, right)
        self.offsets = offsets  # where each cursor starts (a passage opened from "also in")
        self.sync = False
        self._following = False  # the follower is being scrolled: its watcher ignores it
        self.aligned = AlignedReading(self)
        self._hinted = False  # the compare keys named in the status line, once

    def compose(self) -> ComposeResult:
        with Horizontal(id="compare-body"):
            sides = zip(("left", "right"), self.articles, self.offsets, strict=True)
            for side, article, offset in sides:
                yield ArticlePanel(article, offset=offset, id=side)
                # hidden until `a`: two lists leave two panes little room below 160 columns
                annotation_list = AnnotationList(id=f"{side}-list")
                annotation_list.display = False
                yield annotation_list

    def on_mount(self) -> None:
        self.panels[0].pane.focus()
        self.mount_footer()
        for panel in self.panels:
            # partial, not a lambda with a default: Textual passes a watcher as many
            # values (old, new) as it has parameters
            self.watch(panel.pane, "scroll_y", partial(self.scrolled, panel), init=False)
            # The cursor itself, not CursorMoved: a move made from a dialog's answer
            # (a search) posts one that Textual stops at the panel (its sender).
            self.watch(panel.pane, "cursor", partial(self.cursor_moved, panel), init=False)
        self.aligned.start()
        self.refresh_notes()
        self.call_after_refresh(self.fit_footer)
        self.show_lists()

    def on_resize(self) -> None:
        self.call_after_refresh(self.fit_footer)

    def fit_footer(self) -> None:
        """%, d and a in the footer when it has room for them and for every label's
        name, else not (the labels' names come first: they say what 1-9 do)."""
        panel = self.focused_panel()
        if not panel.is_mounted:
            return
        keymap = self._bindings.key_to_bindings
        shown = [keymap[key][0] for key in self.WHEN_ROOM]
        needs = panel.footer_width() + sum(
            len(self.app.get_key_display(b)) + len(b.description) + 2 for b in shown if not b.show
        )
        wanted = needs <= self.app.size.width
        if any(b.show != wanted for b in shown):
            for key, binding in zip(self.WHEN_ROOM, shown, strict=True):
                keymap[key] = [replace(binding, show=wanted)]
            self.refresh_bindings()
        for each in self.panels:  # the labels' captions, with or without these keys
            each.fit_footer()
        if not wanted and not self._hinted:  # once, as compare opens: where they are
            self._hinted = True
            panel.say(Text("% counterpart · d diff · a lists", style="dim"))

    def focused_panel(self) -> ArticlePanel:
        if isinstance(self.focused, AnnotationList):  # a list: its panel's
            return self.panel_of(self.focused)
        for panel in self.panels:
            if self.focused is not None and panel in self.focused.ancestors_with_self:
                return panel
        return self.panels[0]

    def other_panel(self, panel: ArticlePanel) -> ArticlePanel:
        left, right = self.panels
        return right if panel is left else left

    def cursor_moved(self, panel: ArticlePanel) -> None:
        if panel is not self.focused_panel():
            return
        self.aligned.follow()
        if self.sync:  # once the pane has scrolled to its cursor
            self.call_later(self.scrolled, panel)

    def on_descendant_focus(self) -> None:
        self.aligned.follow()  # the other pane leads now

    def action_counterpart(self) -> None:
        self.aligned.jump()

    def action_toggle_diff(self) -> None:
        self.aligned.toggle_diff()

    def refresh_notes(self) -> None:
        """The status lines' notes: scrolling together, the alignment, the diff view."""
        notes = ["⇅ together"] if self.sync else []
        if aligned := self.aligned.note():
            notes.append(aligned)
        for panel in self.panels:
            panel.sync_note = "  ".join(notes)
            panel.refresh_status()

    def action_switch(self) -> None:
        """tab: the other pane; with the lists shown, pane, its list, the other
        pane, its list."""
        stops: list[Widget] = []
        for panel in self.panels:
            stops.append(panel.pane)
            if (annotation_list := self.list_of(panel)).display:
                stops.append(annotation_list)
        at = stops.index(self.focused) if self.focused in stops else -1
        if at < 0:  # somewhere else in a panel: its pane counts
            at = stops.index(self.focused_panel().pane)
        target = stops[(at + 1) % len(stops)]
        if isinstance(target, AnnotationList):
            panel = self.panel_of(target)
            if panel.annotation_here() is None:
                target.follow_offset(panel.pane.cursor)
        # set_focus, not focus(): focus() waits for the next turn of the message
        # loop, and keys typed right after tab would still go to the old pane.
        self.set_focus(target)

    def action_toggle_lists(self) -> None:
        self.toggle_lists()

    def action_toggle_sync(self) -> None:
        self.sync = not self.sync
        self.refresh_notes()
        if self.sync:
            self.scrolled(self.focused_panel())

    def scrolled(self, source: ArticlePanel) -> None:
        """Keep the other pane level by the alignment (before it is known, at the
        same relative place in its text). Only the focused pane leads, so the
        follower's own scroll never echoes back."""
        if not self.sync or self._following or source is not self.focused_panel():
            return
        leader: ReadingPane = source.pane
        follower = self.other_panel(source).pane
        self._following = True
        try:
            if self.aligned.level(source):
                return
            if leader.scroll_y >= leader.max_scroll_y > 0:  # the end meets the end
                follower.scroll_to(y=follower.max_scroll_y, animate=False)
            else:
                ratio = leader.top_offset / max(len(leader.article.text), 1)
                follower.scroll_to_offset(round(ratio * len(follower.article.text)))
        finally:
            self._following = False  # the follower is being scrolled: its watcher ignores it

    def action_back(self) -> None:
        for panel in self.query(ArticlePanel):  # before the library shows its progress
            panel.history.update_progress()
        self.dismiss(None)
