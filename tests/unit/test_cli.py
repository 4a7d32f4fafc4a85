"""The command line: each command, exit codes, one-line errors, and bad input.

Every bad-input test checks three things: one clear line on stderr, the exit
code, and the database exactly as it was (a dump of its tables before/after).
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import types
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from rich.cells import cell_len

from reader import cli as cli_module
from reader import exporting, launch, session
from reader import store as store_module
from reader.cli import cli
from reader.models import Article
from reader.store import Store
from tests import factories
from tests.factories import record, table_dump, without_root_powers, write_jsonl

DB_ENV = "env.db"  # conftest points READER_DB at tmp_path/env.db


def run(*args: str, **kwargs: Any) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False, **kwargs)


def add_article(path: Path, text: str, title: str, source: str | None = "Wire") -> Article:
    with Store(path) as store:
        return factories.add_article(store, text, title, source, published="2025-01-22")


def one_error_line(result: Result, *needles: str) -> None:
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.output
    for needle in needles:
        assert needle in lines[0], lines[0]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / DB_ENV


@pytest.fixture
def two(db: Path) -> tuple[Article, Article]:
    first = add_article(
        db, "Microsoft said the deal is big. It is, said OpenAI.", "Microsoft loses cloud role"
    )
    second = add_article(
        db, "OpenAI teams up with Stargate for $500 billion.", "OpenAI and Stargate", None
    )
    return first, second


# -- usage and errors ----------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["bogus"],
        ["export", "--format", "csv"],
        ["merge"],
        ["import"],
        ["compare", "one"],
        ["edit", "x"],
    ],
)
def test_usage_errors_exit_2(args: list[str], two: tuple[Article, Article]) -> None:
    result = run(*args)
    assert result.exit_code == 2
    # one line, naming the command and where its usage is (not click's four lines)
    command = "reader" if args[0] == "bogus" else f"reader {args[0]}"
    one_error_line(result, f"{command}: error: ", f"`{command} --help`")
    assert result.stdout == ""


def test_a_command_without_arguments_that_shows_its_help_still_does() -> None:
    """click's "no arguments: the help" is a usage error too; it stays the help."""
    import click

    group = cli_module.ReaderGroup("reader")

    @group.command("x", no_args_is_help=True)
    @click.argument("thing")
    def x(thing: str) -> None: ...

    result = CliRunner().invoke(group, ["x"])
    assert result.output.startswith("Usage: reader x [OPTIONS] THING\n")
    assert "error" not in result.output


@pytest.mark.parametrize(
    ("args", "command"),
    [
        (["agree", "--article"], "reader agree"),  # click's parser gives these no context
        (["list", "--json=1"], "reader list"),
        (["labels", "add", "x", "--key"], "reader labels add"),
        (["labels", "--json=1"], "reader labels"),
    ],
)
def test_an_option_without_its_value_names_its_command(args: list[str], command: str) -> None:
    result = run(*args)
    assert result.exit_code == 2
    one_error_line(result, f"{command}: error: ", f"(see `{command} --help`)")


def test_a_usage_error_of_the_group_is_one_line() -> None:
    result = run("--db")
    assert result.exit_code == 2
    one_error_line(result, "reader: error: ", "'--db'")


def test_help_and_version() -> None:
    assert run("--help").exit_code == 0
    assert "export" in run("--help").stdout
    assert run("--version").stdout.strip().startswith("reader")


def test_export_formats_are_the_exporters() -> None:
    assert cli_module.EXPORT_FORMATS == exporting.FORMATS


def test_starting_imports_no_exporter_and_no_sqlite_utils() -> None:
    """What the TUI's start needs, and no more: the library must paint quickly."""
    code = "import sys, reader.cli, reader.store; print(sorted(sys.modules))"
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert "'reader.exporting'" not in loaded
    assert "'sqlite_utils'" not in loaded


def test_reader_error_is_one_line_on_stderr(two: tuple[Article, Article]) -> None:
    result = run("export", "--label", "nonsense")
    assert result.exit_code == 1 and result.stdout == ""
    one_error_line(result, "reader: error: no label named 'nonsense'")


