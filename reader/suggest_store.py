"""Decisions on suggested tags, and what they teach: every SQL statement of it.

One table, `suggestion_decisions`, one row per accept or reject, with the span, the
label suggested, the label chosen, the score and the cues that fired (a JSON array,
so Datasette and `json_each` read it as it is). From it:

- a cue's weight in this workspace: `learned_weight(prior, accepts, fires)`, where
  fires counts the decided suggestions the cue supported and accepts those taken
  with the label suggested (one taken with another label, "relabel", counts as a
  fire without an accept: the span was worth a tag, the cue's label was not);
- the rejected suggestions of an article, `(start, end, label)`, never suggested
  again (`reader.suggest.suggestions(..., rejected=...)`).

`create_tables` makes the table if it is missing (the store's migration will own
it); reading functions treat a database without it as one without decisions, so
read-only commands never write. An accepted suggestion becomes an ordinary
annotation with origin `suggested` (`accept` below does both steps).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reader.errors import NotFound, ReaderError
from reader.models import Annotation, utc_now
from reader.store import Store
from reader.suggest import Suggestion, learned_weight
from reader.suggest_cues import CueSet, load_cues

if TYPE_CHECKING:
    from reader.history import Change, History

TABLE = "suggestion_decisions"
OUTCOMES = ("accept", "relabel", "reject")

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS {TABLE} (
    id INTEGER PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    label TEXT NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('accept', 'relabel', 'reject')),
    chosen_label TEXT,
    score REAL NOT NULL,
    cues TEXT NOT NULL,
    annotator TEXT NOT NULL,
    decided_at TEXT NOT NULL,
    CHECK (start >= 0 AND "end" > start)
);
CREATE INDEX IF NOT EXISTS {TABLE}_span ON {TABLE} (article_id, start, "end");
"""


@dataclass(frozen=True)
class CueStats:
    """How one cue fared in this workspace."""

    name: str
    label: str
    prior: float | None  # None: the cue is no longer in the cue file
    fires: int
    accepts: int
    relabels: int
    rejects: int

    @property
    def weight(self) -> float | None:
        if self.prior is None:
            return None
        return learned_weight(self.prior, self.accepts, self.fires)


def create_tables(store: Store) -> None:
    """The decisions table and its index, if they are missing."""
    with store.write():
        for statement in _SCHEMA.split(";"):
            if statement.strip():
                store.conn.execute(statement)


def _has_table(store: Store) -> bool:
    with store.read() as conn:
        row = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (TABLE,)
        ).fetchone()
    return row is not None


# -- decisions ---------------------------------------------------------------------


def record_decision(
    store: Store,
    article_id: str,
    suggestion: Suggestion,
    accepted: bool,
    label: str | None = None,
    *,
    annotator: str = "",
) -> int:
    """Store an accept (with `label`, the suggestion's own by default) or a reject of
    `suggestion`; returns the decision's id (for forget_decision, on undo)."""
    chosen = (label or suggestion.label) if accepted else None
    outcome = "reject" if not accepted else "accept" if chosen == suggestion.label else "relabel"
    with store.write():
        create_tables(store)  # nested: a savepoint in this transaction
        with store.read() as conn:
            row = conn.execute(
                "SELECT length(text) FROM articles WHERE id = ?", (article_id,)
            ).fetchone()
        if row is None:
            raise NotFound(f"no article with id {article_id}")
        if not 0 <= suggestion.start < suggestion.end <= row[0]:
            raise ReaderError(
                f"span {suggestion.start}-{suggestion.end} is outside the article (0-{row[0]})"
            )
        if chosen is not None:
            store.label(chosen)  # an unknown label is an error, as for any tag
        cursor = store.conn.execute(
            f'INSERT INTO {TABLE} (article_id, start, "end", label, outcome, chosen_label, '
            "score, cues, annotator, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                article_id,
                suggestion.start,
                suggestion.end,
                suggestion.label,
                outcome,
                chosen,
                float(suggestion.score),
                json.dumps(list(suggestion.cues), ensure_ascii=False),
                annotator,
                utc_now(),
            ),
        )
    return int(cursor.lastrowid or 0)


