"""The reading pane against the budgets in docs/contracts.md: `python benchmarks/pane.py`.

Two generated articles: about 3 MB of news-like prose (headings, emphasis, links,
some CJK and emoji) with 10,000 overlapping annotations, and a 30 KB one with 100.
Each is stored in a temporary database and read back as the app reads it. Everything
runs headless in a Textual App of 120x40 (`App.run_test`), timed with perf_counter.

How each figure is measured:

- keystroke = the pane's own action for a key (`action_move`, `action_visual`,
  `action_select_sentence`, `action_annotation`) plus rendering, timed together,
  two ways:
  1. "all visible rows": `render_line(y)` for every row of the pane, as if the
     whole screen changed (a conservative bound of the pane's own drawing work);
  2. "rows Textual repaints": `render_lines()` over the widget, the call the
     compositor makes, which re-renders exactly the rows the key marked dirty
     (the cursor's rows, or all of them after a scroll) through Textual's real
     per-line path (styles cache, line filters).
  Left out in both: the compositor and the terminal output, the same for any
  widget, and Pilot's own overhead (keys go straight to the actions). The keys are
  one fixed, balanced round (rows, characters, words, sentences, paragraphs, pages,
  row ends, shift + motion, `v`, `s`, `]` / `[`) repeated from the middle of the
  text, the same for both articles; medians and p95 over all of them.
- TextArea: the same rounds, the same two ways, on Textual's read-only `TextArea`
  (soft wrap on) holding the 3 MB text, with its cursor actions for the motions it
  has. The ratio is TextArea / pane (medians).
- open: from asking the store for the article and its annotations (printed apart,
  it is the store's work) through building and mounting the pane to the moment
  its last visible row is first rendered (the first painted screen).
- resize: from `pilot.resize_terminal` (the Resize the driver posts) to the moment
  every visible row has been rendered again at the new size; six sizes.
- peak memory: the process's maximum resident set (`resource.getrusage`) after
  both articles' figures (interpreter, Textual, both articles and the store
  included), and the tracemalloc peak of opening the 3 MB article plus one round
  of keys (the pane's own allocations).

Budgets: keystroke median <= 2 ms and within 1.5x of the 30 KB figure; open <= 300 ms;
resize <= 100 ms; peak memory <= 300 MB. A run takes under a minute or two.
"""

from __future__ import annotations

import asyncio
import gc
import random
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.widgets import Static, TextArea

from reader.models import Annotation, Article, Style
from reader.store import Store, article_id_for
from reader.tui.widgets.reading_pane import ReadingPane

SIZE = (120, 40)
KEY_BUDGET_MS = 2.0
KEY_RATIO_BUDGET = 1.5
OPEN_BUDGET_MS = 300.0
RESIZE_BUDGET_MS = 100.0
MEMORY_BUDGET_MB = 300.0

WORDS = (
    "the a of to and in that for is on with as by at from it was said has its be are an will "
    "Microsoft OpenAI cloud Azure deal billion Stargate compute partner exclusive contract data "
    "center investors market analysts revenue model training capacity Oracle SoftBank announced "
    "report growth shares executives strategy chips power regulators agreement customers week "
    "Mr. U.S. $6.6 “exclusive” OpenAI’s — 13% Nadella’s"
).split()
ODD = ["中文新闻报道", "👨\u200d👩\u200d👧", "🇫🇷", "café", "naïve", "x\u0308"]

# One balanced round of keys: ends about where it started, so repeating it stays
# in the middle of the text. (motion or action name, extend the selection)
ROUND: list[tuple[str, bool]] = (
    [("down", False)] * 6
    + [("up", False)] * 6
    + [("right", False)] * 4
    + [("left", False)] * 4
    + [("word", False)] * 3
    + [("word_back", False)] * 3
    + [("sentence", False), ("sentence_back", False)] * 2
    + [("paragraph", False), ("paragraph_back", False)]
    + [("page", False), ("page_back", False)]
    + [("row_end", False), ("row_start", False)]
    + [("down", True)] * 3
    + [("right", True)] * 2
    + [("word", True)] * 2
    + [("up", True)] * 3
    + [("visual", False), ("word", False), ("down", False), ("visual", False)]
    + [("select_sentence", False), ("left", False)]
    + [("annotation+", False), ("annotation-", False)]
)
ROUNDS = 12
# TextArea's cursor actions for the motions it has.
TEXTAREA_ACTIONS = {
    "down": "cursor_down",
    "up": "cursor_up",
    "right": "cursor_right",
    "left": "cursor_left",
    "word": "cursor_word_right",
    "word_back": "cursor_word_left",
    "page": "cursor_page_down",
    "page_back": "cursor_page_up",
    "row_end": "cursor_line_end",
    "row_start": "cursor_line_start",
}


