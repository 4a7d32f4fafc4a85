"""Everything that imports Textual lives here; the rest of reader is UI-free."""
