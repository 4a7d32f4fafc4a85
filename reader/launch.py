"""Starting the TUI, and the console script's entry point.

A bare `reader` (the commonest launch) opens the library without loading the
command-line parser: importing click is a tenth of the start-up budget
(DESIGN.md: the library within 1.3x of a bare Textual app). Anything with
arguments goes through reader.cli, which uses the same pieces.
"""

from __future__ import annotations

import getpass
import os
import re
import sys
from collections.abc import Callable, Sequence

from reader.errors import ReaderError
from reader.store import Store

# Control characters (and bidi overrides) in a file name, title or error would
# drive the terminal; they are shown as "?" instead.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def clean(value: object) -> str:
    """One printable line."""
    return _UNPRINTABLE.sub("?", " ".join(str(value).splitlines()))


def annotator_name(option: str | None) -> str:
    """--annotator, else $READER_ANNOTATOR, else the login name."""
    name = clean(option or os.environ.get("READER_ANNOTATOR") or _login_name()).strip()
    if not name:
        raise ReaderError("the annotator name is empty; give one with --annotator NAME")
    return name


def _login_name() -> str:
    # getuser() raises when the uid has no passwd entry (containers) and no
    # LOGNAME/USER is set; a name is still needed to sign annotations.
    try:
        return getpass.getuser()
    except Exception:
        return "anonymous"


def open_tui(
    store: Store, annotator: str, refs: Sequence[str], warn: Callable[[str], None]
) -> None:
    """The library ([]), one article ([ref]) or two side by side; an empty
    database gets the bundled seeds first, so a new user sees articles at once."""
    from reader.tui.app import run_app

    _sync_hook(store, annotator, warn)
    if store.article_count() == 0:
        from reader.importing import import_seeds

        for result in import_seeds(store):
            if result.status == "failed":
                warn(f"reader: seed {result.path.name}: {clean(result.message)}")
    ids = [store.find_article(ref).id for ref in refs]
    run_app(store, annotator, ids)
    _sync_hook(store, annotator, warn)


def _sync_hook(store: Store, annotator: str, warn: Callable[[str], None]) -> None:
    """`sync = "auto"` in the workspace's annotations/reader.toml: sync on start and
    quit. Without that file (the common case) this costs one stat, no import."""
    if (store.path.parent / "reader.toml").is_file():
        from reader.sync import tui_sync

        tui_sync(store, annotator, warn)


def main() -> None:
    """The console script `reader`."""
    if len(sys.argv) > 1:
        from reader.cli import main as cli_main

        cli_main()
        return
    from reader.paths import database_path

    def warn(line: str) -> None:
        print(line, file=sys.stderr)

    try:
        with Store(database_path(None)) as store:
            open_tui(store, annotator_name(None), [], warn)
    except ReaderError as exc:
        warn(f"reader: error: {clean(exc)}")
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:  # the same line reader.cli gives
        warn(
            f"reader: unexpected error: {type(exc).__name__}: {clean(exc)} "
            "(run again with --debug for the traceback)"
        )
        sys.exit(1)
