"""Experiment (issue 11 item 5): how far can the lexical score family go on dev?

A grid over the weights of `reader.align.combine`, the clear-best bonus, the
shared-term minimum and the threshold, for each term scheme (the 5-letter
prefix; Snowball then 5 letters; either with WordNet 3.0 synonym soft matches
from lexres_wordnet.py). The best dev figure of a grid is fitted to dev: an
optimistic ceiling for this family of features, not a figure to ship.

    /work/venv/lexres/bin/python benchmarks/experiments/lexres_ceiling.py
"""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "benchmarks" / "experiments"))

import align as bench  # noqa: E402  benchmarks/align.py
import lexres_assign  # noqa: E402
import lexres_wordnet as lw  # noqa: E402

from reader import align  # noqa: E402

_COMPONENTS: dict = {}


def components(text_a: str, text_b: str):
    """Per sentence pair: (overlap, fuzzy, bigrams, exact shared) for pairs sharing a term."""
    key = (text_a, text_b)
    if key not in _COMPONENTS:
        a, b = lw.prepare(text_a), lw.prepare(text_b)
        weights = align.idf_of(a, b)
        out = {}
        for i, sa in enumerate(a):
            for j, sb in enumerate(b):
                ma, exact, _ = lw.matches(sa, sb)
                mb, _, _ = lw.matches(sb, sa)
                if exact == 0:
                    continue
                w = weights.get
                total = sum(w(t, 1.0) for t in sa.terms) + sum(w(t, 1.0) for t in sb.terms)
                got = sum(w(t, 1.0) * m for t, m in ma.items())
                got += sum(w(t, 1.0) * m for t, m in mb.items())
                fuzzy = align.fuzz.ratio(sa.folded, sb.folded) / 100.0
                bigrams = align.bigram_overlap(sa.bigrams, sb.bigrams)
                out[(i, j)] = (got / total, fuzzy, bigrams, exact)
        _COMPONENTS[key] = (a, b, out)
    return _COMPONENTS[key]


class P:
    w_overlap, w_fuzzy, w_bigrams = 0.65, 0.2, 0.15
    margin, bonus, min_shared = 0.03, 0.14, 2


def fast_align(text_a, text_b, min_score):
    a, b, comp = components(text_a, text_b)
    scores = {
        k: P.w_overlap * o + P.w_fuzzy * f + P.w_bigrams * g
        for k, (o, f, g, n) in comp.items()
        if n >= P.min_shared
    }
    saved = align.CLEAR_MARGIN, align.CLEAR_BONUS
    align.CLEAR_MARGIN, align.CLEAR_BONUS = P.margin, P.bonus
    align._reward_clear_best(scores)
    align.CLEAR_MARGIN, align.CLEAR_BONUS = saved
    ranked = sorted(
        ((v, i, j) for (i, j), v in scores.items() if v >= min_score),
        key=lambda x: (-x[0], x[1], x[2]),
    )
    used_a, used_b, pairs = set(), set(), []
    for v, i, j in ranked:
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        pairs.append(align.Pair((a[i].start, a[i].end), (b[j].start, b[j].end), v, "reworded"))
    return pairs


def grid(name: str) -> None:
    _COMPONENTS.clear()
    bench.align.align = fast_align
    best = (0.0, 0.0, "")
    for wo, wf, margin, bonus, ms in itertools.product(
        (0.55, 0.65, 0.75, 0.85), (0.0, 0.1, 0.2), (0.0, 0.03, 0.06), (0.1, 0.14, 0.2), (1, 2)
    ):
        P.w_overlap, P.w_fuzzy, P.w_bigrams = wo, wf, max(0.0, 1 - wo - wf)
        P.margin, P.bonus, P.min_shared = margin, bonus, ms
        for step in range(14, 41, 2):
            r = bench.evaluate("dev", step / 100)
            if r["precision"] >= 0.9 and (r["recall"], r["precision"]) > best[:2]:
                best = (
                    r["recall"],
                    r["precision"],
                    f"overlap {wo} fuzzy {wf} margin {margin} bonus {bonus} "
                    f"min_shared {ms} min_score {step / 100} "
                    f"({r['right']} right, {r['wrong']} wrong)",
                )
    print(f"{name}: best dev R {best[0]:.3f} P {best[1]:.3f}: {best[2]}", flush=True)


def main() -> None:
    lw.Config.soft_count = 0.0
    lw.Config.wn = None
    grid("prefix5")
    lw.Config.wn = lw.WordNet(lw.wordnet_dir(), 1, "")
    lw.Config.soft = 0.3
    lw._PREPARED.clear()
    grid("prefix5 + WordNet synonyms 0.3")
    lw.Config.wn = None
    lw._PREPARED.clear()
    lexres_assign.snowball5()
    grid("snowball5")


if __name__ == "__main__":
    main()
