"""What a person waits for, in a real terminal: tmux 120x40, beside a bare Textual app.

    python benchmarks/terminal.py [--runs 3] [--presses 15] [--keep DIR] [--quick] [--opening-only]

Every figure is taken the way a user meets it: `reader` runs in a tmux pane
(launched the same way as a bare Textual app with one `Static`, in the same
run), keys are typed with `send-keys`, and the time is from the key (or the
launch) until `capture-pane` shows the changed screen. Budgets are those of the
speed issue (docs/contracts.md, "Performance budgets"); each line prints the
measured figure, the budget and ok / OVER.

Fixtures (generated, deterministic; `--keep DIR` caches them between runs):
  small.db    a 30 KB article with no annotations, and one with 10,000
  large.db    a 3 MB article with 10,000 annotations, and one with 100,000
  library.db  10,000 articles of ~5 KB with 1,000,000 annotations
  samples.db  the five bundled sample articles
`--quick` skips the library of 10,000 articles (the slowest fixture to build);
`--opening-only` measures only the keys pressed while an article opens.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from reader.models import Annotation, Article, utc_now
from reader.store import Store

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT_S = 120.0
BARE_APP = """
from textual.app import App
from textual.widgets import Static

class Bare(App):
    def compose(self):
        yield Static("BARE-APP-READY")

