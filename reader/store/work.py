"""What a reader does with an article: its status, its progress, its undo history;
and the reader's settings (the theme).

Tables `article_work` (status new / in progress / done, progress 0-1) and
`histories` (each article's and annotator's undo and redo stacks as JSON,
bounded by the caller), added by schema version 2.
"""

from __future__ import annotations

import json
from typing import Any

from reader.errors import ReaderError
from reader.models import utc_now
from reader.store.suggestions import SuggestionQueries

STATUSES = ("new", "in progress", "done")


class WorkQueries(SuggestionQueries):
    """Status and progress per article; undo history per article and annotator."""

    def work(self) -> dict[str, tuple[str, float | None]]:
        """article id -> (status, progress or None when not yet computed)."""
        with self.read() as conn:
            rows = conn.execute("SELECT article_id, status, progress FROM article_work").fetchall()
        return {row[0]: (row[1], row[2]) for row in rows}

    def set_status(self, article_id: str, status: str) -> None:
        if status not in STATUSES:
            raise ReaderError(f"a status is one of {', '.join(STATUSES)}, not {status!r}")
        self.article(article_id)  # NotFound for an unknown article
        with self.write():
            self.conn.execute(
                "INSERT INTO article_work (article_id, status, updated_at) VALUES (?, ?, ?) "
                "ON CONFLICT (article_id) DO UPDATE SET status = excluded.status, "
                "updated_at = excluded.updated_at",
                (article_id, status, utc_now()),
            )

    def set_progress(self, article_id: str, progress: float) -> None:
        """Store the progress; a new article with annotations is then in progress."""
        status = "in progress" if progress > 0 else "new"
        with self.write():
            self.conn.execute(
                "INSERT INTO article_work (article_id, status, progress, updated_at) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (article_id) DO UPDATE SET "
                "progress = excluded.progress, updated_at = excluded.updated_at, "
                "status = CASE WHEN status = 'done' THEN 'done' ELSE excluded.status END",
                (article_id, status, progress, utc_now()),
            )

    def load_history(self, article_id: str, annotator: str) -> tuple[list[Any], list[Any]]:
        """The stored (undo, redo) stacks, oldest first; empty when none."""
        with self.read() as conn:
            row = conn.execute(
                "SELECT undo, redo FROM histories WHERE article_id = ? AND annotator = ?",
                (article_id, annotator),
            ).fetchone()
        if row is None:
            return [], []
        try:
            return list(json.loads(row[0])), list(json.loads(row[1]))
        except (ValueError, TypeError):
            return [], []  # a damaged history is forgotten, never an error

    def save_history(
        self, article_id: str, annotator: str, undo: list[Any], redo: list[Any]
    ) -> None:
        with self.write():
            self.conn.execute(
                "INSERT INTO histories (article_id, annotator, undo, redo) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (article_id, annotator) DO UPDATE SET undo = excluded.undo, "
                "redo = excluded.redo",
                (article_id, annotator, json.dumps(undo), json.dumps(redo)),
            )

    def setting(self, name: str) -> str | None:
        with self.read() as conn:
            row = conn.execute("SELECT value FROM settings WHERE name = ?", (name,)).fetchone()
        return None if row is None else str(row[0])

    def set_setting(self, name: str, value: str) -> None:
        with self.write():
            self.conn.execute(
                "INSERT INTO settings (name, value) VALUES (?, ?) "
                "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                (name, value),
            )
