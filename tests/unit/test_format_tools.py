"""The exports as the tools read them: brat's standoff through a brat parser (bratly),
W3C annotations and doccano lines against schemas written from their documentation,
and any file a tool (or an attacker) might hand to `import --from`: never a traceback,
never a span at wrong offsets."""

from __future__ import annotations

import contextlib
import importlib.util
import io
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.cli import cli
from reader.models import Article
from reader.store import Store
from tests.factories import add_article

TEXT = (
    "OpenAI’s 🚀 is real, Mr. Smith said “no”.\nA second line in 東京.\n\n"
    "Then 👩‍👩‍👧 of q̇ and more."
)
MOTIVATIONS = [
    "assessing", "bookmarking", "classifying", "commenting", "describing", "editing",
    "highlighting", "identifying", "linking", "moderating", "questioning", "replying", "tagging",
]  # fmt: skip

# The W3C Web Annotation Data Model (Recommendation, 2017), what it requires of
# the pieces our export uses: 3.1 (annotation), 3.2.4 (TextualBody), 3.3.5
# (motivation, purpose), 3.3.1 / 3.3.3 (creator, created, modified), 4.2.4 /
# 4.2.6 (TextQuoteSelector, TextPositionSelector).
_IRI = {"type": "string", "pattern": r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$"}
_TEXTUAL_BODY = {
    "type": "object",
    "required": ["type", "value"],
    "properties": {
        "type": {"const": "TextualBody"},
        "value": {"type": "string"},
        "purpose": {"enum": MOTIVATIONS},
        "format": {"type": "string", "pattern": r"^[a-z]+/[a-z0-9.+-]+$"},
    },
}
W3C_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["@context", "id", "type", "target"],
    "properties": {
        "@context": {
            "anyOf": [
                {"const": "http://www.w3.org/ns/anno.jsonld"},
                {"type": "array", "contains": {"const": "http://www.w3.org/ns/anno.jsonld"}},
            ]
        },
        "id": _IRI,
        "type": {
            "anyOf": [
                {"const": "Annotation"},
                {"type": "array", "contains": {"const": "Annotation"}},
            ]
        },
        "motivation": {"enum": MOTIVATIONS},
        "created": {"type": "string", "format": "date-time"},
        "modified": {"type": "string", "format": "date-time"},
        "creator": {
            "type": "object",
            "required": ["type", "name"],
            "properties": {
                "type": {"enum": ["Person", "Organization", "Software"]},
                "name": {"type": "string"},
            },
        },
        "body": {"type": "array", "minItems": 1, "items": _TEXTUAL_BODY},
        "target": {
            "type": "object",
            "required": ["source", "selector"],
            "properties": {
                "source": _IRI,
                "selector": {
                    "type": "array",
                    "items": {
                        "oneOf": [
                            {
                                "type": "object",
                                "required": ["type", "exact"],
                                "properties": {
                                    "type": {"const": "TextQuoteSelector"},
                                    "exact": {"type": "string", "minLength": 1},
                                    "prefix": {"type": "string"},
                                    "suffix": {"type": "string"},
                                },
                            },
                            {
                                "type": "object",
                                "required": ["type", "start", "end"],
                                "properties": {
                                    "type": {"const": "TextPositionSelector"},
                                    "start": {"type": "integer", "minimum": 0},
                                    "end": {"type": "integer", "minimum": 0},
                                },
                            },
                        ]
                    },
                },
            },
        },
    },
}
# doccano's sequence-labeling import (JSONL): `text`, `label` as [start, end, name].
DOCCANO_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["text", "label"],
    "properties": {
        "text": {"type": "string"},
        "label": {
            "type": "array",
            "items": {
                "type": "array",
                "prefixItems": [
                    {"type": "integer", "minimum": 0},
                    {"type": "integer", "minimum": 0},
                    {"type": "string", "minLength": 1},
                ],
                "minItems": 3,
                "maxItems": 3,
            },
        },
    },
}


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "source.db"
    with Store(path) as store:
        article = add_article(store, TEXT, title="Stargate")
        for quote, label, who, note in [
            ("🚀 is real", "claim", "ana", "a note\nover lines"),
            ("said “no”.\nA second", "speculation", "ben", None),
            ("Mr. Smith", "opinion", "ana", None),
            ("Smith said", "opinion", "ben", None),
            ("東京", "claim", "ben", None),
            ("👩‍👩‍👧 of q̇", "claim", "ana", None),
        ]:
            start = TEXT.index(quote)
            store.add_annotation(article, start, start + len(quote), label, who, note=note)
    return path


def stored(path: Path) -> list[tuple[int, int, str, str]]:
    with Store(path) as store:
        return sorted(
            (a.start, a.end, a.label, a.quote)
            for info in store.articles()
            for a in store.annotations(info.id)
        )


