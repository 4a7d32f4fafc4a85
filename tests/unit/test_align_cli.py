"""`reader align A B [--json] [--min-score S]` and `reader align --all [--json]`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from reader.cli import cli
from reader.importing import import_seeds
from reader.store import Store

ROFR = "right of first refusal"


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture
def seeded(tmp_path: Path) -> dict[str, str]:
    """The samples in the database READER_DB points at; source or title -> id."""
    with Store(tmp_path / "env.db") as store:
        import_seeds(store)
        return {(a.source or a.title): a.id for a in store.articles()}


def texts(tmp_path: Path) -> dict[str, str]:
    with Store(tmp_path / "env.db") as store:
        return {a.id: store.article(a.id).text for a in store.articles()}


def test_json_has_exactly_the_documented_shape(seeded: dict[str, str], tmp_path: Path) -> None:
    a, b = seeded["AiNews.com"], seeded["AutoGPT"]
    result = run("align", a[:6], b, "--json")
    assert result.exit_code == 0, result.output
    assert result.output.endswith("\n") and result.output.count("\n") == 1
    data = json.loads(result.output)
    assert list(data) == ["a", "b", "pairs"]
    assert (data["a"], data["b"]) == (a, b)
    assert data["pairs"], "the samples share sentences"
    by_id = texts(tmp_path)
    for pair in data["pairs"]:
        assert list(pair) == ["a", "b", "score", "kind"]
        for side, article in (("a", a), ("b", b)):
            assert list(pair[side]) == ["start", "end", "text"]
            start, end = pair[side]["start"], pair[side]["end"]
            assert by_id[article][start:end] == pair[side]["text"]
        assert isinstance(pair["score"], float) and 0.0 <= pair["score"] <= 1.0
        assert pair["kind"] in {"copy", "reworded"}
    assert any(ROFR in p["a"]["text"] and ROFR in p["b"]["text"] for p in data["pairs"])


def test_min_score_filters(seeded: dict[str, str]) -> None:
    a, b = seeded["AiNews.com"], seeded["AutoGPT"]
    every = json.loads(run("align", a, b, "--json", "--min-score", "0").output)["pairs"]
    some = json.loads(run("align", a, b, "--json", "--min-score", "0.4").output)["pairs"]
    assert len(some) < len(every)
    assert all(p["score"] >= 0.4 for p in some)


def test_pairs_for_a_person(seeded: dict[str, str]) -> None:
    result = run("align", seeded["AiNews.com"], seeded["AutoGPT"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].startswith(f"a  {seeded['AiNews.com']}  ")
    assert lines[1].startswith(f"b  {seeded['AutoGPT']}  ")
    assert "aligned sentence" in lines[2]
    assert any(line.startswith("  a ") and ROFR in line for line in lines)


def test_all_prints_one_cluster_a_line(seeded: dict[str, str]) -> None:
    result = run("align", "--all")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].startswith("4 articles: ") and ROFR in lines[0]
    assert lines[-1].startswith("1 article: ")


def test_all_json_is_one_object_a_line(seeded: dict[str, str], tmp_path: Path) -> None:
    result = run("align", "--all", "--json")
    assert result.exit_code == 0
    by_id = texts(tmp_path)
    records = [json.loads(line) for line in result.output.splitlines()]
    assert records[0]["articles"] == 4
    for record in records:
        assert record["articles"] == len({p["article"] for p in record["passages"]})
        for p in record["passages"]:
            assert by_id[p["article"]][p["start"] : p["end"]] == p["text"]


@pytest.mark.parametrize(
    "args",
    [
        ["align"],
        ["align", "one"],
        ["align", "one", "two", "three"],
        ["align", "--all", "one", "two"],
        ["align", "a", "b", "--min-score", "1.5"],
        ["align", "a", "b", "--min-score", "x"],
    ],
)
def test_usage_errors_exit_2(seeded: dict[str, str], args: list[str]) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("reader align: error: "), result.stderr


def test_ids_and_all_together_say_so(seeded: dict[str, str]) -> None:
    result = run("align", "--all", seeded["AiNews.com"], seeded["AutoGPT"])
    assert result.exit_code == 2
    assert "not both" in result.stderr


def test_an_unknown_article_is_one_line_and_exit_1(seeded: dict[str, str]) -> None:
    result = run("align", "nothing-like-this", seeded["AutoGPT"])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and "nothing-like-this" in lines[0]
    assert result.stdout == ""


@pytest.mark.parametrize("args", [["a", "b"], ["--all"]])
def test_a_missing_database_is_an_error_not_made(tmp_path: Path, args: list[str]) -> None:
    result = run("align", *args)
    assert result.exit_code == 1
    assert result.stderr.startswith("reader: error: no database at ")
    assert len(result.stderr.splitlines()) == 1
    assert not (tmp_path / "env.db").exists()


def test_all_cuts_a_long_title_with_an_ellipsis(seeded: dict[str, str]) -> None:
    """An article without a source is named by its title, cut to 24 with "…" (not
    mid-word with a space before the bracket)."""
    first = run("align", "--all").output.splitlines()[0]
    shift = seeded["Microsoft and OpenAI: A Shift in Cloud Computing Partnership"]
    assert f"[{shift} Microsoft and OpenAI: A…]" in first
    assert " ]" not in first
