"""Modal screens: notes, confirmations, metadata, the search prompt and the help."""
