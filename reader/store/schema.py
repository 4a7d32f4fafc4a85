"""The schema: its tables, its version, and the forward migrations to it.

A database from a newer version is refused before anything (WAL included)
touches the file; one from an older version is migrated in one transaction.
sqlite-utils is used here, and only here: for the full-text index and its
triggers, on the first opening of a new database.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

from reader.errors import StoreError
from reader.labels import DEFAULT_LABELS, next_color

SCHEMA_VERSION = 7
# The oldest version this reader can still read as it is when it cannot migrate
# (a read-only file): versions since then only added tables, and the code that
# reads those tables treats a missing one as empty.
READABLE_FROM = 1
COUNTS_FROM = 4  # the first version with annotation_counts (older: count the annotations)
DECISIONS_TABLE = "suggestion_decisions"
AUTHOR_SINCE = 5  # the version that added articles.author: older files read it as NULL

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
    if version > 0 and not {"articles", "annotations", "labels"} <= tables:
        # another program's database that happens to set user_version
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


# Version 5 (issue 14): articles get an author; annotations.label references
# labels.name (ON UPDATE CASCADE: a rename is one statement, no annotation can
# name an unknown label; Datasette links them). SQLite cannot add a foreign key
# to a table, so annotations is rebuilt: its CREATE statement as stored with the
# reference added, every row copied, its indexes and triggers (and any view)
# made again as they were. Self-contained: it reads what the file has, not what
# earlier migrations are supposed to have made.
_LABEL_COLUMN = re.compile(r"(\blabel\s+TEXT\s+NOT\s+NULL)(?!\s+REFERENCES)", re.IGNORECASE)
_LABEL_REFERENCE = " REFERENCES labels(name) ON UPDATE CASCADE"


def _migrate_4_to_5(conn: sqlite3.Connection) -> None:
    if "author" not in _columns(conn, "articles"):
        conn.execute("ALTER TABLE articles ADD COLUMN author TEXT")
    table_sql = conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'annotations'"
    ).fetchone()[0]
    if "REFERENCES labels" not in table_sql:
        _adopt_unknown_labels(conn)
        _rebuild_annotations(conn, table_sql)
    # the child key of the reference: a rename or removal of a label finds its
    # annotations without scanning them all (the annotations screen filters by it)
    conn.execute("CREATE INDEX IF NOT EXISTS annotations_label ON annotations (label)")
    # The workspace's annotations screen counts what a filter keeps per article from
    # this index alone (140 ms instead of 440 at a million annotations).
    conn.execute(
        "CREATE INDEX IF NOT EXISTS annotations_live "
        "ON annotations (article_id, deleted_at, label, annotator)"
    )
    problems = conn.execute("PRAGMA foreign_key_check(annotations)").fetchall()
    if problems:  # not expected: the rows were checked as they were copied
        raise StoreError(f"{len(problems)} annotations name a missing article or label")


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]


def _adopt_unknown_labels(conn: sqlite3.Connection) -> None:
    """Every label an annotation names, tombstones included, made a label: a name
    that differs from a label's only in case becomes that label (names are unique
    without regard to case, as merge maps them); any other becomes a label of its
    own without a key (`labels remove` used to leave the deleted annotations of a
    removed label behind)."""
    known = {row[0] for row in conn.execute("SELECT name FROM labels")}
    folded = {name.casefold(): name for name in sorted(known)}
    unknown = [
        row[0]
        for row in conn.execute(
            "SELECT DISTINCT label FROM annotations WHERE label NOT IN (SELECT name FROM labels) "
            "ORDER BY label"
        )
    ]
    position = conn.execute("SELECT coalesce(max(position), 0) FROM labels").fetchone()[0]
    for name in unknown:
        same = folded.get(name.casefold())
        if same is None:
            position += 1
            conn.execute(
                "INSERT INTO labels (name, key, color, description, position) "
                "VALUES (?, NULL, ?, '', ?)",
                (name, next_color(len(known)), position),
            )
            known.add(name)
            folded[name.casefold()] = name
        else:
            conn.execute("UPDATE annotations SET label = ? WHERE label = ?", (same, name))


def _rebuild_annotations(conn: sqlite3.Connection, table_sql: str) -> None:
    new_sql, found = _LABEL_COLUMN.subn(r"\1" + _LABEL_REFERENCE, table_sql, count=1)
    if not found:
        raise StoreError("cannot migrate the annotations table: it has no label column")
    kept = conn.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND ("
        "(type IN ('index', 'trigger') AND tbl_name = 'annotations') OR type = 'view') "
        "ORDER BY type = 'view', name"
    ).fetchall()
    for kind, name, _ in kept:
        if kind == "view":  # a view naming the old table would stop the rename
            conn.execute(f'DROP VIEW "{name}"')
    new_sql = re.sub(
        r"^\s*CREATE\s+TABLE\s+(?:\"annotations\"|annotations)",
        "CREATE TABLE annotations_rebuilt",
        new_sql,
        count=1,
        flags=re.IGNORECASE,
    )
    conn.execute(new_sql)
    columns = ", ".join(f'"{name}"' for name in _columns(conn, "annotations"))
    # An annotation of a missing article (written with foreign keys off, by another
    # tool) could never be shown or exported, and the new table refuses it.
    conn.execute(
        f"INSERT INTO annotations_rebuilt ({columns}) SELECT {columns} FROM annotations "
        "WHERE article_id IN (SELECT id FROM articles)"
    )
    conn.execute("DROP TABLE annotations")  # its indexes and triggers go with it
    conn.execute("ALTER TABLE annotations_rebuilt RENAME TO annotations")
    for _, _, sql in kept:
        conn.execute(sql)
    if "annotation_counts" in _tables(conn):
        # the copy bypassed the count triggers, and rows of missing articles were left
        # out: the counts are made again from what the table holds now
        conn.execute("DELETE FROM annotation_counts")
        conn.execute(
            "INSERT INTO annotation_counts SELECT article_id, label, annotator, "
            "deleted_at IS NULL, count(*) FROM annotations "
            "GROUP BY article_id, label, annotator, deleted_at IS NULL"
        )


def _tables(conn: sqlite3.Connection) -> set[str]:
    return {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


PASSAGE_TABLES = ("passage_articles", "passages", "passage_vocabulary", "passage_postings")

# Issue 11: the library-wide passage index (reader.store.passages).
_SCHEMA_PASSAGES = """
CREATE TABLE passage_articles (
    article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    passages INTEGER NOT NULL
);
CREATE TABLE passages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    terms TEXT NOT NULL
);
CREATE INDEX passages_by_article ON passages(article_id, start);
CREATE TABLE passage_vocabulary (
    term TEXT PRIMARY KEY,
    df INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE passage_postings (
    term TEXT NOT NULL,
    first_id INTEGER NOT NULL,
    offsets BLOB NOT NULL,
    PRIMARY KEY (term, first_id)
) WITHOUT ROWID;
"""


def migrate_passage_index(conn: sqlite3.Connection) -> None:
    """5 -> 6: the passage index.

    A database used by the first align branch made its own index tables lazily,
    with one posting row per term and passage: they are dropped (the index is
    derived data; `reader.passage_store.ensure_indexed` rebuilds it)."""
    for table in ("passage_terms", *reversed(PASSAGE_TABLES)):
        conn.execute(f"DROP TABLE IF EXISTS {table}")
    for statement in _SCHEMA_PASSAGES.split(";"):
        if statement.strip():
            conn.execute(statement)


def _migrate_6_to_7(conn: sqlite3.Connection) -> None:
    # The library's listing from an index alone: the table's rows hold each text,
    # and `words` comes after it (a scan walked every text's overflow pages).
    conn.execute(
        "CREATE INDEX IF NOT EXISTS articles_listing "
        "ON articles (title COLLATE NOCASE, id, source, published, words)"
    )


MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {
    0: _migrate_0_to_1,
    1: _migrate_1_to_2,
    2: _migrate_2_to_3,
    3: _migrate_3_to_4,
    4: _migrate_4_to_5,
    5: migrate_passage_index,
    6: _migrate_6_to_7,
}
