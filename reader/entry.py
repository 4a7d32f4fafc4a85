"""The console script `reader`: a bare `reader` takes the fast start, the rest the CLI."""

from __future__ import annotations

import sys


def main() -> None:
    if len(sys.argv) > 1:
        from reader.cli import main as cli_main

        cli_main()
    else:
        from reader.launch import main as launch_main

        launch_main()
