"""Experiment (issue 11 item 5): the one-to-one assignment and the term weights.

- `--assign hungarian`: an optimal assignment (scipy's linear_sum_assignment,
  the sum of scores, or of scores raised to `--power`) in place of greedy best-first.
- `--weights pertext`: a term's weight is the product of its idf in each text
  (a term once in each text is a strong anchor) in place of the squared idf
  over the sentences of both.
- `--stem snowball5`: Snowball English, then the first five letters.

    /work/venv/lexres/bin/python benchmarks/experiments/lexres_assign.py --assign hungarian
"""

from __future__ import annotations

import argparse
import math
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import align as bench  # noqa: E402  benchmarks/align.py

from reader import align  # noqa: E402

original_align_sentences = align.align_sentences
original_scores = align._scores


def hungarian(power: float):
    import numpy as np
    from scipy.optimize import linear_sum_assignment

    def align_sentences(a, b, min_score=align.DEFAULT_MIN_SCORE):
        scores = align._scores(a, b)
        align._reward_clear_best(scores)
        m = np.zeros((len(a), len(b)))
        for (i, j), v in scores.items():
            if v >= min_score:
                m[i, j] = v**power
        rows, cols = linear_sum_assignment(m, maximize=True)
        pairs = []
        for i, j in zip(rows, cols, strict=True):
            v = scores.get((i, j), 0.0)
            if v >= min_score:
                sa, sb = a[i], b[j]
                pairs.append(
                    align.Pair(
                        (sa.start, sa.end), (sb.start, sb.end), round(v, 4), align.kind_of(sa, sb)
                    )
                )
        pairs.sort(key=lambda p: p.a)
        return pairs

    return align_sentences


def pertext_scores(a, b):
    def df(group):
        c: Counter[str] = Counter()
        for s in group:
            c.update(s.terms)
        return c

    da, db = df(a), df(b)
    weights = {}
    for t in set(da) | set(db):
        wa = math.log(1.0 + len(a) / da[t]) if da[t] else math.log(1.0 + len(a))
        wb = math.log(1.0 + len(b) / db[t]) if db[t] else math.log(1.0 + len(b))
        weights[t] = wa * wb
    return pair_scores(a, b, weights)


def pair_scores(a, b, weights) -> dict[tuple[int, int], float]:
    """Every pair of sentences that share a term, scored by align.score with `weights`."""
    by_term: dict[str, list[int]] = {}
    for j, s in enumerate(b):
        for t in s.terms:
            by_term.setdefault(t, []).append(j)
    out = {}
    for i, sa in enumerate(a):
        for j in {j for t in sa.terms for j in by_term.get(t, ())}:
            out[(i, j)] = align.score(sa, b[j], weights)
    return out


def sweep(split: str, lo: int, hi: int) -> None:
    """P/R of the benchmark's evaluate() at thresholds lo/100 .. hi/100, step 0.02."""
    for step in range(lo, hi, 2):
        r = bench.evaluate(split, step / 100)
        print(
            f"  {step / 100:.2f}  P {r['precision']:.3f}  R {r['recall']:.3f}  "
            f"({r['right']} right, {r['wrong']} wrong, {r['unjudged']} unjudged)"
        )


def snowball5() -> None:
    import snowballstemmer

    s = snowballstemmer.stemmer("english")
    original = align.term.__wrapped__

    def term(word: str) -> str:
        t = original(word)
        if any(c.isdigit() for c in t):
            return t
        w = word.translate(align._FOLD).lower()
        if w.endswith("'s"):
            w = w[:-2]
        return s.stemWord(w)[:5]

    align.term = term
    align._TOKENS.clear()


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--split", default="dev")
    p.add_argument("--assign", default="greedy")
    p.add_argument("--power", type=float, default=1.0)
    p.add_argument("--weights", default="union")
    p.add_argument("--stem", default="prefix5")
    p.add_argument("--lo", type=int, default=16)
    p.add_argument("--hi", type=int, default=40)
    args = p.parse_args()
    assert args.split == "dev", "tune on dev only"
    if args.assign == "hungarian":
        align.align_sentences = hungarian(args.power)
    if args.weights == "pertext":
        align._scores = pertext_scores
    if args.stem == "snowball5":
        snowball5()
    sweep(args.split, args.lo, args.hi + 1)


if __name__ == "__main__":
    main()