Bare().run()
"""
WORDS = (
    "the a of to and in that is for on with as by at from this it be are was said "
    "microsoft openai cloud deal market compute billion investors oracle softbank "
    "partnership exclusive infrastructure model training data center analysts expect "
    "could would report according quarter revenue growth chips capacity contract "
    "regulators company executive announced new agreement right first refusal"
).split()
LABELS = ("claim", "opinion", "speculation")
_COUNT = re.compile(r"Annotations \((\d[\d,]*)\)")


# -- fixtures ---------------------------------------------------------------


def make_text(size: int, rng: random.Random, first: str) -> str:
    """About `size` characters of prose: paragraphs of 2-7 sentences."""
    paragraphs: list[str] = [first]
    length = len(first)
    while length < size:
        sentences = []
        for _ in range(rng.randint(2, 7)):
            words = rng.choices(WORDS, k=rng.randint(8, 26))
            sentences.append(" ".join(words).capitalize() + ".")
        paragraph = " ".join(sentences)
        paragraphs.append(paragraph)
        length += len(paragraph) + 2
    return "\n\n".join(paragraphs)


def make_article(text: str, title: str) -> Article:
    sha = hashlib.sha256(text.encode()).hexdigest()
    return Article(sha[:12], title, text, sha256=sha, words=len(text.split()))


def make_annotations(
    article: Article, count: int, rng: random.Random, longest: int = 400
) -> Iterator[Annotation]:
    text, now = article.text, utc_now()
    for i in range(count):
        start = rng.randrange(len(text) - 2)
        end = min(start + rng.randint(5, longest), len(text))
        yield Annotation.over(
            text,
            article.id,
            start,
            end,
            id=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            label=LABELS[i % 3],
            note=None if i % 7 else "a note",
            annotator="bench",
            created_at=now,
            updated_at=now,
            origin="manual",
        )


@dataclass
class Opened:
    """An article to open: where, its id, a phrase of its first row, its count."""

    db: Path
    article_id: str
    marker: str
    annotations: int


def build_articles(db: Path, specs: list[tuple[int, int, int]]) -> list[Opened]:
    """One article per (size, annotations, seed) in db; built once."""
    opened = []
    fresh = not db.exists()
    with Store(db) as store:
        for size, count, seed in specs:
            rng = random.Random(seed)
            marker = f"Benchmark{seed} opening words"
            article = make_article(make_text(size, rng, marker + " of the article."), marker)
            if fresh:
                store.add_articles([article])
                store.put_annotations(make_annotations(article, count, rng))
            # live, as stored (what the list's title counts)
            live = sum(store.label_counts().get(article.id, {}).values())
            opened.append(Opened(db, article.id, marker, live))
    return opened


def build_library(db: Path, articles: int, per_article: int) -> None:
    if db.exists():
        return
    rng = random.Random(7)
    with Store(db) as store:
        batch: list[Article] = []
        for i in range(articles):
            batch.append(make_article(make_text(5000, rng, f"Library article {i}."), f"Title {i}"))
            if len(batch) == 500 or i == articles - 1:
                store.add_articles(batch)
                store.put_annotations(
                    a for art in batch for a in make_annotations(art, per_article, rng, 120)
                )
                batch = []


def build_samples(db: Path, env: dict[str, str]) -> None:
    if not db.exists():
        subprocess.run(
            [reader_command(), "--db", str(db), "import", str(ROOT / "seeds")],
            env=env,
            check=True,
            capture_output=True,
        )


# -- tmux ---------------------------------------------------------------------


class Tmux:
    """A tmux server of our own; one session at a time, 120x40."""

    def __init__(self, env: dict[str, str]) -> None:
        self.socket = f"reader-bench-{uuid.uuid4().hex[:8]}"
        self.env = env
        # a session that stays: killing the measured one never stops the server,
        # so the next launch never races a server on its way out
        self.run("new-session", "-d", "-s", "keep", "-x", "120", "-y", "40", "sleep 86400")

    def run(self, *args: str) -> str:
        done = subprocess.run(
            ["tmux", "-L", self.socket, "-f", "/dev/null", *args],
            capture_output=True,
            text=True,
            env=self.env,
        )
        return done.stdout

    def screen(self, styled: bool = False) -> str:
        return self.run("capture-pane", "-p", *(["-e"] if styled else []), "-t", "bench")

    def launch(self, argv: list[str]) -> float:
        """Start argv in a fresh 120x40 session; the time of the launch."""
        self.kill()
        command = "exec " + " ".join(_quote(a) for a in argv)
        start = time.perf_counter()
        self.run("new-session", "-d", "-s", "bench", "-x", "120", "-y", "40", command)
        return start

    def wait(
        self,
        ready: Callable[[str], object],
        start: float,
        styled: bool = False,
        timeout: float = TIMEOUT_S,
    ) -> float:
        """Seconds from start until ready(screen)."""
        screen = ""
        while time.perf_counter() - start < timeout:
            screen = self.screen(styled)
            if ready(screen):
                return time.perf_counter() - start
        raise RuntimeError(f"the screen never got ready; it was:\n{screen}")

    def key(
        self, key: str, ready: Callable[[str, str], bool] | None = None, timeout: float = 5.0
    ) -> float | None:
        """Seconds from the key until the (styled) screen changes (or ready(old, new));
        None when it did not change within timeout (`]` with no annotations)."""
        before = self.screen(styled=True)
        check = ready or (lambda old, new: new != old)
        start = time.perf_counter()
        self.run("send-keys", "-t", "bench", key)
        try:
            return self.wait(lambda s: check(before, s), start, styled=True, timeout=timeout)
        except RuntimeError:
            return None

    def settle(self, quiet: float = 0.06, timeout: float = 3.0) -> None:
        """Wait (untimed) until the screen stops changing: a key repaints in more
        than one frame (the pane, then the status line and the list), and the next
        key, sent sooner, would be timed by the last one's later frames."""
        last = self.screen(styled=True)
        since = time.perf_counter()
        end = since + timeout
        while time.perf_counter() < end:
            time.sleep(0.01)
            now = self.screen(styled=True)
            if now != last:
                last, since = now, time.perf_counter()
            elif time.perf_counter() - since >= quiet:
                return

    def pid(self) -> int:
        return int(self.run("display-message", "-p", "-t", "bench", "#{pane_pid}").strip())

    def kill(self) -> None:
        self.run("kill-session", "-t", "bench")

    def close(self) -> None:
        self.run("kill-server")


def _quote(arg: str) -> str:
    return "'" + arg.replace("'", "'\\''") + "'"


