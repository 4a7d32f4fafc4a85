"""Start-up: `reader` to the library on screen, against a bare Textual app.

    python benchmarks/startup.py [--runs 9]

Each program runs in its own pseudo-terminal (120x40); the time is from spawn
until a known string is on its output (ANSI codes stripped): "BARE-APP-READY"
for the bare app, the library's "5 articles" status for `reader` (on a
temporary database that already holds the five seeds, so no import is timed).
Runs alternate between the two; the medians and their ratio are printed.
Budget (docs/contracts.md): reader <= 1.3x the bare app.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import re
import select
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUDGET = 1.3
TIMEOUT_S = 30.0
BARE_APP = """
from textual.app import App
from textual.widgets import Static

class Bare(App):
    def compose(self):
        yield Static("BARE-APP-READY")

Bare().run()
"""
_ANSI = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[@-Z\\-_])")


def time_to_screen(argv: list[str], marker: str, env: dict[str, str]) -> float:
    """Seconds from spawn until marker is on the pty's output."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    start = time.perf_counter()
    proc = subprocess.Popen(
        argv, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
    )
    os.close(slave)
    seen = ""
    try:
        while True:
            elapsed = time.perf_counter() - start
            if elapsed > TIMEOUT_S:
                raise RuntimeError(f"{argv[0]}: {marker!r} not on screen after {TIMEOUT_S}s")
            ready, _, _ = select.select([master], [], [], 0.05)
            if not ready:
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the child closed the terminal
                raise RuntimeError(f"{argv[0]} exited: {_ANSI.sub('', seen)[-300:]}") from None
            seen += chunk.decode("utf-8", "replace")
            if marker in _ANSI.sub("", seen):
                return time.perf_counter() - start
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        os.close(master)


def seeded_database(folder: Path, env: dict[str, str]) -> Path:
    db = folder / "annotations" / "reader.db"
    subprocess.run(
        [reader_command(), "--db", str(db), "import", str(ROOT / "seeds")],
        env=env,
        check=True,
        capture_output=True,
    )
    return db


def reader_command() -> str:
    """The console script pip installed beside this Python: the bare app runs on
    sys.executable directly, so reader must not pay for a shim (pyenv's is a shell
    script) that the bare app skips."""
    beside = Path(sys.executable).parent / "reader"
    found = str(beside) if beside.exists() else shutil.which("reader")
    if found is None:
        sys.exit("the `reader` console script is not installed (pip install -e .)")
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    env = dict(os.environ, TERM="xterm-256color", READER_ANNOTATOR="bench", COLORTERM="truecolor")
    env.pop("TEXTUAL", None)
    for name in ("COLUMNS", "LINES"):  # Textual would take these over the pty's size
        env.pop(name, None)
    # An installed reader runs from compiled .pyc files, as Textual does here;
    # where bytecode writing is off, each run would compile reader's modules.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = seeded_database(folder, env)
        env["READER_DB"] = str(db)
        bare_argv = [sys.executable, "-c", BARE_APP]
        reader_argv = [reader_command(), "--db", str(db)]
        # one untimed run of each: the OS file cache, .pyc files
        time_to_screen(bare_argv, "BARE-APP-READY", env)
        time_to_screen(reader_argv, "5 articles", env)
        bare, reader = [], []
        for _ in range(args.runs):
            bare.append(time_to_screen(bare_argv, "BARE-APP-READY", env))
            reader.append(time_to_screen(reader_argv, "5 articles", env))
    bare_ms = statistics.median(bare) * 1000
    reader_ms = statistics.median(reader) * 1000
    ratio = reader_ms / bare_ms
    verdict = "within" if ratio <= BUDGET else "OVER"
    print(f"runs: {args.runs} each, 120x40 pseudo-terminal, median")
    print(f"bare Textual app to first paint:  {bare_ms:7.1f} ms")
    print(f"reader to the library on screen:  {reader_ms:7.1f} ms")
    print(f"ratio: {ratio:.2f}x  ({verdict} the {BUDGET}x budget)")


if __name__ == "__main__":
    main()
