"""The tables of the archive and the numbered migrations that create and evolve them.

`meta.schema_version` records how far a database has been migrated; `migrate` applies the
missing steps in order, each in its own transaction.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlite_utils


def _create_archive_tables(db: sqlite_utils.Database) -> None:
    db["festivals"].create(
        {
            "slug": str,
            "name": str,
            "organiser": str,
            "starts": str,
            "ends": str,
            "url": str,
            "description": str,
            "notice": str,
        },
        pk="slug",
        not_null={"name"},
    )
    db["speakers"].create({"slug": str, "name": str, "affiliation": str}, pk="slug")
    db["themes"].create({"slug": str, "name": str}, pk="slug")
    db["sessions"].create(
        {
            "slug": str,
            "festival": str,
            "position": int,
            "title": str,
            "starts_at": str,
            "duration": int,
            "format": str,
            "summary": str,
            "language": str,
            "status": str,
            "added_at": str,
        },
        pk="slug",
        not_null={"festival", "title", "starts_at", "status"},
        defaults={"status": "published", "language": "en"},
        foreign_keys=[("festival", "festivals", "slug")],
    )
    db["session_speakers"].create(
        {"session": str, "speaker": str, "role": str, "position": int},
        pk=("session", "speaker"),
        foreign_keys=[("session", "sessions", "slug"), ("speaker", "speakers", "slug")],
    )
    db["session_themes"].create(
        {"session": str, "theme": str, "position": int},
        pk=("session", "theme"),
        foreign_keys=[("session", "sessions", "slug"), ("theme", "themes", "slug")],
    )
    db["chapters"].create(
        {"session": str, "position": int, "start_ms": int, "title": str},
        pk=("session", "position"),
        foreign_keys=[("session", "sessions", "slug")],
    )
    db["recordings"].create(
        {"session": str, "url": str, "kind": str, "media_file": str},
        pk="session",
        foreign_keys=[("session", "sessions", "slug")],
    )
    db["transcripts"].create(
        {
            "session": str,
            "language": str,
            "format": str,
            "encoding": str,
            "original_name": str,
            "original": bytes,
            "edited": int,
        },
        pk="session",
        defaults={"edited": 0},
        foreign_keys=[("session", "sessions", "slug")],
    )
    db["cues"].create(
        {
            "session": str,
            "position": int,
            "start_ms": int,
            "end_ms": int,
            "speaker": str,
            "speaker_slug": str,
            "text": str,
            "sound": int,
        },
        pk=("session", "position"),
        foreign_keys=[("session", "sessions", "slug")],
    )
    db["sessions"].create_index(["festival", "starts_at"])
    db["session_speakers"].create_index(["speaker"])
    db["session_themes"].create_index(["theme"])
    db["cues"].create_index(["speaker_slug"])


def _create_organiser_tables(db: sqlite_utils.Database) -> None:
    """Organiser accounts, failed sign-ins (for rate limiting), and every transcript correction."""
    db["organisers"].create(
        {"id": int, "email": str, "password_hash": str, "created_at": str},
        pk="id",
        not_null={"email", "password_hash"},
    )
    db["organisers"].create_index(["email"], unique=True)
    db["login_failures"].create({"email": str, "address": str, "at": float})
    db["login_failures"].create_index(["email", "address", "at"])
    db["cue_edits"].create(
        {
            "id": int,
            "session": str,
            "position": int,
            "organiser": str,
            "edited_at": str,
            "before_speaker": str,
            "before_text": str,
            "after_speaker": str,
            "after_text": str,
        },
        pk="id",
    )
    db["cue_edits"].create_index(["session", "position"])


MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [
    _create_archive_tables,
    _create_organiser_tables,
]
SCHEMA_VERSION = len(MIGRATIONS)


def schema_version(db: sqlite_utils.Database) -> int:
    if "meta" not in db.table_names():
        return 0
    row = db.execute("select value from meta where key = 'schema_version'").fetchone()
    return int(row[0]) if row else 0


def migrate(db: sqlite_utils.Database) -> int:
    """Apply every migration the database has not had yet; return the resulting version."""
    current = schema_version(db)
    if current > SCHEMA_VERSION:
        raise RuntimeError(
            f"database schema version {current} is newer than this code ({SCHEMA_VERSION})"
        )
    for version in range(current + 1, SCHEMA_VERSION + 1):
        with db.conn:
            if "meta" not in db.table_names():
                db["meta"].create({"key": str, "value": str}, pk="key")
            MIGRATIONS[version - 1](db)
            db["meta"].upsert({"key": "schema_version", "value": str(version)}, pk="key")
    return SCHEMA_VERSION