def reader_command() -> str:
    """The console script beside this Python (no shell shim the bare app would skip)."""
    beside = Path(sys.executable).parent / "reader"
    found = str(beside) if beside.exists() else shutil.which("reader")
    if found is None:
        sys.exit("the `reader` console script is not installed (pip install -e .)")
    return found


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def count_in(screen: str) -> int | None:
    found = _COUNT.search(screen)
    return int(found.group(1).replace(",", "")) if found else None


# -- figures ---------------------------------------------------------------


class Report:
    def __init__(self) -> None:
        self.failed = 0

    def line(self, name: str, figure: str, budget: str = "", ok: bool | None = None) -> None:
        verdict = "" if ok is None else ("ok" if ok else "OVER")
        self.failed += ok is False
        print(f"{name:<52} {figure:>20}   {budget:<26} {verdict}", flush=True)


def median_ms(values: list[float]) -> float:
    return statistics.median(values) * 1000


def time_bare(tmux: Tmux, runs: int) -> tuple[float, float]:
    """Median seconds of the bare app to its first paint, and its peak RSS (MB)."""
    times, rss = [], []
    for _ in range(runs + 1):  # the first warms the caches, untimed
        start = tmux.launch([sys.executable, "-c", BARE_APP])
        times.append(tmux.wait(lambda s: "BARE-APP-READY" in s, start))
        rss.append(peak_rss_mb(tmux.pid()))
    return statistics.median(times[1:]), max(rss)


def time_open(tmux: Tmux, target: Opened, runs: int) -> tuple[float, float]:
    """Median seconds to the text on screen, and to the list showing its count."""
    texts, lists = [], []
    for _ in range(runs + 1):
        start = tmux.launch([reader_command(), "--db", str(target.db), "open", target.article_id])
        texts.append(tmux.wait(lambda s: target.marker in s, start))
        lists.append(tmux.wait(lambda s: count_in(s) == target.annotations, start))
    return statistics.median(texts[1:]), statistics.median(lists[1:])


SEARCH_PROMPT = "Search in the article"
# (name, key, the key that goes back): each timed press is followed by an untimed
# one back, so every press starts from the same place near the top (15 PgDn would
# run off the end of a 30 KB article, and every key after them would not move)
KEYS = [
    ("PgDn", "NPage", "PPage"),
    ("j", "j", "k"),
    ("w", "w", "b"),
    (")", ")", "("),
    ("]", "]", "["),
    ("n", "n", "N"),
]


def time_keys(tmux: Tmux, target: Opened, presses: int) -> dict[str, float | None]:
    """Median ms from each key to the changed screen, in one open session."""
    start = tmux.launch([reader_command(), "--db", str(target.db), "open", target.article_id])
    tmux.wait(lambda s: count_in(s) == target.annotations, start)
    tmux.settle()
    # a search to make `n` move: a word of every generated sentence. Each step waits
    # for the screen to show it (typed before the prompt is open, the word would go
    # to the pane as keys).
    step = time.perf_counter()
    tmux.run("send-keys", "-t", "bench", "/")
    tmux.wait(lambda s: SEARCH_PROMPT in s, step, timeout=10.0)
    before = tmux.screen()
    step = time.perf_counter()
    tmux.run("send-keys", "-t", "bench", "-l", "market")
    tmux.wait(lambda s: s != before and SEARCH_PROMPT in s, step, timeout=10.0)
    step = time.perf_counter()
    tmux.run("send-keys", "-t", "bench", "Enter")
    tmux.wait(lambda s: SEARCH_PROMPT not in s and "match " in s, step, timeout=10.0)
    # its notification (4 s) gone, so no key below is timed by the toast leaving
    tmux.wait(lambda s: "n next" not in s, step, timeout=15.0)
    before = tmux.screen(styled=True)
    step = time.perf_counter()
    tmux.run("send-keys", "-t", "bench", "g")
    tmux.wait(lambda s: s != before, step, styled=True, timeout=5.0)
    tmux.settle()
    medians: dict[str, float | None] = {}
    for name, key, back in KEYS:
        times = []
        for _ in range(presses):
            took = tmux.key(key, timeout=2.0 if name == "]" else 5.0)
            times.append(took)
            if took is None:
                break  # it moves nothing here (`]` with no annotations)
            tmux.settle()
            tmux.key(back, timeout=5.0)
            tmux.settle()
        changed = [t for t in times if t is not None]
        medians[name] = median_ms(changed) if len(changed) == len(times) else None
    return medians


