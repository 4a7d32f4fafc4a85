"""The library's columns and sorting, apart from the table widget that shows them.

Pure functions of the summaries and their work (status, progress), so the
table widget can change without touching them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from rich.text import Text

from reader.models import ArticleSummary, Label

Work = dict[str, tuple[str, float | None]]

# The columns a sort can use, in the order `o` cycles through them.
SORT_COLUMNS = ("title", "source", "date", "words", "total", "progress", "status")
_STATUS_ORDER = {"new": 0, "in progress": 1, "done": 2}
_STATUS_SHORT = {"new": "new", "in progress": "wip", "done": "done"}  # as `reader list`


def status_of(summary: ArticleSummary, work: Work) -> str:
    status = work.get(summary.id, ("new", None))[0]
    return "in progress" if status == "new" and summary.total else status


def progress_of(summary: ArticleSummary, work: Work) -> float | None:
    progress = work.get(summary.id, ("new", None))[1]
    return 0.0 if progress is None and not summary.total else progress


def sort_key(column: str, work: Work) -> Callable[[ArticleSummary], Any]:
    """The key that orders summaries by column (ties by title)."""
    keys: dict[str, Callable[[ArticleSummary], Any]] = {
        "title": lambda s: s.title.casefold(),
        "source": lambda s: ((s.source or "\uffff").casefold(), s.title.casefold()),
        "date": lambda s: (s.published or "", s.title.casefold()),
        "words": lambda s: (s.words, s.title.casefold()),
        "total": lambda s: (s.total, s.title.casefold()),
        "progress": lambda s: (progress_of(s, work) or 0.0, s.title.casefold()),
        "status": lambda s: (_STATUS_ORDER[status_of(s, work)], s.title.casefold()),
    }
    return keys[column]


def sorted_summaries(
    summaries: Sequence[ArticleSummary], column: str, reverse: bool, work: Work
) -> list[ArticleSummary]:
    return sorted(summaries, key=sort_key(column, work), reverse=reverse)


def next_sort(column: str) -> str:
    return SORT_COLUMNS[(SORT_COLUMNS.index(column) + 1) % len(SORT_COLUMNS)]


def column_of(key: str) -> str | None:
    """The sort column of a table column's key (a label column sorts by total)."""
    if key.startswith("label:") or key == "counts":
        return "total"
    return key if key in SORT_COLUMNS else None


def heading(name: str, column: str, sort: str, reverse: bool, justify: str = "left") -> Text:
    """A column's heading, with ▲ / ▼ on the one the rows are sorted by."""
    text = Text(name, justify=justify)  # type: ignore[arg-type]
    if column == sort:
        text.append(" ▼" if reverse else " ▲", style="bold")
    return text


def progress_cell(summary: ArticleSummary, work: Work) -> Text:
    progress = progress_of(summary, work)
    return Text("·" if progress is None else f"{round(progress * 100)}%", justify="right")


def status_cell(summary: ArticleSummary, work: Work) -> Text:
    status = status_of(summary, work)
    return Text(_STATUS_SHORT[status], style="bold" if status == "done" else "dim")


def compact_counts(summary: ArticleSummary, labels: Sequence[Label]) -> Text:
    """Every label's count in one column, `2·0·1`, each in its label's colour."""
    text = Text(justify="right")
    for i, label in enumerate(labels):
        if i:
            text.append("·", style="dim")
        text.append(str(summary.counts.get(label.name, 0)), style=f"bold {label.color}")
    return text


def compact_width(summaries: Sequence[ArticleSummary], labels: Sequence[Label]) -> int:
    longest = max((compact_counts(s, labels).cell_len for s in summaries), default=0)
    return max(longest, 2 * len(labels) - 1, 4)
