"""Widgets of the reader TUI: below the dialogs and screens, never importing them.

Nothing is imported here: the library's start must not load the reading pane (and
the sentence splitter behind it) through this package.
"""
