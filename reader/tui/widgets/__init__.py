"""Widgets of the reader TUI: below the dialogs and screens, never importing them."""

from reader.tui.widgets.reading_pane import ReadingPane

__all__ = ["ReadingPane"]
