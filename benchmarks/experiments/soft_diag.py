"""Diagnostics for soft_align (dev only): per gold `same` pair, scores and ranks."""

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import soft_align as s

s.CFG = s.Config(floor=0.15, alpha=0.7)

from reader.importing import load_file  # noqa: E402
from reader.seeds import seed_files  # noqa: E402


def rank(row: np.ndarray, k: int) -> int:
    return int((row > row[k]).sum()) + 1


def main(split: str = "dev", label: str = "same") -> None:
    texts = {a.id: a.text for a in (load_file(p) for p in seed_files())}
    for r in s.bench.load_gold(split):
        if r["label"] != label:
            continue
        pa, pb = s.prepared(texts[r["a"]["article"]]), s.prepared(texts[r["b"]["article"]])
        ia = [k for k, x in enumerate(pa.sentences) if (x.start, x.end) in s.bench._spans(r["a"])]
        jb = [k for k, x in enumerate(pb.sentences) if (x.start, x.end) in s.bench._spans(r["b"])]
        if not ia or not jb:
            print("unmatched span", r["why"])
            continue
        i, j = ia[0], jb[0]
        mx = s.matrices(pa, pb, s.CFG.floor, s.CFG.mode)
        p, q = mx.soft_p, mx.soft_r
        f = np.where(p + q > 0, 2 * p * q / np.maximum(p + q, 1e-9), 0.0)
        c = s.combined(mx, s.CFG)
        print(
            f"lex {mx.lexical[i, j]:.2f} r{rank(mx.lexical[i], j)}/c{rank(mx.lexical[:, j], i)} "
            f"sh {int(mx.shared[i, j])} soft {f[i, j]:.2f} r{rank(f[i], j)}/c{rank(f[:, j], i)} "
            f"comb {c[i, j]:.2f} r{rank(c[i], j)}/c{rank(c[:, j], i)}  {r['why'][:50]}"
        )


if __name__ == "__main__":
    main(*sys.argv[1:])
