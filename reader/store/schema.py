"""The schema: its tables, its version, and the forward migrations to it.

A database from a newer version is refused before anything (WAL included)
touches the file; one from an older version is migrated in one transaction.
sqlite-utils is used here, and only here: for the full-text index and its
triggers, on the first opening of a new database.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

from reader.errors import StoreError
from reader.labels import DEFAULT_LABELS

SCHEMA_VERSION = 4
# The oldest version this reader can still read as it is when it cannot migrate
# (a read-only file): versions since then only added tables, and the code that
# reads those tables treats a missing one as empty.
READABLE_FROM = 1
COUNTS_FROM = 4  # the first version with annotation_counts (older: count the annotations)
DECISIONS_TABLE = "suggestion_decisions"

_SCHEMA_V1 = """
CREATE TABLE articles (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    source TEXT,
    url TEXT,
    published TEXT,
    path TEXT,
    format TEXT NOT NULL,
    text TEXT NOT NULL,
    styles TEXT NOT NULL DEFAULT '[]',
    sha256 TEXT NOT NULL,
    words INTEGER NOT NULL,
    imported_at TEXT NOT NULL
);
CREATE TABLE annotations (
    id TEXT NOT NULL UNIQUE,
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    quote TEXT NOT NULL,
    prefix TEXT NOT NULL,
    suffix TEXT NOT NULL,
    label TEXT NOT NULL,
    note TEXT,
    annotator TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    origin TEXT NOT NULL DEFAULT 'manual',
    deleted_at TEXT,
    CHECK (start >= 0 AND "end" > start),
    -- Stored in reading order, the order of every listing and of the export:
    -- an article's annotations are one range scan, and a million-line export
    -- reads the table front to back instead of sorting it.
    PRIMARY KEY (article_id, start, "end", id)
) WITHOUT ROWID;
CREATE TABLE labels (
    name TEXT PRIMARY KEY,
    key TEXT UNIQUE,
    color TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL
);
"""


# Version 2: decisions on suggested tags (reader.store.suggestions). IF NOT EXISTS:
# a database used by the first suggest branch made the table itself.
_SCHEMA_V2 = f"""
CREATE TABLE IF NOT EXISTS {DECISIONS_TABLE} (
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
CREATE INDEX IF NOT EXISTS {DECISIONS_TABLE}_span ON {DECISIONS_TABLE} (article_id, start, "end");
"""

# Version 3: what a reader does with an article (issue 9). Its own tables, so the
# articles table and its full-text triggers stay as they are.
_SCHEMA_V3 = """
CREATE TABLE article_work (
    article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    status TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'in progress', 'done')),
    -- share of the sentences touched by a live annotation (NULL: not yet computed)
    progress REAL,
    updated_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE histories (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    annotator TEXT NOT NULL,
    undo TEXT NOT NULL DEFAULT '[]',  -- JSON lists of changes, oldest first, bounded
    redo TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (article_id, annotator)
) WITHOUT ROWID;
CREATE TABLE settings (
    name TEXT PRIMARY KEY,  -- e.g. theme
    value TEXT NOT NULL
) WITHOUT ROWID;
"""


# Version 4: annotation counts kept by SQLite itself, per (article, label,
# annotator, live), so the library, `reader list` and `reader stats` read a few
# hundred rows, not a million annotations; kept by triggers, so merges, imports
# and other processes keep them too. Every write of an annotation is an INSERT
# OR REPLACE, and whether SQLite's REPLACE fires DELETE triggers depends on a
# per-connection pragma (recursive_triggers: off by default, on wherever
# sqlite-utils opened the database), so the BEFORE INSERT trigger deletes the row
# of the same id itself, which fires the DELETE trigger either way; REPLACE then
# finds no conflict (the id is in the key: every conflict is on the same id).
_SCHEMA_V4 = """
CREATE TABLE annotation_counts (
    article_id TEXT NOT NULL,
    label TEXT NOT NULL,
    annotator TEXT NOT NULL,
    live INTEGER NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (article_id, label, annotator, live)
) WITHOUT ROWID;
CREATE TRIGGER annotation_counts_replaced BEFORE INSERT ON annotations BEGIN
    DELETE FROM annotations WHERE id = NEW.id;