# the reading pane's part of a row: up to the annotation list's left edge (a block
# element, U+2588-U+258F, which the generated text never has)
_LIST_EDGE = re.compile("[\u2588-\u258f]")


def pane_part(screen: str) -> str:
    """The reading pane as drawn (styled), without the list, the status and the footer:
    what a cursor move changes, and what the rest of the annotations loading does not."""
    rows = screen.split("\n")[:-5]
    return "\n".join(_LIST_EDGE.split(row, maxsplit=1)[0] for row in rows)


def time_keys_while_opening(
    tmux: Tmux, target: Opened, key: str = "j", window: float = 1.5
) -> tuple[float, float, float, int]:
    """`key` pressed again and again from the text's first showing for `window` s
    (while the rest of the annotations load): the worst, the first and the median
    ms from a press to the pane showing it, and the number of presses."""
    start = tmux.launch([reader_command(), "--db", str(target.db), "open", target.article_id])
    tmux.wait(lambda s: target.marker in s, start)
    # the pane's first frame drawn whole (two captures alike), so no press is timed
    # by the rest of that frame
    last = ""
    while (now := pane_part(tmux.screen(styled=True))) != last:
        last = now
    shown = time.perf_counter()
    times = []
    while time.perf_counter() - shown < window:
        before = pane_part(tmux.screen(styled=True))
        pressed = time.perf_counter()
        tmux.run("send-keys", "-t", "bench", key)
        tmux.wait(lambda s, was=before: pane_part(s) != was, pressed, styled=True, timeout=30.0)
        times.append(time.perf_counter() - pressed)
    tmux.kill()
    return max(times) * 1000, times[0] * 1000, median_ms(times), len(times)


def time_tag(tmux: Tmux, target: Opened, presses: int) -> tuple[float, float]:
    """ms from a tag key to the pane and the list both showing it; peak RSS (MB).

    On a copy of the fixture: kept fixtures (--keep) stay as built, untagged."""
    copy = target.db.with_name(target.db.stem + "-tagged.db")
    shutil.copyfile(target.db, copy)
    start = tmux.launch([reader_command(), "--db", str(copy), "open", target.article_id])
    tmux.wait(lambda s: count_in(s) == target.annotations, start)
    tmux.settle()
    times = []
    for _ in range(presses):
        tmux.run("send-keys", "-t", "bench", ")")  # the next sentence, selected by `s`
        tmux.settle()
        tmux.run("send-keys", "-t", "bench", "s")
        tmux.settle()
        before = tmux.screen()
        was = count_in(before) or 0

        def tagged(old: str, new: str, was: int = was) -> bool:
            return count_in(new) == was + 1 and "Tagged" in new

        took = tmux.key("1", tagged, timeout=TIMEOUT_S)
        if took is None:
            raise RuntimeError("a tag never showed in the list")
        times.append(took)
        tmux.settle()
    rss = peak_rss_mb(tmux.pid())
    tmux.kill()
    for path in (copy, copy.with_name(copy.name + "-wal"), copy.with_name(copy.name + "-shm")):
        path.unlink(missing_ok=True)
    return median_ms(times), rss


def time_command(argv: list[str], runs: int, env: dict[str, str]) -> float:
    times = []
    for _ in range(runs + 1):
        start = time.perf_counter()
        subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times[1:])


