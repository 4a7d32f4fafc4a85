"""Experiment (issue 11 item 5): word-level soft matching with WordLlama's static
token vectors, combined with reader.align's lexical score. Tunes on dev only.

    python -m venv /tmp/venv && /tmp/venv/bin/pip install -e '.[test]' wordllama
    /tmp/venv/bin/python benchmarks/experiments/soft_align.py --split dev [--grid]

wordllama is not a dependency of reader (the soft match was not kept: see
README.md beside this file); it is needed only here.

Each content word of one sentence is matched to its most similar content word
of the other (cosine of WordLlama token vectors, a word = the mean of its
tokens; an exact term match counts 1), weighted by reader.align's idf;
precision / recall / F of those matches (BERTScore with static vectors). The
soft F and the lexical score are combined, an assignment chosen, and the result
scored by benchmarks/align.py's own `evaluate`.
"""

from __future__ import annotations

import argparse
import itertools
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import align as bench  # noqa: E402  benchmarks/align.py

from reader import align  # noqa: E402


def load_vectors():
    import wordllama
    from safetensors.numpy import load_file
    from tokenizers import Tokenizer

    base = Path(wordllama.__file__).parent
    matrix = load_file(str(base / "weights" / "l2_supercat_256.safetensors"))["embedding.weight"]
    tok = Tokenizer.from_file(str(base / "tokenizers" / "l2_supercat_tokenizer_config.json"))
    return matrix.astype(np.float32), tok


MATRIX, TOKENIZER = load_vectors()
_WORD_VEC: dict[str, np.ndarray] = {}


def word_vector(word: str) -> np.ndarray:
    v = _WORD_VEC.get(word)
    if v is None:
        enc = TOKENIZER.encode(word, add_special_tokens=False)
        ids = [i for i, t in zip(enc.ids, enc.tokens, strict=True) if t != "▁"] or enc.ids
        v = MATRIX[ids].mean(axis=0)
        v = v / (np.linalg.norm(v) or 1.0)
        _WORD_VEC[word] = v
    return v


@dataclass
class Prepared:
    sentences: list[align.Sentence]
    words: list[list[tuple[str, str]]]  # per sentence: (term, raw word) of content words


def prepare(text: str) -> Prepared:
    sents = align.prepare(text)
    words = []
    for s in sents:
        ws = [
            (w.key, text[w.start : w.end]) for w in align.words(text, s.start, s.end) if w.content
        ]
        words.append(ws)
    return Prepared(sents, words)


def lexical_score(overlap: float, a: align.Sentence, b: align.Sentence) -> float:
    """reader.align's score before the soft match (its lexical part)."""
    fuzzy = align.fuzz.ratio(a.folded, b.folded) / 100.0
    bigrams = align.bigram_overlap(a.bigrams, b.bigrams)
    return LEX[0] * overlap + LEX[1] * fuzzy + LEX[2] * bigrams


LEX = [align.WEIGHT_OVERLAP, align.WEIGHT_FUZZY, align.WEIGHT_BIGRAMS]


@dataclass
class Matrices:
    lexical: np.ndarray  # combine() without the shared-terms gate
    shared: np.ndarray  # number of shared terms
    soft_p: np.ndarray
    soft_r: np.ndarray
    sif: np.ndarray  # cosine of idf-weighted mean content-word vectors
    number_clash: np.ndarray  # both have numbers, none in common


_CACHE: dict[tuple[int, int, float, str], Matrices] = {}


