"""Unix habits: `-` is stdin for import (and merge), `--json` on labels, import and
merge, failures on stderr and data on stdout."""

from __future__ import annotations

import json
import os
from pathlib import Path

from click.testing import CliRunner, Result

from reader.cli import cli
from reader.store import Store
from tests.factories import add_article, record, write_jsonl


def run(db: Path, *args: str, stdin: str | bytes | None = None) -> Result:
    return CliRunner().invoke(cli, ["--db", str(db), *args], input=stdin)


# -- import - ---------------------------------------------------------------


def test_import_dash_reads_one_article_from_stdin(db_path: Path) -> None:
    result = run(db_path, "import", "-", stdin="A title\n\nThe body of a piped article.\n")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == "1 imported, 0 already present, 0 failed"
    with Store(db_path) as store:
        (article,) = store.articles()
        assert "piped article" in store.article(article.id).text
        assert store.article(article.id).format == "txt"


def test_import_dash_takes_markdown_front_matter_and_html(db_path: Path) -> None:
    markdown = '---\ntitle: "From a pipe"\nsource: Wire\n---\n\nSome *body* text.\n'
    assert run(db_path, "import", "-", stdin=markdown).exit_code == 0
    page = "<html><head><title>A page</title></head><body><p>" + "Words here. " * 40
    assert run(db_path, "import", "-", stdin=page + "</p></body></html>").exit_code == 0
    with Store(db_path) as store:
        by_format = {store.article(a.id).format: a for a in store.articles()}
    assert set(by_format) == {"md", "html"}
    assert by_format["md"].title == "From a pipe" and by_format["md"].source == "Wire"


def test_import_dash_with_hostile_front_matter_stores_it_clean(db_path: Path) -> None:
    hostile = '---\ntitle: "\\e]52;c;UFdORUQ=\\e\\\\Clip \\e]0;X\\e\\\\"\n---\n\nBody text.\n'
    assert run(db_path, "import", "-", stdin=hostile).exit_code == 0
    with Store(db_path) as store:
        (article,) = store.articles()
    assert "\x1b" not in article.title and "Clip" in article.title


def test_import_from_a_tool_reads_stdin(db_path: Path) -> None:
    line = json.dumps({"text": "Cats sleep a lot.", "label": [[0, 4, "claim"]]})
    result = run(db_path, "import", "--from", "doccano", "-", stdin=line + "\n")
    assert result.exit_code == 0, result.output
    with Store(db_path) as store:
        (article,) = store.articles()
        assert [a.quote for a in store.annotations(article.id)] == ["Cats"]


def test_import_from_a_tool_refuses_a_fifo_unread(db_path: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.jsonl"
    os.mkfifo(fifo)  # nobody writes it: reading would block forever
    result = run(db_path, "import", "--from", "doccano", str(fifo))
    assert result.exit_code == 1
    assert "is not a regular file" in result.stderr and "failed" not in result.stdout.split()[0]


def test_import_failures_go_to_stderr_for_tools_too(db_path: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{not json\n")
    result = run(db_path, "import", "--from", "doccano", str(bad))
    assert result.exit_code == 1
    assert "bad.jsonl" in result.stderr and "bad.jsonl" not in result.stdout


# -- --json -----------------------------------------------------------------


def test_import_json(db_path: Path, tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("Good title\n\nA good body.\n")
    bad = tmp_path / "bad.md"
    bad.write_text("---\ndate: 2025-02-30\n---\n\nBody.\n")
    result = run(db_path, "import", "--json", str(good), str(bad), str(good))
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert (data["imported"], data["present"], data["failed"]) == (1, 1, 1)
    first, failed, again = data["files"]
    assert first["status"] == "imported" and first["title"] == "Good title"
    assert again["status"] == "present" and again["id"] == first["id"]
    assert failed == {
        "path": str(bad),
        "status": "failed",
        "id": None,
        "title": None,
        "message": failed["message"],
    }
    assert failed["message"] and "bad.md" in result.stderr  # the failure on stderr too


def test_import_from_json(db_path: Path, tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"text": "Dogs bark.", "label": [[0, 4, "claim"]]}) + "\n")
    data = json.loads(run(db_path, "import", "--from", "doccano", "--json", str(source)).stdout)
    assert data["imported"] == 1 and data["spans"]["added"] == 1
    assert data["files"][0]["spans_added"] == 1 and data["files"][0]["status"] == "imported"


def test_merge_json(db_path: Path, tmp_path: Path) -> None:
    with Store(db_path) as store:
        article = add_article(store, "One sentence here. Another one here.")
    records = [record(article, 0, 3), record(article, 4, 12, label="Claim")]
    records.append(record(article, 0, 3, id="lost", text="words found nowhere"))
    path = write_jsonl(tmp_path / "in.jsonl", records)
    result = run(db_path, "merge", "--json", str(path))
    assert result.exit_code == 1  # one record skipped
    data = json.loads(result.stdout)
    assert data["files"] == 1 and data["added"] == 2 and data["skipped"] == 1
    assert data["mapped_labels"] == {"Claim": "claim"} and len(data["problems"]) == 1
    assert set(data) == {
        "files", "added", "updated", "unchanged", "reanchored", "skipped",
        "new_labels", "mapped_labels", "problems",
    }  # fmt: skip


def test_labels_json(db_path: Path) -> None:
    assert run(db_path, "labels", "add", "rumour", "--key", "7").exit_code == 0
    data = json.loads(run(db_path, "labels", "--json").stdout)
    assert [label["name"] for label in data] == ["claim", "opinion", "speculation", "rumour"]
    assert data[3] == {
        "name": "rumour",
        "key": "7",
        "color": data[3]["color"],
        "description": "",
        "position": data[3]["position"],
    }
    assert data[0]["key"] == "1" and data[0]["color"].startswith("#")
