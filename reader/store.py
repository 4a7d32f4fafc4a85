"""The SQLite store: schema, migrations and every query the CLI and TUI need.

Tables are plain enough for Datasette or `sqlite-utils` to browse as they are.
Every public method that writes is one transaction (BEGIN IMMEDIATE, so two
processes on one database queue for the lock instead of failing half-way), and
has committed when it returns: the screen may then show the action as done.
SQLite errors a user can meet (locked, read-only, full disk, not a database)
become a StoreError with one line saying what happened.
"""

from __future__ import annotations

import contextlib
import functools
import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.errors import NotFound, ReaderError, StoreError
from reader.models import (
    Annotation,
    Article,
    ArticleSummary,
    Label,
    SearchHit,
    Style,
    utc_now,
)

if TYPE_CHECKING:
    import sqlite_utils

SCHEMA_VERSION = 1
BUSY_TIMEOUT_S = 5.0

# Okabe-Ito: told apart with every common colour-vision deficiency.
PALETTE = ["#56B4E9", "#E69F00", "#CC79A7", "#009E73", "#F0E442", "#D55E00", "#0072B2"]
DEFAULT_LABELS = [
    Label("claim", "1", PALETTE[0], "A statement presented as fact, that can be checked", 1),
    Label("opinion", "2", PALETTE[1], "A judgement or view of the writer or a source", 2),
    Label("speculation", "3", PALETTE[2], "A guess about what may happen or be true", 3),
]
LABEL_KEYS = "123456789"
LABEL_NAME_MAX = 40
_UNSET = object()  # "not given", where None means "clear the note"

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

_ARTICLE_COLUMNS = (
    "id, title, source, url, published, path, format, text, styles, sha256, words, imported_at"
)
_ANNOTATION_COLUMNS = (
    'id, article_id, start, "end", quote, prefix, suffix, label, note, annotator, '
    "created_at, updated_at, origin, deleted_at"
)


def _new_id() -> str:
    import uuid  # 4 ms of start-up, needed at the first tag

    return str(uuid.uuid4())


def article_id_for(text: str) -> tuple[str, str]:
    """(id, sha256) of a text: the same article has the same id on every machine."""
    import hashlib  # here: only importing needs it, not the TUI's start

    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return digest[:12], digest


def describe(exc: sqlite3.Error, path: Path) -> str:
    """One line for the user: what a SQLite error means for the database at path."""
    message = str(exc)
    lowered = message.lower()
    if "locked" in lowered or "busy" in lowered:
        return f"the database {path} is locked by another program; try again"
    if "readonly" in lowered or "read-only" in lowered:
        return f"the database {path} is read-only; nothing was changed"
    if "disk is full" in lowered or "database or disk is full" in lowered:
        return f"the disk holding {path} is full; nothing was changed"
    if "not a database" in lowered or "malformed" in lowered:
        return f"{path} is not a reader database or is corrupt ({message})"
    if "unable to open" in lowered:
        return f"cannot open the database {path} ({message})"
    return f"database error on {path}: {message}"