def forget_decision(store: Store, decision_id: int) -> None:
    """Take a decision back (undo): as if it had never been made."""
    if not _has_table(store):
        return
    with store.write():
        store.conn.execute(f"DELETE FROM {TABLE} WHERE id = ?", (decision_id,))


def accept(
    history: History, suggestion: Suggestion, label: str | None = None
) -> tuple[Change | None, Annotation, int]:
    """Tag the suggestion's span (undoable, origin `suggested`), then record the
    accept. Two commits in that order: should the second fail, the tag the reader
    asked for is kept and only the lesson is lost."""
    chosen = label or suggestion.label
    change, annotation = history.tag(suggestion.start, suggestion.end, chosen, origin="suggested")
    decision = record_decision(
        history.store,
        history.article.id,
        suggestion,
        True,
        chosen,
        annotator=history.annotator,
    )
    return change, annotation, decision


def reject(store: Store, article_id: str, suggestion: Suggestion, annotator: str = "") -> int:
    """Record a reject: (article, span, label) is not suggested again."""
    return record_decision(store, article_id, suggestion, False, annotator=annotator)


# -- what the decisions teach ------------------------------------------------------


def load_rejected(store: Store, article_id: str) -> set[tuple[int, int, str]]:
    """(start, end, label) of every rejected suggestion of the article."""
    if not _has_table(store):
        return set()
    with store.read() as conn:
        rows = conn.execute(
            f'SELECT start, "end", label FROM {TABLE} WHERE article_id = ? AND outcome = ?',
            (article_id, "reject"),
        ).fetchall()
    return {(start, end, label) for start, end, label in rows}


def cue_stats(store: Store, cues: CueSet | None = None) -> list[CueStats]:
    """Every cue of the cue file (in its order), then cues met only in decisions."""
    cue_set = cues if cues is not None else load_cues()
    counts: dict[str, tuple[str, int, int, int, int]] = {}
    if _has_table(store):
        with store.read() as conn:
            rows = conn.execute(
                f"SELECT c.value, min(d.label), count(*), sum(d.outcome = 'accept'), "
                "sum(d.outcome = 'relabel'), sum(d.outcome = 'reject') "
                f"FROM {TABLE} AS d, json_each(d.cues) AS c "
                "WHERE json_valid(d.cues) GROUP BY c.value"
            ).fetchall()
        counts = {str(r[0]): (r[1], r[2], r[3], r[4], r[5]) for r in rows}
    stats = []
    for cue in cue_set:
        _, fires, accepts, relabels, rejects = counts.pop(cue.name, (cue.label, 0, 0, 0, 0))
        stats.append(CueStats(cue.name, cue.label, cue.weight, fires, accepts, relabels, rejects))
    for name, (label, fires, accepts, relabels, rejects) in sorted(counts.items()):
        stats.append(CueStats(name, label, None, fires, accepts, relabels, rejects))
    return stats


def load_weights(store: Store, cues: CueSet | None = None) -> dict[str, float]:
    """Each cue's weight in this workspace (its prior until decisions say otherwise)."""
    return {s.name: s.weight for s in cue_stats(store, cues) if s.weight is not None}


def load_for_article(
    store: Store, article_id: str, cues: CueSet | None = None
) -> tuple[dict[str, float], set[tuple[int, int, str]]]:
    """What `reader.suggest.suggestions` needs for one article: weights, rejections."""
    return load_weights(store, cues), load_rejected(store, article_id)


def decisions(store: Store, article_ids: Iterable[str] | None = None) -> list[dict[str, object]]:
    """The stored decisions, oldest first (for tests and for export by the lead)."""
    if not _has_table(store):
        return []
    sql = (
        f'SELECT id, article_id, start, "end", label, outcome, chosen_label, score, cues, '
        f"annotator, decided_at FROM {TABLE}"
    )
    params: list[str] = []
    if article_ids is not None:
        wanted = list(article_ids)
        sql += " WHERE article_id IN (SELECT value FROM json_each(?))"
        params.append(json.dumps(wanted))
    with store.read() as conn:
        cursor = conn.execute(sql + " ORDER BY id", params)
        names = [d[0] for d in cursor.description]
        rows = cursor.fetchall()
    return [dict(zip(names, row, strict=True)) for row in rows]
