"""Figures of the foundation against docs/contracts.md's budgets: `python benchmarks/foundation.py`.

Import of 10,000 generated 5 KB articles, export of 1,000,000 annotations (and
`sqlite3 -json` on the same rows, for scale), full-text search over the 10,000,
and one annotation commit on the on-disk WAL database. Everything happens in a
temporary folder; a run takes a few minutes.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reader.exporting import export_to_file
from reader.importing import import_paths
from reader.models import Annotation, utc_now
from reader.store import Store

WORDS = (
    "the a of to and in that for is on with as by at from it was said has its be are an will "
    "Microsoft OpenAI cloud Azure deal billion Stargate compute partner exclusive contract data "
    "center investors market analysts revenue model training capacity Oracle SoftBank announced "
    "report growth shares executives strategy chips power regulators agreement customers week"
).split()


def generate(folder: Path, count: int, size: int, rng: random.Random) -> None:
    """`count` .txt articles of about `size` bytes: a title line, then paragraphs."""
    for i in range(count):
        title = " ".join(rng.choices(WORDS, k=7)).capitalize()
        paragraphs, length = [], len(title)
        while length < size:
            sentences = [" ".join(rng.choices(WORDS, k=rng.randint(8, 20))).capitalize() + "."]
            sentences += [
                " ".join(rng.choices(WORDS, k=rng.randint(8, 20))).capitalize() + "."
                for _ in range(3)
            ]
            paragraph = (
                f"Article {i}: " + " ".join(sentences) if not paragraphs else " ".join(sentences)
            )
            paragraphs.append(paragraph)
            length += len(paragraph) + 2
        (folder / f"article_{i:05}.txt").write_text(title + "\n\n" + "\n\n".join(paragraphs) + "\n")


def import_articles(store: Store, folder: Path) -> tuple[float, str]:
    """Seconds for importing the folder through reader.importing, and what happened."""
    start = time.perf_counter()
    results = import_paths(store, [folder])
    elapsed = time.perf_counter() - start
    failed = [r for r in results if r.status == "failed"]
    return elapsed, f"{len(results) - len(failed)} imported, {len(failed)} failed"


def annotations_for(store: Store, per_article: int, rng: random.Random) -> Iterator[Annotation]:
    now = utc_now()
    labels = ["claim", "opinion", "speculation"]
    n = 0
    for summary in store.articles():
        text = store.article(summary.id).text
        for _ in range(per_article):
            start = rng.randrange(0, len(text) - 120)
            end = start + rng.randint(10, 120)
            n += 1
            yield Annotation.over(
                text,
                summary.id,
                start,
                end,
                id=f"{n:08x}-0000-4000-8000-{rng.getrandbits(48):012x}",
                label=labels[n % 3],
                note=None if n % 5 else "a note on this one",
                annotator="bench",
                created_at=now,
                updated_at=now,
                origin="manual",
            )


def line(name: str, figure: str, budget: str, ok: bool) -> None:
    verdict = "ok" if ok else "OVER BUDGET"
    print(f"{name:<44} {figure:>22}   budget {budget:<14} {verdict}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--annotations", type=int, default=1_000_000)
    parser.add_argument("--commits", type=int, default=1_000)
    args = parser.parse_args()
    rng = random.Random(20250122)
    print(
        f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, sqlite {sqlite3.sqlite_version}"
    )

    with tempfile.TemporaryDirectory(prefix="reader-bench-") as tmp:
        root = Path(tmp)
        folder = root / "articles"
        folder.mkdir()
        generate(folder, args.articles, 5 * 1024, rng)
        store = Store(root / "reader.db")

        seconds, note = import_articles(store, folder)
        rate = args.articles / seconds
        line(
            f"import {args.articles:,} x 5 KB articles",
            f"{rate:,.0f} articles/s",
            ">= 500/s",
            rate >= 500,
        )
        print(f"  ({note}, {seconds:.1f} s)")

        per_article = max(1, args.annotations // store.article_count())
        store.put_annotations(annotations_for(store, per_article, rng))
        total = per_article * store.article_count()

        out = root / "export.jsonl"
        start = time.perf_counter()
        written = export_to_file(store, out)
        ours = time.perf_counter() - start
        assert written == total, (written, total)
        rate = total / ours
        line(
            f"export {total:,} annotations",
            f"{rate:,.0f} annotations/s",
            ">= 200,000/s",
            rate >= 200_000,
        )
        print(f"  ({ours:.2f} s, {out.stat().st_size / 1e6:.0f} MB)")

        sqlite_cli = shutil.which("sqlite3") or "/usr/bin/sqlite3"
        if Path(sqlite_cli).exists():
            query = (
                "SELECT n.id, n.article_id, a.title AS article_title, a.source AS article_source, "
                'a.sha256 AS article_sha256, n.start, n."end", n.quote AS text, n.prefix, '
                "n.suffix, n.label, n.note, n.annotator, n.created_at, n.updated_at, n.origin "
                "FROM annotations n JOIN articles a ON a.id = n.article_id "
                'WHERE n.deleted_at IS NULL ORDER BY n.article_id, n.start, n."end", n.id'
            )
            with open(root / "sqlite.json", "wb") as sink:
                start = time.perf_counter()
                subprocess.run(
                    [sqlite_cli, "-json", str(root / "reader.db"), query], stdout=sink, check=True
                )
                theirs = time.perf_counter() - start
            print(
                f"  sqlite3 -json on the same rows: {theirs:.2f} s ({total / theirs:,.0f} rows/s); "
                f"reader export takes {ours / theirs:.2f}x its time"
            )
        else:
            print("  (no sqlite3 command-line tool found: comparison skipped)")

        queries = [
            "stargate",
            "cloud deal",
            "microsoft azure",
            "regulators",
            "billion compute",
            "article 4321",
        ]
        store.search("warm")  # first query loads the FTS index pages
        times = []
        for query in queries * 3:
            start = time.perf_counter()
            store.search(query)
            times.append((time.perf_counter() - start) * 1000)
        median = statistics.median(times)
        line(
            f"full-text search over {store.article_count():,}",
            f"{median:.1f} ms median",
            "<= 50 ms",
            median <= 50,
        )
        print(f"  ({len(times)} queries, max {max(times):.1f} ms)")

        article = store.article(store.articles()[0].id)
        commits = []
        for i in range(args.commits):
            start_offset = (i * 7) % (len(article.text) - 20)
            start = time.perf_counter()
            store.add_annotation(article, start_offset, start_offset + 12, "claim", "bench")
            commits.append((time.perf_counter() - start) * 1000)
        commits.sort()
        p50 = commits[len(commits) // 2]
        p99 = commits[min(len(commits) - 1, int(len(commits) * 0.99))]
        line(
            f"one annotation commit (WAL, on disk, n={args.commits})",
            f"p50 {p50:.2f} / p99 {p99:.2f} ms",
            "p99 <= 5 ms",
            p99 <= 5,
        )
        store.close()


if __name__ == "__main__":
    main()
