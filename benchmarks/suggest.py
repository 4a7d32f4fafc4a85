"""Quality and speed of suggested tags: `python benchmarks/suggest.py`.

Precision and recall per label at the default threshold on the held-out `test`
part of tests/data/suggest_gold.jsonl (`--split dev` for the part the cues were
tuned on; `--errors` lists the units it got wrong), then the time to suggest for a
5 KB article and for one screen (120x40) of a 3 MB article with 10,000 annotations.

A gold unit counts as predicted with a label when one suggestion with that label
covers at least half of it (the one covering most of it, if several); a unit no
suggestion covers that much is predicted `none`. Seed units are suggested on as
parts of their whole article; written sentences on their own.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reader import suggest
from reader.importing import load_file
from reader.seeds import seeds_dir
from reader.text.paragraphs import paragraph_spans
from reader.text.sentences import sentence_spans

GOLD = Path(__file__).resolve().parents[1] / "tests" / "data" / "suggest_gold.jsonl"
TARGET_PRECISION, TARGET_RECALL = 0.7, 0.5
SCREEN = 120 * 40


def line(name: str, figure: str, budget: str, ok: bool) -> None:
    verdict = "ok" if ok else "OVER BUDGET"
    print(f"{name:<44} {figure:>16}   target {budget:<10} {verdict}", flush=True)


def load_gold(split: str) -> list[dict[str, Any]]:
    rows = [json.loads(raw) for raw in GOLD.read_text(encoding="utf-8").splitlines()]
    return [row for row in rows if split == "all" or row["split"] == split]


def predict(rows: list[dict[str, Any]], min_score: float) -> list[str]:
    """The label predicted for each gold unit."""
    texts: dict[str, str] = {}
    found: dict[str, list[suggest.Suggestion]] = {}
    predicted = []
    for row in rows:
        if row["source"] == "seed":
            key = row["article_id"]
            if key not in texts:
                texts[key] = load_file(seeds_dir() / row["file"]).text
                found[key] = suggest.suggestions(texts[key], min_score=min_score)
            assert texts[key][row["start"] : row["end"]] == row["text"], row["id"]
            made = found[key]
        else:
            made = suggest.suggestions(row["text"], min_score=min_score)
        predicted.append(_covering(made, row["start"], row["end"]))
    return predicted


def _covering(made: list[suggest.Suggestion], start: int, end: int) -> str:
    best, label = 0, "none"
    for s in made:
        overlap = min(end, s.end) - max(start, s.start)
        if overlap > best:
            best, label = overlap, s.label
    return label if best * 2 >= end - start else "none"


def quality(split: str, min_score: float, errors: bool) -> bool:
    rows = load_gold(split)
    predicted = predict(rows, min_score)
    pairs = Counter((row["label"], p) for row, p in zip(rows, predicted, strict=True))
    print(f"{split} part: {len(rows)} units, threshold {min_score}")
    ok = True
    for label in suggest.LABELS:
        tp = pairs[(label, label)]
        suggested = sum(n for (_, p), n in pairs.items() if p == label)
        gold = sum(n for (g, _), n in pairs.items() if g == label)
        precision = tp / suggested if suggested else 0.0
        recall = tp / gold if gold else 0.0
        line(
            f"{label} precision ({tp}/{suggested})",
            f"{precision:.2f}",
            f">= {TARGET_PRECISION}",
            precision >= TARGET_PRECISION,
        )
        line(f"{label} recall ({tp}/{gold})", f"{recall:.2f}", f">= {TARGET_RECALL}", recall >= 0.5)
        ok = ok and precision >= TARGET_PRECISION and recall >= TARGET_RECALL
    order = [*suggest.LABELS, "none"]
    print("confusion (rows gold, columns suggested): " + " ".join(f"{x[:4]:>5}" for x in order))
    for g in order:
        print(f"  {g:<12}" + " ".join(f"{pairs[(g, p)]:>5}" for p in order))
    if errors:
        for row, p in zip(rows, predicted, strict=True):
            if p != row["label"]:
                print(f"  {row['id']:<12} gold {row['label']:<11} got {p:<11} {row['text'][:110]}")
    return ok


def _article(size: int) -> str:
    """Seed paragraphs, repeated until the text is `size` code points long."""
    paragraphs = []
    for path in sorted(seeds_dir().glob("*.txt")):
        text = load_file(path).text
        paragraphs += [text[s:e] for s, e in paragraph_spans(text)]
    out, length, i = [], 0, 0
    while length < size:
        out.append(paragraphs[i % len(paragraphs)])
        length += len(out[-1]) + 2
        i += 1
    return "\n\n".join(out)[:size]


def _median_ms(run: Any, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        run()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def speed(repeat: int) -> bool:
    suggest.load_cues()  # read once per process, as in the TUI
    sentence_spans("Warm up. The sentence splitter.")
    small = _article(5_000)
    cold = _median_ms(lambda: suggest.suggestions(small), repeat)
    sentences = [s for p in paragraph_spans(small) for s in sentence_spans(small, *p)]
    warm = _median_ms(lambda: suggest.suggestions(small, sentences=sentences), repeat)
    line("5 KB article, sentences split here (median)", f"{cold:.1f} ms", "<= 30 ms", cold <= 30)
    line("5 KB article, the pane's sentences (median)", f"{warm:.1f} ms", "<= 30 ms", warm <= 30)
    big = _article(3_000_000)
    step = len(big) // 10_000
    existing = [(i * step, i * step + 40) for i in range(10_000)]
    middle = len(big) // 2
    screen = _median_ms(
        lambda: suggest.suggestions(big, existing, start=middle, end=middle + SCREEN), repeat
    )
    line("3 MB, one 120x40 screen, 10k annotations", f"{screen:.1f} ms", "<= 30 ms", screen <= 30)
    t0 = time.perf_counter()
    whole = suggest.suggestions(big, existing)
    total = time.perf_counter() - t0
    print(f"  (the whole 3 MB article, for scale: {total:.1f} s, {len(whole)} suggestions)")
    return cold <= 30 and warm <= 30 and screen <= 30


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--split", choices=["dev", "test", "all"], default="test")
    parser.add_argument("--min-score", type=float, default=suggest.DEFAULT_THRESHOLD)
    parser.add_argument("--errors", action="store_true", help="List the units it got wrong.")
    parser.add_argument("--no-speed", action="store_true", help="Quality figures only.")
    parser.add_argument("--repeat", type=int, default=21)
    args = parser.parse_args()
    ok = quality(args.split, args.min_score, args.errors)
    if not args.no_speed:
        ok = speed(args.repeat) and ok
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
