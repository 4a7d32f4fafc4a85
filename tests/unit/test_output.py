"""Output only where asked: `export -o` replaces regular files only; `-` is stdout."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from reader.cli import cli
from reader.store import Store
from tests.factories import add_article

DEVICES = {"/dev/null": (1, 3), "/dev/full": (1, 7)}


@pytest.fixture
def devices() -> object:
    """A regression here (as root) would replace /dev/null with a file: put it back."""
    yield None
    for name, (major, minor) in DEVICES.items():
        if not stat.S_ISCHR(os.stat(name).st_mode):
            os.unlink(name)
            os.mknod(name, 0o666 | stat.S_IFCHR, os.makedev(major, minor))
            os.chmod(name, 0o666)
            pytest.fail(f"{name} was replaced by a regular file")


def two_annotations(db: Path) -> None:
    with Store(db) as store:
        article = add_article(store, "One sentence here. Another one here.")
        store.add_annotation(article, 0, 3, "claim", "ann")
        store.add_annotation(article, 4, 12, "opinion", "ann")


def test_export_into_a_fifo_writes_through_and_leaves_a_fifo(db_path: Path, tmp_path: Path) -> None:
    two_annotations(db_path)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    result = CliRunner().invoke(cli, ["--db", str(db_path), "export", "-o", str(fifo)])
    reader.join(10)
    assert result.exit_code == 0, result.output
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert len(got[0].splitlines()) == 2
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".pipe")] == []


def test_export_to_dev_null_leaves_the_device(db_path: Path, devices: object) -> None:
    two_annotations(db_path)
    before = os.stat("/dev/null")
    result = CliRunner().invoke(cli, ["--db", str(db_path), "export", "-o", "/dev/null"])
    assert result.exit_code == 0, result.output
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and after.st_ino == before.st_ino


def test_export_dash_is_stdout(db_path: Path, tmp_path: Path) -> None:
    two_annotations(db_path)
    result = CliRunner().invoke(cli, ["--db", str(db_path), "export", "-o", "-"])
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == 2
    assert not (tmp_path / "-").exists()


def test_a_regular_file_is_still_replaced_atomically(db_path: Path, tmp_path: Path) -> None:
    two_annotations(db_path)
    target = tmp_path / "out.jsonl"
    target.write_text("old\n")
    before = os.stat(target).st_ino
    result = CliRunner().invoke(cli, ["--db", str(db_path), "export", "-o", str(target)])
    assert result.exit_code == 0
    assert os.stat(target).st_ino != before and len(target.read_text().splitlines()) == 2


def test_dev_full_is_one_line(db_path: Path, devices: object) -> None:
    two_annotations(db_path)
    result = CliRunner().invoke(cli, ["--db", str(db_path), "export", "-o", "/dev/full"])
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        "reader: error: cannot write /dev/full: No space left on device"
    ]


def test_merge_dash_reads_stdin(db_path: Path, tmp_path: Path) -> None:
    two_annotations(db_path)
    exported = CliRunner().invoke(cli, ["--db", str(db_path), "export"]).stdout
    other = tmp_path / "other.db"
    with Store(db_path) as src, Store(other) as dst:
        dst.add_articles([src.article(src.articles()[0].id)])
    result = CliRunner().invoke(cli, ["--db", str(other), "merge", "-"], input=exported)
    assert result.exit_code == 0, result.output
    assert "2 added" in result.stdout


# -- read commands never create or change anything ---------------------------


@pytest.mark.parametrize("command", [["list"], ["stats"], ["labels"], ["export"]])
def test_a_read_command_on_a_missing_database_creates_nothing(
    tmp_path: Path, command: list[str]
) -> None:
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "typo" / "x.db"), *command])
    assert result.exit_code == 1
    assert len(result.stderr.splitlines()) == 1 and "no database at" in result.stderr
    assert not (tmp_path / "typo").exists()


def test_read_commands_leave_no_wal_files_beside_a_read_only_file(
    db_path: Path, tmp_path: Path
) -> None:
    two_annotations(db_path)
    before = sorted(p.name for p in db_path.parent.iterdir())
    db_path.chmod(0o444)
    try:
        for command in (["list"], ["stats"], ["labels"], ["export"]):
            result = CliRunner().invoke(cli, ["--db", str(db_path), *command])
            assert result.exit_code == 0, result.output
    finally:
        db_path.chmod(0o644)
    assert sorted(p.name for p in db_path.parent.iterdir()) == before


def test_a_foreign_database_with_user_version_1_is_refused_untouched(tmp_path: Path) -> None:
    import sqlite3

    foreign = tmp_path / "other.db"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE t (x)")
        conn.execute("PRAGMA user_version = 1")
    conn.close()
    before = foreign.read_bytes()
    result = CliRunner().invoke(cli, ["--db", str(foreign), "labels", "add", "x"])
    assert result.exit_code == 1 and "not a reader database" in result.stderr
    assert foreign.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.db"]


def test_an_unknown_home_is_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--db", "~nouser-zz/x.db", "list"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "reader: error: cannot find the home folder in ~nouser-zz/x.db (no such user)"
    ]


# -- unix habits -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "message"),
    [("12", "one digit 1-9, not '12'"), ("", "one digit 1-9, not ''"), ("0", "one digit 1-9")],
)
def test_label_keys_are_one_digit(db_path: Path, key: str, message: str) -> None:
    result = CliRunner().invoke(cli, ["--db", str(db_path), "labels", "add", "x", "--key", key])
    assert result.exit_code == 1 and message in result.stderr
    assert "not free" not in result.stderr


def test_a_used_key_is_not_free(db_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--db", str(db_path), "labels", "add", "x", "--key", "1"])
    assert result.exit_code == 1 and "key '1' is not free" in result.stderr


@pytest.mark.parametrize(
    ("given", "stored"),
    [("2025-01-22", "2025-01-22"), ("22 January 2025", "2025-01-22"), ("yesterday", None)],
)
def test_edit_dates_are_validated(db_path: Path, given: str, stored: str | None) -> None:
    with Store(db_path) as store:
        article = add_article(store, "A text.")
    result = CliRunner().invoke(cli, ["--db", str(db_path), "edit", article.id, "--date", given])
    with Store(db_path) as store:
        published = store.article(article.id).published
    if stored is None:
        assert result.exit_code == 2 and published is None
    else:
        assert result.exit_code == 0 and published == stored


@pytest.mark.parametrize("args", [[], ["open", "x"], ["compare", "x", "y"]])
def test_the_tui_without_a_terminal_is_one_line_and_exit_2(tmp_path: Path, args: list[str]) -> None:
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-m", "reader", "--db", str(tmp_path / "x.db"), *args],
        capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert proc.returncode == 2 and len(proc.stderr.splitlines()) == 1, proc.stderr
    assert "need a terminal" in proc.stderr


def test_shell_completion_prints_a_script() -> None:
    import subprocess
    import sys

    code = "import sys; sys.argv = ['reader']; from reader.entry import main; main()"
    proc = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "_READER_COMPLETE": "bash_source"},
        capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert "complete" in proc.stdout and "_reader_completion" in proc.stdout, proc.stderr


def test_where_says_which_database_and_why(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "a.db"), "where"])
    assert result.stdout.strip() == f"{tmp_path / 'a.db'}  (from --db)"
    assert "from $READER_DB" in CliRunner().invoke(cli, ["where"]).stdout
    monkeypatch.delenv("READER_DB")
    (tmp_path / "annotations").mkdir()
    assert "workspace" in CliRunner().invoke(cli, ["where"]).stdout
    assert not list((tmp_path / "annotations").iterdir())