class Store:
    """One open database. Not thread-safe: one Store per thread or process."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        memory = str(path) == ":memory:"
        if not memory:
            self.path = self.path.expanduser()
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"cannot create {self.path.parent}: {exc.strerror}") from None
        try:
            conn = sqlite3.connect(
                str(path) if memory else str(self.path),
                timeout=BUSY_TIMEOUT_S,
                isolation_level=None,  # we issue BEGIN/COMMIT ourselves
                check_same_thread=False,
            )
            self.conn = conn
            self._prepare()
        except sqlite3.Error as exc:
            with contextlib.suppress(Exception):
                self.conn.close()
            raise StoreError(describe(exc, self.path)) from None

    @functools.cached_property
    def db(self) -> sqlite_utils.Database:
        """sqlite-utils over the same connection, for schema work and edits.

        Imported on first use: it takes 60-200 ms to import (more where numpy
        is installed), and opening the library must not wait for it."""
        import sqlite_utils

        return sqlite_utils.Database(self.conn)

    # -- opening and migrating --------------------------------------------

    def _prepare(self) -> None:
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            # Refused before anything (WAL included) touches the file.
            raise StoreError(
                f"{self.path} was written by a newer reader (schema {version}; this one "
                f"knows up to {SCHEMA_VERSION}); upgrade reader to open it"
            )
        tables = {
            row[0] for row in self.conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        if version == 0 and tables - {"sqlite_sequence"}:
            raise StoreError(f"{self.path} is a SQLite database, but not a reader database")
        self.conn.execute("PRAGMA foreign_keys = ON")
        self.conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        if version < SCHEMA_VERSION:
            self._migrate(version)
        if str(self.path) != ":memory:":
            mode = self.conn.execute("PRAGMA journal_mode").fetchone()[0]
            if mode != "wal":
                self.conn.execute("PRAGMA journal_mode = WAL")
        # WAL makes a commit an append, not an fsync of the whole file; with
        # synchronous=NORMAL a committed action survives a crash of reader
        # (kill -9); only a power cut can lose the last transactions.
        self.conn.execute("PRAGMA synchronous = NORMAL")

    def _migrate(self, version: int) -> None:
        migrations = {0: self._migrate_0_to_1}
        with self.write():
            while version < SCHEMA_VERSION:
                migrations[version]()
                version += 1
                self.conn.execute(f"PRAGMA user_version = {version}")

    def _migrate_0_to_1(self) -> None:
        for statement in _SCHEMA_V1.split(";"):
            if statement.strip():
                self.conn.execute(statement)
        self.db["articles"].enable_fts(
            ["title", "text"], fts_version="FTS5", create_triggers=True, replace=True
        )
        self.db["labels"].insert_all(
            [label.__dict__ for label in DEFAULT_LABELS], pk="name", alter=False
        )

    @contextlib.contextmanager
    def write(self) -> Iterator[None]:
        """One transaction; SQLite errors become one-line StoreErrors."""
        try:
            if self.conn.in_transaction:  # nested: a savepoint in the outer transaction
                self.conn.execute("SAVEPOINT nested")
                try:
                    yield
                except BaseException:
                    if self.conn.in_transaction:  # SQLite may have rolled back already
                        self.conn.execute("ROLLBACK TO nested")
                        self.conn.execute("RELEASE nested")
                    raise
                self.conn.execute("RELEASE nested")
                return
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                # SQLite may have rolled back already (e.g. a read-only file);
                # a second ROLLBACK would hide the real error behind its own.
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")
        except sqlite3.Error as exc:
            if self.conn.in_transaction:
                with contextlib.suppress(sqlite3.Error):
                    self.conn.execute("ROLLBACK")
            raise StoreError(describe(exc, self.path)) from None

    @contextlib.contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        try:
            yield self.conn
        except sqlite3.Error as exc:
            raise StoreError(describe(exc, self.path)) from None

    @contextlib.contextmanager
    def snapshot(self) -> Iterator[sqlite3.Connection]:
        """Several reads that see one state of the database, whatever other
        processes commit meanwhile (a read transaction; WAL lets writers go on)."""
        with self.read() as conn:
            if conn.in_transaction:
                yield conn
                return
            conn.execute("BEGIN")
            try:
                yield conn
            finally:
                if conn.in_transaction:
                    conn.execute("COMMIT")

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- articles ---------------------------------------------------------

    def add_articles(self, articles: Iterable[Article]) -> list[tuple[Article, bool]]:
        """Insert articles in one transaction; (article, True if new) for each.

        An article whose text is already stored is left as it is (its id is
        the hash of its text), which makes importing idempotent.
        """
        results = []
        now = utc_now()
        with self.write():
            for article in articles:
                if not article.imported_at:
                    article = replace(article, imported_at=now)
                cursor = self.conn.execute(
                    f"INSERT OR IGNORE INTO articles ({_ARTICLE_COLUMNS}) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        article.id,
                        article.title,
                        article.source,
                        article.url,
                        article.published,
                        article.path,
                        article.format,
                        article.text,
                        json.dumps([s.to_json() for s in article.styles], ensure_ascii=False),
                        article.sha256,
                        article.words,
                        article.imported_at,
                    ),
                )
                results.append((article, cursor.rowcount == 1))
        return results

    def article_count(self) -> int:
        with self.read() as conn:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]

    def article(self, article_id: str) -> Article:
        with self.read() as conn:
            row = conn.execute(
                f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id = ?", (article_id,)
            ).fetchone()
        if row is None:
            raise NotFound(f"no article with id {article_id}")
        return _article(row)

    def articles(self) -> list[ArticleSummary]:
        """Every article without its text, with live annotation counts, by title."""
        counts = self.label_counts()
        with self.read() as conn:
            rows = conn.execute(
                "SELECT id, title, source, published, words FROM articles "
                "ORDER BY title COLLATE NOCASE, id"
            ).fetchall()
        return [ArticleSummary(r[0], r[1], r[2], r[3], r[4], counts.get(r[0], {})) for r in rows]

    def label_counts(self) -> dict[str, dict[str, int]]:
        with self.read() as conn:
            rows = conn.execute(
                "SELECT article_id, label, count(*) FROM annotations "
                "WHERE deleted_at IS NULL GROUP BY article_id, label"
            ).fetchall()
        counts: dict[str, dict[str, int]] = {}
        for article_id, label, count in rows:
            counts.setdefault(article_id, {})[label] = count
        return counts

    def find_article(self, ref: str) -> Article:
        """An article by id, unique id prefix, or unique title substring."""
        ref = ref.strip()
        if not ref:
            raise NotFound("no article given")
        with self.read() as conn:
            rows = conn.execute(
                "SELECT id, title FROM articles WHERE id = ?", (ref.lower(),)
            ).fetchall()
            if not rows:
                rows = conn.execute(
                    "SELECT id, title FROM articles WHERE id LIKE ? ESCAPE '\\'",
                    (_like_escape(ref.lower()) + "%",),
                ).fetchall()
            if not rows:
                rows = conn.execute(
                    "SELECT id, title FROM articles WHERE instr(lower(title), lower(?)) > 0",
                    (ref,),
                ).fetchall()
        if not rows:
            raise NotFound(f"no article matches {ref!r} (try `reader list`)")
        if len(rows) > 1:
            names = "; ".join(f"{r[0]} {r[1][:40]}" for r in rows[:3])
            more = f" and {len(rows) - 3} more" if len(rows) > 3 else ""
            raise ReaderError(f"{ref!r} matches {len(rows)} articles: {names}{more}")
        return self.article(rows[0][0])

    def articles_with_url(self, url: str) -> list[str]:
        """Ids of the articles whose url is `url` (W3C annotations name their target so)."""
        with self.read() as conn:
            rows = conn.execute("SELECT id FROM articles WHERE url = ? ORDER BY id", (url,))
            return [row[0] for row in rows.fetchall()]

    def update_article(self, article_id: str, **fields: str | None) -> Article:
        """Edit metadata: title, source, url, published. The text never changes."""
        allowed = {"title", "source", "url", "published"}
        unknown = set(fields) - allowed
        if unknown:
            raise ReaderError(f"cannot edit {', '.join(sorted(unknown))} of an article")
        if "title" in fields and not (fields["title"] or "").strip():
            raise ReaderError("an article's title cannot be empty")
        if fields:
            # Plain SQL (names checked above): the TUI's first edit must not wait
            # for sqlite-utils to import. The FTS triggers follow the UPDATE.
            assignments = ", ".join(f"{name} = ?" for name in fields)
            with self.write():
                cursor = self.conn.execute(
                    f"UPDATE articles SET {assignments} WHERE id = ?",
                    (*fields.values(), article_id),
                )
            if cursor.rowcount == 0:
                raise NotFound(f"no article with id {article_id}")
        return self.article(article_id)

    def delete_article(self, article_id: str) -> int:
        """Delete an article and its annotations; returns how many annotations went."""
        with self.write():
            count = self.conn.execute(
                "SELECT count(*) FROM annotations WHERE article_id = ?", (article_id,)
            ).fetchone()[0]
            cursor = self.conn.execute("DELETE FROM articles WHERE id = ?", (article_id,))
            if cursor.rowcount == 0:
                raise NotFound(f"no article with id {article_id}")
        return count

    def search(self, query: str, limit: int = 50) -> list[SearchHit]:
        """Full-text search over titles and texts (FTS5); every word must match."""
        # NUL ends a C string inside SQLite's FTS parser ("unterminated string")
        terms = query.replace("\x00", " ").split()
        if not terms:
            return []
        # Each word quoted (no FTS syntax errors from user input), the last one
        # as a prefix so results come while typing.
        fts = " ".join('"' + t.replace('"', '""') + '"' for t in terms) + "*"
        with self.read() as conn:
            rows = conn.execute(
                "SELECT a.id, a.title, snippet(articles_fts, 1, '', '', '…', 12), "
                "a.rowid FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid "
                "WHERE articles_fts MATCH ? ORDER BY rank LIMIT ?",
                (fts, limit),
            ).fetchall()
        hits = []
        for article_id, title, snippet, _ in rows:
            hits.append(SearchHit(article_id, title, snippet, self._first_match(article_id, terms)))
        return hits

    def _first_match(self, article_id: str, terms: Sequence[str]) -> int:
        with self.read() as conn:
            offset = conn.execute(
                "SELECT instr(lower(text), lower(?)) FROM articles WHERE id = ?",
                (terms[0], article_id),
            ).fetchone()[0]
        # instr counts characters from 1; lower() is ASCII-only in SQLite, so
        # this may miss a non-ASCII match: then open at the top.
        return max(offset - 1, 0)

    # -- annotations ------------------------------------------------------

    def annotations(self, article_id: str, include_deleted: bool = False) -> list[Annotation]:
        where = "article_id = ?" + ("" if include_deleted else " AND deleted_at IS NULL")
        with self.read() as conn:
            rows = conn.execute(
                f"SELECT {_ANNOTATION_COLUMNS} FROM annotations WHERE {where} "
                'ORDER BY start, "end", id',
                (article_id,),
            ).fetchall()
        return [Annotation(*row) for row in rows]

    def annotation(self, annotation_id: str) -> Annotation:
        with self.read() as conn:
            row = conn.execute(
                f"SELECT {_ANNOTATION_COLUMNS} FROM annotations WHERE id = ?", (annotation_id,)
            ).fetchone()
        if row is None:
            raise NotFound(f"no annotation with id {annotation_id}")
        return Annotation(*row)

    def own_annotation(
        self, article_id: str, start: int, end: int, annotator: str
    ) -> Annotation | None:
        """annotator's live annotation of exactly [start, end), the oldest if several."""
        with self.read() as conn:
            row = conn.execute(
                f"SELECT {_ANNOTATION_COLUMNS} FROM annotations WHERE article_id = ? "
                'AND start = ? AND "end" = ? AND annotator = ? AND deleted_at IS NULL '
                "ORDER BY created_at, id LIMIT 1",
                (article_id, start, end, annotator),
            ).fetchone()
        return None if row is None else Annotation(*row)

    def add_annotation(
        self,
        article: Article,
        start: int,
        end: int,
        label: str,
        annotator: str,
        note: str | None = None,
        origin: str = "manual",
    ) -> Annotation:
        if not 0 <= start < end <= len(article.text):
            raise ReaderError(f"span {start}-{end} is outside the article (0-{len(article.text)})")
        self.label(label)  # raises NotFound for an unknown label
        now = utc_now()
        annotation = Annotation.over(
            article.text,
            article.id,
            start,
            end,
            id=_new_id(),
            label=label,
            note=note or None,
            annotator=annotator,
            created_at=now,
            updated_at=now,
            origin=origin,
        )
        with self.write():
            self._put(annotation)
        return annotation

    def _put(self, annotation: Annotation) -> None:
        """Insert or replace one annotation row (inside a transaction)."""
        self.conn.execute(
            f"INSERT OR REPLACE INTO annotations ({_ANNOTATION_COLUMNS}) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            tuple(annotation.as_dict().values()),
        )

    def put_annotations(self, annotations: Iterable[Annotation]) -> int:
        """Insert or replace annotations as given, in one transaction (merge uses it)."""
        count = 0
        with self.write():
            for annotation in annotations:
                self._put(annotation)
                count += 1
        return count

    def update_annotation(
        self, annotation_id: str, *, label: str | None = None, note: str | object | None = _UNSET
    ) -> Annotation:
        """Change the label and/or the note (None or "" clears the note)."""
        with self.write():
            current = self.annotation(annotation_id)
            changes: dict[str, Any] = {}
            if label is not None and label != current.label:
                self.label(label)
                changes["label"] = label
            if note is not _UNSET and (note or None) != current.note:
                changes["note"] = note or None
            if not changes:
                return current
            updated = replace(current, **changes, updated_at=utc_now())
            self._put(updated)
        return updated

    def delete_annotation(self, annotation_id: str) -> Annotation:
        """Tombstone an annotation: hidden, but kept so undo and merges stay right."""
        return self._set_deleted(annotation_id, deleted=True)

    def undelete_annotation(self, annotation_id: str) -> Annotation:
        return self._set_deleted(annotation_id, deleted=False)

    def _set_deleted(self, annotation_id: str, deleted: bool) -> Annotation:
        with self.write():
            current = self.annotation(annotation_id)
            now = utc_now()
            updated = replace(current, deleted_at=now if deleted else None, updated_at=now)
            self._put(updated)
        return updated

    # -- bulk reads: export, merge, stats ---------------------------------

    def annotation_rows(
        self,
        article_ids: Sequence[str] | None = None,
        labels: Sequence[str] | None = None,
        include_deleted: bool = False,
    ) -> Iterator[tuple[Any, ...]]:
        """Raw annotation rows (columns as Annotation's fields), streamed, sorted by
        article, start, end, id: export reads a million rows without a million objects."""
        where, params = [], []
        if not include_deleted:
            where.append("deleted_at IS NULL")
        for column, values in (("article_id", article_ids), ("label", labels)):
            if values is not None:
                where.append(f"{column} IN (SELECT value FROM json_each(?))")
                params.append(json.dumps(list(values)))
        sql = f"SELECT {_ANNOTATION_COLUMNS} FROM annotations"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += ' ORDER BY article_id, start, "end", id'
        with self.read() as conn:
            cursor = conn.execute(sql, params)
            while rows := cursor.fetchmany(4096):
                yield from rows

    def article_heads(self) -> dict[str, tuple[str, str | None, str]]:
        """id -> (title, source, sha256) of every article, without the texts."""
        with self.read() as conn:
            rows = conn.execute("SELECT id, title, source, sha256 FROM articles").fetchall()
        return {r[0]: (r[1], r[2], r[3]) for r in rows}

    def annotations_by_id(self, ids: Iterable[str]) -> dict[str, Annotation]:
        """The stored annotations (tombstones included) among ids."""
        wanted = list(dict.fromkeys(ids))
        found: dict[str, Annotation] = {}
        with self.read() as conn:
            for i in range(0, len(wanted), 500):
                chunk = wanted[i : i + 500]
                rows = conn.execute(
                    f"SELECT {_ANNOTATION_COLUMNS} FROM annotations "
                    f"WHERE id IN ({', '.join('?' * len(chunk))})",
                    chunk,
                ).fetchall()
                found.update((row[0], Annotation(*row)) for row in rows)
        return found

    def annotation_counts(self, by: str) -> list[tuple[str, int]]:
        """Live annotations counted per label, article_id or annotator, largest first."""
        if by not in {"label", "article_id", "annotator"}:
            raise ValueError(f"cannot count annotations by {by!r}")
        with self.read() as conn:
            return conn.execute(
                f"SELECT {by}, count(*) AS n FROM annotations WHERE deleted_at IS NULL "
                f"GROUP BY {by} ORDER BY n DESC, {by}"
            ).fetchall()

    def deleted_count(self) -> int:
        with self.read() as conn:
            return conn.execute(
                "SELECT count(*) FROM annotations WHERE deleted_at IS NOT NULL"
            ).fetchone()[0]

    # -- labels -----------------------------------------------------------

    def labels(self) -> list[Label]:
        with self.read() as conn:
            rows = conn.execute(
                "SELECT name, key, color, description, position FROM labels ORDER BY position, name"
            ).fetchall()
        return [Label(*row) for row in rows]

    def label(self, name: str) -> Label:
        for label in self.labels():
            if label.name == name:
                return label
        raise NotFound(f"no label named {name!r} (see `reader labels`)")

    def add_label(
        self,
        name: str,
        key: str | None = None,
        color: str | None = None,
        description: str = "",
    ) -> Label:
        name = name.strip()
        if not is_label_name(name):
            raise ReaderError(
                f"a label name is one word of at most {LABEL_NAME_MAX} characters, not {name!r}"
            )
        existing = self.labels()
        if any(label.name == name for label in existing):
            raise ReaderError(f"there is already a label named {name!r}")
        used = {label.key for label in existing}
        if key is not None and (key not in LABEL_KEYS or key in used):
            free = "".join(k for k in LABEL_KEYS if k not in used) or "none"
            raise ReaderError(f"key {key!r} is not free; free keys: {free}")
        if color is None:
            color = PALETTE[len(existing) % len(PALETTE)]
        elif not _is_color(color):
            raise ReaderError(f"{color!r} is not a colour; use #rrggbb")
        position = max((x.position for x in existing), default=0) + 1
        label = Label(name, key, color, description, position)
        with self.write():
            self.db["labels"].insert(label.__dict__)
        return label

    def ensure_label(self, name: str) -> None:
        """Make a label known (without a key) if it is not: merge uses it."""
        if not any(label.name == name for label in self.labels()):
            self.add_label(name)


def _article(row: Sequence[Any]) -> Article:
    (id_, title, source, url, published, path, fmt, text, styles, sha, words, imported) = row
    return Article(
        id=id_,
        title=title,
        text=text,
        source=source,
        url=url,
        published=published,
        path=path,
        format=fmt,
        styles=[Style.from_json(s) for s in json.loads(styles or "[]")],
        sha256=sha,
        words=words,
        imported_at=imported,
    )


def is_label_name(name: str) -> bool:
    """One word of at most LABEL_NAME_MAX characters."""
    return bool(name) and not any(c.isspace() for c in name) and len(name) <= LABEL_NAME_MAX


def _like_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _is_color(value: str) -> bool:
    if len(value) != 7 or not value.startswith("#"):
        return False
    try:
        int(value[1:], 16)
    except ValueError:
        return False
    return True
