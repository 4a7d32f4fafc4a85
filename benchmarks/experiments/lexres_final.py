"""Experiment (issue 11 item 5): the best dev configuration of the lexres
experiments, measured on the test split once (see lexres_LOG.md).

The configuration: `reader.align` as it is, its terms made by Snowball English
(snowballstemmer) before the five-letter cut, default threshold unchanged.

    /work/venv/lexres/bin/python benchmarks/experiments/lexres_final.py --split dev
    /work/venv/lexres/bin/python benchmarks/experiments/lexres_final.py --split test  # once
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "benchmarks" / "experiments"))

import align as bench  # noqa: E402  benchmarks/align.py
import lexres_assign  # noqa: E402

from reader import align  # noqa: E402


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--split", default="dev", choices=["dev", "test"])
    args = p.parse_args()
    lexres_assign.snowball5()
    t = align.DEFAULT_MIN_SCORE
    r = bench.evaluate(args.split, t)
    q = bench.evaluate_also_in(args.split, t)
    print(f"snowball5, {args.split} split, min_score {t}:")
    print(
        f"  align   precision {r['precision']:.3f} ({r['right']} right, {r['wrong']} wrong), "
        f"recall {r['recall']:.3f} ({r['found']} of {r['positives']}), "
        f"{r['unjudged']} unjudged"
    )
    print(
        f"  also_in precision {q['precision']:.3f} ({q['right']} right, {q['wrong']} wrong), "
        f"recall {q['recall']:.3f} ({q['found']} of {q['positives']})"
    )
    a, b = bench.five_kb_pair()
    align.align(a, b)
    print(f"  align two 5 KB articles: {bench._median_ms(lambda: align.align(a, b), 21):.1f} ms")


if __name__ == "__main__":
    main()