def test_unexpected_error_suggests_debug(
    two: tuple[Article, Article], monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("a bug\nover two lines")

    monkeypatch.setattr(exporting, "export_bytes", boom)
    result = run("export")
    assert result.exit_code == 1
    one_error_line(result, "unexpected error: ZeroDivisionError: a bug over two lines", "--debug")
    with pytest.raises(ZeroDivisionError):
        run("--debug", "export")


def test_ctrl_c_exits_130_quietly(
    two: tuple[Article, Article], monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(exporting, "export_bytes", interrupted)
    result = run("export")
    assert result.exit_code == 130 and result.output == ""


def test_control_characters_in_messages_are_neutralized(two: tuple[Article, Article]) -> None:
    result = run("open", "\x1b[31mred\x07")
    assert result.exit_code == 1
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr


# -- the TUI commands ----------------------------------------------------------


@pytest.fixture(autouse=True)
def a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests run the TUI commands as from a terminal (tests/unit/test_output.py
    runs them without one)."""
    monkeypatch.setattr("reader.cli.has_terminal", lambda: True)
    monkeypatch.setattr("reader.launch.has_terminal", lambda: True)


@pytest.fixture
def fake_tui(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Store, str, list[str]]]:
    calls: list[tuple[Store, str, list[str]]] = []
    module = types.ModuleType("reader.tui.app")
    module.run_app = lambda store, annotator, open_ids: calls.append((store, annotator, open_ids))  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "reader.tui.app", module)
    return calls


def test_bare_reader_opens_the_library_without_loading_click(
    fake_tui: list[Any], two: tuple[Article, Article], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "argv", ["reader"])
    launch.main()
    assert [(c[1], c[2]) for c in fake_tui] == [("tester", [])]
    code = "import sys, reader.launch; print('click' in sys.modules)"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert loaded.stdout.strip() == "False"


@pytest.mark.parametrize(
    ("args", "launch"),
    [
        ([], (None, [])),
        (["--db", "x.db"], ("x.db", [])),
        (["--db=x.db", "open", "abc"], ("x.db", ["abc"])),
        (["open", "two words"], (None, ["two words"])),
        (["--db", "x.db", "compare", "a", "b"], ("x.db", ["a", "b"])),
        (["open"], None),
        (["open", "--help"], None),
        (["open", "a", "b"], None),
        (["--annotator", "zoë"], None),
        (["--db", "--help"], None),
        (["--db="], None),
        (["list"], None),
        (["compare", "a", ""], None),
    ],
)
def test_which_launches_skip_the_cli(args: list[str], launch: object) -> None:
    from reader.launch import fast_launch

    assert fast_launch(args) == launch


@pytest.mark.parametrize("fast", [True, False])
def test_compare_refuses_one_article_beside_itself(
    fake_tui: list[Any],
    two: tuple[Article, Article],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    fast: bool,
) -> None:
    first, _ = two
    if fast:  # `reader compare A A`: the fast start
        with pytest.raises(SystemExit) as exited:
            launch.main(None, [first.id, first.id[:6]])
        assert exited.value.code == 1
        err = capsys.readouterr().err
    else:  # through the CLI (`reader --annotator x compare ...`)
        result = run("compare", first.id, first.id[:6])
        assert result.exit_code == 1
        err = result.stderr
    assert err.count("\n") == 1
    assert err.startswith(
        f"reader: error: compare needs two different articles; both are {first.id}"
    )
    assert fake_tui == []


def test_reader_db_open_takes_the_fast_start(
    fake_tui: list[Any], two: tuple[Article, Article], monkeypatch: pytest.MonkeyPatch
) -> None:
    from reader import entry

    first, _ = two
    db = os.environ["READER_DB"]
    monkeypatch.delenv("READER_DB")
    monkeypatch.setattr(sys, "argv", ["reader", "--db", db, "open", first.id[:6]])
    entry.main()
    assert [(c[1], c[2]) for c in fake_tui] == [("tester", [first.id])]
    code = (
        "import sys; sys.argv = ['reader', '--db', sys.argv[1], 'open', 'nothing-like-it']\n"
        "import reader.entry\n"
        "try:\n    reader.entry.main()\nexcept SystemExit as e:\n"
        "    print('click' in sys.modules, e.code)"
    )
    # stdout a terminal (a pty), else the fast start stops first at "needs a terminal"
    main_end, child_end = os.openpty()
    try:
        done = subprocess.run(
            [sys.executable, "-c", code, db], stdout=child_end, stderr=subprocess.PIPE, text=True
        )
        os.close(child_end)
        printed = os.read(main_end, 4096).decode()
    finally:
        os.close(main_end)
    assert printed.split() == ["False", "1"]  # one line, the CLI's, without click
    assert done.stderr.startswith("reader: error: ") and done.stderr.count("\n") == 1


def test_bare_reader_errors_are_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    corrupt = tmp_path / "corrupt.db"
    corrupt.write_bytes(b"not a database" * 300)
    monkeypatch.setenv("READER_DB", str(corrupt))
    monkeypatch.setattr(sys, "argv", ["reader"])
    with pytest.raises(SystemExit) as exit_:
        launch.main()
    assert exit_.value.code == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("reader: error: ") and "corrupt" in err


def test_tui_commands_resolve_articles_and_annotator(
    fake_tui: list[Any], two: tuple[Article, Article], monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = two
    assert run("open", first.id[:5]).exit_code == 0
    assert run("--annotator", "zoë", "compare", "Stargate", first.id).exit_code == 0
    assert run().exit_code == 0
    assert [(c[1], c[2]) for c in fake_tui] == [
        ("tester", [first.id]),
        ("zoë", [second.id, first.id]),
        ("tester", []),
    ]
    result = run("open", "nothing like this")
    assert result.exit_code == 1 and len(fake_tui) == 3
    one_error_line(result, "no article matches")


def test_annotator_falls_back_to_the_login_name(
    fake_tui: list[Any], two: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("READER_ANNOTATOR")
    monkeypatch.setattr(session.getpass, "getuser", lambda: "login-name")
    run()
    monkeypatch.setattr(
        session.getpass, "getuser", lambda: (_ for _ in ()).throw(KeyError("no uid"))
    )
    run()
    assert [c[1] for c in fake_tui] == ["login-name", "anonymous"]


def test_empty_database_gets_the_seeds_before_the_tui(fake_tui: list[Any], db: Path) -> None:
    from reader.seeds import seed_files

    assert run().exit_code == 0
    with Store(db) as store:
        assert store.article_count() == len(seed_files()) == 5


# -- list, stats, labels, edit ---------------------------------------------------


def test_list_table_fits_80_columns(db: Path, two: tuple[Article, Article]) -> None:
    wide = add_article(db, "中文 text.", "中文標題" * 30)
    with Store(db) as store:
        store.add_annotation(store.article(wide.id), 0, 2, "opinion", "ann")
        store.add_annotation(store.article(wide.id), 3, 7, "opinion", "ann")
    result = run("list", env={"COLUMNS": "80"})
    assert result.exit_code == 0 and result.stderr == ""
    lines = result.stdout.splitlines()
    # narrow: the counts in one column, the date gives way to the title
    assert lines[0].split() == ["ID", "TITLE", "SOURCE", "WORDS", "c·o·s", "PROG", "STAT"]
    assert len(lines) == 4
    assert all(cell_len(line) <= 80 for line in lines), [cell_len(x) for x in lines]
    row = next(line for line in lines if line.startswith(wide.id))
    assert "…" in row and row.split()[-3:-2] == ["0·2·0"]  # claim opinion speculation
    assert row.split()[-1] == "wip" and row.split()[-2].endswith("%")
    assert any("Microsoft loses cloud role" in line for line in lines)
    wide_lines = run("list", env={"COLUMNS": "130"}).stdout.splitlines()
    assert wide_lines[0].split()[-3:] == ["spe", "PROG", "STATUS"]
    assert any("2025-01-22" in line for line in wide_lines)


def test_list_json(two: tuple[Article, Article], db: Path) -> None:
    first, _ = two
    with Store(db) as store:
        store.add_annotation(first, 0, 9, "claim", "ann")
    rows = json.loads(run("list", "--json").stdout)
    by_id = {r["id"]: r for r in rows}
    assert by_id[first.id]["counts"] == {"claim": 1, "opinion": 0, "speculation": 0}
    assert by_id[first.id]["total"] == 1 and by_id[first.id]["words"] == first.words
    assert set(by_id[first.id]) == {
        "id",
        "title",
        "source",
        "published",
        "words",
        "counts",
        "total",
        "progress",
        "status",
    }
    assert by_id[first.id]["status"] == "in progress" and 0 < by_id[first.id]["progress"] <= 1
    with Store(db) as store:
        store.set_status(first.id, "done")
    again = {r["id"]: r for r in json.loads(run("list", "--json").stdout)}
    assert again[first.id]["status"] == "done"


def test_list_empty(db: Path) -> None:
    Store(db).close()
    result = run("list")
    assert result.exit_code == 0 and result.stdout == "" and "reader import" in result.stderr
    assert json.loads(run("list", "--json").stdout) == []


def test_stats(two: tuple[Article, Article], db: Path) -> None:
    first, second = two
    with Store(db) as store:
        store.add_annotation(first, 0, 9, "claim", "ann")
        store.add_annotation(first, 10, 14, "opinion", "bob")
        store.delete_annotation(store.add_annotation(second, 0, 6, "claim", "ann").id)
    out = run("stats").stdout
    assert "annotations: 2 (1 deleted, not counted)" in out
    per_label = out.split("per label:")[1].split("per article:")[0].split()
    assert per_label == ["1", "claim", "1", "opinion", "0", "speculation"]
    assert f"2  {first.id}  Microsoft loses cloud role" in out
    assert second.id not in out
    per_annotator = out.split("per annotator:")[1].split("annotators:")[0]
    assert per_annotator.split() == ["1", "ann", "1", "bob"]


def test_labels_key_rename_color_describe_remove(db: Path, two: tuple[Article, Article]) -> None:
    first, _ = two
    with Store(db) as store:
        store.add_annotation(first, 0, 9, "opinion", "ann")
    assert run("labels", "add", "Claim").exit_code == 1  # unique without regard to case
    assert run("labels", "add", "hedge").exit_code == 0
    assert "key 4" in run("labels", "key", "hedge", "4").stdout
    assert run("labels", "key", "hedge", "1").exit_code == 1  # claim has it
    result = run("labels", "rename", "opinion", "view")
    assert result.exit_code == 0 and "1 annotation(s) follow" in result.stdout
    assert run("labels", "rename", "view", "CLAIM").exit_code == 1
    assert run("labels", "color", "view", "#123456").exit_code == 0
    assert run("labels", "color", "view", "red").exit_code == 1
    assert run("labels", "describe", "view", "What one thinks").exit_code == 0
    refused = run("labels", "remove", "view")
    assert refused.exit_code == 1 and "--to" in refused.stderr
    moved = run("labels", "remove", "view", "--to", "claim")
    assert moved.exit_code == 0 and "1 annotation(s) moved to claim" in moved.stdout
    with Store(db) as store:
        assert [a.label for a in store.annotations(first.id)] == ["claim"]
        hedge = store.label("hedge")
        assert (hedge.key, hedge.name) == ("4", "hedge")
        assert "view" not in {label.name for label in store.labels()}
    listing = run("labels").stdout
    assert "view" not in listing and "4  hedge" in listing


def test_labels_list_and_add(db: Path) -> None:
    Store(db).close()
    out = run("labels").stdout.splitlines()
    assert [line.split()[:2] for line in out] == [
        ["1", "claim"],
        ["2", "opinion"],
        ["3", "speculation"],
    ]
    result = run(
        "labels", "add", "rumour", "--key", "4", "--color", "#aabbcc", "--description", "Heard"
    )
    assert result.exit_code == 0 and "rumour" in result.stdout
    assert run("labels").stdout.splitlines()[-1].split() == ["4", "rumour", "#aabbcc", "Heard"]
    before = table_dump(db)
    for args, needle in [
        (["rumour", "--key", "5"], "already a label"),
        (["other", "--key", "1"], "not free"),
        (["other", "--color", "[bold]red"], "not a colour"),
        (["two words"], "one word"),
    ]:
        bad = run("labels", "add", *args)
        assert bad.exit_code == 1
        one_error_line(bad, needle)
    assert table_dump(db) == before


def test_edit_metadata(two: tuple[Article, Article], db: Path) -> None:
    first, _ = two
    result = run(
        "edit",
        "cloud role",
        "--title",
        "  New\ntitle  ",
        "--source",
        "Reuters",
        "--date",
        "2025-02-01",
    )
    assert result.exit_code == 0, result.output
    with Store(db) as store:
        edited = store.article(first.id)
    assert (edited.title, edited.source, edited.published) == ("New title", "Reuters", "2025-02-01")
    assert edited.text == first.text
    assert run("edit", first.id, "--source", "").exit_code == 0
    with Store(db) as store:
        assert store.article(first.id).source is None
    before = table_dump(db)
    bad = run("edit", first.id, "--title", "  ")
    assert bad.exit_code == 1
    one_error_line(bad, "title cannot be empty")
    assert run("edit", first.id).exit_code == 2
    assert table_dump(db) == before


def test_ambiguous_and_unknown_article(
    fake_tui: list[Any], two: tuple[Article, Article], db: Path
) -> None:
    before = table_dump(db)
    for args, needle in [
        (["open", "o"], "'o' matches 2 articles"),  # a letter of both titles
        (["export", "--article", "o"], "'o' matches 2 articles"),
        (["edit", "zzzz", "--title", "x"], "no article matches 'zzzz'"),
        (["compare", "Stargate", "nowhere"], "no article matches 'nowhere'"),
    ]:
        result = run(*args)
        assert result.exit_code == 1
        one_error_line(result, needle)
    assert table_dump(db) == before


# -- export and merge ----------------------------------------------------------


def test_export_stdout_is_pure_jsonl(
    two: tuple[Article, Article], db: Path, tmp_path: Path
) -> None:
    first, second = two
    with Store(db) as store:
        store.add_annotation(first, 0, 9, "claim", "ann")
        store.add_annotation(second, 0, 6, "opinion", "ann")
    result = run("export")
    assert result.exit_code == 0 and result.stderr == ""
    lines = result.stdout_bytes.split(b"\n")
    assert lines[-1] == b"" and len(lines) == 3
    assert all(json.loads(line) for line in lines[:-1])
    assert run("export").stdout_bytes == result.stdout_bytes
    only = run("export", "--article", "Stargate", "--label", "opinion").stdout.splitlines()
    assert [json.loads(x)["article_id"] for x in only] == [second.id]
    spans = [json.loads(x) for x in run("export", "--format", "spans").stdout.splitlines()]
    assert {s["article_id"] for s in spans} == {first.id, second.id}
    out = tmp_path / "out.jsonl"
    written = run("export", "-o", str(out))
    assert (
        written.exit_code == 0
        and written.stdout == ""
        and "2 annotations written" in written.stderr
    )
    assert out.read_bytes() == result.stdout_bytes


def test_merge_summary_problems_and_exit(
    two: tuple[Article, Article], db: Path, tmp_path: Path
) -> None:
    first, _ = two
    good = record(first, 0, 9)
    lost = record(first, 0, 9, id="lost", text="Google")
    path = write_jsonl(tmp_path / "in.jsonl", [good, lost])
    result = run("merge", str(path))
    assert result.exit_code == 1
    assert (
        result.stdout
        == "merged 1 file: 1 added, 0 updated, 0 unchanged, 0 re-anchored, 1 skipped\n"
    )
    one_error_line(result, "in.jsonl:2", "'Google' is not in article")
    again = run("merge", str(write_jsonl(tmp_path / "ok.jsonl", [good])))
    assert again.exit_code == 0 and "0 added, 0 updated, 1 unchanged" in again.stdout


HOSTILE = {
    "not json": b"{oops\n",
    "not an object": b"[]\n",
    "huge number": b'{"id": "a", "article_id": "b", "start": 1e999, "end": 2, "text": "x", '
    b'"label": "claim", "updated_at": "2025-01-01T00:00:00Z"}\n',
    "negative offset": b'{"id": "a", "article_id": "b", "start": -4, "end": 2, "text": "x", '
    b'"label": "claim", "updated_at": "2025-01-01T00:00:00Z"}\n',
    "wrong type": b'{"id": 5}\n',
    "NUL byte": b'{"id": "\x00"}\n',
    "10 MB line": b'{"id": "' + b"x" * (10 * 1024 * 1024) + b"\n",
    "binary": bytes(range(256)),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_jsonl_is_refused_whole(
    case: str, two: tuple[Article, Article], db: Path, tmp_path: Path
) -> None:
    first, _ = two
    path = tmp_path / "hostile.jsonl"
    path.write_bytes(json.dumps(record(first, 0, 9)).encode() + b"\n" + HOSTILE[case])
    before = table_dump(db)
    result = run("merge", str(path))
    assert result.exit_code == 1 and result.stdout == ""
    one_error_line(result, f"reader: error: {path}:2: ")
    assert len(result.stderr) < 400
    assert table_dump(db) == before


def test_unknown_label_through_merge_is_created_and_reported(two: Any, tmp_path: Path) -> None:
    first, _ = two
    result = run(
        "merge", str(write_jsonl(tmp_path / "a.jsonl", [record(first, 0, 9, label="rumour")]))
    )
    assert result.exit_code == 0 and "new labels: rumour" in result.stdout
    assert "rumour" in run("labels").stdout


def test_broken_pipe_is_quiet(two: tuple[Article, Article], db: Path, tmp_path: Path) -> None:
    first, _ = two
    with Store(db) as store:
        made = store.add_annotation(first, 0, 9, "claim", "ann", note="x" * 200)
        # several write batches, so a write after the reader has gone must fail
        store.put_annotations(replace(made, id=f"a{i:05}") for i in range(20_000))
    proc = subprocess.Popen(
        [sys.executable, "-m", "reader", "export"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.read(100)
    proc.stdout.close()
    err = proc.stderr.read()
    proc.wait(timeout=60)
    assert err == b"" and proc.returncode == 1


# -- bad databases ---------------------------------------------------------------


def test_corrupt_database(tmp_path: Path) -> None:
    path = tmp_path / "corrupt.db"
    path.write_bytes(os.urandom(8192))
    before = path.read_bytes()
    result = run("--db", str(path), "list")
    assert result.exit_code == 1
    one_error_line(result, "corrupt.db is not a reader database or is corrupt")
    assert path.read_bytes() == before


def test_newer_version_database(tmp_path: Path) -> None:
    path = tmp_path / "newer.db"
    with Store(path):
        pass
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    for args in (["list"], ["labels", "add", "x"], ["export"]):
        result = run("--db", str(path), *args)
        assert result.exit_code == 1
        one_error_line(result, "newer reader (schema 99")
    assert path.read_bytes() == before


def test_locked_database(
    two: tuple[Article, Article], db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, _ = two
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_S", 0.2)
    path = write_jsonl(tmp_path / "a.jsonl", [record(first, 0, 9)])
    before = table_dump(db)
    blocker = sqlite3.connect(db, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        result = run("merge", str(path))
        assert result.exit_code == 1
        one_error_line(result, "is locked by another program")
        assert run("labels", "add", "x").exit_code == 1
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert table_dump(db) == before


@pytest.mark.parametrize("leftovers", [False, True], ids=["closed", "with-wal-and-shm"])
def test_read_only_database(
    leftovers: bool, two: tuple[Article, Article], db: Path, tmp_path: Path
) -> None:
    """A database file (and its folder) without write permission: writes are refused.

    Reading works, closed cleanly (no -shm can be made: opened immutable) or
    with the -wal/-shm files left beside it; writing is refused in one line.
    """
    prefix = without_root_powers()
    if prefix is None:
        pytest.skip("running as root without setpriv: permissions cannot be made to bind")
    first, _ = two
    before = table_dump(db)
    folder = tmp_path / "ro"
    folder.mkdir()
    path = folder / "reader.db"
    shutil.copy(db, path)  # a closed WAL database: no -wal / -shm beside it
    if leftovers:
        table_dump(path)  # a read-only connection leaves -wal and -shm behind
    files = sorted(p.name for p in folder.iterdir())
    assert (len(files) == 3) == leftovers
    merge_file = write_jsonl(tmp_path / "a.jsonl", [record(first, 0, 9)])
    path.chmod(0o444)
    folder.chmod(0o555)
    try:
        for args, readable in (
            (["merge", str(merge_file)], False),
            (["labels", "add", "x"], False),
            (["list"], True),
        ):
            proc = subprocess.run(
                [*prefix, sys.executable, "-m", "reader", "--db", str(path), *args],
                capture_output=True,
                text=True,
                timeout=60,
            )
            if readable:  # opened read-only (immutable where no -shm can be made)
                assert proc.returncode == 0 and first.id in proc.stdout, proc.stderr
                continue
            assert proc.returncode == 1, proc.stderr
            lines = proc.stderr.splitlines()
            assert len(lines) == 1, proc.stderr
            assert "read-only database (its file or folder cannot be written)" in lines[0]
    finally:
        folder.chmod(0o755)
        path.chmod(0o644)
    assert sorted(p.name for p in folder.iterdir()) == files
    assert table_dump(path) == before


# -- the "done when" of issue 2 ------------------------------------------------

HARD_TEXT = (
    "Families 👩‍👩‍👧‍👦 cheered in Zürich.\n\n"
    "東京の記者は「クラウド契約は終わった」と書いた。\n\n"
    "The cafe\u0301 owner, Zoe\u0308, said the deal is over 🇫🇷.\n"
)


def test_done_when_import_list_merge_export(tmp_path: Path, db: Path) -> None:
    from reader.seeds import seeds_dir

    imported = run("import", str(seeds_dir()))
    assert imported.exit_code == 0, imported.output
    assert imported.stdout.splitlines()[-1] == "5 imported, 0 already present, 0 failed"
    assert (
        run("import", str(seeds_dir())).stdout.splitlines()[-1]
        == "0 imported, 5 already present, 0 failed"
    )

    article_file = tmp_path / "hard.txt"
    article_file.write_text(HARD_TEXT, encoding="utf-8")
    assert run("import", str(article_file)).exit_code == 0
    listed = run("list")
    assert listed.exit_code == 0 and len(listed.stdout.splitlines()) == 1 + 6
    assert "Microsoft Loses Exclusive Cloud Role for OpenAI" in run("list", "--json").stdout

    with Store(db) as store:
        article = next(
            store.article(a.id) for a in store.articles() if "Zürich" in store.article(a.id).text
        )
    text = article.text
    quotes = ["👩‍👩‍👧‍👦", "「クラウド契約は終わった」", "café owner, Zoë", "🇫🇷"]
    records = []
    for i, quote in enumerate(quotes):
        start = text.index(quote)
        records.append(record(article, start, start + len(quote), id=f"span-{i}", label="opinion"))
    merged = run("merge", str(write_jsonl(tmp_path / "spans.jsonl", records)))
    assert merged.exit_code == 0, merged.output
    assert "4 added" in merged.stdout

    first = run("export")
    second = run("export")
    assert first.exit_code == 0 and first.stdout_bytes == second.stdout_bytes
    out = [json.loads(line) for line in first.stdout.splitlines()]
    assert [(r["id"], r["text"]) for r in out] == [(f"span-{i}", q) for i, q in enumerate(quotes)]
    for got, sent in zip(out, records, strict=True):
        assert (got["start"], got["end"], got["article_id"]) == (
            sent["start"],
            sent["end"],
            article.id,
        )
        assert text[got["start"] : got["end"]] == got["text"]
    assert run("merge", str(tmp_path / "spans.jsonl")).stdout.count("4 unchanged") == 1
    assert run("export").stdout_bytes == first.stdout_bytes


def test_import_reports_each_file_and_fails_on_any_failure(tmp_path: Path, db: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("A good title\n\nSome text of the article.\n", encoding="utf-8")
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\x00\x01\x02 binary \xff\xfe")
    result = run("import", str(good), str(binary))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith("imported") and "good.txt" in lines[0]
    assert lines[1] == "1 imported, 0 already present, 1 failed"
    failed = result.stderr.splitlines()
    assert len(failed) == 1 and failed[0].startswith("reader: ") and "binary.txt: " in failed[0]
    again = run("import", str(good))
    assert again.exit_code == 0 and again.stdout.startswith("already present")
    with Store(db) as store:
        assert store.article_count() == 1
