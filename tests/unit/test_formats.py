"""Other tools' formats: each export in the shape its tool documents, and back in."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from reader.cli import cli
from reader.formats import spacy as spacy_format
from reader.formats.conll import DOCSTART
from reader.models import Article
from reader.store import Store
from tests.factories import add_article, table_dump

# emoji (astral: two UTF-16 units), a ZWJ sequence, CJK, a combining mark (NFC
# keeps "é" as e + U+0301 only where no precomposed form exists: "ḉ" has one;
# "q̇" has none), a quote and line breaks.
TEXT = (
    "Stargate 🚀 is real, said 東京 officials.\n\n"
    "The family 👩‍👩‍👧 of q̇ words agreed; Mr. Smith said “no”.\n"
    "A second line of the same paragraph."
)
ROUND_TRIP = ("doccano", "label-studio", "brat", "w3c")


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def spans_at(text: str, *quotes: str) -> list[tuple[int, int]]:
    return [(text.index(q), text.index(q) + len(q)) for q in quotes]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "source.db"


@pytest.fixture
def article(db: Path) -> Iterator[Article]:
    """An article with spans by two annotators: one on an emoji, one over two lines,
    two overlapping opinions, a note with a line break and a tab."""
    with Store(db) as store:
        art = add_article(store, TEXT, title="Stargate is real")
        first, multi, mr, smith = spans_at(
            TEXT,
            "🚀 is real",
            "said “no”.\nA second",
            "Mr. Smith",
            "Smith said",
        )
        store.add_annotation(art, *first, "claim", "ana", note="multi\nline\tnote")
        store.add_annotation(art, *multi, "speculation", "ben")
        store.add_annotation(art, *mr, "opinion", "ana")
        store.add_annotation(art, *smith, "opinion", "ben")
        store.add_annotation(art, *spans_at(TEXT, "東京")[0], "claim", "ben")
        store.add_annotation(art, *spans_at(TEXT, "👩‍👩‍👧 of q̇")[0], "claim", "ana")
        yield art


def spans(path: Path) -> set[tuple[Any, ...]]:
    with Store(path) as store:
        return {
            (a.start, a.end, a.label, a.quote, a.note, a.annotator)
            for info in store.articles()
            for a in store.annotations(info.id)
        }


def export(db: Path, fmt: str, out: Path, *extra: str) -> Result:
    result = run("--db", str(db), "export", "--format", fmt, "-o", str(out), *extra)
    assert result.exit_code == 0, result.output
    return result


def import_from(db: Path, fmt: str, path: Path, *extra: str) -> Result:
    return run(
        "--db", str(db), "--annotator", "importer", "import", "--from", fmt, str(path), *extra
    )


def lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def utf16_slice(text: str, start: int, end: int) -> str:
    return text.encode("utf-16-le")[2 * start : 2 * end].decode("utf-16-le")


# -- doccano ------------------------------------------------------------------


def test_doccano_is_text_and_label_triples_in_utf16(
    article: Article, db: Path, tmp_path: Path
) -> None:
    out = tmp_path / "doccano.jsonl"
    export(db, "doccano", out)
    (record,) = lines(out)
    assert list(record)[:2] == ["text", "label"]
    assert record["text"] == TEXT and record["article_id"] == article.id
    assert record["title"] == "Stargate is real" and record["source"] == "Wire"
    quotes = {utf16_slice(TEXT, s, e) for s, e, _ in record["label"]}
    assert "🚀 is real" in quotes and "東京" in quotes
    for start, end, label in record["label"]:
        assert isinstance(start, int) and isinstance(end, int) and start < end
        assert label in {"claim", "opinion", "speculation"}
    export(db, "doccano", out, "--offsets", "codepoints")
    (record,) = lines(out)
    assert {TEXT[s:e] for s, e, _ in record["label"]} == quotes


# -- Label Studio -------------------------------------------------------------


def test_label_studio_tasks_and_config(article: Article, db: Path, tmp_path: Path) -> None:
    out = tmp_path / "tasks.json"
    result = export(db, "label-studio", out)
    assert "tasks.config.xml" in result.stderr
    tasks = json.loads(out.read_text(encoding="utf-8"))
    assert isinstance(tasks, list) and len(tasks) == 1
    task = tasks[0]
    assert task["data"]["text"] == TEXT and task["data"]["article_id"] == article.id
    by_user = {a["created_username"]: a["result"] for a in task["annotations"]}
    assert set(by_user) == {"ana", "ben"}
    for results in by_user.values():
        for r in results:
            assert (r["from_name"], r["to_name"], r["type"]) == ("label", "text", "labels")
            value = r["value"]
            assert TEXT[value["start"] : value["end"]] == value["text"]  # code points
            assert len(value["labels"]) == 1
    notes = [r["meta"]["text"] for r in by_user["ana"] if "meta" in r]
    assert notes == [["multi\nline note"]]  # a tab in a note is stored as a space
    config = ET.fromstring((tmp_path / "tasks.config.xml").read_text(encoding="utf-8"))
    assert config.tag == "View"
    labels = config.find("Labels")
    text = config.find("Text")
    assert labels is not None and text is not None
    assert (labels.get("name"), labels.get("toName")) == ("label", "text")
    assert (text.get("name"), text.get("value")) == ("text", "$text")
    assert [x.get("value") for x in labels.findall("Label")] == ["claim", "opinion", "speculation"]


def test_label_studio_to_stdout_says_where_the_config_goes(article: Article, db: Path) -> None:
    result = run("--db", str(db), "export", "--format", "label-studio")
    assert result.exit_code == 0
    assert json.loads(result.stdout)[0]["data"]["text"] == TEXT
    assert "labelling config" in result.stderr


# -- brat ---------------------------------------------------------------------

# The standoff format as brat's documentation gives it.
_T = re.compile(r"^T(\d+)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)\t(.*)$")
_NOTE = re.compile(r"^#(\d+)\tAnnotatorNotes (T\d+)\t([^\t]*)$")


def test_brat_folder_is_standoff_with_fragments_per_line(
    article: Article, db: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "brat"
    result = export(db, "brat", folder)
    assert "line breaks and tabs in its note written as spaces" in result.stderr
    assert (folder / f"{article.id}.txt").read_text(encoding="utf-8") == TEXT
    conf = (folder / "annotation.conf").read_text(encoding="utf-8")
    assert conf.startswith("[entities]\nclaim\nopinion\nspeculation\n")
    assert "[relations]" in conf and "[events]" in conf and "[attributes]" in conf
    text = (folder / f"{article.id}.txt").read_text(encoding="utf-8")
    found = []
    for line in (folder / f"{article.id}.ann").read_text(encoding="utf-8").splitlines():
        t, note = _T.match(line), _NOTE.match(line)
        assert t or note, line
        if t:
            fragments = [tuple(map(int, f.split())) for f in t.group(3).split(";")]
            for s, e in fragments:
                assert "\n" not in text[s:e]  # brat forbids a line break in a fragment
            assert " ".join(text[s:e] for s, e in fragments) == t.group(4)
            found.append((t.group(2), fragments))
        else:
            assert note.group(3) == "multi line note"
    assert ("speculation", spans_at(TEXT, "said “no”.", "A second")) in found


def test_brat_needs_a_folder(article: Article, db: Path, tmp_path: Path) -> None:
    result = run("--db", str(db), "export", "--format", "brat")
    assert result.exit_code == 1 and "-o DIR" in result.stderr
    (tmp_path / "file").write_text("x")
    result = run("--db", str(db), "export", "--format", "brat", "-o", str(tmp_path / "file"))
    assert result.exit_code == 1 and "not a folder" in result.stderr


# -- W3C ----------------------------------------------------------------------


def test_w3c_annotations_are_json_ld_with_both_selectors(
    article: Article, db: Path, tmp_path: Path
) -> None:
    out = tmp_path / "w3c.jsonl"
    export(db, "w3c", out)
    records = lines(out)
    assert len(records) == 6
    for r in records:
        assert r["@context"] == "http://www.w3.org/ns/anno.jsonld"
        assert r["type"] == "Annotation" and r["id"].startswith("urn:uuid:")
        tags = [b for b in r["body"] if b["purpose"] == "tagging"]
        assert len(tags) == 1 and tags[0]["type"] == "TextualBody"
        target = r["target"]
        assert target["source"] == f"urn:sha256:{article.sha256}"
        quote, position = target["selector"]
        assert quote["type"] == "TextQuoteSelector" and position["type"] == "TextPositionSelector"
        start, end = position["start"], position["end"]
        assert TEXT[start:end] == quote["exact"]
        assert TEXT[:start].endswith(quote["prefix"]) and TEXT[end:].startswith(quote["suffix"])
        assert r["creator"]["name"] in {"ana", "ben"}
    comments = [b for r in records for b in r["body"] if b["purpose"] == "commenting"]
    assert [c["value"] for c in comments] == ["multi\nline note"]


def test_w3c_source_is_the_url_when_there_is_one(
    article: Article, db: Path, tmp_path: Path
) -> None:
    with Store(db) as store:
        store.update_article(article.id, url="https://news.example/story")
    out = tmp_path / "w3c.jsonl"
    export(db, "w3c", out)
    assert {r["target"]["source"] for r in lines(out)} == {"https://news.example/story"}


# -- CoNLL --------------------------------------------------------------------


def test_conll_iob_columns_per_label(article: Article, db: Path, tmp_path: Path) -> None:
    out = tmp_path / "a.conll"
    result = export(db, "conll", out)
    # the two opinions overlap: one is written, the other said so
    assert "overlaps opinion span" in result.stderr
    rows = out.read_text(encoding="utf-8").split("\n")
    assert rows[0] == f"{DOCSTART}\tO\tO\tO" and rows[1] == ""
    tokens = [row.split("\t") for row in rows[2:] if row]
    assert all(len(row) == 4 for row in tokens)
    for column, label in enumerate(("claim", "opinion", "speculation"), start=1):
        previous = "O"
        for row in tokens:
            tag = row[column]
            assert tag in ("O", f"B-{label}", f"I-{label}")
            if tag.startswith("I-"):
                assert previous != "O"
            previous = tag
    words = [row[0] for row in tokens]
    assert "🚀" in words and "👩‍👩‍👧" in words and "東京" in words
    # the rocket span: B on 🚀, I on is, real
    at = words.index("🚀")
    assert [row[1] for row in tokens[at : at + 3]] == ["B-claim", "I-claim", "I-claim"]
    assert rows[-1] == "" and "" in rows[2:-1]  # sentences blank-line separated


def test_conll_and_spacy_take_no_offsets_option(article: Article, db: Path) -> None:
    result = run("--db", str(db), "export", "--format", "conll", "--offsets", "utf16")
    assert result.exit_code == 1 and "does not apply" in result.stderr


# -- spaCy --------------------------------------------------------------------

_NEED_SPACY = os.environ.get("READER_REQUIRE_SPACY") == "1"


@pytest.mark.skipif(
    not spacy_format.available() and not _NEED_SPACY, reason="spaCy is not installed"
)
def test_spacy_docbin_has_exact_spans_and_annotators(
    article: Article, db: Path, tmp_path: Path
) -> None:
    import spacy
    from spacy.tokens import DocBin

    out = tmp_path / "a.spacy"
    export(db, "spacy", out)
    (doc,) = DocBin().from_disk(out).get_docs(spacy.blank("en").vocab)
    assert doc.text == TEXT
    meta = doc.user_data["reader"]
    assert meta["article_id"] == article.id and meta["title"] == "Stargate is real"
    with Store(db) as store:
        stored = {a.id: a for a in store.annotations(article.id)}
    found = {(s.start_char, s.end_char, s.label_, s.id_) for s in doc.spans["sc"]}
    assert found == {(a.start, a.end, a.label, a.id) for a in stored.values()}
    for span in doc.spans["sc"]:
        info = meta["annotations"][span.id_]
        assert info["annotator"] == stored[span.id_].annotator
        assert info["note"] == stored[span.id_].note
    first = out.read_bytes()
    export(db, "spacy", out)
    assert out.read_bytes() == first  # deterministic


def test_spacy_is_binary_never_to_a_terminal(article: Article, db: Path) -> None:
    if not spacy_format.available():
        pytest.skip("spaCy is not installed")
    result = CliRunner().invoke(cli, ["--db", str(db), "export", "--format", "spacy"])
    # CliRunner's stdout is not a terminal: the bytes are written
    assert result.exit_code == 0 and len(result.stdout_bytes) > 0


# -- every format -------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["doccano", "label-studio", "w3c", "conll"])
def test_exports_are_deterministic(article: Article, db: Path, fmt: str) -> None:
    first = run("--db", str(db), "export", "--format", fmt).stdout_bytes
    assert first and run("--db", str(db), "export", "--format", fmt).stdout_bytes == first


@pytest.mark.parametrize("fmt", ["doccano", "label-studio", "brat", "w3c", "conll"])
def test_exports_follow_the_filters(article: Article, db: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / "out"
    export(db, fmt, out, "--label", "opinion", "--article", article.id[:6])
    produced = (
        (out / f"{article.id}.ann").read_text(encoding="utf-8")
        if fmt == "brat"
        else out.read_text(encoding="utf-8")
    )
    assert (
        "opinion" in produced
        and "speculation" not in produced.replace("[speculation", "").split("[entities]")[0]
    )
    result = run("--db", str(db), "export", "--format", fmt, "--include-deleted")
    assert result.exit_code == 1 and "annotations format" in result.stderr


# -- round trips --------------------------------------------------------------


@pytest.mark.parametrize("units", [None, "utf16", "codepoints"])
@pytest.mark.parametrize("fmt", ROUND_TRIP)
def test_export_then_import_gives_the_same_spans(
    article: Article, db: Path, tmp_path: Path, fmt: str, units: str | None
) -> None:
    out = tmp_path / "exported"
    option = ("--offsets", units) if units else ()
    export(db, fmt, out, *option)
    target = tmp_path / "target.db"
    if fmt == "w3c":  # annotations without texts: the article must be there
        with Store(target) as store:
            add_article(store, TEXT)
    result = import_from(target, fmt, out, *option)
    assert result.exit_code == 0, result.output
    theirs = spans(target)
    ours = spans(db)
    assert {s[:4] for s in theirs} == {s[:4] for s in ours}
    if fmt in ("label-studio", "w3c"):  # notes and annotators travel too
        assert theirs == ours
    elif fmt == "brat":  # one-line notes; no annotator in brat
        assert {s[4] for s in theirs} == {None, "multi line note"}
    # importing again adds nothing
    before = table_dump(target)
    again = import_from(target, fmt, out, *option)
    assert again.exit_code == 0 and "0 added" in again.stdout
    assert table_dump(target) == before


def test_round_trip_into_the_same_database_changes_nothing(
    article: Article, db: Path, tmp_path: Path
) -> None:
    for fmt in ROUND_TRIP:
        out = tmp_path / f"out-{fmt}"
        export(db, fmt, out)
        before = spans(db)
        result = import_from(db, fmt, out)
        assert result.exit_code == 0 and "0 added" in result.stdout, (fmt, result.output)
        assert spans(db) == before


# -- imports of other tools' own files --------------------------------------------


def write(path: Path, value: Any, jsonl: bool = False) -> Path:
    if jsonl:
        path.write_text("".join(json.dumps(v) + "\n" for v in value), encoding="utf-8")
    else:
        path.write_text(json.dumps(value), encoding="utf-8")
    return path


def test_doccano_offsets_follow_normalization(tmp_path: Path) -> None:
    """CRLF, an escape sequence and a decomposed letter before the span move its offsets."""
    raw = "Title\r\n\r\n\x1b[31mCafe\u0301\x1b[0m owners said \u202ethe rent is too high."
    start = raw.index("the rent")
    end = start + len("the rent is too high")
    cafe = raw.index("Cafe")
    path = write(
        tmp_path / "d.jsonl",
        [
            {
                "text": raw,
                "label": [[start, end, "claim"], [cafe, cafe + 5, "CLAIM"]],
                "title": "\x1b]0;evil\x07Café title",
            }
        ],
        jsonl=True,
    )
    target = tmp_path / "t.db"
    result = import_from(target, "doccano", path, "--offsets", "codepoints")
    assert result.exit_code == 0, result.output
    with Store(target) as store:
        (info,) = store.articles()
        art = store.article(info.id)
        assert info.title == "Café title"
        quotes = sorted((a.quote, a.label) for a in store.annotations(art.id))
    assert art.text == "Title\n\nCafé owners said the rent is too high."
    assert quotes == [("Café", "claim"), ("the rent is too high", "claim")]


def test_label_studio_export_of_its_own_imports(tmp_path: Path) -> None:
    """A file as Label Studio exports it: ids of its own, completed_by, a textarea note,
    a cancelled annotation, a region whose offsets no longer hold."""
    text = "One claim here. Another opinion there."
    task = {
        "id": 7,
        "data": {"text": text},
        "annotations": [
            {
                "id": 1,
                "completed_by": 3,
                "was_cancelled": False,
                "result": [
                    {
                        "id": "aB3x",
                        "from_name": "label",
                        "to_name": "text",
                        "type": "labels",
                        "value": {
                            "start": 0,
                            "end": 15,
                            "text": "One claim here.",
                            "labels": ["claim"],
                        },
                    },
                    {
                        "id": "aB3x",
                        "from_name": "note",
                        "to_name": "text",
                        "type": "textarea",
                        "value": {"start": 0, "end": 15, "text": ["checked \x1b[2Jit"]},
                    },
                    {
                        "id": "zz",
                        "from_name": "label",
                        "to_name": "text",
                        "type": "labels",
                        "value": {
                            "start": 2,
                            "end": 9,
                            "text": "Another opinion",
                            "labels": ["opinion"],
                        },
                    },
                    {
                        "id": "qq",
                        "from_name": "label",
                        "to_name": "text",
                        "type": "labels",
                        "value": {
                            "start": 0,
                            "end": 3,
                            "text": "not in the text",
                            "labels": ["claim"],
                        },
                    },
                ],
            },
            {
                "id": 2,
                "was_cancelled": True,
                "result": [
                    {
                        "id": "c",
                        "type": "labels",
                        "value": {"start": 0, "end": 3, "labels": ["claim"]},
                    }
                ],
            },
        ],
    }
    target = tmp_path / "t.db"
    result = import_from(target, "label-studio", write(tmp_path / "ls.json", [task]))
    assert result.exit_code == 1  # one region could not be placed
    assert "cannot be placed" in result.stderr and len(result.stderr.splitlines()) == 1
    got = spans(target)
    assert got == {
        (0, 15, "claim", "One claim here.", "checked it", "label-studio-user-3"),
        (16, 31, "opinion", "Another opinion", None, "label-studio-user-3"),  # re-anchored
    }


def test_brat_collection_with_relations_and_discontinuous_spans(tmp_path: Path) -> None:
    folder = tmp_path / "collection"
    folder.mkdir()
    (folder / "doc.txt").write_text("Alpha beta.\r\nGamma delta epsilon.", encoding="utf-8")
    (folder / "doc.ann").write_text(
        "T1\tclaim 0 5\tAlpha\n"
        "T2\topinion 6 11;12 17\tbeta. Gamma\n"  # over the line break (one char: \r\n)
        "T3\tclaim 0 5;18 23\tAlpha delta\n"  # really discontinuous
        "T4\tclaim x y\tbad\n"
        "R1\tRel Arg1:T1 Arg2:T2\n"
        "#1\tAnnotatorNotes T1\tthe note\n",
        encoding="utf-8",
    )
    (folder / "orphan.ann").write_text("T1\tclaim 0 1\tx\n", encoding="utf-8")
    target = tmp_path / "t.db"
    result = import_from(target, "brat", folder)
    assert result.exit_code == 1
    assert "orphan.txt: no such file" in result.stderr  # a failure: stderr, not stdout
    assert "orphan.txt" not in result.stdout
    assert "discontinuous" in result.stderr and "not `start end" in result.stderr
    assert "1 relation, event, attribute or other lines ignored" in result.stderr
    assert {(s[3], s[4]) for s in spans(target)} == {("Alpha", "the note"), ("beta.\nGamma", None)}


def test_w3c_needs_its_article_and_finds_moved_quotes(tmp_path: Path) -> None:
    target = tmp_path / "t.db"
    with Store(target) as store:
        art = add_article(store, "Prefix added. The deal is over, analysts said.")
        store.update_article(art.id, url="https://news.example/a")
    annotations = [
        {
            "@context": "http://www.w3.org/ns/anno.jsonld",
            "type": "Annotation",
            "body": {"type": "TextualBody", "purpose": "tagging", "value": "claim"},
            "target": {
                "source": "https://news.example/a",
                "selector": [
                    {"type": "TextQuoteSelector", "exact": "The deal is over"},
                    {"type": "TextPositionSelector", "start": 0, "end": 16},
                ],
            },
        },
        {
            "type": "Annotation",
            "body": [{"purpose": "tagging", "value": "claim"}],
            "target": {
                "source": "https://elsewhere.example/b",
                "selector": {"type": "TextQuoteSelector", "exact": "x"},
            },
        },
    ]
    result = import_from(target, "w3c", write(tmp_path / "w.jsonl", annotations, jsonl=True))
    assert result.exit_code == 1
    assert "no article 'https://elsewhere.example/b' in this database" in result.stderr
    assert {s[3] for s in spans(target)} == {"The deal is over"}


def test_a_malformed_file_is_one_failed_line_and_the_others_go_in(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "fine", "label": []}\n{not json\n', encoding="utf-8")
    good = write(
        tmp_path / "good.jsonl", [{"text": "Good text.", "label": [[0, 4, "claim"]]}], True
    )
    target = tmp_path / "t.db"
    result = run("--db", str(target), "import", "--from", "doccano", str(bad), str(good))
    assert result.exit_code == 1
    assert f"reader: {bad}: {bad}:2: not valid JSON" in result.stderr
    with Store(target) as store:
        assert [a.title for a in store.articles()] == ["Good text"]


def test_hostile_labels_notes_and_names_are_cleaned(tmp_path: Path) -> None:
    text = "Plain words to tag."
    task = {
        "data": {"text": text, "title": "[bold]\x1b[31mT\u202eitle"},
        "annotations": [
            {
                "created_username": "\x1b]0;x\x07eve\u202e",
                "result": [
                    {
                        "id": "1",
                        "type": "labels",
                        "value": {"start": 0, "end": 5, "labels": ["\x1b[31mcl\u202eaim"]},
                    },
                    {
                        "id": "2",
                        "type": "labels",
                        "value": {"start": 6, "end": 11, "labels": ["two words"]},
                    },
                    {
                        "id": "3",
                        "type": "labels",
                        "value": {"start": 12, "end": 18, "labels": ["new-label"]},
                        "meta": {"text": ["note \x1b[2J\x00with \u202econtrols"]},
                    },
                ],
            }
        ],
    }
    target = tmp_path / "t.db"
    result = import_from(target, "label-studio", write(tmp_path / "ls.json", task))
    assert result.exit_code == 1 and "'two words' is not a valid label name" in result.stderr
    assert "new labels: new-label" in result.stdout
    assert "\x1b" not in result.output
    got = spans(target)
    assert got == {
        (0, 5, "claim", "Plain", None, "eve"),
        (12, 18, "new-label", "to tag", "note with controls", "eve"),
    }
    with Store(target) as store:
        assert store.articles()[0].title == "[bold]Title"


@pytest.mark.skipif(
    importlib.util.find_spec("label_studio_sdk") is None, reason="label-studio-sdk not installed"
)
def test_label_studio_sdk_reads_the_export(article: Article, db: Path, tmp_path: Path) -> None:
    """Label Studio's own SDK: the config parses and validates, every region is valid."""
    from label_studio_sdk.label_interface import LabelInterface

    out = tmp_path / "tasks.json"
    export(db, "label-studio", out)
    interface = LabelInterface((tmp_path / "tasks.config.xml").read_text(encoding="utf-8"))
    interface.validate()
    for task in json.loads(out.read_text(encoding="utf-8")):
        for annotation in task["annotations"]:
            assert interface.validate_annotation(annotation)
            for region in annotation["result"]:
                assert interface.validate_region(region, return_errors=True) == []
