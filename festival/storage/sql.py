"""What every storage module writes with: one transaction at a time, upserts and row inserts.

Plain SQL with `?` placeholders only, so the same statements serve SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from festival.storage.database import Database


def transaction(db: Database) -> AbstractContextManager[None]:
    """One write transaction: all of it commits, or none of it; one writer at a time.

    Inside, write with `db.execute` only: sqlite-utils' table methods commit on their own.
    """
    return db.transaction()


def upsert(db: Database, table: str, record: dict, key: str = "slug") -> None:
    """Insert `record`, or update the columns it names where `key` already exists."""
    columns = list(record)
    updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c != key)
    db.execute(
        f"insert into {table} ({', '.join(columns)}) values ({', '.join('?' * len(columns))})"
        f" on conflict ({key}) do update set {updates}",
        [record[c] for c in columns],
    )


def insert_rows(db: Database, table: str, rows: Iterable[dict]) -> None:
    """Insert rows that all name the same columns."""
    rows = list(rows)
    if not rows:
        return
    columns = list(rows[0])
    db.executemany(
        f"insert into {table} ({', '.join(columns)}) values ({', '.join('?' * len(columns))})",
        [[row[c] for c in columns] for row in rows],
    )


def marks(values: Iterable) -> str:
    """`?, ?, ?`: one placeholder per value, for an `in (...)` list."""
    return ", ".join("?" for _ in values)
