"""What a request or command uses: the database connection and this worker's index searchers."""

from __future__ import annotations

from pathlib import Path

import sqlite_utils
from flask import Flask, current_app, g

from festival.errors import IndexBusy
from festival.index.searchers import SearcherPool
from festival.index.writer import rebuild_if_interrupted
from festival.storage import open_database
from festival.transcripts import Limits

DATABASE_NAME = "archive.db"


def instance_path() -> Path:
    return Path(current_app.instance_path)


def get_db() -> sqlite_utils.Database:
    """The request's (or command's) database connection, opened on first use."""
    if "db" not in g:
        busy_timeout = float(current_app.config["DATABASE_BUSY_TIMEOUT"])
        g.db = open_database(instance_path() / DATABASE_NAME, busy_timeout)
    return g.db


def close_db(_error: BaseException | None = None) -> None:
    db = g.pop("db", None)
    if db is not None:
        db.conn.close()


def searching():
    """Context manager giving a searcher over the live index for one search.

    Raises `IndexUnavailable` when the index is missing, or damaged files turn up mid-search.
    """
    return current_app.extensions["festival.searchers"].searching()


def transcript_limits() -> Limits:
    return Limits(max_bytes=int(current_app.config["MAX_TRANSCRIPT_BYTES"]))


def repair_interrupted_write(app: Flask) -> None:
    """At start-up, rebuild the index if a crash left a database write unindexed."""
    with app.app_context():
        try:
            timeout = float(app.config["INDEX_LOCK_TIMEOUT"])
            if rebuild_if_interrupted(get_db(), instance_path(), timeout=timeout):
                app.logger.warning("rebuilt the search index after an interrupted write")
        except IndexBusy:
            app.logger.warning("another process is repairing the search index")


def init_app(app: Flask) -> None:
    app.extensions["festival.searchers"] = SearcherPool(Path(app.instance_path))
    app.teardown_appcontext(close_db)
    repair_interrupted_write(app)