def generate(size: int, spans: int, seed: int) -> tuple[Article, list[Annotation]]:
    """An article of about `size` characters with styles, and `spans` annotations."""
    rng = random.Random(seed)
    parts: list[str] = []
    styles: list[Style] = []
    length = 0
    while length < size:
        if rng.random() < 0.05:
            heading = " ".join(rng.choices(WORDS, k=6)).capitalize()
            styles.append(Style(length, length + len(heading), "heading", 2))
            parts.append(heading)
            length += len(heading) + 2
            continue
        sentences = []
        for _ in range(rng.randint(2, 7)):
            words = rng.choices(WORDS, k=rng.randint(8, 26))
            if rng.random() < 0.05:
                words.insert(rng.randrange(len(words)), rng.choice(ODD))
            sentences.append(" ".join(words).capitalize() + ".")
        paragraph = " ".join(sentences)
        for _ in range(rng.randint(0, 3)):
            a = rng.randrange(len(paragraph))
            b = min(a + rng.randint(3, 30), len(paragraph))
            kind = rng.choice(["em", "strong", "link", "code"])
            value = "https://example.com/x" if kind == "link" else None
            styles.append(Style(length + a, length + b, kind, value))
        parts.append(paragraph)
        length += len(paragraph) + 2
    text = "\n\n".join(parts)
    article_id, sha = article_id_for(text)
    article = Article(article_id, "Generated", text, styles=styles, sha256=sha, format="md")
    labels = ["claim", "opinion", "speculation"]
    annotations = []
    for i in range(spans):
        start = rng.randrange(len(text) - 1)
        end = min(start + rng.randint(5, 400), len(text))
        annotations.append(
            Annotation(
                f"{seed}-{i:06}",
                article_id,
                start,
                end,
                text[start:end],
                "",
                "",
                rng.choice(labels),
                None,
                "bench",
                "2025-01-01T00:00:00.000000Z",
                "2025-01-01T00:00:00.000000Z",
            )
        )
    return article, annotations


class Host(App):
    """An empty App the panes are mounted into."""

    def compose(self) -> ComposeResult:
        yield Static("")


def render_rows(widget) -> None:  # type: ignore[no-untyped-def]
    """Every visible row from the widget's own `render_line` (its whole screen)."""
    for y in range(widget.scrollable_content_region.height):
        widget.render_line(y)


def render_dirty(widget) -> None:  # type: ignore[no-untyped-def]
    """What Textual repaints: the rows the widget marked dirty, by its real path."""
    widget.render_lines(Region(0, 0, widget.region.width, widget.region.height))


def pane_key(pane: ReadingPane, key: str, select: bool) -> None:
    if key == "visual":
        pane.action_visual()
    elif key == "select_sentence":
        pane.action_select_sentence()
    elif key == "annotation+":
        pane.action_annotation(1)
    elif key == "annotation-":
        pane.action_annotation(-1)
    else:
        pane.action_move(key, select)


def time_keys(step: Callable[[str, bool], None], widget, keys, render) -> list[float]:  # type: ignore[no-untyped-def]
    times = []
    for key, select in keys:
        render_dirty(widget)  # start from a clean screen
        start = time.perf_counter()
        step(key, select)
        render(widget)
        times.append((time.perf_counter() - start) * 1000)
    return times


