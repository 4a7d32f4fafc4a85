"""Issue 7's "done when", in a real terminal: hostile strings reach tmux only as text.

An article whose front matter carries OSC 0 (title), OSC 52 (clipboard) and CSI 2J
(clear), a label `[@click=app.quit]x[/]`, and a merged note with OSC sequences are
listed by `reader list`/`labels`/`stats` and shown in the library, the reading
screen and the palette: the pane title, the tmux paste buffers and the screen are
untouched and nothing crashes. Then the command line: `export -o` onto a FIFO
leaves a FIFO, `reader list` in a read-only folder creates nothing there, `reader
--db missing.db list` exits 1 creating nothing, `reader export -o - | wc -l` counts.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from reader.store import Store
from tests.factories import record, without_root_powers, write_jsonl
from tests.terminal.test_tmux import TIMEOUT_S, reader_cli, tmux, wait_for

__all__ = ["tmux"]  # the fixture, shared with the tmux test

ESC = "\x1b"
FRONT_MATTER = (
    "---\n"
    'title: "\\e]52;c;UFdORUQ=\\e\\\\Clip \\e]0;PWNED-TITLE\\e\\\\ here"\n'
    'source: "\\e[2J\\e[H\\e[?1049lWire"\n'
    "---\n\n"
    "Hostile front matter above. The body is plain text, a sentence or two long.\n"
)
MARKUP_LABEL = "[@click=app.quit]x[/]"
NOTE = f"{ESC}]0;PWNED-NOTE{ESC}\\ a note {ESC}]52;c;UFdORUQ={ESC}\\ merged{ESC}[2J"
TITLE = "before-reader"
BUFFER = "sentinel-buffer"


def quit_session(tmux: Callable[..., str], session: str) -> None:
    deadline = time.monotonic() + TIMEOUT_S
    while tmux("has-session", "-t", session) and time.monotonic() < deadline:
        tmux("send-keys", "-t", session, "-l", "q")
        time.sleep(0.3)
    if tmux("has-session", "-t", session):
        screen = tmux("capture-pane", "-p", "-t", session)
        raise AssertionError(f"reader did not quit on q; the screen was:\n{screen}")


def untouched(tmux: Callable[..., str], session: str) -> None:
    """The pane title as set before, one paste buffer and it ours."""
    assert tmux("display-message", "-p", "-t", session, "#{pane_title}").strip() == TITLE
    assert tmux("list-buffers", "-F", "#{buffer_name}").split() == ["reader-test"]
    assert tmux("show-buffer", "-b", "reader-test") == BUFFER


def prepared(tmp_path: Path) -> Path:
    """A workspace with the hostile article, label and merged note; its database."""
    db = tmp_path / "annotations" / "reader.db"
    (tmp_path / "hostile.md").write_text(FRONT_MATTER, encoding="utf-8")
    for args in (
        ["import", str(tmp_path / "hostile.md")],
        ["labels", "add", MARKUP_LABEL, "--key", "8"],
    ):
        done = reader_cli(db, *args, cwd=tmp_path)
        assert done.returncode == 0, done.stderr
    with Store(db) as store:
        article = store.article(store.articles()[0].id)
    merged = write_jsonl(tmp_path / "note.jsonl", [record(article, 0, 7, id="n", note=NOTE)])
    done = reader_cli(db, "merge", str(merged), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    return db


def test_hostile_strings_leave_the_terminal_untouched(
    tmux: Callable[..., str], tmp_path: Path
) -> None:
    db = prepared(tmp_path)
    # a server that accepts OSC 52 into its paste buffers (off by default), with a
    # buffer of ours to compare; a first session keeps it up
    tmux("new-session", "-d", "-s", "keep", "sleep 600")
    tmux("set-option", "-g", "set-clipboard", "on")
    tmux("set-buffer", "-b", "reader-test", BUFFER)
    reader = f"{shlex.quote(sys.executable)} -m reader --db {shlex.quote(str(db))}"
    command = " ".join(
        [
            f"cd {shlex.quote(str(tmp_path))} &&",
            f"printf '\\033]2;{TITLE}\\033\\\\' &&",  # the title the pane starts with
            "export READER_ANNOTATOR=typist TERM=xterm-256color && unset COLUMNS LINES &&",
            f"{reader} list && {reader} labels && {reader} stats && {reader} export &&",
            f"exec {reader}",
        ]
    )
    session = "reader"
    tmux("new-session", "-d", "-s", session, "-x", "120", "-y", "40", command)
    wait_for(tmux, "filter titles and sources", session)  # the library (not the list before)
    screen = wait_for(tmux, "1 article", session)
    assert "Clip" in screen and "PWNED" not in screen
    untouched(tmux, session)

    def press(keys: str, then: str) -> str:
        tmux("send-keys", "-t", session, "-l", keys)
        return wait_for(tmux, then, session)

    tmux("send-keys", "-t", session, "Enter")
    wait_for(tmux, "Annotations (1)", session)  # the reading screen
    wait_for(tmux, "Hostile front matter above", session)
    screen = wait_for(tmux, "a note", session)  # the merged note, in the list
    assert "PWNED" not in screen
    screen = wait_for(tmux, "e Export", session)  # the footer, the last row
    rows = screen.splitlines()
    assert "Hostile front matter above" in rows[0], "the screen was cleared under the app"
    assert "Clip here" in screen and "typist" in screen  # the status line
    untouched(tmux, session)
    tmux("send-keys", "-t", session, "C-p")
    press("click", MARKUP_LABEL[:12])  # the palette lists the label as typed
    assert tmux("has-session", "-t", session), "the palette's markup quit the app"
    untouched(tmux, session)
    tmux("send-keys", "-t", session, "Escape")
    deadline = time.monotonic() + TIMEOUT_S
    gone = 0  # captures in a row without the palette (one may catch a repaint)
    while gone < 3 and time.monotonic() < deadline:
        time.sleep(0.2)  # a key sent right after an escape would be read as alt+key
        gone = gone + 1 if "🔎" not in tmux("capture-pane", "-p", "-t", session) else 0
    press(")", "Here: nothing tagged")  # the next sentence: the app still takes keys
    untouched(tmux, session)
    quit_session(tmux, session)
    tmux("kill-session", "-t", "keep")


def test_the_command_line_done_when(tmp_path: Path) -> None:
    db = prepared(tmp_path)
    # export -o onto a FIFO writes into it and leaves a FIFO
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reading = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reading.start()
    done = reader_cli(db, "export", "-o", str(fifo), cwd=tmp_path)
    reading.join(30)
    assert done.returncode == 0, done.stderr
    assert stat.S_ISFIFO(os.stat(fifo).st_mode) and len(got[0].splitlines()) == 1

    # export -o - | wc -l counts the annotations
    piped = subprocess.run(
        f"{shlex.quote(sys.executable)} -m reader --db {shlex.quote(str(db))} export -o - | wc -l",
        shell=True,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert piped.stdout.strip() == "1", piped.stderr

    # --db missing.db list: one line, exit 1, nothing created
    before = sorted(p.name for p in tmp_path.iterdir())
    done = reader_cli(tmp_path / "missing.db", "list", cwd=tmp_path)
    assert done.returncode == 1 and len(done.stderr.splitlines()) == 1, done.stderr
    done = reader_cli(tmp_path / "typo" / "x.db", "list", cwd=tmp_path)
    assert done.returncode == 1 and len(done.stderr.splitlines()) == 1, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_list_in_a_read_only_folder_creates_nothing(tmp_path: Path) -> None:
    db = prepared(tmp_path)
    folder = tmp_path / "ro"
    folder.mkdir()
    shutil.copy(db, folder / "reader.db")
    (folder / "reader.db").chmod(0o444)
    folder.chmod(0o555)
    # as root, permissions bind only without the capabilities that override them
    prefix = without_root_powers()
    if prefix is None:
        pytest.skip("running as root without setpriv: permissions cannot be made to bind")
    try:
        done = subprocess.run(
            [*prefix, sys.executable, "-m", "reader", "--db", str(folder / "reader.db"), "list"],
            capture_output=True,
            text=True,
            timeout=60,
            cwd=tmp_path,
        )
        assert done.returncode == 0, done.stderr
        assert "Clip" in done.stdout
        assert sorted(p.name for p in folder.iterdir()) == ["reader.db"]
    finally:
        folder.chmod(0o755)


def test_a_merged_hostile_note_is_stored_clean(tmp_path: Path) -> None:
    db = prepared(tmp_path)
    exported = reader_cli(db, "export", cwd=tmp_path)
    (line,) = exported.stdout.splitlines()
    note = json.loads(line)["note"]
    assert ESC not in note and "a note" in note
