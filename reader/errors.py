"""Errors a user can cause and fix: shown as one line, never as a traceback."""


class ReaderError(Exception):
    """A failure explained in one line; the CLI prints it and exits 1."""


class NotFound(ReaderError):
    """An article, annotation or label that does not exist."""


class StoreError(ReaderError):
    """The database cannot be opened, read or written (locked, read-only, full...)."""
