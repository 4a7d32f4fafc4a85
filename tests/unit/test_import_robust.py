"""Import goes on past a bad file: one line on stderr for each, the rest imported."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from reader.cli import cli
from reader.store import Store
from tests.factories import without_root_powers

BAD_FRONT_MATTER = {
    "feb30.md": "---\ndate: 2025-02-30\n---\n\nText one.\n",
    "stamp.md": "---\ndate: !!timestamp hello\n---\n\nText two.\n",
    "digits.md": "---\ncount: " + "9" * 5000 + "\n---\n\nText three.\n",
    "deep.md": "---\nx: " + "[" * 5000 + "]" * 5000 + "\n---\n\nText four.\n",
}


def test_bad_front_matter_fails_its_file_only(tmp_path: Path, db_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name, text in BAD_FRONT_MATTER.items():
        (folder / name).write_text(text)
    (folder / "good.md").write_text("---\ntitle: Fine\n---\n\nA good text.\n")
    result = CliRunner().invoke(cli, ["--db", str(db_path), "import", str(folder)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output and "unexpected" not in result.stderr
    errors = result.stderr.splitlines()
    failed = {name for name in BAD_FRONT_MATTER if any(name in line for line in errors)}
    imported = len(BAD_FRONT_MATTER) - len(failed)
    assert all(line.startswith("reader: ") for line in errors)
    assert len(errors) == len(failed)  # one line per failed file
    assert result.stdout.splitlines()[-1] == (
        f"{1 + imported} imported, 0 already present, {len(failed)} failed"
    )
    assert failed >= {"feb30.md", "stamp.md"}
    with Store(db_path) as store:
        assert store.article_count() == 1 + imported


def test_special_files_are_refused_unread_and_skips_reported(tmp_path: Path, db_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    os.mkfifo(folder / "pipe.txt")
    (folder / "gone.md").symlink_to(tmp_path / "nowhere.md")
    (folder / "ok.txt").write_text("Title\n\nBody text.\n")
    locked = folder / "locked"
    locked.mkdir()
    (locked / "a.txt").write_text("Hidden\n\nBody.\n")
    locked.chmod(0)
    try:
        result = CliRunner().invoke(
            cli, ["--db", str(db_path), "import", str(folder), str(folder / "pipe.txt")]
        )
    finally:
        locked.chmod(0o755)
    assert result.exit_code == 1
    errors = result.stderr
    assert "pipe.txt: is not a regular file" in errors
    assert "gone.md: is a symbolic link to nothing" in errors
    if os.geteuid() != 0:  # root reads any folder
        assert "locked: folder cannot be read" in errors
    imported = 2 if os.geteuid() == 0 else 1
    assert result.stdout.splitlines()[-1].startswith(f"{imported} imported")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forked workers: Linux")
def test_workers_end_with_a_killed_import(tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    big = "Word " * 40000
    for i in range(600):
        (folder / f"a{i}.md").write_text(f"---\ntitle: T{i}\n---\n\n{i} {big}\n")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    proc = subprocess.Popen(
        [sys.executable, "-m", "reader", "--db", str(tmp_path / "x.db"), "import", str(folder)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    children: list[int] = []
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not children:
        time.sleep(0.1)
        children = _children(proc.pid)
    assert children, "no workers were started"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(pid) for pid in children):
        time.sleep(0.1)
    left = [pid for pid in children if _alive(pid)]
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert left == []


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_an_unreadable_folder_is_reported_not_skipped_in_silence(
    tmp_path: Path, db_path: Path
) -> None:
    """Also as root: the import runs without the powers that read any folder."""
    prefix = without_root_powers()
    if prefix is None:
        pytest.skip("running as root without setpriv: permissions cannot be made to bind")
    folder = tmp_path / "in"
    locked = folder / "locked"
    locked.mkdir(parents=True)
    (folder / "ok.txt").write_text("Title\n\nBody text.\n")
    (locked / "a.txt").write_text("Hidden\n\nBody.\n")
    locked.chmod(0)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    try:
        done = subprocess.run(
            [*prefix, sys.executable, "-m", "reader", "--db", str(db_path), "import", str(folder)],
            capture_output=True,
            text=True,
            timeout=60,
            env=env,
        )
    finally:
        locked.chmod(0o755)
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"reader: {locked}: folder cannot be read (permission denied); skipped"
    ]
    assert done.stdout.splitlines()[-1] == "1 imported, 0 already present, 1 failed"
