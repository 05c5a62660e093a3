"""The change log: which sessions each write changed, in order, for the search index to follow.

Every write adds its rows inside its own transaction, so a change is logged exactly when it
is committed. An index remembers the last `seq` it applied; whatever comes after is pending,
whichever process wrote it, and applying it twice is never needed.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

import sqlite_utils

from festival.storage.sql import insert_rows

KEEP_CHANGES = 10_000  # older rows go; an index further behind than that is rebuilt


def record_changes(db: sqlite_utils.Database, sessions: Iterable[str]) -> None:
    """Log that `sessions` changed (call inside the write's transaction)."""
    now = datetime.now(UTC).replace(microsecond=0).isoformat()
    insert_rows(db, "changes", ({"session": slug, "changed_at": now} for slug in sessions))
    db.execute(
        "delete from changes where seq <= (select max(seq) from changes) - ?", [KEEP_CHANGES]
    )


def latest_change(db: sqlite_utils.Database) -> int:
    """The newest change's sequence number (0 when nothing was ever written)."""
    return db.execute("select coalesce(max(seq), 0) from changes").fetchone()[0]


def changes_after(db: sqlite_utils.Database, seq: int) -> tuple[int, list[str] | None]:
    """(the newest seq, the sessions changed after `seq`), or sessions None when the log no
    longer reaches back that far and only a full rebuild can catch up."""
    oldest, newest = db.execute("select min(seq), coalesce(max(seq), 0) from changes").fetchone()
    if newest <= seq:
        return newest, []
    if oldest is not None and oldest > seq + 1:
        return newest, None
    rows = db.execute(
        "select distinct session from changes where seq > ? order by session", [seq]
    ).fetchall()
    return newest, [row[0] for row in rows]
