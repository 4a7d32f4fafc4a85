"""`reader review` in a real terminal: tmux types the keys, capture-pane reads
"N of M left", the export has gold's annotations with origin `adjudicated`."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

from reader.importing import import_seeds
from reader.store import Store
from reader.text.blocks import TextBlocks
from tests.terminal.test_tmux import TIMEOUT_S, reader_cli, tmux, wait_for

__all__ = ["tmux"]  # the fixture, shared with test_tmux


def test_review_typed_in_tmux(tmux: Callable[..., str], tmp_path: Path) -> None:
    db = tmp_path / "annotations" / "reader.db"
    db.parent.mkdir()
    with Store(db) as store:
        import_seeds(store)
        article = store.article(store.articles()[0].id)
        blocks = TextBlocks(article.text)
        s = [span for k in range(len(blocks)) for span in blocks.sentences(k)][:3]
        store.add_annotation(article, *s[0], "claim", "ana")
        store.add_annotation(article, *s[0], "claim", "ben")  # agreed
        store.add_annotation(article, *s[1], "claim", "ana")
        store.add_annotation(article, *s[1], "opinion", "ben")  # a label apart
        store.add_annotation(article, *s[2], "speculation", "ben")  # ben's alone
    command = " ".join(
        [
            f"cd {tmp_path} &&",
            "env -u COLUMNS -u LINES READER_ANNOTATOR=lead TERM=xterm-256color",
            sys.executable,
            f"-m reader --db {db} review {article.id} --annotators ana,ben",
        ]
    )
    session = "review"
    tmux("new-session", "-d", "-s", session, "-x", "120", "-y", "40", command)
    screen = wait_for(tmux, "2 of 2 left", session)
    assert "1 agreed annotation in the result" in screen and " a  ana" in screen

    def press(key: str, then: str) -> str:
        tmux("send-keys", "-t", session, "-l", key)
        return wait_for(tmux, then, session)

    press("b", "1 of 2 left")  # ben's opinion
    press("x", "0 of 2 left")  # neither: ben's speculation stays out
    press("u", "1 of 2 left")
    press("a", "0 of 2 left")  # ana tagged nothing there: neither again
    press("q", "5 articles")  # back in the library
    tmux("send-keys", "-t", session, "-l", "q")
    deadline = time.monotonic() + TIMEOUT_S
    while tmux("has-session", "-t", session) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not tmux("has-session", "-t", session), "reader did not quit on q"

    exported = reader_cli(db, "export", cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr
    gold = [r for r in map(json.loads, exported.stdout.splitlines()) if r["annotator"] == "gold"]
    assert [(r["start"], r["end"], r["label"], r["origin"]) for r in gold] == [
        (*s[0], "claim", "adjudicated"),
        (*s[1], "opinion", "adjudicated"),
    ]
