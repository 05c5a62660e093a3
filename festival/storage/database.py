"""Open the archive's SQLite database: WAL mode, bounded waits, the latest schema."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlite_utils

from festival.storage.schema import migrate

DATABASE_NAME = "archive.db"
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
