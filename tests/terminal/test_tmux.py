"""The real terminal: tmux runs `reader`, keys are typed as a person types them,
the screen is read with capture-pane, and the export is checked.

Skipped when tmux is missing, unless READER_REQUIRE_TMUX=1 (set by .ci/run).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from reader.store import Store
from reader.text.blocks import TextBlocks

TIMEOUT_S = 30.0


@pytest.fixture
def tmux() -> Iterator[Callable[..., str]]:
    if shutil.which("tmux") is None:
        if os.environ.get("READER_REQUIRE_TMUX") == "1":
            pytest.fail("tmux is not installed, and READER_REQUIRE_TMUX=1 requires it")
        pytest.skip("tmux is not installed")
    # a server of our own, its socket in a folder of our own (short: a socket path
    # has ~100 bytes): no clash with the user's sessions, other test workers, or
    # anything that tidies /tmp/tmux-<uid> meanwhile
    socket = f"reader-test-{uuid.uuid4().hex[:8]}"
    folder = tempfile.mkdtemp(prefix="rt-")
    env = dict(os.environ, TMUX_TMPDIR=folder)
    env.pop("TMUX", None)  # run from inside tmux: still a server of our own

    def run(*args: str) -> str:
        done = subprocess.run(
            ["tmux", "-L", socket, "-f", "/dev/null", *args],
            capture_output=True,
            text=True,
            timeout=30,
            env=env,
        )
        if args[0] == "has-session":  # it prints nothing: say "yes" when there is one
            return "yes" if done.returncode == 0 else ""
        if done.returncode != 0:
            raise AssertionError(f"tmux {' '.join(args)}: {done.stderr.strip()}")
        return done.stdout

    try:
        yield run
    finally:
        subprocess.run(["tmux", "-L", socket, "kill-server"], capture_output=True, env=env)
        shutil.rmtree(folder, ignore_errors=True)


def wait_for(tmux: Callable[..., str], text: str, session: str) -> str:
    """Poll the screen until `text` is on it; the last screen is in the failure."""
    deadline = time.monotonic() + TIMEOUT_S
    screen = ""
    while time.monotonic() < deadline:
        screen = tmux("capture-pane", "-p", "-t", session)
        if text in screen:
            return screen
        time.sleep(0.05)
    raise AssertionError(f"{text!r} never appeared; the screen was:\n{screen}")


def reader_cli(db: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reader", "--db", str(db), *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=60,
        env=dict(os.environ, READER_ANNOTATOR="typist"),
    )


def test_keys_typed_in_tmux_are_exactly_what_is_exported(
    tmux: Callable[..., str], tmp_path: Path
) -> None:
    db = tmp_path / "annotations" / "reader.db"
    command = " ".join(
        [
            f"cd {tmp_path} &&",
            # Textual takes COLUMNS / LINES over the terminal's size: not from pytest
            "env -u COLUMNS -u LINES READER_ANNOTATOR=typist TERM=xterm-256color",
            sys.executable,
            "-m reader --db",
            str(db),
        ]
    )
    session = "reader"
    tmux("new-session", "-d", "-s", session, "-x", "120", "-y", "40", command)
    # a first launch imports the seeds: five articles at once
    wait_for(tmux, "5 articles", session)
    tmux("send-keys", "-t", session, "Enter")
    wait_for(tmux, "Annotations (0)", session)

    def press(key: str, then: str) -> None:
        tmux("send-keys", "-t", session, "-l", key)
        wait_for(tmux, then, session)

    press("s", "Here: nothing tagged")  # selects the first sentence
    press("1", "Tagged")
    wait_for(tmux, "Annotations (1)", session)
    press(")", "Here: nothing tagged")  # the next sentence, untagged
    press("2", "Annotations (2)")
    press("u", "Undid")
    wait_for(tmux, "Annotations (1)", session)
    press("q", "5 articles")  # back in the library, counts refreshed
    tmux("send-keys", "-t", session, "-l", "q")
    deadline = time.monotonic() + TIMEOUT_S
    while tmux("has-session", "-t", session) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not tmux("has-session", "-t", session), "reader did not quit on q"

    exported = reader_cli(db, "export", cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr
    records = [json.loads(line) for line in exported.stdout.splitlines()]
    with Store(db) as store:
        first = store.articles()[0]  # the library's first row, opened with Enter
        article = store.article(first.id)
    blocks = TextBlocks(article.text)
    start, end = next(span for index in range(len(blocks)) for span in blocks.sentences(index))
    assert [(r["article_id"], r["start"], r["end"], r["label"]) for r in records] == [
        (article.id, start, end, "claim")
    ]
    assert records[0]["text"] == article.text[start:end]
    assert records[0]["annotator"] == "typist"


def test_suggested_tags_done_when_of_issue_12(tmux: Callable[..., str], tmp_path: Path) -> None:
    """Open a sample article, S; accept two with Enter, relabel one with a key, reject
    one with x; quit and reopen: the rejected one stays gone, the accepted ones are
    annotations with origin `suggested` in the export; `suggest --stats` counts them."""
    from reader.suggest_output import article_suggestions

    db = tmp_path / "annotations" / "reader.db"
    command = " ".join(
        [
            f"cd {tmp_path} &&",
            "env -u COLUMNS -u LINES READER_ANNOTATOR=typist TERM=xterm-256color",
            sys.executable,
            "-m reader --db",
            str(db),
        ]
    )
    session = "reader"
    tmux("new-session", "-d", "-s", session, "-x", "120", "-y", "40", command)
    wait_for(tmux, "5 articles", session)
    with Store(db) as store:
        article = store.article(store.articles()[0].id)  # the library's first row
        before = article_suggestions(store, article)
    assert len(before) >= 4
    tmux("send-keys", "-t", session, "Enter")
    wait_for(tmux, "Annotations (0)", session)

    def press(key: str, then: str) -> str:
        tmux("send-keys", "-t", session, "-l", key)
        return wait_for(tmux, then, session)

    screen = press("S", "Suggestions shown")
    assert "┆" in screen  # the margin mark of suggested rows
    first, second, third, fourth = before[:4]
    if first.start != TextBlocks(article.text).first:
        screen = press(">", "Here: suggested")
    assert ", ".join(first.cues)[:20] in screen  # the cues of the one under the cursor
    press("\r", "Annotations (1)")  # Enter accepts it with its label
    press(">", "Here: suggested")
    press("\r", "Annotations (2)")
    press(">", "Here: suggested")
    other = "1" if third.label != "claim" else "2"
    press(other, "Annotations (3)")  # a label key: accepted with that label
    press(">", "Here: suggested")
    press("x", "Rejected suggested")
    press("q", "5 articles")
    tmux("send-keys", "-t", session, "-l", "q")
    deadline = time.monotonic() + TIMEOUT_S
    while tmux("has-session", "-t", session) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not tmux("has-session", "-t", session), "reader did not quit on q"

    # reopen the article itself: suggestions are off again; S shows them without the rejected
    tmux(
        "new-session", "-d", "-s", "again", "-x", "120", "-y", "40", f"{command} open {article.id}"
    )
    wait_for(tmux, "Annotations (3)", "again")
    assert "┆" not in tmux("capture-pane", "-p", "-t", "again")
    tmux("send-keys", "-t", "again", "-l", "S")
    wait_for(tmux, "Suggestions shown", "again")
    tmux("send-keys", "-t", "again", "-l", "q")
    with Store(db) as store:
        after = article_suggestions(store, article)
    assert fourth.key not in {s.key for s in after}

    exported = reader_cli(db, "export", cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr
    records = [json.loads(line) for line in exported.stdout.splitlines()]
    assert [(r["start"], r["end"], r["label"], r["origin"]) for r in records] == [
        (first.start, first.end, first.label, "suggested"),
        (second.start, second.end, second.label, "suggested"),
        (third.start, third.end, {"1": "claim", "2": "opinion"}[other], "suggested"),
    ]
    stats = reader_cli(db, "suggest", "--stats", cwd=tmp_path)
    assert stats.returncode == 0, stats.stderr
    # cue names may hold spaces: the four counts are the columns before PRIOR, WEIGHT
    counts = [[int(x) for x in line.split()[-6:-2]] for line in stats.stdout.splitlines()[1:-1]]
    fires, accepts, relabels, rejects = (sum(column) for column in zip(*counts, strict=True))
    decided = (first, second, third, fourth)
    assert fires == sum(len(s.cues) for s in decided), stats.stdout
    assert accepts == len(first.cues) + len(second.cues), stats.stdout
    assert (relabels, rejects) == (len(third.cues), len(fourth.cues)), stats.stdout
