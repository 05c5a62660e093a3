"""A consistent copy of the database while the site keeps serving (SQLite's online backup)."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from festival.errors import ArchiveError

if TYPE_CHECKING:
    from festival.storage.database import Database

PAGES_PER_STEP = 1024


class BackupRefused(ArchiveError):
    """A backup target that is the live database (or its WAL), which the copy would replace."""


def _live_files(db: Database) -> list[Path]:
    """The live database file and the write-ahead log and index SQLite keeps beside it."""
    main = next(row[2] for row in db.execute("PRAGMA database_list") if row[1] == "main")
    live = Path(main).resolve()
    return [live, live.with_name(f"{live.name}-wal"), live.with_name(f"{live.name}-shm")]


def _refuse_live_target(db: Database, target: Path) -> None:
    """Raise `BackupRefused` if `target` is, links to, or names another way a live file."""
    resolved = target.resolve()
    for live in _live_files(db):
        same = resolved == live or (
            target.exists() and live.exists() and os.path.samefile(target, live)
        )
        if same:
            raise BackupRefused(f"{target} is the live database ({live}); choose another file")


def backup_database(db: Database, target: Path) -> int:
    """Copy the live database to `target` atomically; return its size in bytes.

    Readers and writers carry on meanwhile: the backup copies a step of pages at a time
    and restarts a step if a writer changed it. Raises `BackupRefused` when `target` is
    the live database itself, by any path (a symbolic or hard link, a relative path).
    PostgreSQL has its own tools for this, so there it raises `ArchiveError` saying which.
    """
    if db.dialect != "sqlite":
        raise ArchiveError(
            "the archive is in PostgreSQL: back it up with pg_dump (or pg_basebackup and WAL "
            "archiving), then run reindex on each host after a restore"
        )
    _refuse_live_target(db, target)
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
