"""Figures of team work: `python benchmarks/team.py [--spans N]`.

- `agree` on one 3 MB article that two annotators tagged with N spans each (code-point
  alpha, F1 and u-alpha for every label and overall), against the time a plain list
  of one value per code point takes just to be built for one label (what the
  run-length computation avoids);
- `sync` writing one annotator's file of N annotations, then a second sync with
  nothing new (which must leave the file untouched).

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
        store.close()


if __name__ == "__main__":
    main()
