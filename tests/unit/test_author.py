"""An article's author: from every import, edited, exported, carried by the tool formats."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from reader.cli import cli
from reader.formats import spacy as spacy_format
from reader.importing import load_file
from reader.metadata import guess_author
from reader.store import Store
from tests.factories import add_article

TEXT = "Microsoft said the deal is big.\n\nNobody knows what comes next."


def run(db: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", str(db), *args], catch_exceptions=False)


def test_markdown_front_matter_gives_the_author(tmp_path: Path) -> None:
    one = tmp_path / "one.md"
    one.write_text("---\ntitle: T\nauthor: Jane Doe\n---\n\nBody text here.\n", encoding="utf-8")
    many = tmp_path / "many.md"
    many.write_text(
        "---\nauthors:\n  - Jane Doe\n  - name: John Roe\n---\n\nOther body.\n", encoding="utf-8"
    )
    assert load_file(one).author == "Jane Doe"
    assert load_file(many).author == "Jane Doe, John Roe"


def test_a_hostile_author_is_one_clean_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.md"
    path.write_text(
        '---\nauthor: "Eve\\e[31m\\u202e [bold]x[/]\\nNext"\n---\n\nBody.\n', encoding="utf-8"
    )
    author = load_file(path).author
    assert author == "Eve [bold]x[/] Next"  # escape, bidi control and line break gone


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["By Jane Doe and John Roe | Reuters"], "Jane Doe and John Roe"),
        (["Home › Tech", "By Priya Raman · 22 January 2025"], "Priya Raman"),
        (["Written by Ana de Souza, 2025-01-22"], "Ana de Souza"),
        (["By contrast, analysts expect growth."], None),  # a sentence, not a byline
        (["By the time it closed, nobody knew"], None),
        (["No byline here"], None),
    ],
)
def test_a_byline_in_a_text_gives_the_author(lines: list[str], expected: str | None) -> None:
    assert guess_author(lines) == expected


def test_a_text_file_with_a_byline(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_text("A short title\nBy Jane Doe | Wire\n\n" + TEXT, encoding="utf-8")
    assert load_file(path).author == "Jane Doe"


def test_edit_author_and_the_spans_export(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    with Store(db) as store:
        article = add_article(store, TEXT)
        store.add_annotation(article, 0, 9, "claim", "ann")
    edited = run(db, "edit", article.id, "--author", " Jane\n Doe ")
    assert edited.exit_code == 0 and "Jane Doe" in edited.stdout
    with Store(db) as store:
        assert store.article(article.id).author == "Jane Doe"
    (line,) = run(db, "export", "--format", "spans").stdout.splitlines()
    record = json.loads(line)
    assert record["author"] == "Jane Doe" and record["article_id"] == article.id
    assert run(db, "edit", article.id, "--author", "").exit_code == 0
    with Store(db) as store:
        assert store.article(article.id).author is None


@pytest.mark.parametrize("fmt", ["doccano", "label-studio"])
def test_the_author_travels_through_doccano_and_label_studio(tmp_path: Path, fmt: str) -> None:
    db = tmp_path / "source.db"
    with Store(db) as store:
        article = add_article(store, TEXT)
        store.update_article(article.id, author="Priya Raman")
        store.add_annotation(article, 0, 9, "claim", "ann")
    out = tmp_path / "out.json"
    assert run(db, "export", "--format", fmt, "-o", str(out)).exit_code == 0
    data = json.loads(out.read_text(encoding="utf-8").splitlines()[0 if fmt == "doccano" else 1])
    assert (data if fmt == "doccano" else data["data"])["author"] == "Priya Raman"
    target = tmp_path / "target.db"
    result = run(target, "import", "--from", fmt, str(out))
    assert result.exit_code == 0, result.output
    with Store(target) as store:
        assert store.article(article.id).author == "Priya Raman"


@pytest.mark.skipif(not spacy_format.available(), reason="spaCy not installed")
def test_the_author_is_in_the_docbin(tmp_path: Path) -> None:
    from spacy.tokens import DocBin
    from spacy.vocab import Vocab

    db = tmp_path / "source.db"
    with Store(db) as store:
        article = add_article(store, TEXT)
        store.update_article(article.id, author="Priya Raman")
    out = tmp_path / "out.spacy"
    assert run(db, "export", "--format", "spacy", "-o", str(out)).exit_code == 0
    (doc,) = DocBin().from_bytes(out.read_bytes()).get_docs(Vocab())
    assert doc.user_data["reader"]["author"] == "Priya Raman"
