"""The console script `reader`: the TUI's commonest launches take the fast start
(reader.launch, no click), everything else the CLI."""

from __future__ import annotations

import os
import sys


def main() -> None:
    from reader.launch import fast_launch

    # Shell completion (`_READER_COMPLETE=bash_source reader`) is click's: a bare
    # `reader` with that variable set must print the script, not start the TUI.
    completing = any(name.endswith("_COMPLETE") for name in os.environ)
    launch = None if completing else fast_launch(sys.argv[1:])
    if launch is None:
        from reader.cli import main as cli_main

        cli_main()
    else:
        from reader.launch import main as launch_main

        launch_main(*launch)
