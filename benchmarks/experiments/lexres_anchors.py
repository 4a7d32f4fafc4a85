"""Experiment (issue 11 item 5): numbers and names as anchors.

- `--number-penalty F`: two sentences that both hold numbers but share none score
  F times as much ("$500 billion" beside "$100 billion" is another fact).
- `--number-boost B`: a shared number adds B to the score.
- `--name-weight W`: terms of capitalised words inside a sentence (names) weigh
  W times their idf.
- `--stem snowball5` as in lexres_assign.py.

    /work/venv/lexres/bin/python benchmarks/experiments/lexres_anchors.py --number-penalty 0.7
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "benchmarks" / "experiments"))

import lexres_assign  # noqa: E402

from reader import align  # noqa: E402


class C:
    penalty = 1.0
    boost = 0.0
    name_weight = 1.0


NAMES: set[str] = set()  # terms of capitalised words not first in their sentence


def collect_names(text: str) -> None:
    for s, e in align.sentences(text):
        for k, w in enumerate(align.words(text, s, e)):
            raw = text[w.start : w.end]
            if k and w.content and raw[:1].isupper() and not raw.isupper():
                NAMES.add(w.key)


def is_number(t: str) -> bool:
    return t[:1].isdigit()


original_score = align.score


def score(a, b, weights, default=1.0):
    if C.name_weight != 1.0:
        weights = {t: v * (C.name_weight if t in NAMES else 1.0) for t, v in weights.items()}
    v = original_score(a, b, weights, default)
    if not v:
        return v
    na = {t for t in a.terms if is_number(t)}
    nb = {t for t in b.terms if is_number(t)}
    if na and nb:
        v = v + C.boost if na & nb else v * C.penalty
    return min(v, 1.0)


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--split", default="dev")
    p.add_argument("--number-penalty", type=float, default=1.0)
    p.add_argument("--number-boost", type=float, default=0.0)
    p.add_argument("--name-weight", type=float, default=1.0)
    p.add_argument("--stem", default="prefix5")
    args = p.parse_args()
    assert args.split == "dev", "tune on dev only"
    C.penalty, C.boost, C.name_weight = args.number_penalty, args.number_boost, args.name_weight
    if args.stem == "snowball5":
        lexres_assign.snowball5()
    from reader.importing import load_file
    from reader.seeds import seed_files

    for path in seed_files():
        collect_names(load_file(path).text)
    align.score = score
    lexres_assign.sweep(args.split, 16, 41)


if __name__ == "__main__":
    main()
