"""Never lose work: what the screen showed as saved survives `kill -9` of reader."""

from __future__ import annotations

import json
import os
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path

from reader.importing import import_seeds
from reader.store import Store
from tests.terminal.test_tmux import reader_cli, tmux, wait_for

__all__ = ["tmux"]  # the fixture, shared with the tmux test


def test_tags_shown_as_saved_survive_kill_9(tmux: Callable[..., str], tmp_path: Path) -> None:
    db = tmp_path / "annotations" / "reader.db"
    with Store(db) as store:
        import_seeds(store)
        article = store.article(store.articles()[0].id)
    command = " ".join(
        [
            f"cd {tmp_path} &&",
            "exec env -u COLUMNS -u LINES READER_ANNOTATOR=typist TERM=xterm-256color",
            sys.executable,
            f"-m reader --db {db} open {article.id}",
        ]
    )
    session = "killed"
    tmux("new-session", "-d", "-s", session, "-x", "120", "-y", "40", command)
    wait_for(tmux, "Annotations (0)", session)
    pid = int(tmux("display-message", "-p", "-t", session, "#{pane_pid}").strip())
    for key, then in (("s", "Here"), ("1", "Annotations (1)"), (")", "Here"), ("3", "(2)")):
        tmux("send-keys", "-t", session, "-l", key)
        wait_for(tmux, then, session)
    os.kill(pid, signal.SIGKILL)  # no quit, no cleanup, no chance to flush anything
    deadline = time.monotonic() + 10
    while tmux("has-session", "-t", session) and time.monotonic() < deadline:
        time.sleep(0.05)
    exported = reader_cli(db, "export", cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr
    records = [json.loads(line) for line in exported.stdout.splitlines()]
    assert [r["label"] for r in records] == ["claim", "speculation"]
    assert all(article.text[r["start"] : r["end"]] == r["text"] for r in records)
