"""The console script `reader`: a bare `reader` takes the fast start, the rest the CLI."""

from __future__ import annotations

import os
import sys


def main() -> None:
    # Shell completion (`_READER_COMPLETE=bash_source reader`) is click's: a bare
    # `reader` with that variable set must print the script, not start the TUI.
    if len(sys.argv) > 1 or any(name.endswith("_COMPLETE") for name in os.environ):
        from reader.cli import main as cli_main

        cli_main()
    else:
        from reader.launch import main as launch_main

        launch_main()
