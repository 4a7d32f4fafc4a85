"""Connections: opening a database, transactions, snapshots, SQLite errors as one line.

Every public method that writes is one transaction (BEGIN IMMEDIATE, so two
processes on one database queue for the lock instead of failing half-way), and
has committed when it returns: the screen may then show the action as done.
SQLite errors a user can meet (locked, read-only, full disk, not a database)
become a StoreError with one line saying what happened.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Self

from reader.errors import StoreError
from reader.store.schema import READABLE_FROM, SCHEMA_VERSION, check_version, migrate

BUSY_TIMEOUT_S = 5.0
# How often a writer waiting for the lock tries again. SQLite's own busy handler
# sleeps ever longer between tries (25, 50, then 100 ms), and so misses the short
# gaps a merge leaves between its transactions: a save would wait for many of them.
LOCK_POLL_S = 0.001


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
    if "foreign key" in lowered:
        return f"nothing was changed in {path}: a label or article it names is not there"
    if "unable to open" in lowered:
        return f"cannot open the database {path} ({message})"
    return f"database error on {path}: {message}"


def _expand(path: Path) -> Path:
    """~ and ~user expanded; an unknown user is one clear line, not a traceback."""
    try:
        return path.expanduser()
    except RuntimeError:
        raise StoreError(f"cannot find the home folder in {path} (no such user)") from None


def _read_only_uri(path: Path) -> str:
    """A URI for reading path and never creating or changing anything.

    Where the file and its folder may be written, the file is opened `mode=rw`
    (never created) and the connection set `query_only`: as the last connection it
    then removes the -wal/-shm files SQLite needs for reading a WAL database, which a
    `mode=ro` connection would leave behind. Where they may not, it is opened
    `mode=ro&immutable=1`: no lock, no -shm, nothing created (safe, for nobody can
    write it through that path; a writer with other rights would go unseen), or
    `mode=ro` when a -wal file is there already (immutable would not read it)."""
    base = path.resolve().as_uri()
    if _writable(path):
        return f"{base}?mode=rw"
    if Path(f"{path}-wal").exists():
        return f"{base}?mode=ro"
    return f"{base}?mode=ro&immutable=1"


def _writable(path: Path) -> bool:
    """Can the database at path be written: the file and its folder (for -wal)?"""
    return os.access(path.parent, os.W_OK) and os.access(path, os.W_OK)


class Connection:
    """One open database and its transactions. Not thread-safe: one per thread or process."""

    def __init__(self, path: Path | str, read_only: bool = False) -> None:
        """read_only: for commands that only read (list, export, stats...): the file
        must exist, nothing is created or changed beside it (see _read_only_uri).
        A database whose file or folder cannot be written is opened read-only too
        (the TUI then says so; a command that writes fails in one line)."""
        self.path = Path(path)
        self.why_read_only = "opened for reading only"
        memory = str(path) == ":memory:"
        if not memory:
            self.path = _expand(self.path)
            if read_only and not self.path.is_file():
                raise StoreError(
                    f"no database at {self.path} (`reader import` makes one; "
                    "`reader where` shows which is used)"
                )
            if not read_only and self.path.is_file() and not _writable(self.path):
                read_only = True
                self.why_read_only = "its file or folder cannot be written"
            if not read_only:
                try:
                    self.path.parent.mkdir(parents=True, exist_ok=True)
                except OSError as exc:
                    raise StoreError(f"cannot create {self.path.parent}: {exc.strerror}") from None
        self.read_only = read_only
        if read_only and not memory:
            target, uri = _read_only_uri(self.path), True
        else:
            target, uri = (str(path) if memory else str(self.path)), False
        try:
            self.conn = sqlite3.connect(
                target,
                uri=uri,
                timeout=BUSY_TIMEOUT_S,
                isolation_level=None,  # we issue BEGIN/COMMIT ourselves
                check_same_thread=False,
            )
            self._prepare()
        except sqlite3.Error as exc:
            with contextlib.suppress(Exception):
                self.conn.close()
            raise StoreError(describe(exc, self.path)) from None

    def _prepare(self) -> None:
        version = check_version(self.conn, self.path)  # before WAL touches the file
        self.conn.execute("PRAGMA foreign_keys = ON")
        self.conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        if self.read_only:
            # Read as it is: an older schema from READABLE_FROM on reads the tables
            # added since as empty; no migration, no WAL switch, nothing written.
            self.conn.execute("PRAGMA query_only = ON")
            if version < READABLE_FROM:
                raise StoreError(
                    f"{self.path} needs upgrading to schema {SCHEMA_VERSION}; "
                    "run a command that writes (e.g. `reader labels add`) first"
                )
            self.schema_version = version
            return
        if version < SCHEMA_VERSION:
            try:
                migrate(self.conn, version, self.write)
                version = SCHEMA_VERSION
            except StoreError as exc:
                # An older database we may not write (a read-only file): read it as
                # it is; the tables added since are missing and read as empty.
                if version < READABLE_FROM or "is read-only" not in str(exc):
                    raise
        self.schema_version = version
        if str(self.path) != ":memory:":
            mode = self.conn.execute("PRAGMA journal_mode").fetchone()[0]
            if mode != "wal":
                self.conn.execute("PRAGMA journal_mode = WAL")
        # WAL makes a commit an append, not an fsync of the whole file; with
        # synchronous=NORMAL a committed action survives a crash of reader
        # (kill -9); only a power cut can lose the last transactions.
        self.conn.execute("PRAGMA synchronous = NORMAL")

    @contextlib.contextmanager
    def write(self) -> Iterator[None]:
        """One transaction; SQLite errors become one-line StoreErrors."""
        if self.read_only:
            # why first: the TUI's status line has room for the start of it
            raise StoreError(
                f"read-only database ({self.why_read_only}); nothing was changed: {self.path}"
            )
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
            self._begin_immediate()
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

    def _begin_immediate(self) -> None:
        """BEGIN IMMEDIATE, trying for the write lock every LOCK_POLL_S for as long as
        the busy timeout (the connection's, which a caller may have shortened)."""
        timeout_ms = self.conn.execute("PRAGMA busy_timeout").fetchone()[0]
        deadline = time.monotonic() + timeout_ms / 1000
        self.conn.execute("PRAGMA busy_timeout = 0")  # fail at once: we wait here
        try:
            while True:
                try:
                    self.conn.execute("BEGIN IMMEDIATE")
                    return
                except sqlite3.OperationalError as exc:
                    # SQLITE_BUSY and BUSY_RECOVERY pass; not BUSY_SNAPSHOT, a read
                    # left open on a state others have written since: that one never
                    # passes (SQLite's own handler is not called for it either)
                    code = getattr(exc, "sqlite_errorcode", None) or 0
                    busy = code & 0xFF == sqlite3.SQLITE_BUSY
                    if (
                        not busy
                        or code == sqlite3.SQLITE_BUSY_SNAPSHOT
                        or time.monotonic() >= deadline
                    ):
                        raise
                time.sleep(LOCK_POLL_S)
        finally:
            self.conn.execute(f"PRAGMA busy_timeout = {timeout_ms}")

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

    def data_version(self) -> int:
        """Changes with every commit by another connection (not by this one): SQLite's
        `PRAGMA data_version`, one cheap read, for noticing other processes' writes."""
        with self.read() as conn:
            return conn.execute("PRAGMA data_version").fetchone()[0]

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def snapshot_readers(self, count: int) -> Iterator[list[sqlite3.Connection]]:
        """Up to `count` connections that all read the same state of the database.

        Extra read-only connections open their read transactions while the store
        holds the write lock, so no commit can land between them; a database that
        cannot give that (in memory, read-only, locked) is read through the store's
        own connection alone.
        """
        extra: list[sqlite3.Connection] = []
        conn = self.conn
        try:
            if count > 1 and str(self.path) != ":memory:" and not conn.in_transaction:
                # A writer elsewhere holding the lock is not waited for long: one
                # connection then reads alone, which is only slower.
                conn.execute("PRAGMA busy_timeout = 200")
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("BEGIN IMMEDIATE")
                    try:
                        for _ in range(count):
                            reader = sqlite3.connect(
                                f"{self.path.resolve().as_uri()}?mode=ro",
                                uri=True,
                                isolation_level=None,
                                check_same_thread=False,
                            )
                            extra.append(reader)
                            reader.execute("BEGIN")
                            # a first read takes the snapshot
                            reader.execute("SELECT 1 FROM labels LIMIT 1").fetchall()
                    finally:
                        conn.execute("ROLLBACK")
                conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            if len(extra) == count:
                yield extra
            else:
                with self.snapshot() as own:
                    yield [own]
        except sqlite3.Error as exc:
            raise StoreError(describe(exc, self.path)) from None
        finally:
            for reader in extra:
                with contextlib.suppress(sqlite3.Error):
                    reader.close()
