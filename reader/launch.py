"""The fast start of the TUI: `reader`, `reader open REF`, `reader compare A B`,
each with an optional `--db PATH` first.

The commonest launches load neither the command-line parser (importing click is
a tenth of the start-up budget: the library within 1.3x of a bare Textual app, see
docs/contracts.md) nor sqlite-utils nor the exporter. `reader.entry` sends
anything else (other options, commands, `--help`) to reader.cli, which does the
same for these with the same outcome.
"""

from __future__ import annotations

import sys

from reader.errors import ReaderError
from reader.paths import database_path
from reader.session import NO_TERMINAL, annotator_name, has_terminal, open_tui, unexpected
from reader.store import Store
from reader.text.sanitize import clean_line


def fast_launch(args: list[str]) -> tuple[str | None, list[str]] | None:
    """(the --db given or None, the articles to open) when args are one of the
    launches above, else None (the CLI parses them)."""
    db: str | None = None
    if args[:1] == ["--db"] and len(args) > 1 and not args[1].startswith("-"):
        db, args = args[1], args[2:]
    elif args[:1] and args[0].startswith("--db=") and len(args[0]) > 5:
        db, args = args[0][5:], args[1:]
    refs = args[1:]
    if any(not ref or ref.startswith("-") for ref in refs):
        return None
    if not args or (args[0] == "open" and len(refs) == 1):
        return db, refs
    if args[0] == "compare" and len(refs) == 2:
        return db, refs
    return None


def main(db: str | None = None, refs: list[str] | None = None) -> None:
    """`reader` without arguments (or one of the launches of fast_launch)."""

    def warn(line: str) -> None:
        print(line, file=sys.stderr)

    if not has_terminal():
        warn(NO_TERMINAL)
        sys.exit(2)
    try:
        with Store(database_path(db)) as store:
            open_tui(store, annotator_name(None), refs or [], warn)
    except ReaderError as exc:
        warn(f"reader: error: {clean_line(exc)}")
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:  # the same line reader.cli gives
        warn(unexpected(exc))
        sys.exit(1)
