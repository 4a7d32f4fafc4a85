"""The reading pane's keys: every motion (plain and shift-extended), select, search.

Kept apart from the widget so the key contract (docs/contracts.md, "Keys") reads
as one table. Tagging, notes, delete and undo belong to the article panel.
"""

from __future__ import annotations

from textual.binding import Binding, BindingType

PANE_KEYS: list[BindingType] = [
    Binding("left,h", "move('left')", "Left", show=False),
    Binding("right,l", "move('right')", "Right", show=False),
    Binding("up,k", "move('up')", "Up", show=False),
    Binding("down,j", "move('down')", "Down", show=False),
    Binding("shift+left,H", "move('left', True)", "Extend left", show=False),
    Binding("shift+right,L", "move('right', True)", "Extend right", show=False),
    Binding("shift+up,K", "move('up', True)", "Extend up", show=False),
    Binding("shift+down,J", "move('down', True)", "Extend down", show=False),
    Binding("w", "move('word')", "Next word", show=False),
    Binding("b", "move('word_back')", "Previous word", show=False),
    Binding("W,shift+w", "move('word', True)", "Extend word", show=False),
    Binding("B,shift+b", "move('word_back', True)", "Extend word back", show=False),
    Binding("right_parenthesis", "move('sentence')", "Next sentence", show=False),
    Binding("left_parenthesis", "move('sentence_back')", "Previous sentence", show=False),
    Binding("right_curly_bracket", "move('paragraph')", "Next paragraph", show=False),
    Binding("left_curly_bracket", "move('paragraph_back')", "Previous paragraph", show=False),
    Binding("pagedown,space", "move('page')", "Page down", show=False),
    Binding("pageup", "move('page_back')", "Page up", show=False),
    Binding("shift+pagedown,shift+space", "move('page', True)", "Extend page", show=False),
    Binding("shift+pageup", "move('page_back', True)", "Extend page up", show=False),
    Binding("g,ctrl+home", "move('top')", "Top", show=False),
    Binding("G,shift+g,ctrl+end", "move('bottom')", "Bottom", show=False),
    Binding("ctrl+shift+home", "move('top', True)", "Extend to top", show=False),
    Binding("ctrl+shift+end", "move('bottom', True)", "Extend to bottom", show=False),
    Binding("home", "move('row_start')", "Row start", show=False),
    Binding("end", "move('row_end')", "Row end", show=False),
    Binding("shift+home", "move('row_start', True)", "Extend to row start", show=False),
    Binding("shift+end", "move('row_end', True)", "Extend to row end", show=False),
    # The footer shows what tagging needs and fits 80 columns; the rest of
    # the pane's keys are in `?` and the command palette.
    Binding("v", "visual", "Select", show=False),
    Binding("o", "swap_ends", "Other end", show=False),
    Binding("s", "select_sentence", "Sentence"),
    Binding("right_square_bracket", "annotation(1)", "Next mark", key_display="]", show=False),
    Binding("left_square_bracket", "annotation(-1)", "Previous mark", key_display="[", show=False),
    Binding("slash", "search_prompt", "Search", key_display="/", show=False),
    Binding("n", "match(1)", "Next match", show=False),
    Binding("N,shift+n", "match(-1)", "Previous match", show=False),
    Binding("escape", "clear", "Clear", show=False),
]
