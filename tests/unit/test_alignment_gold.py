"""tests/data/alignment_gold.jsonl: every pair points at the sample texts exactly."""

from __future__ import annotations

import json
from pathlib import Path

from reader.importing import load_file
from reader.seeds import seed_files

GOLD = Path(__file__).parent.parent / "data" / "alignment_gold.jsonl"


def test_gold_offsets_match_the_sample_texts() -> None:
    texts = {a.id: a.text for a in (load_file(p) for p in seed_files())}
    rows = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines()]
    assert len(rows) > 120
    for row in rows:
        assert row["label"] in {"same", "different", "partial"}
        assert row["split"] in {"dev", "test"}
        assert row["a"]["article"] != row["b"]["article"]
        for side in ("a", "b"):
            text = texts[row[side]["article"]]
            start, end = row[side]["start"], row[side]["end"]
            assert 0 <= start < end <= len(text)
            assert text[start:end] == row[side]["text"]
            for s, e in row[side].get("repeats", []):
                assert text[s:e].lstrip("• ") == text[start:end].lstrip("• ")


def test_gold_same_pairs_are_one_to_one() -> None:
    rows = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines()]
    same = [r for r in rows if r["label"] == "same"]
    for side in ("a", "b"):
        keys = [(r["a"]["article"], r["b"]["article"], r[side]["start"]) for r in same]
        assert len(keys) == len(set(keys))
    assert sum(r["split"] == "dev" for r in same) and sum(r["split"] == "test" for r in same)
