"""Every live annotation of the workspace as one list a screen scrolls through.

A million annotations are never loaded at once. Opening the list (or changing a
filter) is one GROUP BY in SQLite: how many annotations of each article pass
the filter. Articles are listed by title, their annotations in reading order,
so row N is found by a bisection over the per-article counts; a page of rows
is then one range query inside one article (or two, where a page crosses from
one article to the next). Deep inside an article with many annotations the
page starts from the nearest of its anchors (every ANCHOR_EVERYth key, found
by one window query the first time it is needed) instead of stepping over all
the rows before it.
"""

from __future__ import annotations

import sqlite3
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path

from reader.errors import StoreError
from reader.store.connection import Connection, describe

ANCHOR_EVERY = 256
QUOTE_CHARS = 600  # of a quote, what a list shows at most (three rows of a wide screen)
_ROW_COLUMNS = "id, start, \"end\", label, annotator, coalesce(note, '') != '', substr(quote, 1, ?)"
_ORDER = 'ORDER BY start, "end", id'


@dataclass(frozen=True)
class AnnotationFilter:
    """Which annotations are listed: those of one label, of one annotator, whose
    quote or note contains a text (without regard to case, for ASCII letters)."""

    label: str | None = None
    annotator: str | None = None
    text: str = ""

    def sql(self, walk: bool = False) -> tuple[str, list[object]]:
        """The WHERE clause (without article_id) and its parameters. A unary + keeps a
        column from choosing an index: a count scans the covering annotations_live
        index (not annotations_label, then a lookup per row); a walk (`walk`) reads
        one article in its primary key's order rather than sort what an index found."""
        clauses = ["+deleted_at IS NULL" if walk else "deleted_at IS NULL"]
        params: list[object] = []
        if self.label is not None:
            clauses.append("+label = ?")
            params.append(self.label)
        if self.annotator is not None:
            clauses.append("+annotator = ?")
            params.append(self.annotator)
        text = self.text.strip()
        if text:
            escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            clauses.append("(quote LIKE ? ESCAPE '\\' OR note LIKE ? ESCAPE '\\')")
            params += [f"%{escaped}%", f"%{escaped}%"]
        return " AND ".join(clauses), params

    @property
    def active(self) -> bool:
        return self.label is not None or self.annotator is not None or bool(self.text.strip())


@dataclass(frozen=True)
class ListedAnnotation:
    """One row of the list: what the screen shows and what opening it needs."""

    id: str
    article_id: str
    title: str
    start: int
    end: int
    label: str
    annotator: str
    has_note: bool
    quote: str  # at most QUOTE_CHARS of it


@dataclass(frozen=True)
class Counted:
    """How many annotations of each article pass a filter, articles by title."""

    filter: AnnotationFilter
    ids: list[str]
    titles: list[str]
    counts: list[int]


def count(conn: sqlite3.Connection, wanted: AnnotationFilter) -> Counted:
    """One GROUP BY (over the annotations_live index but for a text filter), one
    read of the titles, on one snapshot of whatever connection it is given."""
    where, params = wanted.sql()
    in_transaction = conn.in_transaction
    if not in_transaction:
        conn.execute("BEGIN")
    try:
        counts = conn.execute(
            f"SELECT article_id, count(*) FROM annotations WHERE {where} GROUP BY article_id",
            params,
        ).fetchall()
        titles = dict(conn.execute("SELECT id, title FROM articles").fetchall())
    finally:
        if not in_transaction and conn.in_transaction:
            conn.execute("COMMIT")
    counts.sort(key=lambda row: (titles.get(row[0], "").casefold(), row[0]))
    return Counted(
        wanted,
        [row[0] for row in counts],
        [titles.get(row[0], "") for row in counts],
        [row[1] for row in counts],
    )


def count_apart(path: Path, wanted: AnnotationFilter) -> Counted:
    """count() on a read-only connection of its own: for a worker thread, which may
    not use the store's connection. Errors are one line (StoreError)."""
    try:
        conn = sqlite3.connect(
            f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None, timeout=5
        )
    except sqlite3.Error as exc:
        raise StoreError(describe(exc, path)) from None
    try:
        return count(conn, wanted)
    except sqlite3.Error as exc:
        raise StoreError(describe(exc, path)) from None
    finally:
        conn.close()