def matrices(pa: Prepared, pb: Prepared, floor: float, mode: str) -> Matrices:
    key = (id(pa), id(pb), floor, mode, CFG.idf_pow, CFG.gamma, CFG.mutual)
    if key in _CACHE:
        return _CACHE[key]
    a, b = pa.sentences, pb.sentences
    weights = align.idf_of(a, b)
    soft_weights = {k: v ** (CFG.idf_pow / 2) for k, v in weights.items()}
    n, m = len(a), len(b)
    lexical = np.zeros((n, m))
    shared = np.zeros((n, m))
    for i, j in itertools.product(range(n), range(m)):
        sa, sb = a[i], b[j]
        shared[i, j] = len(sa.terms & sb.terms)
        lexical[i, j] = lexical_score(align.weighted_overlap(sa.terms, sb.terms, weights), sa, sb)
    # all content words of each text, with the sentence each belongs to
    wa = [(i, t, w) for i, ws in enumerate(pa.words) for t, w in ws]
    wb = [(j, t, w) for j, ws in enumerate(pb.words) for t, w in ws]
    soft_p = np.zeros((n, m))
    soft_r = np.zeros((n, m))
    sif = np.zeros((n, m))
    if wa and wb:
        va = np.stack([word_vector(w if mode == "raw" else w.lower()) for _, _, w in wa])
        vb = np.stack([word_vector(w if mode == "raw" else w.lower()) for _, _, w in wb])
        sim = va @ vb.T
        ca = np.zeros((n, va.shape[1]))
        cb = np.zeros((m, vb.shape[1]))
        for k, (i, t, _) in enumerate(wa):
            ca[i] += weights.get(t, 1.0) * va[k]
        for k, (j, t, _) in enumerate(wb):
            cb[j] += weights.get(t, 1.0) * vb[k]
        ca /= np.maximum(np.linalg.norm(ca, axis=1, keepdims=True), 1e-9)
        cb /= np.maximum(np.linalg.norm(cb, axis=1, keepdims=True), 1e-9)
        sif = np.clip(ca @ cb.T, 0.0, 1.0)
        sim = np.clip((sim - floor) / (1 - floor), 0.0, 1.0)
        ta = np.array([t for _, t, _ in wa])
        tb = np.array([t for _, t, _ in wb])
        sim[ta[:, None] == tb[None, :]] = 1.0
        ia = np.array([i for i, _, _ in wa])
        jb = np.array([j for j, _, _ in wb])
        wta = np.array([soft_weights.get(t, 1.0) for t in ta])
        wtb = np.array([soft_weights.get(t, 1.0) for t in tb])
        sim_p = sim_r = sim
        if CFG.gamma:  # a rare word matched to a common one counts less
            ratio = wtb[None, :] / wta[:, None]
            exact = sim == 1.0
            sim_p = np.where(exact, 1.0, sim * np.minimum(1.0, ratio) ** CFG.gamma)
            sim_r = np.where(exact, 1.0, sim * np.minimum(1.0, 1.0 / ratio) ** CFG.gamma)
        starts_b = np.searchsorted(jb, np.arange(m))
        starts_a = np.searchsorted(ia, np.arange(n))
        for i in range(n):
            rows = ia == i
            if not rows.any():
                continue
            block = sim_p[rows]  # words of sentence i x all words of b
            wr = wta[rows]
            # best match of each word of i in each sentence j of b
            best_in_b = np.full((rows.sum(), m), 0.0)
            nonempty = [j for j in range(m) if pb.words[j]]
            red = np.maximum.reduceat(block, starts_b[nonempty], axis=1)
            best_in_b[:, nonempty] = red
            soft_p[i] = (wr[:, None] * best_in_b).sum(0) / wr.sum()
        for j in range(m):
            cols = jb == j
            if not cols.any():
                continue
            block = sim_r[:, cols]
            wc = wtb[cols]
            best_in_a = np.zeros((n, cols.sum()))
            nonempty = [i for i in range(n) if pa.words[i]]
            red = np.maximum.reduceat(block, starts_a[nonempty], axis=0)
            best_in_a[nonempty] = red
            soft_r[:, j] = (best_in_a * wc[None, :]).sum(1) / wc.sum()
    if CFG.mutual and wa and wb:  # a word's soft match counts only if it is mutual
        oa = np.searchsorted(ia, np.arange(n + 1))
        ob = np.searchsorted(jb, np.arange(m + 1))
        raw = va @ vb.T
        for i in range(n):
            for j in range(m):
                a0, a1, b0, b1 = oa[i], oa[i + 1], ob[j], ob[j + 1]
                if a0 == a1 or b0 == b1:
                    continue
                block = sim[a0:a1, b0:b1]
                r = raw[a0:a1, b0:b1]
                best_row = r.argmax(axis=1)
                best_col = r.argmax(axis=0)
                mutual = best_col[best_row] == np.arange(a1 - a0)
                exact = block == 1.0
                pr = np.where(exact.any(axis=1), 1.0, np.where(mutual, block.max(axis=1), 0.0))
                mutual_c = best_row[best_col] == np.arange(b1 - b0)
                rc = np.where(exact.any(axis=0), 1.0, np.where(mutual_c, block.max(axis=0), 0.0))
                soft_p[i, j] = (wta[a0:a1] * pr).sum() / wta[a0:a1].sum()
                soft_r[i, j] = (wtb[b0:b1] * rc).sum() / wtb[b0:b1].sum()
    nums_a = [{t for t in s.terms if t[:1].isdigit()} for s in a]
    nums_b = [{t for t in s.terms if t[:1].isdigit()} for s in b]
    clash = np.array(
        [[bool(x and y and not x & y) for y in nums_b] for x in nums_a], dtype=bool
    ).reshape(n, m)
    out = Matrices(lexical, shared, soft_p, soft_r, sif, clash)
    _CACHE[key] = out
    return out


