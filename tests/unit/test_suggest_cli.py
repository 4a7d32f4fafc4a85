"""`reader suggest ARTICLE [--json] [--min-score S]` and `reader suggest --stats`."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from reader import suggest_store
from reader.cli import cli
from reader.models import Article
from reader.store import Store
from reader.suggest import Suggestion
from tests import factories

TEXT = (
    "The storm could reach Leeds by Sunday. The minister resigned on Friday, aides said.\n\n"
    "Critics called it a disgraceful decision. Prices might rise again next year."
)
KEYS = ["start", "end", "text", "label", "score", "cues"]
CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "env.db"  # conftest points READER_DB here


@pytest.fixture
def article(db: Path) -> Article:
    with Store(db) as store:
        return factories.add_article(store, TEXT, title="Storm and minister")


def records(result: Result) -> list[dict[str, Any]]:
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_json_is_exactly_the_contract_shape(article: Article) -> None:
    result = run("suggest", article.id, "--json")
    assert result.stdout.startswith('[{"start": ') and result.stdout.endswith("}]\n")
    rows = records(result)
    assert [(r["label"], r["text"]) for r in rows] == [
        ("speculation", "The storm could reach Leeds by Sunday."),
        ("claim", "The minister resigned on Friday, aides said."),
        ("opinion", "Critics called it a disgraceful decision."),
        ("speculation", "Prices might rise again next year."),
    ]
    for row in rows:
        assert list(row) == KEYS
        assert isinstance(row["start"], int) and isinstance(row["end"], int)
        assert article.text[row["start"] : row["end"]] == row["text"]
        assert isinstance(row["score"], float) and 0.0 <= row["score"] <= 1.0
        assert row["cues"] and all(isinstance(c, str) for c in row["cues"])
    assert [r["start"] for r in rows] == sorted(r["start"] for r in rows)
    assert rows[0]["cues"] == ["could"]


def test_min_score_keeps_the_stronger_ones(article: Article) -> None:
    every = records(run("suggest", article.id, "--json", "--min-score", "0"))
    cut = sorted(r["score"] for r in every)[len(every) // 2]
    kept = records(run("suggest", article.id, "--json", "--min-score", str(cut)))
    assert kept == [r for r in every if r["score"] >= cut] and 0 < len(kept) < len(every)


def test_annotated_and_rejected_sentences_are_left_out(db: Path, article: Article) -> None:
    rows = records(run("suggest", article.id, "--json"))
    with Store(db) as store:
        store.add_annotation(article, rows[1]["start"], rows[1]["end"] - 5, "claim", "ana")
        r = rows[2]
        rejected = Suggestion(r["start"], r["end"], r["label"], r["score"], tuple(r["cues"]))
        suggest_store.reject(store, article.id, rejected)
    assert records(run("suggest", article.id, "--json")) == [rows[0], rows[3]]


def test_the_listing_names_span_label_score_and_cues(article: Article) -> None:
    result = run("suggest", "Storm and")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) == 2 * 4 + 1
    assert re.match(r"\s*0-38\s+speculation\s+0\.\d\d\s+The storm could reach", lines[0])
    assert lines[1].strip() == "cues: could"
    assert lines[-1].startswith("4 suggestions (1 claim, 1 opinion, 2 speculation) for ")


def test_an_article_without_suggestions_says_so_on_stderr(db: Path) -> None:
    with Store(db) as store:
        quiet = factories.add_article(store, "Nothing here fires at all, truly nothing.")
    result = run("suggest", quiet.id)
    assert (result.exit_code, result.stdout) == (0, "")
    assert "no suggestions" in result.stderr
    assert records(run("suggest", quiet.id, "--json")) == []


def test_stats_show_fires_accepts_rejects_and_weight(db: Path, article: Article) -> None:
    rows = records(run("suggest", article.id, "--json"))
    with Store(db) as store:
        for r, accepted in ((rows[0], True), (rows[3], False)):
            s = Suggestion(r["start"], r["end"], r["label"], r["score"], tuple(r["cues"]))
            suggest_store.record_decision(store, article.id, s, accepted)
    result = run("suggest", "--stats")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == [
        "CUE", "LABEL", "FIRES", "ACCEPTS", "RELABELS", "REJECTS", "PRIOR", "WEIGHT",
    ]  # fmt: skip
    table = {line.split()[0]: line.split()[-6:] for line in lines[1:-1] if len(line.split()) >= 7}
    fires, accepts, relabels, rejects, prior, weight = table["could"]
    assert (fires, accepts, relabels, rejects) == ("1", "1", "0", "0")
    assert float(weight) > float(prior)
    fires, accepts, relabels, rejects, prior, weight = table["might"]
    assert (fires, accepts, rejects) == ("1", "0", "1") and float(weight) < float(prior)
    assert table["rumoured"][:4] == ["0", "0", "0", "0"]


@pytest.mark.parametrize(
    "args",
    [
        ["suggest"],
        ["suggest", "x", "--stats"],
        ["suggest", "--stats", "--json"],
        ["suggest", "--stats", "--min-score", "0.5"],
        ["suggest", "x", "--min-score", "1.5"],
        ["suggest", "x", "--min-score", "lots"],
    ],
)
def test_usage_errors_exit_2(args: list[str], article: Article) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_an_unknown_article_is_one_line_and_exit_1(article: Article) -> None:
    result = run("suggest", "no such article", "--json")
    assert (result.exit_code, result.stdout) == (1, "")
    assert len(result.stderr.splitlines()) == 1 and "no article matches" in result.stderr


HOSTILE = (
    "Officials said \x1b[31mred\x1b[0m prices rose 5% on Monday.\n\n"
    "The \u202eright-to-left\u202c plan could fail \x9b2J in 2026.\n\n"
    "A bell\x07 and a \u2028line separator could ring [bold]loudly[/bold] tomorrow."
)


def test_control_characters_in_the_text_never_reach_the_terminal(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")  # the listing cuts quotes at the terminal's width
    # stored as is, bypassing import's cleaning: the output must be safe on its own
    with Store(db) as store:
        hostile = factories.add_article(store, HOSTILE, title="Hostile \x1b]0;title\x07")
    result = run("suggest", hostile.id, "--json")
    assert not CONTROLS.search(result.stdout.replace("\n", "")), repr(result.stdout)
    assert "\u2028" not in result.stdout
    rows = records(result)
    assert len(rows) == 3
    for row in rows:  # the escapes decode to exactly the slice
        assert hostile.text[row["start"] : row["end"]] == row["text"]
    listing = run("suggest", hostile.id)
    assert listing.exit_code == 0
    assert not CONTROLS.search(listing.stdout.replace("\n", "")), repr(listing.stdout)
    assert "[bold]loudly" in listing.stdout  # shown as text, not as markup