class CountingPane(ReadingPane):
    """Notes when every visible row has been rendered: the screen is painted."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.bench_rows: set[int] = set()
        self.painted_at: float | None = None

    def reset(self) -> None:
        self.bench_rows = set()
        self.painted_at = None

    def render_line(self, y: int):  # type: ignore[no-untyped-def]
        strip = super().render_line(y)
        if self.painted_at is None:
            self.bench_rows.add(y)
            height = self.scrollable_content_region.height
            if (
                height
                and len(self.bench_rows) >= height
                and all(row in self.bench_rows for row in range(height))
            ):
                self.painted_at = time.perf_counter()
        return strip


async def painted(pilot, pane: CountingPane) -> float:  # type: ignore[no-untyped-def]
    """Wait (outside the timing) until the pane's screen is painted; when it was."""
    for _ in range(100):
        if pane.painted_at is not None:
            return pane.painted_at
        await pilot.pause()
    raise RuntimeError("the pane was never painted")


async def measure_pane(store: Store, article_id: str) -> dict[str, object]:
    app = Host()
    figures: dict[str, object] = {}
    async with app.run_test(size=SIZE) as pilot:
        gc.collect()
        start = time.perf_counter()
        article = store.article(article_id)
        annotations = store.annotations(article_id)
        labels = store.labels()
        loaded = time.perf_counter()
        pane = CountingPane(article, annotations, labels)
        await app.mount(pane)
        pane.focus()
        done = await painted(pilot, pane)
        figures["load"] = (loaded - start) * 1000
        figures["open"] = (done - loaded) * 1000

        pane.move_cursor(len(article.text) // 2, center=True)
        await pilot.pause()
        step = lambda key, select: pane_key(pane, key, select)  # noqa: E731
        figures["keys"] = time_keys(step, pane, ROUND * ROUNDS, render_rows)
        figures["keys_dirty"] = time_keys(step, pane, ROUND * ROUNDS, render_dirty)

        resizes = []
        for width, height in [(100, 30), (140, 45), (80, 24), (120, 40), (90, 50), (130, 35)]:
            await pilot.pause()
            pane.reset()
            start = time.perf_counter()
            await pilot.resize_terminal(width, height)
            resizes.append((await painted(pilot, pane) - start) * 1000)
        figures["resize"] = resizes
    return figures


async def measure_textarea(text: str) -> dict[str, list[float]]:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        area = TextArea(text, read_only=True, soft_wrap=True)
        await app.mount(area)
        area.focus()
        await pilot.pause()
        row = text.count("\n", 0, len(text) // 2)
        area.move_cursor((row, 0), center=True)
        await pilot.pause()
        keys = [(k, s) for k, s in ROUND if k in TEXTAREA_ACTIONS]

        def step(key: str, select: bool) -> None:
            action = getattr(area, f"action_{TEXTAREA_ACTIONS[key]}")
            action() if key in ("page", "page_back") else action(select)

        return {
            "keys": time_keys(step, area, keys, render_rows),
            "keys_dirty": time_keys(step, area, keys, render_dirty),
        }


async def traced_peak(store: Store, article_id: str) -> float:
    """MB allocated at the peak of opening the article and a round of keys."""
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        gc.collect()
        tracemalloc.start()
        article = store.article(article_id)
        pane = ReadingPane(article, store.annotations(article_id), store.labels())
        await app.mount(pane)
        await pilot.pause()
        pane.move_cursor(len(article.text) // 2, center=True)
        time_keys(lambda k, s: pane_key(pane, k, s), pane, ROUND, render_rows)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return peak / 1e6


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(round(q * (len(ordered) - 1)), len(ordered) - 1)]


class Report:
    failed = False

    def line(self, name: str, figure: str, budget: str = "", ok: bool | None = None) -> None:
        verdict = "" if ok is None else ("PASS" if ok else "FAIL")
        self.failed = self.failed or ok is False
        print(f"{name:<50} {figure:>11}   {budget:<22} {verdict}".rstrip())


async def main() -> int:
    started = time.perf_counter()
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "bench.db")
        for name, size, spans in [("3 MB", 3_000_000, 10_000), ("30 KB", 30_000, 100)]:
            article, annotations = generate(size, spans, seed=len(name))
            store.add_articles([article])
            store.put_annotations(annotations)
            results[name] = (article, await measure_pane(store, article.id))
        big_article = results["3 MB"][0]
        rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        traced_mb = await traced_peak(store, big_article.id)
        store.close()
    area = await measure_textarea(big_article.text)
    big, small = results["3 MB"][1], results["30 KB"][1]

    print(
        f"3 MB article: {len(big_article.text):,} characters, 10,000 annotations; "
        f"30 KB article: {len(results['30 KB'][0].text):,} characters, 100 annotations; "
        f"{len(ROUND) * ROUNDS} keys each; screen {SIZE[0]}x{SIZE[1]}\n"
    )
    report = Report()
    print(f"{'figure':<50} {'measured':>11}   {'budget':<22} verdict")
    for mode, title in (("keys", "all visible rows"), ("keys_dirty", "rows Textual repaints")):
        print(f"-- keystroke: action + {title}")
        key_big = statistics.median(big[mode])  # type: ignore[arg-type]
        key_small = statistics.median(small[mode])  # type: ignore[arg-type]
        budget = f"<= {KEY_BUDGET_MS} ms"
        report.line("keystroke median, 3 MB", f"{key_big:.3f} ms", budget, key_big <= KEY_BUDGET_MS)
        report.line("keystroke p95, 3 MB", f"{percentile(big[mode], 0.95):.3f} ms")  # type: ignore[arg-type]
        report.line(
            "keystroke median, 30 KB", f"{key_small:.3f} ms", budget, key_small <= KEY_BUDGET_MS
        )
        report.line("keystroke p95, 30 KB", f"{percentile(small[mode], 0.95):.3f} ms")  # type: ignore[arg-type]
        ratio = key_big / key_small
        report.line(
            "keystroke median, 3 MB / 30 KB",
            f"{ratio:.2f}x",
            f"<= {KEY_RATIO_BUDGET}x",
            ratio <= KEY_RATIO_BUDGET,
        )
        area_median = statistics.median(area[mode])
        report.line("TextArea keystroke median, 3 MB (for scale)", f"{area_median:.3f} ms")
        report.line("TextArea keystroke p95, 3 MB", f"{percentile(area[mode], 0.95):.3f} ms")
        report.line("TextArea / pane, keystroke median", f"{area_median / key_big:.1f}x")
    print("-- open and resize")
    budget = f"<= {OPEN_BUDGET_MS:.0f} ms"
    for name, figures in (("3 MB", big), ("30 KB", small)):
        load, pane_open = figures["load"], figures["open"]
        total = load + pane_open  # type: ignore[operator]
        report.line(f"open: store reads, {name}", f"{load:.1f} ms")
        report.line(
            f"open: pane to first painted screen, {name}",
            f"{pane_open:.1f} ms",
            budget,
            pane_open <= OPEN_BUDGET_MS,  # type: ignore[operator]
        )
        report.line(
            f"open: store + pane, {name}", f"{total:.1f} ms", budget, total <= OPEN_BUDGET_MS
        )
    budget = f"<= {RESIZE_BUDGET_MS:.0f} ms"
    for name, figures in (("3 MB", big), ("30 KB", small)):
        resize = statistics.median(figures["resize"])  # type: ignore[arg-type]
        worst = max(figures["resize"])  # type: ignore[arg-type]
        report.line(
            f"resize to repainted screen, {name}, median",
            f"{resize:.1f} ms",
            budget,
            resize <= RESIZE_BUDGET_MS,
        )
        report.line(
            f"resize, {name}, worst of 6", f"{worst:.1f} ms", budget, worst <= RESIZE_BUDGET_MS
        )
    print("-- memory")
    budget = f"<= {MEMORY_BUDGET_MB:.0f} MB"
    report.line(
        "peak memory: process max RSS", f"{rss_mb:.0f} MB", budget, rss_mb <= MEMORY_BUDGET_MB
    )
    report.line(
        "peak memory: pane open + keys, traced",
        f"{traced_mb:.0f} MB",
        budget,
        traced_mb <= MEMORY_BUDGET_MB,
    )
    print(
        f"\n{'SOME FAIL' if report.failed else 'ALL PASS'} ({time.perf_counter() - started:.0f} s)"
    )
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