_PREP: dict[str, Prepared] = {}


def prepared(text: str) -> Prepared:
    if text not in _PREP:
        _PREP[text] = prepare(text)
    return _PREP[text]


@dataclass
class Config:
    floor: float = 0.3  # cosine below this counts 0
    mode: str = "raw"
    alpha: float = 0.5  # weight of soft F in the combination
    beta: float = 0.0  # weight of the sif cosine ("three")
    fmode: str = "f"  # how soft P and R make one figure
    rescore: str = "bonus"  # bonus | ratio | csls | ratio_x
    gamma: float = 0.0  # a soft match scaled by min(1, weight ratio) ** gamma
    mutual: bool = False  # a word's soft match counts only when mutual best
    numbers: float = 1.0  # the score times this when both have numbers, none shared
    context: float = 0.0  # bonus for a pair beside a linked one
    context_floor: float = 0.15
    k: int = 3  # neighbours for ratio / csls
    idf_pow: float = 2.0  # the soft matches' word weights: log(1 + N/df) ** idf_pow
    min_shared: int = 0  # gate on shared terms for the combined score
    bonus: float = align.CLEAR_BONUS
    margin: float = align.CLEAR_MARGIN
    assign: str = "greedy"  # greedy | mutual | hungarian
    combine: str = "linear"  # linear | max | soft


def combined(mx: Matrices, cfg: Config) -> np.ndarray:
    p, r = mx.soft_p, mx.soft_r
    if cfg.fmode == "f":
        f = np.where(p + r > 0, 2 * p * r / np.maximum(p + r, 1e-9), 0.0)
    elif cfg.fmode == "mean":
        f = (p + r) / 2
    elif cfg.fmode == "max":
        f = np.maximum(p, r)
    elif cfg.fmode == "geo":
        f = np.sqrt(p * r)
    lex = np.where(mx.shared >= align.MIN_SHARED_TERMS, mx.lexical, 0.0)
    if cfg.combine == "linear":
        s = cfg.alpha * f + (1 - cfg.alpha) * lex
    elif cfg.combine == "linear_raw":
        s = cfg.alpha * f + (1 - cfg.alpha) * mx.lexical
    elif cfg.combine == "max":
        s = np.maximum(lex, cfg.alpha * f)
    elif cfg.combine == "geo":  # soft F ** alpha * lexical ** (1 - alpha)
        s = f**cfg.alpha * lex ** (1 - cfg.alpha)
    elif cfg.combine == "soft":
        s = f
    elif cfg.combine == "three":  # alpha on soft F, beta on sif, the rest lexical
        s = cfg.alpha * f + cfg.beta * mx.sif + (1 - cfg.alpha - cfg.beta) * lex
    elif cfg.combine == "sif":
        s = mx.sif
    else:
        raise ValueError(cfg.combine)
    s = np.where(mx.shared >= cfg.min_shared, s, 0.0)
    if cfg.numbers < 1.0:
        s = s * np.where(mx.number_clash, cfg.numbers, 1.0)
    return s


