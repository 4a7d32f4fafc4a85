"""Experiment (issue 11 item 5): how often each term scheme ranks the hand-paired
counterpart first (dev only), whatever the threshold: the ceiling of recall for
an aligner that links each sentence to its best counterpart.

    /work/venv/lexres/bin/python benchmarks/experiments/lexres_rank.py
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "benchmarks" / "experiments"))

import align as bench  # noqa: E402  benchmarks/align.py
import lexres_assign  # noqa: E402
import lexres_wordnet as lw  # noqa: E402

from reader.importing import load_file  # noqa: E402
from reader.seeds import seed_files  # noqa: E402


def ranks(name: str) -> None:
    lw._PREPARED.clear()
    lw._SCORES.clear()
    texts = {a.id: a.text for a in (load_file(p) for p in seed_files())}
    row = col = mutual = n = 0
    for r in bench.load_gold("dev"):
        if r["label"] != "same":
            continue
        n += 1
        a, b = lw.prepare(texts[r["a"]["article"]]), lw.prepare(texts[r["b"]["article"]])
        sc = lw.scores(a, b)
        ia = [i for i, s in enumerate(a) if (s.start, s.end) in bench._spans(r["a"])]
        jb = [j for j, s in enumerate(b) if (s.start, s.end) in bench._spans(r["b"])]
        v = max(sc.get((i, j), 0.0) for i in ia for j in jb)
        rows = [x for (i, j), x in sc.items() if i in ia and j not in jb]
        cols = [x for (i, j), x in sc.items() if j in jb and i not in ia]
        best_row = v > 0 and v > max(rows, default=0.0)
        best_col = v > 0 and v > max(cols, default=0.0)
        row += best_row
        col += best_col
        mutual += best_row and best_col
    print(
        f"{name}: of {n} dev pairs, counterpart first in its row {row}, "
        f"in its column {col}, both {mutual}"
    )


def main() -> None:
    lw.Config.soft_count = 0.0
    ranks("prefix5")
    for senses, rel, soft in ((1, "", 0.3), (3, "+&\\", 0.3), (1, "@+&\\", 0.3)):
        lw.Config.wn = lw.WordNet(lw.wordnet_dir(), senses, rel)
        lw.Config.soft = soft
        ranks(f"prefix5 + WordNet senses {senses} relations {rel!r} soft {soft}")
    lw.Config.wn = None
    lexres_assign.snowball5()
    ranks("snowball5")


if __name__ == "__main__":
    main()
