"""Figures of team work: `python benchmarks/team.py [--spans N]`.

- `agree` on one 3 MB article that two annotators tagged with N spans each (code-point
  alpha, F1 and u-alpha for every label and overall), against the time a plain list
  of one value per code point takes just to be built for one label (what the
  run-length computation avoids);
- `sync` writing one annotator's file of N annotations, then a second sync with
  nothing new (which must leave the file untouched);
- `review` of the two on that article: the plan (agreed and disagreements), the
  agreed ones stored, one decision (a transaction) and its undo, and the review
  screen opened in process (headless, 120x40) up to its first frame, then one
  `]` (walk to the next open disagreement) to its frame.

DESIGN.md sets no budget for these; the figures are printed beside the scale.
Everything happens in a temporary folder.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reader.agreement import agreement
from reader.models import Annotation, utc_now
from reader.store import Store, article_id_for
from reader.sync import sync_workspace
from tests.factories import add_article

LABELS = ["claim", "opinion", "speculation"]


def spans(rng: random.Random, length: int, count: int) -> list[tuple[int, int, str]]:
    out = []
    for _ in range(count):
        start = rng.randrange(0, length - 400)
        out.append((start, start + rng.randint(20, 400), rng.choice(LABELS)))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--spans", type=int, default=10_000, help="spans per annotator")
    args = parser.parse_args()
    rng = random.Random(13)
    text = (
        "Microsoft said the deal is big. It is, said OpenAI. Stargate costs $500 billion.\n"
    ) * (3_000_000 // 81)
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp)
        (root / "annotations").mkdir()
        store = Store(root / "annotations" / "reader.db")
        article = add_article(store, text, "Three megabytes")
        now = utc_now()
        rows = []
        for who in ("ana", "ben"):
            for i, (start, end, label) in enumerate(spans(rng, len(text), args.spans)):
                rows.append(
                    Annotation.over(
                        text, article.id, start, end, id=f"{who}-{i}", label=label, note=None,
                        annotator=who, created_at=now, updated_at=now,
                    )
                )  # fmt: skip
        store.put_annotations(rows)
        assert article_id_for(text)[0] == article.id

        started = time.perf_counter()
        report = agreement(store)
        took = time.perf_counter() - started
        overall = report.overall("ana", "ben")
        assert overall is not None
        print(
            f"agree, 3 MB article ({len(text):,} code points), {args.spans:,} spans each: "
            f"{took * 1000:.0f} ms (overall alpha {overall.char_alpha:.3f}, "
            f"alpha_u {overall.alpha_u:.3f})"
        )
        started = time.perf_counter()
        plain = [0] * len(text)
        for start, end, label in spans(rng, len(text), args.spans):
            if label == "claim":
                plain[start:end] = [1] * (end - start)
        print(
            f"  for scale: one per-code-point list for one label of one annotator: "
            f"{(time.perf_counter() - started) * 1000:.0f} ms, "
            f"{sys.getsizeof(plain) / 1e6:.0f} MB"
        )

        started = time.perf_counter()
        first = sync_workspace(store, "ana", root / "annotations")
        took_first = time.perf_counter() - started
        own = root / "annotations" / "ana.jsonl"
        mtime = own.stat().st_mtime_ns
        started = time.perf_counter()
        second = sync_workspace(store, "ana", root / "annotations")
        took_second = time.perf_counter() - started
        assert first.own_written and not second.own_written and own.stat().st_mtime_ns == mtime
        size = own.stat().st_size / 1e6
        print(
            f"sync, own file of {first.own_lines:,} annotations ({size:.1f} MB): "
            f"{took_first * 1000:.0f} ms written, {took_second * 1000:.0f} ms when nothing "
            "changed (file untouched)"
        )
        review_figures(store, article.id)
        store.close()


def review_figures(store: Store, article_id: str) -> None:
    import asyncio

    from reader.review import TAKE_A, Review

    started = time.perf_counter()
    review = Review(store, article_id, "ana", "ben")
    took_plan = time.perf_counter() - started
    started = time.perf_counter()
    review.accept_agreed()
    took_agreed = time.perf_counter() - started
    started = time.perf_counter()
    review.decide(0, TAKE_A)
    took_decide = time.perf_counter() - started
    started = time.perf_counter()
    review.undo()
    took_undo = time.perf_counter() - started
    print(
        f"review, {review.total:,} disagreements, {len(review.plan.agreed):,} agreed: "
        f"plan {took_plan * 1000:.0f} ms, agreed stored {took_agreed * 1000:.0f} ms, "
        f"a decision {took_decide * 1000:.1f} ms, its undo {took_undo * 1000:.1f} ms"
    )

    from reader.tui.app import ReaderApp
    from reader.tui.screens.read import ReadScreen
    from reader.tui.screens.review import ReviewScreen

    async def opening(app: ReaderApp, kind: type) -> tuple[float, ReaderApp, object]:
        started = time.perf_counter()
        async with app.run_test(size=(120, 40)) as pilot:
            while not isinstance(app.screen, kind):
                await pilot.pause()
            await pilot.pause()
            opened = time.perf_counter() - started
            if kind is not ReviewScreen:
                return opened, app, None
            screen = app.screen
            assert isinstance(screen, ReviewScreen)
            walks, decisions = [], []
            for _ in range(20):  # the actions themselves, in process, without drawing
                started = time.perf_counter()
                screen.action_walk(1)
                walks.append(time.perf_counter() - started)
            for _ in range(20):
                started = time.perf_counter()
                screen.action_decide("a")
                decisions.append(time.perf_counter() - started)
                screen.action_undo()
            return opened, app, (sorted(walks)[10], sorted(decisions)[10])

    read_open, _, _ = asyncio.run(opening(ReaderApp(store, "bench", [article_id]), ReadScreen))
    review_app = ReaderApp(store, "bench", [], (article_id, "ana", "ben", "gold"))
    review_open, _, medians = asyncio.run(opening(review_app, ReviewScreen))
    walk, decide = medians  # type: ignore[misc]
    print(
        f"  review screen (two panes of the 3 MB article) to its first frame, in process: "
        f"{review_open * 1000:.0f} ms, beside the read screen on it: {read_open * 1000:.0f} ms"
    )
    print(
        f"  median action, in process without drawing: ] {walk * 1000:.1f} ms, "
        f"a (decide, commit included) {decide * 1000:.1f} ms "
        "(DESIGN.md: a keystroke's action + visible rows <= 2 ms on a read screen)"
    )


if __name__ == "__main__":
    main()