def merge_peak_mb(store_db: Path, source: Opened, folder: Path, env: dict[str, str]) -> float:
    """Peak RSS of `reader merge` of the 100,000 annotations into a fresh database."""
    exported = folder / "merge-100k.jsonl"
    subprocess.run(
        [reader_command(), "--db", str(source.db), "export", "--article", source.article_id,
         "-o", str(exported)],
        env=env, check=True, capture_output=True,
    )  # fmt: skip
    target = folder / "merge-target.db"
    target.unlink(missing_ok=True)
    with Store(source.db) as src, Store(target) as dst:
        dst.add_articles([src.article(source.article_id)])
    proc = subprocess.Popen(
        [reader_command(), "--db", str(target), "merge", str(exported)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    _, _, usage = os.wait4(proc.pid, 0)
    return usage.ru_maxrss / 1024


LIST_SQL = (
    "SELECT a.id, a.title, a.source, a.published, a.words, n.label, count(n.id) "
    "FROM articles a LEFT JOIN annotations n ON n.article_id = a.id AND n.deleted_at IS NULL "
    "GROUP BY a.id, n.label ORDER BY a.title"
)
STATS_SQL = (
    "SELECT label, count(*) FROM annotations WHERE deleted_at IS NULL GROUP BY label; "
    "SELECT article_id, count(*) FROM annotations WHERE deleted_at IS NULL GROUP BY article_id; "
    "SELECT annotator, count(*) FROM annotations WHERE deleted_at IS NULL GROUP BY annotator;"
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="launches per open figure")
    parser.add_argument("--presses", type=int, default=15, help="presses per key figure")
    parser.add_argument("--keep", type=Path, help="build fixtures here and reuse them")
    parser.add_argument("--quick", action="store_true", help="skip the 10,000-article library")
    parser.add_argument(
        "--opening-only",
        action="store_true",
        help="only the bare app and the keys pressed while an article opens",
    )
    args = parser.parse_args()
    if shutil.which("tmux") is None:
        sys.exit("tmux is not installed")
    env = dict(os.environ, TERM="xterm-256color", COLORTERM="truecolor", READER_ANNOTATOR="typist")
    for name in ("COLUMNS", "LINES", "TEXTUAL", "READER_DB", "PYTHONDONTWRITEBYTECODE"):
        env.pop(name, None)  # Textual takes COLUMNS/LINES over the pane; .pyc as installed
    tmp = tempfile.TemporaryDirectory()
    folder = args.keep or Path(tmp.name)
    folder.mkdir(parents=True, exist_ok=True)
    began = time.perf_counter()
    print("building fixtures ...", flush=True)
    small0, small10k = build_articles(folder / "small.db", [(30_000, 0, 1), (30_000, 10_000, 2)])
    large10k, large100k = build_articles(
        folder / "large.db", [(3_000_000, 10_000, 3), (3_000_000, 100_000, 4)]
    )
    build_samples(folder / "samples.db", env)
    if not args.quick:
        build_library(folder / "library.db", 10_000, 100)
    print(f"fixtures ready in {time.perf_counter() - began:.0f} s; measuring", flush=True)

    tmux = Tmux(env)
    report = Report()
    try:
        bare, bare_mb = time_bare(tmux, args.runs)
        report.line("bare Textual app to first paint (tmux)", f"{bare * 1000:.0f} ms")
        report.line("bare Textual app, peak RSS", f"{bare_mb:.0f} MB")
        opens = [
            ("open 30 KB, no annotations", small0, 0.2),
            ("open 3 MB, 10,000 annotations", large10k, 0.3),
            ("open 3 MB, 100,000 annotations", large100k, 0.6),
        ]
        for name, target, room in [] if args.opening_only else opens:
            text_s, list_s = time_open(tmux, target, args.runs)
            report.line(
                f"{name}: text on screen",
                f"{text_s * 1000:.0f} ms bare+{(text_s - bare) * 1000:.0f}",
                f"<= bare + {room * 1000:.0f} ms",
                text_s <= bare + room,
            )
            report.line(
                f"{name}: list shows its count",
                f"{list_s * 1000:.0f} ms bare+{(list_s - bare) * 1000:.0f}",
            )

        for db, marker, limit, label in [
            (folder / "samples.db", "5 articles", 1.3, "5 samples"),
            (folder / "library.db", None, 1.5, "10,000 articles / 1,000,000 annotations"),
        ]:
            if not db.exists() or args.opening_only:
                continue
            times = []
            for _ in range(args.runs + 1):
                start = tmux.launch([reader_command(), "--db", str(db)])
                if marker is None:
                    times.append(tmux.wait(lambda s: re.search(r"\b10,?000 articles", s), start))
                else:
                    times.append(tmux.wait(lambda s, m=marker: m in s, start))
            library = statistics.median(times[1:])
            report.line(
                f"reader to the library, {label}",
                f"{library / bare:.2f}x ({library * 1000:.0f} ms)",
                f"<= {limit}x the bare app",
                library / bare <= limit,
            )

        opening = [
            (name, target, time_keys_while_opening(tmux, target))
            for name, target in [
                ("30 KB / none", small0),
                ("30 KB / 10,000", small10k),
                ("3 MB / 100,000", large100k),
            ]
        ]
        for name, _, (worst, first, median, presses) in opening:
            report.line(
                f"key j  in the first 1.5 s open, {name}",
                f"worst {worst:.0f} ms (first {first:.0f}, median {median:.0f}, {presses} presses)",
                "<= 50 ms",
                worst <= 50,
            )
        if args.opening_only:
            return 1 if report.failed else 0

        base = time_keys(tmux, small0, args.presses)
        for name, target in [("30 KB / 10,000", small10k), ("3 MB / 100,000", large100k)]:
            keys = time_keys(tmux, target, args.presses)
            for key, ms in keys.items():
                if ms is None:
                    report.line(f"key {key:<4} on {name}", "no change", "<= 50 ms", False)
                    continue
                small = base[key]
                if small is None:  # `]` has nothing to jump to in an article with none
                    report.line(f"key {key:<4} on {name} (30 KB / none: no change)",
                                f"{ms:.0f} ms", "<= 50 ms", ms <= 50)  # fmt: skip
                    continue
                ratio = ms / small
                report.line(
                    f"key {key:<4} on {name} (30 KB / none: {small:.0f} ms)",
                    f"{ms:.0f} ms {ratio:.2f}x",
                    "<= 50 ms, <= 1.5x",
                    ms <= 50 and ratio <= 1.5,
                )

        tag_ms, rss = time_tag(tmux, large100k, max(5, args.presses // 3))
        report.line("tag key on 3 MB / 100,000: pane and list show it", f"{tag_ms:.0f} ms",
                    "<= 50 ms", tag_ms <= 50)  # fmt: skip
        report.line("peak RSS, 3 MB / 100,000 open and tagged",
                    f"{rss:.0f} MB bare+{rss - bare_mb:.0f}", "<= 400 MB", rss <= 400)  # fmt: skip
    finally:
        tmux.close()

    library_db = folder / "library.db"
    if library_db.exists():
        for name, argv, sql in [
            ("reader list", [reader_command(), "--db", str(library_db), "list"], LIST_SQL),
            ("reader stats", [reader_command(), "--db", str(library_db), "stats"], STATS_SQL),
        ]:
            ours = time_command(argv, args.runs, env)
            theirs = time_command(["sqlite3", str(library_db), sql], args.runs, env)
            report.line(
                f"{name}, 10,000 / 1,000,000 (sqlite3: {theirs * 1000:.0f} ms)",
                f"{ours * 1000:.0f} ms {ours / theirs:.2f}x",
                "<= 1.2x the sqlite3 query",
                ours / theirs <= 1.2,
            )
    merge_mb = merge_peak_mb(folder / "large.db", large100k, folder, env)
    report.line("peak RSS, merge of 100,000 annotations", f"{merge_mb:.0f} MB", "<= 150 MB",
                merge_mb <= 150)  # fmt: skip
    report.line("  (the bare Textual app, for scale)", f"{bare_mb:.0f} MB")
    print(f"{'ALL WITHIN BUDGET' if not report.failed else f'{report.failed} OVER BUDGET'}"
          f" ({time.perf_counter() - began:.0f} s)")  # fmt: skip
    tmp.cleanup()
    return 1 if report.failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
