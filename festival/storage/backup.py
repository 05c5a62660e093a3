"""A consistent copy of the database while the site keeps serving (SQLite's online backup)."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import sqlite_utils

PAGES_PER_STEP = 1024


def backup_database(db: sqlite_utils.Database, target: Path) -> int:
    """Copy the live database to `target` atomically; return its size in bytes.

    Readers and writers carry on meanwhile: the backup copies a step of pages at a time
    and restarts a step if a writer changed it.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    destination = sqlite3.connect(partial)
    try:
        db.conn.backup(destination, pages=PAGES_PER_STEP)
        destination.execute("PRAGMA journal_mode = DELETE")
    finally:
        destination.close()
    os.replace(partial, target)
    return target.stat().st_size