@pytest.mark.skipif(importlib.util.find_spec("bratly") is None, reason="bratly not installed")
def test_a_brat_parser_reads_the_folder(db: Path, tmp_path: Path) -> None:
    """bratly (a brat standoff library) parses every line, and its entities are our spans."""
    from bratly import EntityAnnotation, NoteAnnotation
    from bratly.io import parse_ann_file

    folder = tmp_path / "brat"
    assert run("--db", str(db), "export", "--format", "brat", "-o", str(folder)).exit_code == 0
    (ann,) = folder.glob("*.ann")
    text = ann.with_suffix(".txt").read_text(encoding="utf-8")
    printed = io.StringIO()  # bratly prints what it cannot parse
    with contextlib.redirect_stdout(printed):
        collection = parse_ann_file(
            ann.read_text(encoding="utf-8"), str(ann), no_duplicates=False, renumerotize=False
        )
    assert printed.getvalue() == ""
    entities = [a for a in collection.annotations if isinstance(a, EntityAnnotation)]
    notes = [a for a in collection.annotations if isinstance(a, NoteAnnotation)]
    assert len(entities) == 6 and len(notes) == 1
    spans = set()
    for entity in entities:
        pieces = [text[f.start : f.end] for f in entity.fragments]
        assert " ".join(pieces) == entity.content  # brat joins fragments with a space
        spans.add((entity.get_start(), entity.get_end(), entity.label))
    ours = {(s, e, label) for s, e, label, _ in stored(db)}
    assert spans == ours
    assert notes[0].value == "a note over lines"


def test_w3c_export_follows_the_data_model(db: Path, tmp_path: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    out = tmp_path / "w3c.jsonl"
    assert run("--db", str(db), "export", "--format", "w3c", "-o", str(out)).exit_code == 0
    validator = jsonschema.Draft202012Validator(
        W3C_SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 6
    for record in records:
        errors = [e.message for e in validator.iter_errors(record)]
        assert errors == []
    # the schema can fail: a record without its target, or with a bad purpose, is caught
    assert not validator.is_valid({k: v for k, v in records[0].items() if k != "target"})
    broken = json.loads(json.dumps(records[0]))
    broken["body"][0]["purpose"] = "labelling"
    assert not validator.is_valid(broken)


def test_doccano_export_follows_its_import_format_in_utf16(db: Path, tmp_path: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    out = tmp_path / "doccano.jsonl"
    assert run("--db", str(db), "export", "--format", "doccano", "-o", str(out)).exit_code == 0
    validator = jsonschema.Draft202012Validator(DOCCANO_SCHEMA)
    (record,) = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [e.message for e in validator.iter_errors(record)] == []
    units = record["text"].encode("utf-16-le")
    quotes = sorted(units[2 * s : 2 * e].decode("utf-16-le") for s, e, _ in record["label"])
    assert quotes == sorted(q for *_, q in stored(db))  # JavaScript's string indices


# -- hostile files --------------------------------------------------------------

_junk = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=12),
    st.sampled_from(["claim", "\x1b[31mclaim", "two words", "[bold]x[/", "\u202ehedge", "q" * 80]),
)
_values = st.recursive(
    _junk,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=12,
)
_offset = st.one_of(st.integers(min_value=-3, max_value=len(TEXT) + 3), _junk)


def _doccano(text: Any, spans: list[Any]) -> bytes:
    return (json.dumps({"text": text, "label": spans}) + "\n").encode()


def _label_studio(text: Any, spans: list[Any]) -> bytes:
    results = [{"id": str(i), "type": "labels", "value": v} for i, v in enumerate(spans)]
    return json.dumps([{"data": {"text": text}, "annotations": [{"result": results}]}]).encode()


@st.composite
def tool_files(draw: st.DrawFn) -> tuple[str, bytes]:
    fmt = draw(st.sampled_from(["doccano", "label-studio", "w3c", "doccano-raw"]))
    text = draw(st.one_of(st.just(TEXT), _junk))
    if fmt == "doccano-raw":  # anything at all in the file
        return "doccano", draw(st.binary(max_size=64)) or b"\x00"
    triples = draw(st.lists(st.tuples(_offset, _offset, _junk) | _values, max_size=5))
    if fmt == "doccano":
        return fmt, _doccano(text, [list(t) if isinstance(t, tuple) else t for t in triples])
    if fmt == "label-studio":
        values = [
            {"start": t[0], "end": t[1], "labels": [t[2]], "text": draw(_junk)}
            if isinstance(t, tuple)
            else t
            for t in triples
        ]
        return fmt, _label_studio(text, values)
    lines = []
    for t in triples:
        start, end, label = t if isinstance(t, tuple) else (t, t, t)
        lines.append(
            json.dumps(
                {
                    "type": "Annotation",
                    "body": {"purpose": "tagging", "value": label},
                    "target": {
                        "source": draw(
                            st.sampled_from(["urn:sha256:00", "https://x.example/a", ""])
                        ),
                        "selector": [
                            {"type": "TextPositionSelector", "start": start, "end": end},
                            {"type": "TextQuoteSelector", "exact": draw(_junk)},
                        ],
                    },
                }
            )
        )
    return fmt, ("\n".join(lines) + "\n").encode()


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(case=tool_files())
def test_hostile_tool_files_never_crash_nor_misplace(
    tmp_path: Path, case: tuple[str, bytes]
) -> None:
    fmt, data = case
    target = tmp_path / "t.db"
    with Store(target) as store:
        existing: Article = add_article(store, TEXT, title="Stargate")
        store.update_article(existing.id, url="https://x.example/a")
    path = tmp_path / "in.json"
    path.write_bytes(data)
    result = CliRunner().invoke(cli, ["--db", str(target), "import", "--from", fmt, str(path)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert result.exit_code in (0, 1)
    assert "Traceback" not in result.output and "\x1b" not in result.output
    with Store(target) as store:
        for info in store.articles():
            article = store.article(info.id)
            for a in store.annotations(info.id, include_deleted=True):
                assert article.text[a.start : a.end] == a.quote
                assert "\x1b" not in a.label and "\u202e" not in a.label
                assert a.label in {label.name for label in store.labels()}
    target.unlink()
    for extra in tmp_path.glob("t.db-*"):
        extra.unlink()
