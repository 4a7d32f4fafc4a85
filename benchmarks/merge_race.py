"""Notes typed during a large merge: `python benchmarks/merge_race.py [--records N]`.

`reader merge` of N records (default 150,000, the issue's figure) runs in a second
process while this one saves notes and deletes the way the TUI does, from the
merge's start to its end (tests/merge_race.py). Printed: the merge's time, how many
edits raced it and how many it undid (must be 0), and how long a save waited for
the merge's write lock, beside DESIGN.md's "tag a span <= 5 ms p99" (a budget for
a database nobody else is writing; during a merge a save waits for one batch).
Everything happens in a temporary folder.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.merge_race import lost, run_race


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=150_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        race = run_race(Path(temp), args.records)
        undone = lost(Path(temp), race)
    if race.returncode != 0:
        sys.exit(f"merge failed: {race.stderr.strip()}")
    waits = sorted(race.edit_waits)
    p99 = waits[min(len(waits) - 1, int(len(waits) * 0.99))]
    print(f"merge of {race.count:,} records in a second process: {race.merge_seconds:.1f} s")
    print(f"edits during it: {len(race.edited):,} notes, {len(race.deleted):,} deletes")
    print(f"edits the merge undid: {len(undone)} (must be 0)")
    print(
        f"a save's time during the merge: median {statistics.median(waits) * 1000:.1f} ms, "
        f"p99 {p99 * 1000:.0f} ms, max {waits[-1] * 1000:.0f} ms "
        "(budget for tagging, no merge running: 5 ms p99)"
    )
    if undone:
        sys.exit(1)


if __name__ == "__main__":
    main()
