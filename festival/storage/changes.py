"""The change log: which sessions each write changed, in order, for the search index to follow.

Every write adds its rows inside its own transaction, so a change is logged exactly when it
is committed. An index remembers the last `seq` it applied; whatever comes after is pending,
whichever process (or host) wrote it, and applying it twice is never needed. On PostgreSQL
the write also sends a NOTIFY on `CHANNEL`, delivered when it commits, which wakes every
host's follower (`ChangeListener`); polling covers a notification lost to a reconnect.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import psycopg

from festival.storage.database import is_postgresql
from festival.storage.sql import insert_rows

if TYPE_CHECKING:
    from festival.storage.database import Database

KEEP_CHANGES = 10_000  # older rows go; an index further behind than that is rebuilt
CHANNEL = "festival_changes"


def record_changes(db: Database, sessions: Iterable[str]) -> None:
    """Log that `sessions` changed (call inside the write's transaction)."""
    now = datetime.now(UTC).replace(microsecond=0).isoformat()
    rows = [{"session": slug, "changed_at": now} for slug in sessions]
    if not rows:
        return
    insert_rows(db, "changes", rows)
    if db.dialect == "postgresql":
        db.execute("select pg_notify(?, '')", [CHANNEL])
    db.execute(
        "delete from changes where seq <= (select max(seq) from changes) - ?", [KEEP_CHANGES]
    )


def latest_change(db: Database) -> int:
    """The newest change's sequence number (0 when nothing was ever written)."""
    return db.execute("select coalesce(max(seq), 0) from changes").fetchone()[0]


def changes_after(db: Database, seq: int) -> tuple[int, list[str] | None]:
    """(the newest seq, the sessions changed after `seq`), or sessions None when the log no
    longer reaches back that far and only a full rebuild can catch up."""
    oldest = db.execute("select min(seq) from changes").fetchone()[0]
    # One statement, so the sessions and the newest seq come from the same snapshot.
    rows = db.execute("select seq, session from changes where seq > ?", [seq]).fetchall()
    newest = max((row[0] for row in rows), default=seq)
    if rows and oldest is not None and oldest > seq + 1:
        return newest, None
    return newest, sorted({row[1] for row in rows})


class ChangeListener:
    """Waits for the next committed write: LISTEN on PostgreSQL, a plain pause on SQLite.

    A lost connection is reopened on the next wait; meanwhile waits just pause, so the
    follower falls back to polling and nothing is missed.
    """

    def __init__(self, url: str):
        self.url = url if is_postgresql(url) else ""
        self._conn: psycopg.Connection | None = None

    def _connection(self) -> psycopg.Connection | None:
        if self._conn is None or self._conn.closed:
            try:
                self._conn = psycopg.connect(self.url, autocommit=True, connect_timeout=5)
                self._conn.execute(f"LISTEN {CHANNEL}")
            except psycopg.OperationalError:
                self._conn = None
        return self._conn

    def wait(self, timeout: float) -> bool:
        """Return True when a write committed within `timeout` seconds, else False."""
        conn = self._connection() if self.url else None
        if conn is None:
            time.sleep(timeout)
            return False
        try:
            return any(True for _ in conn.notifies(timeout=timeout, stop_after=1))
        except psycopg.OperationalError:
            self.close()
            time.sleep(timeout)
            return False

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
