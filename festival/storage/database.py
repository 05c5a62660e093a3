"""Open the archive's SQLite database: WAL mode, bounded waits, the latest schema."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils

from festival.storage.schema import migrate

BUSY_TIMEOUT_MS = 15_000


def open_database(path: str | Path) -> sqlite_utils.Database:
    """Connect, switch on WAL and foreign keys, and bring the schema up to date."""
    conn = sqlite3.connect(
        str(path), timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False, isolation_level=None
    )
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
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
