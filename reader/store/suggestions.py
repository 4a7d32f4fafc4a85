"""The suggestion_decisions table: every accept and reject of a suggested tag.

One row per decision, with the span, the label suggested, the outcome, the label
chosen, the score and the cues that fired (a JSON array, so Datasette and
`json_each` read it as it is). The table is made by the schema's migration to
version 2; a database still at version 1 (opened read-only, so it could not be
migrated) has no table, and every read here then answers "no decisions", so a
read never writes. What the decisions mean (weights, rejections) is
reader.suggest_store's.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

from reader.errors import NotFound, ReaderError
from reader.models import utc_now
from reader.store.export import ExportQueries
from reader.store.schema import DECISIONS_TABLE as TABLE

OUTCOMES = ("accept", "relabel", "reject")
# cue -> (label suggested, fires, accepts, relabels, rejects)
CueCounts = dict[str, tuple[str, int, int, int, int]]


class SuggestionQueries(ExportQueries):
    """Decisions on suggestions: recorded, forgotten (undo), counted per cue."""

    def has_decisions_table(self) -> bool:
        with self.read() as conn:
            row = conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (TABLE,)
            ).fetchone()
        return row is not None

    def record_decision(
        self,
        article_id: str,
        span: tuple[int, int],
        label: str,
        outcome: str,
        chosen_label: str | None,
        score: float,
        cues: Sequence[str],
        annotator: str,
    ) -> int:
        """Store one decision (checked: the article, the span, the chosen label); its id."""
        if outcome not in OUTCOMES:
            raise ReaderError(f"a decision is one of {', '.join(OUTCOMES)}, not {outcome!r}")
        start, end = span
        with self.write():
            with self.read() as conn:
                row = conn.execute(
                    "SELECT length(text) FROM articles WHERE id = ?", (article_id,)
                ).fetchone()
            if row is None:
                raise NotFound(f"no article with id {article_id}")
            if not 0 <= start < end <= row[0]:
                raise ReaderError(f"span {start}-{end} is outside the article (0-{row[0]})")
            if chosen_label is not None:
                self.label(chosen_label)  # an unknown label is an error, as for any tag
            cursor = self.conn.execute(
                f'INSERT INTO {TABLE} (article_id, start, "end", label, outcome, chosen_label, '
                "score, cues, annotator, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    article_id,
                    start,
                    end,
                    label,
                    outcome,
                    chosen_label,
                    float(score),
                    json.dumps(list(cues), ensure_ascii=False),
                    annotator,
                    utc_now(),
                ),
            )
        return int(cursor.lastrowid or 0)

    def forget_decision(self, decision_id: int) -> None:
        """Delete one decision, as if it had never been made (a missing one: nothing)."""
        if not self.has_decisions_table():
            return
        with self.write():
            self.conn.execute(f"DELETE FROM {TABLE} WHERE id = ?", (decision_id,))

    def rejected_suggestions(self, article_id: str) -> set[tuple[int, int, str]]:
        """(start, end, label) of every rejected suggestion of the article."""
        if not self.has_decisions_table():
            return set()
        with self.read() as conn:
            rows = conn.execute(
                f'SELECT start, "end", label FROM {TABLE} WHERE article_id = ? AND outcome = ?',
                (article_id, "reject"),
            ).fetchall()
        return {(start, end, label) for start, end, label in rows}

    def cue_decision_counts(self) -> CueCounts:
        """Per cue named in any decision: (label, fires, accepts, relabels, rejects)."""
        if not self.has_decisions_table():
            return {}
        with self.read() as conn:
            rows = conn.execute(
                f"SELECT c.value, min(d.label), count(*), sum(d.outcome = 'accept'), "
                "sum(d.outcome = 'relabel'), sum(d.outcome = 'reject') "
                f"FROM {TABLE} AS d, json_each(d.cues) AS c "
                "WHERE json_valid(d.cues) GROUP BY c.value"
            ).fetchall()
        return {str(r[0]): (r[1], r[2], r[3], r[4], r[5]) for r in rows}

    def suggestion_decisions(
        self, article_ids: Iterable[str] | None = None
    ) -> list[dict[str, object]]:
        """The stored decisions as dicts of their columns, oldest first."""
        if not self.has_decisions_table():
            return []
        sql = (
            f'SELECT id, article_id, start, "end", label, outcome, chosen_label, score, cues, '
            f"annotator, decided_at FROM {TABLE}"
        )
        params: list[str] = []
        if article_ids is not None:
            sql += " WHERE article_id IN (SELECT value FROM json_each(?))"
            params.append(json.dumps(list(article_ids)))
        with self.read() as conn:
            cursor = conn.execute(sql + " ORDER BY id", params)
            names = [d[0] for d in cursor.description]
            rows = cursor.fetchall()
        return [dict(zip(names, row, strict=True)) for row in rows]