END;
CREATE TRIGGER annotation_counts_inserted AFTER INSERT ON annotations BEGIN
    INSERT INTO annotation_counts
    VALUES (NEW.article_id, NEW.label, NEW.annotator, NEW.deleted_at IS NULL, 1)
    ON CONFLICT DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER annotation_counts_deleted AFTER DELETE ON annotations BEGIN
    UPDATE annotation_counts SET n = n - 1
    WHERE article_id = OLD.article_id AND label = OLD.label
    AND annotator = OLD.annotator AND live = (OLD.deleted_at IS NULL);
END;
CREATE TRIGGER annotation_counts_updated
AFTER UPDATE OF article_id, label, annotator, deleted_at ON annotations BEGIN
    UPDATE annotation_counts SET n = n - 1
    WHERE article_id = OLD.article_id AND label = OLD.label
    AND annotator = OLD.annotator AND live = (OLD.deleted_at IS NULL);
    INSERT INTO annotation_counts
    VALUES (NEW.article_id, NEW.label, NEW.annotator, NEW.deleted_at IS NULL, 1)
    ON CONFLICT DO UPDATE SET n = n + 1;
END;
INSERT INTO annotation_counts
SELECT article_id, label, annotator, deleted_at IS NULL, count(*) FROM annotations
GROUP BY article_id, label, annotator, deleted_at IS NULL;
-- The library's listing from an index alone: the table's rows hold each text,
-- and `words` comes after it (a scan walked every text's overflow pages).
CREATE INDEX articles_listing ON articles (title COLLATE NOCASE, id, source, published, words);
"""


def check_version(conn: sqlite3.Connection, path: Path) -> int:
    """The database's schema version; StoreError for a newer or a foreign database."""
    version: int = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{path} was written by a newer reader (schema {version}; this one "
            f"knows up to {SCHEMA_VERSION}); upgrade reader to open it"
        )
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if version == 0 and tables - {"sqlite_sequence"}:
        raise StoreError(f"{path} is a SQLite database, but not a reader database")
    return version


def migrate(
    conn: sqlite3.Connection,
    version: int,
    transaction: Callable[[], AbstractContextManager[None]],
) -> None:
    """From `version` up to SCHEMA_VERSION, in one transaction."""
    with transaction():
        while version < SCHEMA_VERSION:
            MIGRATIONS[version](conn)
            version += 1
            conn.execute(f"PRAGMA user_version = {version}")


def _migrate_0_to_1(conn: sqlite3.Connection) -> None:
    import sqlite_utils  # 60-200 ms to import: only a new database needs it

    for statement in _SCHEMA_V1.split(";"):
        if statement.strip():
            conn.execute(statement)
    db = sqlite_utils.Database(conn)
    db.table("articles").enable_fts(
        ["title", "text"], fts_version="FTS5", create_triggers=True, replace=True
    )
    db.table("labels").insert_all(
        [label.__dict__ for label in DEFAULT_LABELS], pk="name", alter=False
    )


def _migrate_1_to_2(conn: sqlite3.Connection) -> None:
    for statement in _SCHEMA_V2.split(";"):
        if statement.strip():
            conn.execute(statement)


def _migrate_2_to_3(conn: sqlite3.Connection) -> None:
    for statement in _SCHEMA_V3.split(";"):
        if statement.strip():
            conn.execute(statement)


def _migrate_3_to_4(conn: sqlite3.Connection) -> None:
    for statement in _statements(_SCHEMA_V4):
        conn.execute(statement)


def _statements(script: str) -> list[str]:
    """A script's statements, a trigger's body kept whole."""
    found: list[str] = []
    current = ""
    for piece in script.split(";"):
        current = f"{current};{piece}" if current else piece
        if sqlite3.complete_statement(current + ";"):
            if current.strip():
                found.append(current)
            current = ""
    return found


MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {
    0: _migrate_0_to_1,
    1: _migrate_1_to_2,
    2: _migrate_2_to_3,
    3: _migrate_3_to_4,
}
