"""The only code that writes the index: one writer at a time, under a file lock.

The live index is the folder the `index` symlink in the instance folder points to.
`rebuild_index` writes a fresh folder and swaps the link atomically, so readers never see
a half-built index; `update_sessions` rewrites the documents of a few sessions in place.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils
from whoosh import index as whoosh_index

from festival.errors import IndexBusy
from festival.index.documents import documents_for_session
from festival.index.schema import build_schema
from festival.storage import reading

LINK_NAME = "index"
LOCK_NAME = "index.lock"
# Present while a database write waits for its index update; left behind by a crash.
STALE_MARKER = "index.stale"


def live_index_dir(instance: Path) -> Path | None:
    """The folder the live index is in, or None when there is no index yet."""
    link = instance / LINK_NAME
    if not link.is_symlink():
        return None
    target = instance / os.readlink(link)
    return target if target.is_dir() else None


@contextmanager
def index_lock(instance: Path, timeout: float) -> Iterator[None]:
    """Hold the single-writer lock, waiting at most `timeout` seconds; raise `IndexBusy`."""
    instance.mkdir(parents=True, exist_ok=True)
    with open(instance / LOCK_NAME, "a+") as handle:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise IndexBusy(
                        "another import or edit is writing the search index; try again in a minute"
                    ) from None
                time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _write(writer, db: sqlite_utils.Database, slugs: Iterable[str]) -> int:
    count = 0
    for slug in slugs:
        for document in documents_for_session(db, slug):
            writer.add_document(**document)
            count += 1
    return count


def update_sessions(
    db: sqlite_utils.Database, instance: Path, slugs: list[str], *, timeout: float
) -> None:
    """Replace the index documents of `slugs` (removing those of drafts and deleted sessions)."""
    with index_lock(instance, timeout):
        index_sessions_locked(db, instance, slugs)


@contextmanager
def indexed_write(
    db: sqlite_utils.Database, instance: Path, *, timeout: float
) -> Iterator[list[str]]:
    """Hold the writer lock around a database write and the index update that must follow it.

    The caller writes inside the block and appends the slugs it touched to the yielded
    list. If the process dies in between, the stale marker stays behind and
    `rebuild_if_interrupted` repairs the index at the next start.
    """
    with index_lock(instance, timeout):
        marker = instance / STALE_MARKER
        marker.write_text(time.strftime("%Y-%m-%dT%H:%M:%S"))
        touched: list[str] = []
        yield touched
        index_sessions_locked(db, instance, touched)
        marker.unlink()


def rebuild_if_interrupted(db: sqlite_utils.Database, instance: Path, *, timeout: float) -> bool:
    """Rebuild the index if a write died before updating it; return whether it did."""
    if not (instance / STALE_MARKER).exists():
        return False
    with index_lock(instance, timeout):
        if not (instance / STALE_MARKER).exists():
            return False  # another worker repaired it while we waited
        _rebuild_locked(db, instance)
        (instance / STALE_MARKER).unlink()
    return True


def index_sessions_locked(db: sqlite_utils.Database, instance: Path, slugs: list[str]) -> None:
    """`update_sessions` for a caller that already holds `index_lock`."""
    folder = live_index_dir(instance)
    if folder is None or not whoosh_index.exists_in(str(folder)):
        _rebuild_locked(db, instance)
        return
    ix = whoosh_index.open_dir(str(folder))
    writer = ix.writer(compound=False)
    try:
        for slug in slugs:
            writer.delete_by_term("session", slug)
        _write(writer, db, slugs)
    except BaseException:
        writer.cancel()
        raise
    writer.commit()
    ix.close()


def rebuild_index(
    db: sqlite_utils.Database, instance: Path, *, timeout: float, procs: int = 1
) -> int:
    """Build the whole index from SQLite into a new folder and swap it in; return document count."""
    with index_lock(instance, timeout):
        return _rebuild_locked(db, instance, procs=procs)


def _rebuild_locked(db: sqlite_utils.Database, instance: Path, procs: int = 1) -> int:
    folder = instance / f"index-{time.time_ns()}"
    folder.mkdir(parents=True)
    try:
        ix = whoosh_index.create_in(str(folder), build_schema())
        options = {"procs": procs, "multisegment": True, "limitmb": 256} if procs > 1 else {}
        writer = ix.writer(compound=False, **options)
        count = _write(writer, db, reading.published_slugs(db))
        writer.commit()
        ix.close()
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    _swap_in(instance, folder)
    return count


def _swap_in(instance: Path, folder: Path) -> None:
    previous = live_index_dir(instance)
    temporary = instance / f"{LINK_NAME}.{os.getpid()}.tmp"
    if temporary.is_symlink() or temporary.exists():
        temporary.unlink()
    temporary.symlink_to(folder.name)
    os.replace(temporary, instance / LINK_NAME)
    # Keep the generation just replaced: a reader opened a moment ago may still use it.
    keep = {folder.name, previous.name if previous else None}
    for old in instance.glob("index-*"):
        if old.is_dir() and old.name not in keep:
            shutil.rmtree(old, ignore_errors=True)
