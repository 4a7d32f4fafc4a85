"""Experiment (issue 11 item 5): other stemmers / lemmatizers for alignment terms.

Replaces the STEM-letter prefix of `reader.align.term` with Snowball English
(snowballstemmer), Porter's original (snowballstemmer "porter"), simplemma or
lemminflect, and prints the dev figures over thresholds.

    /work/venv/lexres/bin/python benchmarks/experiments/lexres_stem.py --stem snowball
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


def stemmer(name: str, prefix: int):
    if name == "prefix":
        return lambda w: w[:prefix]
    if name in ("snowball", "porter"):
        import snowballstemmer

        s = snowballstemmer.stemmer("english" if name == "snowball" else "porter")
        return lambda w: s.stemWord(w)[:prefix] if prefix else s.stemWord(w)
    if name == "simplemma":
        import simplemma

        return lambda w: simplemma.lemmatize(w, lang="en")[: prefix or None]
    if name == "lemminflect":
        import lemminflect

        def lemma(w: str) -> str:
            for pos in ("VERB", "NOUN", "ADJ"):
                got = lemminflect.getLemma(w, upos=pos, lemmatize_oov=False)
                if got:
                    return got[0][: prefix or None]
            return w[: prefix or None]

        return lemma
    raise SystemExit(name)


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--split", default="dev")
    p.add_argument("--stem", default="prefix")
    p.add_argument("--prefix", type=int, default=0, help="then cut to this many letters")
    args = p.parse_args()
    assert args.split == "dev", "tune on dev only"
    stem = stemmer(args.stem, args.prefix)
    original = align.term.__wrapped__

    def term(word: str) -> str:
        t = original(word)
        if t.isdigit() or any(c.isdigit() for c in t):
            return t
        w = word.translate(align._FOLD).lower()
        if w.endswith("'s"):
            w = w[:-2]
        return stem(w)

    align.term = term
    align._TOKENS.clear()
    lexres_assign.sweep(args.split, 20, 41)


if __name__ == "__main__":
    main()
