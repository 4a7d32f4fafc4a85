"""Experiment (issue 11 item 5): terms the other text never has.

A term of sentence a that occurs nowhere in text b cannot be matched by any
sentence of b; in the weighted Dice it only makes a's sentence look worse with
every candidate. `--unmatched U` scales such terms' weight by U (in both texts),
so a long sentence full of its own article's words is not beaten by a short
heading for sharing the same few terms. Optionally with snowball5 terms.

    /work/venv/lexres/bin/python benchmarks/experiments/lexres_unmatchable.py --unmatched 0.5
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "benchmarks" / "experiments"))

import lexres_assign  # noqa: E402

from reader import align  # noqa: E402

UNMATCHED = 1.0


def scores(a, b):
    weights = align.idf_of(a, b)
    in_a: Counter[str] = Counter(t for s in a for t in s.terms)
    in_b: Counter[str] = Counter(t for s in b for t in s.terms)
    weights = {t: v * (1.0 if in_a[t] and in_b[t] else UNMATCHED) for t, v in weights.items()}
    return lexres_assign.pair_scores(a, b, weights)


def main() -> None:
    global UNMATCHED
    p = argparse.ArgumentParser()
    p.add_argument("--split", default="dev")
    p.add_argument("--unmatched", type=float, default=1.0)
    p.add_argument("--stem", default="prefix5")
    p.add_argument("--also-in", action="store_true")
    args = p.parse_args()
    assert args.split == "dev", "tune on dev only"
    UNMATCHED = args.unmatched
    align._scores = scores
    if args.stem == "snowball5":
        lexres_assign.snowball5()
    lexres_assign.sweep(args.split, 16, 51)


if __name__ == "__main__":
    main()
