"""The workspace annotations screen's store reads at 1,000,000 annotations:
`python benchmarks/annotations_screen.py [--db PATH]`.

Builds (once, at --db, default a temporary file) 2,000 articles of about 5 KB
with 500 annotations each, then times what the screen waits for: counting the
list (opening the screen, changing a filter), a page of rows at the top, the
middle and the end, and the filters by label, annotator and text. Budget: a
keystroke that only scrolls stays under 50 ms (docs/contracts.md); a filter
change is a count, said beside its figure.
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from foundation import annotations_for, generate, import_articles

from reader.store import Store
from reader.store.browse import AnnotationFilter, WorkspaceAnnotations, count_apart

ARTICLES = 2_000
PER_ARTICLE = 500
PAGE = 40  # rows a tall terminal shows (120x40: 13 entries of 3 rows; a page ahead)


def build(path: Path) -> None:
    rng = random.Random(14)
    with tempfile.TemporaryDirectory() as tmp, Store(path) as store:
        generate(Path(tmp), ARTICLES, 5_000, rng)
        import_articles(store, Path(tmp))
        batch = []
        for annotation in annotations_for(store, PER_ARTICLE, rng):
            batch.append(annotation)
            if len(batch) == 50_000:
                store.put_annotations(batch)
                batch.clear()
        store.put_annotations(batch)


def timed(what: str, runs: int, work) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    median = statistics.median(times) * 1000
    print(f"{what:<52} {median:8.1f} ms (median of {runs})", flush=True)
    return median


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", type=Path, help="reuse or build the database here")
    args = parser.parse_args()
    path = args.db or Path(tempfile.mkdtemp()) / "bench.db"
    if not path.exists():
        start = time.perf_counter()
        build(path)
        print(f"built {path} in {time.perf_counter() - start:.0f} s", flush=True)
    with Store(path) as store:
        listing = WorkspaceAnnotations(store)
        print(f"{len(listing):,} annotations in {len(listing.titles):,} articles")
        timed("count the list (open the screen)", 5, lambda: WorkspaceAnnotations(store))
        timed(
            "  the same on its own connection (the screen's worker)",
            5,
            lambda: count_apart(path, AnnotationFilter()),
        )
        for where, row in (("top", 0), ("middle", len(listing) // 2), ("end", len(listing) - PAGE)):
            fresh = WorkspaceAnnotations(store)
            timed(
                f"a page of {PAGE} rows at the {where} (first read)",
                1,
                lambda f=fresh, r=row: f.rows(r, PAGE),
            )
            timed(f"a page of {PAGE} rows at the {where}", 20, lambda r=row: listing.rows(r, PAGE))
        for name, wanted in (
            ("label", AnnotationFilter(label="opinion")),
            ("annotator", AnnotationFilter(annotator="bench")),
            ("text 'billion'", AnnotationFilter(text="billion")),
            ("text that matches nothing", AnnotationFilter(text="zzzz")),
            ("label and text", AnnotationFilter(label="claim", text="cloud")),
        ):
            filtered = WorkspaceAnnotations(store, wanted)
            timed(
                f"filter by {name} ({len(filtered):,} rows)",
                3,
                lambda w=wanted: WorkspaceAnnotations(store, w),
            )
            timed("  then a page at its middle", 10, lambda f=filtered: f.rows(len(f) // 2, PAGE))
        one = listing.rows(len(listing) // 2, 1)[0]
        timed(
            "find a row's place again (after a refresh)",
            10,
            lambda: listing.index_of(one.article_id, one.start, one.end, one.id),
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak:.0f} MB")


if __name__ == "__main__":
    main()
