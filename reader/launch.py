"""The fast start of the TUI: a bare `reader` opens the library.

The commonest launch loads neither the command-line parser (importing click is a
tenth of the start-up budget: the library within 1.3x of a bare Textual app, see
docs/contracts.md) nor sqlite-utils nor the exporter. `reader.entry` sends
anything with arguments to reader.cli instead.
"""

from __future__ import annotations

import sys

from reader.errors import ReaderError
from reader.paths import database_path
from reader.session import NO_TERMINAL, annotator_name, has_terminal, open_tui, unexpected
from reader.store import Store
from reader.text.sanitize import clean_line


def main() -> None:
    """`reader` without arguments."""

    def warn(line: str) -> None:
        print(line, file=sys.stderr)

    if not has_terminal():
        warn(NO_TERMINAL)
        sys.exit(2)
    try:
        with Store(database_path(None)) as store:
            open_tui(store, annotator_name(None), [], warn)
    except ReaderError as exc:
        warn(f"reader: error: {clean_line(exc)}")
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:  # the same line reader.cli gives
        warn(unexpected(exc))
        sys.exit(1)
