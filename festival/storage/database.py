"""Open the archive's database: SQLite in the instance folder (the default), or PostgreSQL.

Both are reached through the few methods the storage modules use: `execute` (a cursor),
`query` (rows as dicts), `executemany`, `transaction()`, `table_names()`, `close()` and the
`dialect` they speak. SQL is written once with `?` placeholders; the PostgreSQL wrapper hands
psycopg its `%s`. With PostgreSQL each process keeps one connection pool per database.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

import psycopg
import sqlite_utils
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool, PoolTimeout

from festival.errors import DatabaseUnavailable
from festival.storage.schema import migrate

DATABASE_NAME = "archive.db"
BUSY_TIMEOUT = 15.0
CONNECT_TIMEOUT = 5.0  # seconds a request waits for a PostgreSQL connection before a 503
# Every write transaction takes this lock first, so writes commit one at a time, in the order
# their change-log numbers were drawn: a follower reading "after seq N" never misses one.
WRITE_LOCK = 0x46455354  # "FEST"
UNAVAILABLE = (
    "The archive's database cannot be reached or is busy for the moment; "
    "please try again in a few seconds."
)


def is_postgresql(location: str | Path) -> bool:
    return str(location).startswith(("postgresql://", "postgres://"))


class SQLiteDatabase(sqlite_utils.Database):
    """A sqlite-utils database with the archive's storage methods."""

    dialect = "sqlite"

    def executemany(self, sql: str, rows: Iterable[Sequence]) -> None:
        self.conn.executemany(sql, rows)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction, taken up front (`BEGIN IMMEDIATE`), so no deadlock."""
        self.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.execute("ROLLBACK")
            raise
        self.execute("COMMIT")

    def close(self) -> None:
        self.conn.close()


@lru_cache(maxsize=1024)
def _psycopg_sql(sql: str) -> str:
    return sql.replace("%", "%%").replace("?", "%s")


@contextmanager
def _reported() -> Iterator[None]:
    """PostgreSQL gone, restarting, or a lock not granted in time: a 503 asking to retry."""
    try:
        yield
    except psycopg.OperationalError as error:
        raise DatabaseUnavailable(UNAVAILABLE) from error


class PostgresDatabase:
    """One PostgreSQL connection (autocommit outside `transaction()`), borrowed or owned."""

    dialect = "postgresql"

    def __init__(self, conn: psycopg.Connection, release: Callable[[psycopg.Connection], None]):
        self.conn = conn
        self._release = release

    def execute(self, sql: str, params: Sequence = ()) -> psycopg.Cursor:
        with _reported():
            return self.conn.execute(_psycopg_sql(sql), list(params))

    def query(self, sql: str, params: Sequence = ()) -> Iterator[dict[str, Any]]:
        with _reported():
            return self.conn.cursor(row_factory=dict_row).execute(_psycopg_sql(sql), list(params))

    def executemany(self, sql: str, rows: Iterable[Sequence]) -> None:
        with _reported(), self.conn.cursor() as cursor:
            cursor.executemany(_psycopg_sql(sql), list(rows))

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction; waits (up to the busy timeout) for the one before to commit."""
        with _reported(), self.conn.transaction():
            self.conn.execute("select pg_advisory_xact_lock(%s)", [WRITE_LOCK])
            yield

    def table_names(self) -> list[str]:
        rows = self.execute(
            "select table_name from information_schema.tables where table_schema = current_schema()"
        )
        return [row[0] for row in rows]

    def close(self) -> None:
        self._release(self.conn)


def _connection_options(busy_timeout: float, connect_timeout: float = CONNECT_TIMEOUT) -> dict:
    return {
        "autocommit": True,
        "connect_timeout": max(2, round(connect_timeout)),  # libpq's least
        "options": f"-c lock_timeout={int(busy_timeout * 1000)}",
    }


def open_database(location: str | Path, busy_timeout: float = BUSY_TIMEOUT) -> Database:
    """Connect to SQLite at a path, or PostgreSQL at a `postgresql://` URL, and migrate.

    SQLite: WAL mode, foreign keys on, and a write waits up to `busy_timeout` seconds for
    another writer. PostgreSQL: a connection of its own (not pooled); a write waits as long
    for the one before it. Raises `DatabaseUnavailable` when PostgreSQL cannot be reached.
    """
    if is_postgresql(location):
        with _reported():
            conn = psycopg.connect(str(location), **_connection_options(busy_timeout))
        db = PostgresDatabase(conn, release=lambda conn: conn.close())
        migrate(db)
        return db
    conn = sqlite3.connect(
        str(location), timeout=busy_timeout, check_same_thread=False, isolation_level=None
    )
    conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = NORMAL")
    db = SQLiteDatabase(conn)
    if db.journal_mode != "wal":
        db.enable_wal()
    migrate(db)
    return db


Database = SQLiteDatabase | PostgresDatabase

_pools: dict[tuple[int, str], ConnectionPool] = {}
_pools_lock = threading.Lock()


def _pool(url: str, busy_timeout: float, size: int, connect_timeout: float) -> ConnectionPool:
    """This process's pool for `url`, made (and the schema migrated) on first use."""
    key = (os.getpid(), url)  # a forked worker makes its own, never shares its parent's
    with _pools_lock:
        if key not in _pools:
            open_database(url, busy_timeout).close()
            _pools[key] = ConnectionPool(
                url,
                kwargs=_connection_options(busy_timeout, connect_timeout),
                min_size=1,
                max_size=max(1, size),
                timeout=connect_timeout,
                check=ConnectionPool.check_connection,
                open=True,
            )
        return _pools[key]


def connect(
    url: str,
    instance: Path,
    *,
    busy_timeout: float = BUSY_TIMEOUT,
    pool_size: int = 10,
    connect_timeout: float = CONNECT_TIMEOUT,
) -> Database:
    """The archive's database for one request or command: a connection from this process's
    pool when `url` names PostgreSQL, else SQLite in the instance folder. `close()` it after.

    Raises `DatabaseUnavailable` when no PostgreSQL connection comes within `connect_timeout`.
    """
    if not url:
        return open_database(Path(instance) / DATABASE_NAME, busy_timeout)
    if not is_postgresql(url):
        raise ValueError(f"FESTIVAL_DATABASE_URL must start with postgresql://, not {url!r}")
    pool = _pool(url, busy_timeout, pool_size, connect_timeout)
    try:
        conn = pool.getconn()
    except PoolTimeout as error:
        raise DatabaseUnavailable(UNAVAILABLE) from error
    return PostgresDatabase(conn, release=pool.putconn)


def close_pools() -> None:
    """Close this process's PostgreSQL pools (their connections end)."""
    with _pools_lock:
        for key in [key for key in _pools if key[0] == os.getpid()]:
            _pools.pop(key).close()
