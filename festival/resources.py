"""What a request or command uses: the database connection and this worker's index searchers."""

from __future__ import annotations

from pathlib import Path

import sqlite_utils
from flask import Flask, current_app, g

from festival.index.searchers import SearcherPool
from festival.storage import open_database
from festival.transcripts import Limits

DATABASE_NAME = "archive.db"


def instance_path() -> Path:
    return Path(current_app.instance_path)


def get_db() -> sqlite_utils.Database:
    """The request's (or command's) database connection, opened on first use."""
    if "db" not in g:
        g.db = open_database(instance_path() / DATABASE_NAME)
    return g.db


def close_db(_error: BaseException | None = None) -> None:
    db = g.pop("db", None)
    if db is not None:
        db.conn.close()


def searcher():
    """A searcher over the live index; raises `IndexUnavailable` when there is none."""
    return current_app.extensions["festival.searchers"].searcher()


def transcript_limits() -> Limits:
    return Limits(max_bytes=int(current_app.config["MAX_TRANSCRIPT_BYTES"]))


def init_app(app: Flask) -> None:
    app.extensions["festival.searchers"] = SearcherPool(Path(app.instance_path))
    app.teardown_appcontext(close_db)
