"""What the read and compare screens share: article panels kept up with the store,
each with its annotation list beside it (`#<panel id>-list`), kept up with the panel."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from textual.screen import Screen

from reader.marks import MarkSet
from reader.tui.context import reader_app
from reader.tui.screens.article_panel import ArticlePanel
from reader.tui.widgets.annotation_list import AnnotationList
from reader.tui.widgets.footer import mount_footer_later
from reader.tui.widgets.reading_pane import ReadingPane


class PanelsScreen(Screen[None]):
    """A screen of one or more ArticlePanels."""

    @property
    def panels(self) -> list[ArticlePanel]:
        return list(self.query(ArticlePanel))

    # -- the lists beside the panels ---------------------------------------

    _list_follow_due = False  # a follow of the lists is due after the next frame

    def list_of(self, panel: ArticlePanel) -> AnnotationList:
        return self.query_one(f"#{panel.id}-list", AnnotationList)

    def panel_of(self, annotation_list: AnnotationList | None) -> ArticlePanel:
        if annotation_list is None or annotation_list.id is None:
            return self.panels[0]
        return self.query_one(f"#{annotation_list.id.removesuffix('-list')}", ArticlePanel)

    def show_lists(self) -> None:
        for panel in self.panels:
            if panel.loaded:
                self.show_list(panel)
            else:  # shown when the panel has them all (Changed, built)
                self.list_of(panel).wait_for_all()

    def show_list(self, panel: ArticlePanel, built: MarkSet | None = None) -> None:
        """The panel's annotations in its list (built: as a worker made them)."""
        annotation_list = self.list_of(panel)
        labels, text = reader_app(self).labels_by_name, panel.article.text
        if built is not None:
            annotation_list.show_sorted(built.list_marks, built.keys, labels, text)
        else:
            annotation_list.show(panel.annotations.values(), labels, text)
        self.follow_cursor(panel)

    def follow_cursor(self, panel: ArticlePanel) -> None:
        """The list highlights the annotation under the cursor (the innermost);
        not while the list has the focus: there the list leads."""
        annotation_list = self.list_of(panel)
        if self.focused is annotation_list:
            return
        here = panel.annotation_here()
        if here is not None:
            annotation_list.follow(here.id)
        elif annotation_list.highlighted is None:
            annotation_list.follow_offset(panel.pane.cursor)

    def panel_changed(self, event: ArticlePanel.Changed) -> None:
        """A panel's annotations changed: called by the panel in the same turn as
        its pane's repaint, so its list changes in the same frame."""
        if event.annotation is None:  # a reload: any may have changed
            self.show_list(event.panel, event.built)
            return
        if not event.panel.loaded:  # the list shows them all once they are in
            return
        self.list_of(event.panel).update(event.annotation)
        self.follow_cursor(event.panel)

    def on_reading_pane_cursor_moved(self, _: ReadingPane.CursorMoved) -> None:
        # The list follows a frame after the pane: in dense text each key brings
        # another part of the list on screen (a whole list to draw), and the text
        # the key moved in comes first. Keys in a row make one follow, not one each.
        if not self._list_follow_due:
            self._list_follow_due = True
            self.call_after_refresh(self._follow_now)

    def _follow_now(self) -> None:
        self._list_follow_due = False
        if self.is_mounted:
            # what is under the cursor now, not when the key was pressed
            for panel in self.panels:
                self.follow_cursor(panel)

    def on_annotation_list_jump(self, event: AnnotationList.Jump) -> None:
        pane = self.panel_of(event.source).pane
        pane.move_cursor(event.annotation.start, center=True)
        pane.focus()

    def on_annotation_list_act(self, event: AnnotationList.Act) -> None:
        """A label key, `x`, `c` or `E` in a list: its panel's own action on that
        entry; `E` goes on in the pane, where the motions move the extent."""
        panel = self.panel_of(event.source)
        panel.act_on(event.annotation.id, event.action, event.key)
        if event.action == "resize" and panel.resizing is not None:
            self.set_focus(panel.pane)

    def on_annotation_list_text_wanted(self, event: AnnotationList.TextWanted) -> None:
        from reader.tui.dialogs.search_prompt import SearchPrompt

        annotation_list = event.source

        def chosen(text: str | None) -> None:
            if text is not None:
                annotation_list.set_filter(text=text)
            self.set_focus(annotation_list)

        title = "Filter the list by a text in the quotes and notes (enter, escape)"
        self.app.push_screen(SearchPrompt(annotation_list.text_filter, title=title), chosen)

    def toggle_lists(self) -> None:
        """`a`: hide or show the lists; the focus leaves a hidden one for its pane."""
        lists = list(self.query(AnnotationList))
        shown = not any(annotation_list.display for annotation_list in lists)
        for annotation_list in lists:
            if not shown and self.focused is annotation_list:
                self.set_focus(self.panel_of(annotation_list).pane)
            annotation_list.display = shown

    def mount_footer(self) -> None:
        """The footer one frame after the text; no ctrl+p in it: it needs the room
        (`?` names it)."""
        mount_footer_later(self, show_command_palette=False)

    def on_screen_resume(self) -> None:
        if reader_app(self).changed_elsewhere():
            self.refresh_from_store()

    def refresh_from_store(self) -> None:
        """Another `reader` on this database may have tagged meanwhile."""
        if not (self.is_mounted and self.app.screen is self):
            return
        reader_app(self).reload_labels()
        for panel in self.panels:
            panel.reload()

    def palette_commands(self) -> Iterator[tuple[str, str, Callable[[], None]]]:
        """(title, help, callback) for the command palette: the focused panel's
        "accept all remaining suggestions of <label>"."""
        focused = self.focused
        for panel in self.panels:
            if focused is not None and panel in focused.ancestors_with_self:
                yield from panel.suggesting.commands()
