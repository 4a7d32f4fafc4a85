"""Issue 11 as a new user tries it, in a real terminal: `reader compare` two sample
articles, onto the "right of first refusal" sentence, its counterpart marked in the
other pane, "also in N of M", tag it, project the tag, and the database has them.

Skipped when tmux is missing, unless READER_REQUIRE_TMUX=1 (see test_tmux.py).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

from reader.importing import import_seeds
from reader.store import Store
from tests.terminal.test_tmux import TIMEOUT_S, tmux, wait_for

__all__ = ["tmux"]  # the fixture, shared with test_tmux.py


def test_compare_aligned_then_project_in_tmux(tmux: Callable[..., str], tmp_path: Path) -> None:
    db = tmp_path / "annotations" / "reader.db"
    with Store(db) as store:
        import_seeds(store)
        by_title = {a.title: a.id for a in store.articles()}
        left = by_title["Microsoft Loses Exclusive Cloud Role for OpenAI"]
        right = next(i for t, i in by_title.items() if t.startswith("Microsoft’s Cloud Reign"))
        others = sum(
            1
            for a in store.articles()
            if a.id != left and "first refusal" in store.article(a.id).text
        )
    command = " ".join(
        [
            f"cd {tmp_path} &&",
            "env -u COLUMNS -u LINES READER_ANNOTATOR=typist TERM=xterm-256color",
            sys.executable,
            f"-m reader --db {db} compare {left} {right}",
        ]
    )
    session = "aligned"
    tmux("new-session", "-d", "-s", session, "-x", "120", "-y", "40", command)
    wait_for(tmux, "Sync scroll", session)

    def press(keys: str, then: str) -> str:
        tmux("send-keys", "-t", session, "-l", keys)
        return wait_for(tmux, then, session)

    press("=", "⇅ together")  # scroll together: the counterpart comes level
    press("/", "Search")
    tmux("send-keys", "-t", session, "-l", "first refusal")
    tmux("send-keys", "-t", session, "Enter")
    screen = wait_for(tmux, f"also in {others} of 4 articles", session)
    right_half = [line[60:] for line in screen.splitlines()]
    assert any(line.startswith("▶") for line in right_half), screen  # the counterpart
    press("1", "Tagged")
    press("p", "here too?")
    press("a", "Projecte")  # the status may cut the rest of the line
    press("q", "5 articles")  # compare was opened over the library
    tmux("send-keys", "-t", session, "-l", "q")
    deadline = time.monotonic() + TIMEOUT_S
    while tmux("has-session", "-t", session) and time.monotonic() < deadline:
        time.sleep(0.05)
    with Store(db) as store:
        tags = [a for i in by_title.values() for a in store.annotations(i)]
    assert sorted(a.origin for a in tags) == ["manual"] + ["projected"] * others
    assert all(a.label == "claim" and "first refusal" in a.quote for a in tags)
