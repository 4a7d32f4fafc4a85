"""The hand-labelled set of tests/data/suggest_gold.jsonl is what its README says."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from reader.importing import load_file
from reader.seeds import seeds_dir

GOLD = Path(__file__).resolve().parents[1] / "data" / "suggest_gold.jsonl"
LABELS = {"claim", "opinion", "speculation", "none"}


def rows() -> list[dict[str, object]]:
    return [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines()]


def test_every_seed_unit_is_the_exact_slice_of_its_article() -> None:
    texts: dict[str, str] = {}
    for row in rows():
        if row["source"] != "seed":
            assert (row["article_id"], row["start"], row["end"]) == (None, 0, len(row["text"]))
            continue
        name = str(row["file"])
        if name not in texts:
            article = load_file(seeds_dir() / name)
            assert article.id == row["article_id"]
            texts[name] = article.text
        assert texts[name][row["start"] : row["end"]] == row["text"], row["id"]


def test_ids_labels_and_splits() -> None:
    data = rows()
    assert len(data) >= 200
    assert len({row["id"] for row in data}) == len(data)
    assert {row["label"] for row in data} == LABELS
    splits = Counter(row["split"] for row in data)
    assert set(splits) == {"dev", "test"} and min(splits.values()) >= 100
    # seeds are split by article: no article has units in both parts
    parts: dict[object, set[object]] = {}
    for row in data:
        if row["source"] == "seed":
            parts.setdefault(row["article_id"], set()).add(row["split"])
    assert all(len(p) == 1 for p in parts.values()) and len(parts) == 5
    assert sum(1 for row in data if row["source"] == "written") >= 40
