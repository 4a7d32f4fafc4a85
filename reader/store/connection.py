"""Connections: opening a database, transactions, snapshots, SQLite errors as one line.

Every public method that writes is one transaction (BEGIN IMMEDIATE, so two
processes on one database queue for the lock instead of failing half-way), and
has committed when it returns: the screen may then show the action as done.
SQLite errors a user can meet (locked, read-only, full disk, not a database)
become a StoreError with one line saying what happened.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Self

from reader.errors import StoreError
from reader.store.schema import READABLE_FROM, SCHEMA_VERSION, check_version, migrate

BUSY_TIMEOUT_S = 5.0


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


class Connection:
    """One open database and its transactions. Not thread-safe: one per thread or process."""

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
            self.conn = sqlite3.connect(
                str(path) if memory else str(self.path),
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