class WorkspaceAnnotations:
    """The live annotations passing a filter, by article title then reading order,
    addressed by row number. Counted once (or given counted); read a page at a time."""

    def __init__(
        self,
        store: Connection,
        wanted: AnnotationFilter | None = None,
        counted: Counted | None = None,
    ) -> None:
        self.store = store
        if counted is None:
            with store.read() as conn:
                counted = count(conn, wanted or AnnotationFilter())
        self.filter = counted.filter
        # Pages and anchors walk one article in key order: the filter's columns
        # are kept from choosing an index (a unary +), so the primary key is used.
        self._where, self._params = self.filter.sql(walk=True)
        self._ids, self._titles, self._counts = counted.ids, counted.titles, counted.counts
        self._firsts = [0, *accumulate(self._counts)]  # row number of each article's first
        self._position = {article_id: i for i, article_id in enumerate(self._ids)}
        self._anchors: dict[int, list[tuple[int, int, str]]] = {}

    def __len__(self) -> int:
        return self._firsts[-1]

    @property
    def titles(self) -> Sequence[str]:
        """The listed articles' titles, in list order."""
        return self._titles

    def rows(self, first: int, count: int) -> list[ListedAnnotation]:
        """Rows first .. first + count - 1 (fewer at the end, or where another
        process deleted some since the list was counted)."""
        found: list[ListedAnnotation] = []
        index = max(first, 0)
        with self.store.snapshot():
            while len(found) < count and index < len(self):
                article = bisect_right(self._firsts, index) - 1
                within = index - self._firsts[article]
                wanted = min(count - len(found), self._counts[article] - within)
                found += self._read(article, within, wanted)
                index += wanted
        return found

    def _read(self, article: int, within: int, count: int) -> list[ListedAnnotation]:
        article_id, title = self._ids[article], self._titles[article]
        after, params = "", list[object]()
        if within >= ANCHOR_EVERY:
            anchors = self._anchors_of(article)
            step = min(within // ANCHOR_EVERY, len(anchors) - 1)
            if step > 0:
                after = ' AND (start, "end", id) >= (?, ?, ?)'
                params = list(anchors[step])
                within -= step * ANCHOR_EVERY
        with self.store.read() as conn:
            rows = conn.execute(
                f"SELECT {_ROW_COLUMNS} FROM annotations WHERE article_id = ? "
                f"AND {self._where}{after} {_ORDER} LIMIT ? OFFSET ?",
                [QUOTE_CHARS, article_id, *self._params, *params, count, within],
            ).fetchall()
        return [
            ListedAnnotation(r[0], article_id, title, r[1], r[2], r[3], r[4], bool(r[5]), r[6])
            for r in rows
        ]

    def _anchors_of(self, article: int) -> list[tuple[int, int, str]]:
        """The keys of rows 0, ANCHOR_EVERY, 2 * ANCHOR_EVERY... of one article."""
        if article not in self._anchors:
            with self.store.read() as conn:
                self._anchors[article] = conn.execute(
                    'SELECT start, "end", id FROM (SELECT start, "end", id, '
                    f"row_number() OVER ({_ORDER}) - 1 AS n FROM annotations "
                    f"WHERE article_id = ? AND {self._where}) WHERE n % ? = 0 ORDER BY n",
                    [self._ids[article], *self._params, ANCHOR_EVERY],
                ).fetchall()
        return self._anchors[article]

    def index_of(self, article_id: str, start: int, end: int, annotation_id: str) -> int | None:
        """The row number of an annotation (or of the first after it in its article,
        when it no longer passes): to keep the cursor on it across a refresh."""
        article = self._position.get(article_id)
        if article is None:
            return None
        with self.store.read() as conn:
            before = conn.execute(
                f"SELECT count(*) FROM annotations WHERE article_id = ? AND {self._where} "
                'AND (start, "end", id) < (?, ?, ?)',
                [article_id, *self._params, start, end, annotation_id],
            ).fetchone()[0]
        return self._firsts[article] + min(before, max(self._counts[article] - 1, 0))


def annotators(store: Connection) -> list[str]:
    """Everyone who has a live annotation, by name."""
    with store.read() as conn:
        rows = conn.execute(
            "SELECT DISTINCT annotator FROM annotations WHERE deleted_at IS NULL ORDER BY 1"
        ).fetchall()
    return [row[0] for row in rows]
