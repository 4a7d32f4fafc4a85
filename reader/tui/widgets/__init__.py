"""Widgets of the reader TUI."""

from reader.tui.widgets.reading_pane import ReadingPane
from reader.tui.widgets.search_prompt import SearchPrompt

__all__ = ["ReadingPane", "SearchPrompt"]
