"""Aligned reading, measured: quality against the hand-checked set, and speed.

    python benchmarks/align.py            # test split, timings, 10,000-article library
    python benchmarks/align.py --split dev --sweep   # tuning: P/R over thresholds
    python benchmarks/align.py --articles 2000       # a smaller library, faster

Quality: precision and recall of `reader.align.align` at the default threshold
against tests/data/alignment_gold.jsonl (scoring rules in tests/data/README.md).
Speed: aligning two 5 KB articles (sentence splitting included), and "also in N
of M" (`reader.passage_store.also_in`) in a library of generated articles
(sample sentences recombined with filler), imported through `reader import`'s
code into a temporary database (and once more without the index, for its cost).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reader import align, passage_store  # noqa: E402
from reader.importing import import_paths, load_file, words_in  # noqa: E402
from reader.seeds import seed_files  # noqa: E402
from reader.store import Store  # noqa: E402

GOLD = ROOT / "tests" / "data" / "alignment_gold.jsonl"
BUDGET_PRECISION = 0.9
BUDGET_RECALL = 0.8
BUDGET_ALIGN_MS = 50.0
BUDGET_ALSO_IN_MS = 50.0
BUDGET_IMPORT_RATE = 500  # DESIGN.md: import of 10,000 articles of 5 KB


# -- quality --------------------------------------------------------------------


def load_gold(split: str | None) -> list[dict]:
    rows = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines()]
    return [r for r in rows if split is None or r["split"] == split]


def _spans(side: dict) -> set[tuple[int, int]]:
    return {(side["start"], side["end"]), *(tuple(s) for s in side.get("repeats", []))}


def evaluate(split: str | None, min_score: float) -> dict[str, float]:
    """Precision / recall of align() on one split of the gold set."""
    texts = {a.id: a.text for a in (load_file(p) for p in seed_files())}
    by_pair: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for row in load_gold(split):
        by_pair[(row["a"]["article"], row["b"]["article"])].append(row)
    right = wrong = found = unjudged = 0
    per_kind: dict[str, list[int]] = {"copy": [0, 0], "reworded": [0, 0]}  # wrong, right
    positives = sum(r["label"] == "same" for rows in by_pair.values() for r in rows)
    mistakes: list[str] = []
    for (ida, idb), rows in sorted(by_pair.items()):
        pairs = align.align(texts[ida], texts[idb], min_score)
        judged = [(r, _spans(r["a"]), _spans(r["b"])) for r in rows]
        hit: set[int] = set()
        for p in pairs:
            verdict = None
            for k, (r, sa, sb) in enumerate(judged):
                if p.a in sa and p.b in sb:
                    verdict = r["label"]
                    if verdict == "same":
                        hit.add(k)
                    break
            if verdict is None:
                # a sentence with a gold counterpart linked to another one is wrong
                for r, sa, sb in judged:
                    if r["label"] == "same" and (p.a in sa or p.b in sb):
                        verdict = "different"
                        break
            if verdict in ("same", "different"):
                per_kind[p.kind][verdict == "same"] += 1
            if verdict == "same":
                right += 1
            elif verdict == "different":
                wrong += 1
                mistakes.append(
                    f"  wrong {p.score:.3f}: {texts[ida][p.a[0] : p.a[1]][:60]!r} ~ "
                    f"{texts[idb][p.b[0] : p.b[1]][:60]!r}"
                )
            elif verdict is None:
                unjudged += 1
        found += len(hit)
        for k, (r, _, _) in enumerate(judged):
            if r["label"] == "same" and k not in hit:
                mistakes.append(f"  missed: {r['a']['text'][:60]!r} ~ {r['b']['text'][:60]!r}")
    precision = right / (right + wrong) if right + wrong else 1.0
    recall = found / positives if positives else 1.0
    return {
        "precision": precision,
        "recall": recall,
        "right": right,
        "wrong": wrong,
        "found": found,
        "positives": positives,
        "unjudged": unjudged,
        "mistakes": mistakes,
        "per_kind": per_kind,
    }


def evaluate_also_in(split: str | None, min_score: float) -> dict[str, float]:
    """The same figures for passage_store.also_in over the five samples, both ways:
    each judged sentence asks the library, and the passage it gets back from the
    other article is judged (spans may differ a little: overlapping is enough)."""
    rows = [r for r in load_gold(split) if r["label"] != "partial"]
    right = wrong = found = positives = 0
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "reader.db") as store:
        import_paths(store, seed_files())
        texts = {}
        for side, other in (("a", "b"), ("b", "a")):
            queries: dict[tuple[str, int, int], list[dict]] = defaultdict(list)
            for r in rows:
                queries[(r[side]["article"], r[side]["start"], r[side]["end"])].append(r)
            for (article_id, start, end), judged in queries.items():
                if article_id not in texts:
                    texts[article_id] = store.article(article_id).text
                result = passage_store.also_in(
                    store, article_id, start, end, min_score, text=texts[article_id]
                )
                got = {p.article_id: (p.start, p.end) for p in result.passages}
                for r in judged:
                    target = got.get(r[other]["article"])
                    gold = any(_overlaps(target, span) for span in _spans(r[other]))
                    if r["label"] == "same":
                        positives += 1
                        if gold:
                            found += 1
                            right += 1
                        elif target is not None:
                            wrong += 1
                    elif gold:
                        wrong += 1
    return {
        "precision": right / (right + wrong) if right + wrong else 1.0,
        "recall": found / positives if positives else 1.0,
        "right": right,
        "wrong": wrong,
        "found": found,
        "positives": positives,
    }


def _overlaps(a: tuple[int, int] | None, b: tuple[int, int]) -> bool:
    return a is not None and a[0] < b[1] and b[0] < a[1]


# -- speed ----------------------------------------------------------------------


def _median_ms(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def five_kb_pair() -> tuple[str, str]:
    """Two 5 KB texts cut from the samples (whole paragraphs)."""
    texts = [load_file(p).text for p in seed_files()]

    def cut(text: str, filler: str) -> str:
        body = text
        while len(body) < 5000:
            body += "\n" + filler
        return body[: body.rfind("\n", 0, 5100)] if len(body) > 5100 else body

    return cut(texts[0], texts[2]), cut(texts[4], texts[1])


def sample_sentences() -> list[str]:
    out = []
    for path in seed_files():
        text = load_file(path).text
        out.extend(text[s:e] for s, e in align.sentences(text) if e - s > 40)
    return out


FUNCTION_WORDS = (
    "the of and to a in that is was for on it with as by at from this be or an are which "
    "have has had not but its their they were been will would can more also than about"
).split()


class Filler:
    """Sentences of made-up words: function words at their usual share (about
    45% of running text) and content words drawn Zipf-like from 50,000 others,
    so term frequencies across the library look like a real one's."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        letters = "abcdefghijklmnopqrstuvwxyz"
        words = {
            "".join(rng.choice(letters) for _ in range(rng.randint(4, 10))) for _ in range(50000)
        }
        self.vocabulary = sorted(words)
        rng.shuffle(self.vocabulary)
        # Zipf over all words, function words taking the first hundred ranks
        self.weights = list(itertools.accumulate(1.0 / (100 + r) for r in range(len(words))))

    def sentence(self) -> str:
        rng = self.rng
        n = rng.randint(10, 28)
        content = rng.choices(self.vocabulary, cum_weights=self.weights, k=n)
        out = [w if rng.random() > 0.45 else rng.choice(FUNCTION_WORDS) for w in content]
        return " ".join(out).capitalize() + "."


