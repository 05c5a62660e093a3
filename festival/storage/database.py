"""Open the archive's SQLite database: WAL mode, bounded waits, the latest schema."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils

from festival.storage.schema import migrate

BUSY_TIMEOUT = 15.0


def open_database(path: str | Path, busy_timeout: float = BUSY_TIMEOUT) -> sqlite_utils.Database:
    """Connect, switch on WAL and foreign keys, and bring the schema up to date.

    A write waits up to `busy_timeout` seconds for another writer before SQLite gives up.
    """
    conn = sqlite3.connect(
        str(path), timeout=busy_timeout, check_same_thread=False, isolation_level=None
    )
    conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = NORMAL")
    db = sqlite_utils.Database(conn)
    if db.journal_mode != "wal":
        db.enable_wal()
    migrate(db)
    return db


@contextmanager
def transaction(db: sqlite_utils.Database) -> Iterator[None]:
    """One write transaction: all of it commits, or none of it (taken up front, so no deadlock).

    Inside, write with `db.execute` only: sqlite-utils' table methods commit on their own.
    """
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