def reward_clear_best(s: np.ndarray, margin: float, bonus: float, ramp: bool = False) -> np.ndarray:
    out = s.copy()
    if s.size == 0 or bonus == 0:
        return out
    n, m = s.shape
    for i in range(n):
        j = int(np.argmax(s[i]))
        v = s[i, j]
        if v <= 0 or int(np.argmax(s[:, j])) != i:
            continue
        row = np.partition(s[i], -2)[-2] if m > 1 else 0.0
        col = np.partition(s[:, j], -2)[-2] if n > 1 else 0.0
        gap = v - max(row, col)
        if ramp:
            out[i, j] = min(1.0, v + bonus * min(1.0, gap / margin))
        elif gap >= margin:
            out[i, j] = min(1.0, v + bonus)
    return out


def _topk_mean(s: np.ndarray, k: int, axis: int) -> np.ndarray:
    k = min(k, s.shape[axis])
    part = -np.sort(-s, axis=axis)
    return part.take(range(k), axis=axis).mean(axis=axis)


def rescore(s: np.ndarray, cfg: Config) -> np.ndarray:
    """The clear-best bonus, or a margin criterion (Artetxe & Schwenk's ratio, or CSLS)."""
    if cfg.rescore == "bonus":
        return reward_clear_best(s, cfg.margin, cfg.bonus)
    if cfg.rescore == "ramp":  # the bonus grows with the margin, full at cfg.margin
        return reward_clear_best(s, cfg.margin, cfg.bonus, ramp=True)
    if s.size == 0:
        return s
    ra = _topk_mean(s, cfg.k, axis=1)[:, None]
    rb = _topk_mean(s, cfg.k, axis=0)[None, :]
    if cfg.rescore == "ratio":
        return np.where(s > 0, s / np.maximum((ra + rb) / 2, 1e-9), 0.0)
    if cfg.rescore == "csls":
        return 2 * s - ra - rb
    if cfg.rescore == "ratio_x":  # the ratio's evidence and the score's, together
        return np.where(s > 0, s * s / np.maximum((ra + rb) / 2, 1e-9), 0.0)
    raise ValueError(cfg.rescore)


def context_bonus(s: np.ndarray, min_score: float, bonus: float, floor: float) -> np.ndarray:
    """More for a pair next to a linked pair, in the same order (i+-1, j+-1), if it
    scores at least floor on its own."""
    linked = {(i, j) for i, j, _ in assign(s, min_score, "greedy")}
    out = s.copy()
    n, m = s.shape
    for i in range(n):
        for j in range(m):
            if (i, j) in linked or s[i, j] < floor:
                continue
            if (i - 1, j - 1) in linked or (i + 1, j + 1) in linked:
                out[i, j] = min(1.0, s[i, j] + bonus)
    return out


def assign(s: np.ndarray, min_score: float, how: str) -> list[tuple[int, int, float]]:
    n, m = s.shape
    if how == "hungarian":
        from scipy.optimize import linear_sum_assignment

        rows, cols = linear_sum_assignment(-np.where(s >= min_score, s, 0.0))
        return [(i, j, s[i, j]) for i, j in zip(rows, cols, strict=True) if s[i, j] >= min_score]
    ranked = sorted(
        ((s[i, j], i, j) for i in range(n) for j in range(m) if s[i, j] >= min_score),
        key=lambda x: (-x[0], x[1], x[2]),
    )
    used_a, used_b, out = set(), set(), []
    for v, i, j in ranked:
        if i in used_a or j in used_b:
            continue
        if how == "mutual" and (np.argmax(s[i]) != j or np.argmax(s[:, j]) != i):
            continue
        used_a.add(i)
        used_b.add(j)
        out.append((i, j, v))
    return out