def build_library(folder: Path, count: int, seed: int = 7) -> None:
    """count articles of about 5 KB: a few sample sentences among filler paragraphs."""
    rng = random.Random(seed)
    samples = sample_sentences()
    filler = Filler(rng)
    for i in range(count):
        paragraphs = []
        size = 0
        quota = rng.randint(2, 6)  # sample sentences in this article
        while size < 5000:
            if quota and rng.random() < 0.3:
                paragraph = rng.choice(samples)
                quota -= 1
            else:
                paragraph = " ".join(filler.sentence() for _ in range(3))
            paragraphs.append(paragraph)
            size += len(paragraph) + 1
        title = f"Generated article {i}"
        (folder / f"{i:05d}.txt").write_text(title + "\n" + "\n".join(paragraphs), "utf-8")


def measure_library(count: int, queries: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "articles"
        folder.mkdir()
        build_library(folder, count)
        files = sorted(folder.iterdir())
        # The same import without the index, for its cost: the workers find no
        # passages (they count the words alone) and none are stored.
        with Store(Path(tmp) / "bare.db") as bare:
            found, stored = passage_store.passages_and_words, passage_store.store_passages
            passage_store.passages_and_words = lambda text: ([], words_in(text))
            passage_store.store_passages = lambda store, articles: 0
            try:
                c0 = os.times()
                t0 = time.perf_counter()
                import_paths(bare, files)
                loaded = time.perf_counter() - t0
                c1 = os.times()
            finally:
                passage_store.passages_and_words, passage_store.store_passages = found, stored
            bare_cpu = c1.user - c0.user + c1.system - c0.system
            bare_workers = c1.children_user - c0.children_user
            bare_workers += c1.children_system - c0.children_system
        with Store(Path(tmp) / "reader.db") as store:
            c0 = os.times()
            t0 = time.perf_counter()
            import_paths(store, files)  # the passage index built as it imports
            imported = time.perf_counter() - t0
            c1 = os.times()
            cpu = c1.user - c0.user + c1.system - c0.system
            cpu_workers = c1.children_user - c0.children_user
            cpu_workers += c1.children_system - c0.children_system
            passage_store.ensure_indexed(store)  # nothing left to do
            rng = random.Random(11)
            ids = [row[0] for row in store.conn.execute("SELECT id FROM articles")]
            asked = []
            samples = set(sample_sentences())
            for k, article_id in enumerate(rng.sample(ids, queries)):
                text = store.article(article_id).text
                spans = align.sentences(text)
                # every other query a sample sentence (found in many articles)
                shared = [sp for sp in spans if text[sp[0] : sp[1]] in samples]
                asked.append((article_id, rng.choice(shared if k % 2 and shared else spans)))
            passage_store.also_in(store, *asked[0][0:1], *asked[0][1])  # warm the cache
            times, found = [], []
            for article_id, (start, end) in asked:
                t1 = time.perf_counter()
                result = passage_store.also_in(store, article_id, start, end)
                times.append((time.perf_counter() - t1) * 1000)
                found.append(result.articles)
            return {
                "import_s": imported,
                "import_rate": count / imported,
                "load_rate": count / loaded,
                "index_ms": (imported - loaded) / count * 1000,
                "cpu_ms": cpu / count * 1000,
                "cpu_workers_ms": cpu_workers / count * 1000,
                "bare_cpu_ms": bare_cpu / count * 1000,
                "bare_workers_ms": bare_workers / count * 1000,
                "median_ms": statistics.median(times),
                "p90_ms": sorted(times)[int(len(times) * 0.9)],
                "max_found": max(found),
                "median_found": statistics.median(found),
                "library": result.library,
            }


# -- report ---------------------------------------------------------------------


def _line(name: str, value: str, budget: str, ok: bool) -> None:
    print(f"{name:<44} {value:>14}   budget {budget:<10} {'ok' if ok else 'OVER BUDGET'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="test", choices=["dev", "test", "all"])
    parser.add_argument("--min-score", type=float, default=align.DEFAULT_MIN_SCORE)
    parser.add_argument("--sweep", action="store_true", help="P/R over a range of thresholds")
    parser.add_argument("--mistakes", action="store_true", help="list wrong and missed pairs")
    parser.add_argument("--articles", type=int, default=10000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--no-library", action="store_true", help="skip the library figures")
    args = parser.parse_args()
    split = None if args.split == "all" else args.split

    if args.sweep:
        for step in range(20, 61, 2):
            r = evaluate(split, step / 100)
            q = evaluate_also_in(split, step / 100)
            print(
                f"min_score {step / 100:.2f}  precision {r['precision']:.3f}  "
                f"recall {r['recall']:.3f}  ({r['right']} right, {r['wrong']} wrong, "
                f"{r['unjudged']} unjudged)   also_in P {q['precision']:.3f} R {q['recall']:.3f}"
            )
        return

    r = evaluate(split, args.min_score)
    print(f"quality on the {args.split} split, min_score {args.min_score}:")
    _line(
        f"  precision ({r['right']} right, {r['wrong']} wrong)",
        f"{r['precision']:.3f}",
        f">= {BUDGET_PRECISION}",
        r["precision"] >= BUDGET_PRECISION,
    )
    _line(
        f"  recall ({r['found']} of {r['positives']} found)",
        f"{r['recall']:.3f}",
        f">= {BUDGET_RECALL}",
        r["recall"] >= BUDGET_RECALL,
    )
    print(f"  ({r['unjudged']} aligned pairs the set says nothing about, not scored)")
    for kind, (bad, good) in r["per_kind"].items():
        print(f"  pairs the aligner calls {kind}: {good} right, {bad} wrong")
    if args.mistakes:
        print("\n".join(r["mistakes"]))
    r = evaluate_also_in(split, args.min_score)
    print("  also_in over the samples, both ways (each query's passage in the other article):")
    print(
        f"    precision {r['precision']:.3f} ({r['right']} right, {r['wrong']} wrong), "
        f"recall {r['recall']:.3f} ({r['found']} of {r['positives']})"
    )

    a, b = five_kb_pair()
    align.align(a, b)  # warm caches (pysbd's segmenter, stems)
    align_ms = _median_ms(lambda: align.align(a, b), 21)
    print(f"speed (median of 21; texts of {len(a)} and {len(b)} code points):")
    _line(
        "  align two 5 KB articles",
        f"{align_ms:.1f} ms",
        f"<= {BUDGET_ALIGN_MS:.0f} ms",
        align_ms <= BUDGET_ALIGN_MS,
    )
    if args.no_library:
        return
    lib = measure_library(args.articles, args.queries)
    print(f"library of {args.articles} generated articles ({args.queries} queries):")
    _line(
        "  import, passage index included",
        f"{lib['import_rate']:.0f} art/s",
        f">= {BUDGET_IMPORT_RATE} art/s",
        lib["import_rate"] >= BUDGET_IMPORT_RATE,
    )
    print(
        f"    ({lib['load_rate']:.0f} articles/s without the index; the index "
        f"{lib['index_ms']:.2f} ms an article; CPU an article: {lib['cpu_ms']:.2f} ms "
        f"here, {lib['cpu_workers_ms']:.2f} ms in the workers, without the index "
        f"{lib['bare_cpu_ms']:.2f} and {lib['bare_workers_ms']:.2f}; load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)"
    )
    _line(
        f'  "also in N of M", median (p90 {lib["p90_ms"]:.1f} ms)',
        f"{lib['median_ms']:.1f} ms",
        f"<= {BUDGET_ALSO_IN_MS:.0f} ms",
        lib["median_ms"] <= BUDGET_ALSO_IN_MS,
    )
    print(
        f"  N found: median {lib['median_found']}, max {lib['max_found']} of M = {lib['library']}"
    )


if __name__ == "__main__":
    main()
