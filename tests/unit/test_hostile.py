"""Hostile strings through every way in: what is stored is clean, what is printed too.

Each entry point (front matter, `reader edit`, `labels add`, merge, notes, the
annotator from the environment or --annotator, file names, other tools' imports)
gets strings carrying escape sequences, controls, bidi controls and markup; the
stored value must hold none of them (markup is kept as the characters it is) and
the CLI's listings must not send them to a terminal.
"""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.cli import cli
from reader.store import Store
from reader.text.sanitize import clean_line, clean_note
from tests.factories import add_article, record, write_jsonl

HOSTILE = [
    "\x1b]52;c;UFdORUQ=\x1b\\",  # OSC 52: writes the clipboard
    "\x1b]0;PWNED\x07",  # OSC 0: the window title
    "\x1b[2J\x1b[H",  # CSI: clear the screen
    "\x1b[?1049l",
    "\x1bc",  # RIS: reset the terminal
    "\x07",
    "\x9b31m",  # C1 CSI
    "\x9d0;t\x9c",
    "\u202e",  # bidi override
    "\u2066",
    "\x00",
    "\r",
    "[@click=app.quit]x[/]",
    "[reverse]",
]
# What may not be stored or printed: C0 but \n, C1, DEL, bidi controls.
UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

hostile = st.lists(
    st.one_of(st.sampled_from(HOSTILE), st.text("abc xyz", min_size=1, max_size=4)),
    min_size=1,
    max_size=6,
).map("".join)
SETTINGS = settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def stored(db: Path, sql: str) -> list[Any]:
    with sqlite3.connect(db) as conn:
        return [value for row in conn.execute(sql) for value in row]


def check_line(value: str | None) -> None:
    assert value is None or (not UNSAFE.search(value) and "\n" not in value), repr(value)
    assert value is None or value == clean_line(value)


def run(db: Path, *args: str, **kwargs: Any) -> str:
    result = CliRunner().invoke(cli, ["--db", str(db), *args], **kwargs)
    output = result.output + (result.stderr if result.stderr_bytes is not None else "")
    assert not UNSAFE.search(output.replace("\n", "")), repr(output)
    assert "Traceback" not in output
    return output


@SETTINGS
@given(title=hostile, source=hostile)
def test_front_matter_values_are_stored_clean(tmp_path: Path, title: str, source: str) -> None:
    db = tmp_path / f"fm{abs(hash((title, source)))}.db"
    md = tmp_path / f"a{abs(hash((title, source)))}.md"
    # YAML decodes "\e" and "\x07" after the file was read: the escapes arrive late
    quoted = [json.dumps(v).replace("\\u001b", "\\e") for v in (title, source)]
    md.write_text(f"---\ntitle: {quoted[0]}\nsource: {quoted[1]}\n---\n\nSome text here.\n")
    run(db, "import", str(md))
    for value in stored(db, "SELECT title, source, url, published, path FROM articles"):
        check_line(value)
    run(db, "list")


@SETTINGS
@given(title=hostile, date=hostile)
def test_edited_metadata_is_stored_clean(tmp_path: Path, title: str, date: str) -> None:
    db = tmp_path / f"ed{abs(hash((title, date)))}.db"
    with Store(db) as store:
        article = add_article(store, "One sentence here.")
    run(db, "edit", article.id, "--title", title + "x", "--source", title)
    for value in stored(db, "SELECT title, source FROM articles"):
        check_line(value)


@SETTINGS
@given(name=hostile, description=hostile)
def test_label_names_and_descriptions_are_stored_clean(
    tmp_path: Path, name: str, description: str
) -> None:
    db = tmp_path / f"lb{abs(hash((name, description)))}.db"
    run(db, "labels", "add", name.replace(" ", "") + "q", "--description", description)
    for value in stored(db, "SELECT name, description FROM labels"):
        check_line(value)
    run(db, "labels")


@SETTINGS
@given(label=hostile, note=hostile, annotator=hostile)
def test_merged_records_are_stored_clean(
    tmp_path: Path, label: str, note: str, annotator: str
) -> None:
    db = tmp_path / f"mg{abs(hash((label, note, annotator)))}.db"
    with Store(db) as store:
        article = add_article(store, "One sentence here. Another one.")
    line = record(
        article, 0, 3, label=label.replace(" ", "") + "q", note=note + "\nsecond",
        annotator=annotator, origin=note,
    )  # fmt: skip
    run(db, "merge", str(write_jsonl(tmp_path / "in.jsonl", [line])))
    for name, annotator_, origin in zip(
        *[stored(db, f"SELECT {c} FROM annotations") for c in ("label", "annotator", "origin")],
        strict=True,
    ):
        check_line(name)
        check_line(annotator_)
        check_line(origin)
    for value in stored(db, "SELECT note FROM annotations"):
        assert value is None or (not UNSAFE.search(value) and value == clean_note(value))
    for value in stored(db, "SELECT name FROM labels"):
        check_line(value)
    run(db, "list")
    run(db, "stats")
    run(db, "labels")


@SETTINGS
@given(note=hostile, annotator=hostile)
def test_notes_and_annotators_are_stored_clean(tmp_path: Path, note: str, annotator: str) -> None:
    from reader.history import History
    from reader.session import annotator_name

    db = tmp_path / f"nt{abs(hash((note, annotator)))}.db"
    with Store(db) as store:
        article = add_article(store, "One sentence here.")
        name = annotator_name(annotator + "n")
        history = History(store, article, name)
        _, added = history.tag(0, 3, "claim")
        history.set_note(added.id, note + "\n\x1b]52;c;QQ==\x07typed")
        check_line(name)
        stored_note = store.annotation(added.id).note
        assert stored_note is not None and not UNSAFE.search(stored_note)
        assert stored_note == clean_note(stored_note)


def test_a_hostile_annotator_from_the_environment_is_cleaned(
    tmp_path: Path, monkeypatch: Any
) -> None:
    from reader.session import annotator_name

    monkeypatch.setenv("READER_ANNOTATOR", "\x1b]0;T\x07eve\u202e")
    assert annotator_name(None) == "eve"
