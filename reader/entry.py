"""The console script `reader`: the TUI's commonest launches take the fast start
(reader.launch, no click), everything else the CLI."""

from __future__ import annotations

import sys


def main() -> None:
    from reader.launch import fast_launch

    launch = fast_launch(sys.argv[1:])
    if launch is None:
        from reader.cli import main as cli_main

        cli_main()
    else:
        from reader.launch import main as launch_main

        launch_main(*launch)
