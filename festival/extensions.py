"""The app's extensions: the database connection per request or command (SQLite in the
instance folder, or one from this process's PostgreSQL pool), this worker's index searchers,
and the archive's one write path bound to both."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import Flask, current_app, g

from festival.errors import DatabaseUnavailable, IndexBusy
from festival.index.searchers import SearcherPool
from festival.index.writer import ArchiveWrite, catch_up
from festival.index.writer import archive_write as locked_archive_write
from festival.storage.database import Database, connect
from festival.storage.media import media_folder as configured_media_folder
from festival.transcripts import Limits
from festival.worker import JobSettings


def instance_path() -> Path:
    return Path(current_app.instance_path)


def media_folder() -> Path:
    """Where recordings are stored: `FESTIVAL_MEDIA_PATH`, else the instance folder's media/."""
    return configured_media_folder(instance_path(), current_app.config["MEDIA_PATH"])


def get_db() -> Database:
    """The request's (or command's) database connection, opened on first use.

    Raises `DatabaseUnavailable` when PostgreSQL cannot be reached.
    """
    if "db" not in g:
        g.db = connection_opener()()
    return g.db


def connection_opener() -> Callable[[], Database]:
    """A function that opens a new connection to this app's database from any thread,
    outside the app context too (the follower, a background merge); `close()` each one."""
    config, instance = current_app.config, instance_path()

    def open_db() -> Database:
        return connect(
            config["DATABASE_URL"],
            instance,
            busy_timeout=float(config["DATABASE_BUSY_TIMEOUT"]),
            pool_size=int(config["DATABASE_POOL_SIZE"]),
            connect_timeout=float(config["DATABASE_CONNECT_TIMEOUT"]),
        )

    return open_db


def close_db(_error: BaseException | None = None) -> None:
    db = g.pop("db", None)
    if db is not None:
        db.close()


def lock_timeout() -> float:
    return float(current_app.config["INDEX_LOCK_TIMEOUT"])


@contextmanager
def archive_write() -> Iterator[ArchiveWrite]:
    """This app's write path: write to `.db` inside, `.touch(slug)` each session changed."""
    with locked_archive_write(get_db(), instance_path(), timeout=lock_timeout()) as write:
        yield write


def searchers() -> SearcherPool:
    """This worker's searchers over the live index, shared by all its threads."""
    return current_app.extensions["festival.searchers"]


def transcript_limits() -> Limits:
    return Limits(max_bytes=int(current_app.config["MAX_TRANSCRIPT_BYTES"]))


def job_settings() -> JobSettings:
    """What a transcription or alignment job needs, from this app's settings."""
    return JobSettings(
        get_db(),
        instance_path(),
        media_folder(),
        lock_timeout(),
        current_app.config["ASR_MODEL"] or None,
    )


def apply_pending_changes(app: Flask) -> None:
    """At start-up, index what a crash (or, with PostgreSQL, another host) left unindexed."""
    with app.app_context():
        try:
            sessions = catch_up(get_db(), instance_path(), timeout=lock_timeout())
        except IndexBusy:
            app.logger.warning("another process is bringing the search index up to date")
            return
        except DatabaseUnavailable as error:
            app.logger.warning("search index not brought up to date at start: %s", error)
            return
        if sessions is None:
            app.logger.warning("rebuilt the search index: it was too far behind the database")
        elif sessions:
            app.logger.warning(
                "indexed %d session(s) written since this index last caught up (an interrupted"
                " write, or another host): %s",
                len(sessions),
                ", ".join(sessions),
            )


def init_app(app: Flask) -> None:
    app.extensions["festival.searchers"] = SearcherPool(Path(app.instance_path))
    app.teardown_appcontext(close_db)
    apply_pending_changes(app)