CFG = Config()


def my_align(text_a: str, text_b: str, min_score: float) -> list[align.Pair]:
    pa, pb = prepared(text_a), prepared(text_b)
    mx = matrices(pa, pb, CFG.floor, CFG.mode)
    s = rescore(combined(mx, CFG), CFG)
    if CFG.context:
        s = context_bonus(s, min_score, CFG.context, CFG.context_floor)
    pairs = []
    for i, j, v in assign(s, min_score, CFG.assign):
        sa, sb = pa.sentences[i], pb.sentences[j]
        pairs.append(align.Pair((sa.start, sa.end), (sb.start, sb.end), float(v), "reworded"))
    pairs.sort(key=lambda p: p.a)
    return pairs


def ranks(split: str) -> dict[str, int]:
    """For each gold `same` pair: is the right b sentence a's best, by each score?"""
    from reader.importing import load_file
    from reader.seeds import seed_files

    texts = {a.id: a.text for a in (load_file(p) for p in seed_files())}
    counts = {"lexical": 0, "soft": 0, "sif": 0, "combined": 0, "n": 0}
    for r in bench.load_gold(split):
        if r["label"] != "same":
            continue
        pa, pb = prepared(texts[r["a"]["article"]]), prepared(texts[r["b"]["article"]])
        ia = [k for k, s in enumerate(pa.sentences) if (s.start, s.end) in bench._spans(r["a"])]
        jb = {k for k, s in enumerate(pb.sentences) if (s.start, s.end) in bench._spans(r["b"])}
        if not ia or not jb:
            continue
        mx = matrices(pa, pb, CFG.floor, CFG.mode)
        p, q = mx.soft_p, mx.soft_r
        f = np.where(p + q > 0, 2 * p * q / np.maximum(p + q, 1e-9), 0.0)
        counts["n"] += 1
        named = (
            ("lexical", mx.lexical),
            ("soft", f),
            ("sif", mx.sif),
            ("combined", combined(mx, CFG)),
        )
        for name, s in named:
            if int(np.argmax(s[ia[0]])) in jb:
                counts[name] += 1
    return counts


def run(split: str, min_score: float) -> dict:
    bench.align.align = my_align
    return bench.evaluate(split, min_score)


GRIDS = {
    "bonus": np.arange(0.2, 0.81, 0.02),
    "ramp": np.arange(0.2, 0.81, 0.02),
    "ratio": np.arange(0.9, 2.5, 0.05),
    "csls": np.arange(-0.1, 0.4, 0.02),
    "ratio_x": np.arange(0.1, 0.8, 0.02),
}


def sweep(split: str) -> list[tuple[float, float, float, int, int]]:
    out = []
    for t in GRIDS[CFG.rescore]:
        r = run(split, float(t))
        out.append((round(float(t), 2), r["precision"], r["recall"], r["right"], r["wrong"]))
    return out


def best_at(split: str, target_p: float = 0.9) -> tuple[float, float, float, int, int]:
    """The threshold with the highest recall at precision >= target (ties: higher threshold)."""
    rows = [row for row in sweep(split) if row[1] >= target_p]
    return max(rows, key=lambda r: (r[2], r[0])) if rows else (0, 0, 0, 0, 0)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--split", default="dev", choices=["dev"])  # tuning only: never test
    parser.add_argument("--grid", action="store_true")
    args = parser.parse_args()
    global CFG
    if not args.grid:
        print(ranks(args.split))
        for row in sweep(args.split):
            print(row)
        return
    for floor, alpha, fmode, idf_pow in itertools.product(
        (0.1, 0.15, 0.2), (0.5, 0.7, 0.9), ("f", "mean", "max", "geo"), (1.0, 2.0, 3.0)
    ):
        CFG = Config(floor=floor, alpha=alpha, fmode=fmode, idf_pow=idf_pow)
        print(CFG, ranks(args.split), best_at(args.split), flush=True)


if __name__ == "__main__":
    main()
