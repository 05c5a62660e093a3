"""How the organiser area changes the archive: SQLite, then the index, one writer at a time."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import current_app

from festival.index.writer import indexed_write
from festival.resources import get_db, instance_path
from festival.storage import transaction


@contextmanager
def archive_write(slugs: list[str]) -> Iterator:
    """Write the database inside, then reindex `slugs`; yields the database.

    The index lock is taken first, as the importer does, so a busy index raises `IndexBusy`
    before anything is saved: a saved session is never left missing from search, and a
    crash between the two is repaired at the next start.
    """
    db = get_db()
    timeout = float(current_app.config["INDEX_LOCK_TIMEOUT"])
    with indexed_write(db, instance_path(), timeout=timeout) as touched:
        with transaction(db):
            yield db
        touched.extend(slugs)
