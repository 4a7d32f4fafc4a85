"""The read screen's annotation list at 100,000 annotations: `python benchmarks/annotation_list.py`.

Times, on a list mounted in a bare app (120x40): `show` of them all, one
change (`update`, a relabel and a move) with the repaint of the screen it
asks for, a filter change (label, text) and a screenful of three-row entries
drawn from cold. Budgets: one change under the keystroke's 2 ms (its repaint
under 50 ms), a filter change or `show` under 300 ms (docs/contracts.md).
"""

from __future__ import annotations

import asyncio
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from textual.app import App, ComposeResult

from reader.models import Label, Mark
from reader.tui.widgets.annotation_list import AnnotationList

COUNT = 100_000
LABELS = {
    name: Label(name=name, key=key, color=color, description="")
    for name, key, color in (("claim", "1", "blue"), ("opinion", "2", "green"))
}
WORDS = "the market rose as investors said that growth would slow next year".split()


class Bench(App[None]):
    def compose(self) -> ComposeResult:
        yield AnnotationList()


def data() -> tuple[str, list[Mark]]:
    rng = random.Random(9)
    text = " ".join(rng.choice(WORDS) for _ in range(COUNT * 8))
    marks, at = [], 0
    for i in range(COUNT):
        start = at + rng.randrange(0, 20)
        end = min(start + rng.randrange(20, 300), len(text))
        at += len(text) // COUNT
        who = ("ana", "ben", "cy")[i % 3]
        marks.append(Mark(start, end, ("claim", "opinion")[i % 2], f"id{i:06}", None, who, ""))
    return text, marks


def ms(since: float) -> float:
    return (time.perf_counter() - since) * 1000


def repaint(listing: AnnotationList) -> float:
    start = time.perf_counter()
    listing.render_lines(listing.scrollable_content_region.reset_offset)
    return ms(start)


async def main() -> None:
    text, marks = data()
    app = Bench()
    async with app.run_test(size=(120, 40)) as pilot:
        listing = app.query_one(AnnotationList)
        start = time.perf_counter()
        listing.show(marks, LABELS, text)
        shown = ms(start)
        await pilot.pause()
        cold = repaint(listing)
        listing.highlighted = COUNT // 2
        await pilot.pause()
        changes, paints = [], []
        rng = random.Random(1)
        for _ in range(50):
            old = listing.annotation_at(rng.randrange(len(listing)))
            moved = old._replace(label="opinion" if old.label == "claim" else "claim")
            if rng.random() < 0.5:
                moved = moved._replace(start=old.start + 1)
            start = time.perf_counter()
            listing.update(moved)
            changes.append(ms(start))
            paints.append(repaint(listing))
        start = time.perf_counter()
        listing.set_filter(label="claim")
        by_label = ms(start)
        start = time.perf_counter()
        listing.set_filter(label=None, text="growth would")
        by_text = ms(start)
        kept = len(listing)
    rows = [
        ("show 100,000", shown, 300.0),
        ("one change (update), median", statistics.median(changes), 2.0),
        ("its repaint (a screenful), median", statistics.median(paints), 50.0),
        ("a screenful from cold", cold, 50.0),
        ("filter by label", by_label, 300.0),
        (f"filter by text ({kept:,} kept)", by_text, 300.0),
    ]
    print(f"{'figure':<40} {'measured':>10}   budget")
    for name, value, budget in rows:
        verdict = "ok" if value <= budget else "OVER"
        print(f"{name:<40} {value:>7.2f} ms   <= {budget:.0f} ms  {verdict}")


if __name__ == "__main__":
    asyncio.run(main())
