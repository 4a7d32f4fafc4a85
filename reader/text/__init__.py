"""The one text model, without any UI (see docs/architecture.md for its modules).

Import the modules themselves (`reader.text.blocks`, `reader.text.sanitize`...):
nothing is imported here, so a cleaner does not load the sentence splitter.
"""
