"""The tables of the archive and the numbered migrations that create and evolve them.

`meta.schema_version` records how far a database has been migrated; `migrate` applies the
missing steps in order, each in one transaction with its version bump, so a migration is
either wholly there or not at all. Migrations are SQL with a few type words that differ by
database (`{id}`, `{blob}`, `{float}`, `{bigint}`, `{random_token}`), filled in from `TYPES`.
"""

from __future__ import annotations

import sqlite_utils

from festival.storage.sql import transaction

TYPES = {
    "sqlite": {
        "id": "INTEGER PRIMARY KEY",
        "blob": "BLOB",
        "float": "REAL",
        "bigint": "INTEGER",
        "random_token": "lower(hex(randomblob(24)))",
    },
}

_ARCHIVE_TABLES = """
CREATE TABLE festivals (
    slug TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    organiser TEXT,
    starts TEXT,
    ends TEXT,
    url TEXT,
    description TEXT,
    notice TEXT
);
CREATE TABLE speakers (slug TEXT PRIMARY KEY, name TEXT, affiliation TEXT);
CREATE TABLE themes (slug TEXT PRIMARY KEY, name TEXT);
CREATE TABLE sessions (
    slug TEXT PRIMARY KEY,
    festival TEXT NOT NULL REFERENCES festivals (slug),
    position INTEGER,
    title TEXT NOT NULL,
    starts_at TEXT NOT NULL,
    duration {bigint},
    format TEXT,
    summary TEXT,
    language TEXT DEFAULT 'en',
    status TEXT NOT NULL DEFAULT 'published',
    added_at TEXT
);
CREATE TABLE session_speakers (
    session TEXT REFERENCES sessions (slug),
    speaker TEXT REFERENCES speakers (slug),
    role TEXT,
    position INTEGER,
    PRIMARY KEY (session, speaker)
);
CREATE TABLE session_themes (
    session TEXT REFERENCES sessions (slug),
    theme TEXT REFERENCES themes (slug),
    position INTEGER,
    PRIMARY KEY (session, theme)
);
CREATE TABLE chapters (
    session TEXT REFERENCES sessions (slug),
    position INTEGER,
    start_ms {bigint},
    title TEXT,
    PRIMARY KEY (session, position)
);
CREATE TABLE recordings (
    session TEXT PRIMARY KEY REFERENCES sessions (slug),
    url TEXT,
    kind TEXT,
    media_file TEXT
);
CREATE TABLE transcripts (
    session TEXT PRIMARY KEY REFERENCES sessions (slug),
    language TEXT,
    format TEXT,
    encoding TEXT,
    original_name TEXT,
    original {blob},
    edited INTEGER DEFAULT 0
);
CREATE TABLE cues (
    session TEXT REFERENCES sessions (slug),
    position INTEGER,
    start_ms {bigint},
    end_ms {bigint},
    speaker TEXT,
    speaker_slug TEXT,
    text TEXT,
    sound INTEGER,
    PRIMARY KEY (session, position)
);
CREATE INDEX idx_sessions_festival_starts_at ON sessions (festival, starts_at);
CREATE INDEX idx_session_speakers_speaker ON session_speakers (speaker);
CREATE INDEX idx_session_themes_theme ON session_themes (theme);
CREATE INDEX idx_cues_speaker_slug ON cues (speaker_slug);
"""

_ORGANISER_TABLES = """
CREATE TABLE organisers (
    id {id},
    email TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at TEXT
);
CREATE UNIQUE INDEX idx_organisers_email ON organisers (email);
CREATE TABLE login_failures (email TEXT, address TEXT, at {float});
CREATE INDEX idx_login_failures_email_address_at ON login_failures (email, address, at);
CREATE TABLE cue_edits (
    id {id},
    session TEXT,
    position INTEGER,
    organiser TEXT,
    edited_at TEXT,
    before_speaker TEXT,
    before_text TEXT,
    after_speaker TEXT,
    after_text TEXT
);
CREATE INDEX idx_cue_edits_session_position ON cue_edits (session, position);
"""

# Session notices, and the change log: every write names the sessions it changed, in the
# same transaction, so an index knows exactly what it has not applied yet.
_SESSION_NOTICES_AND_CHANGES = """
ALTER TABLE sessions ADD COLUMN notice TEXT;
CREATE TABLE changes (
    seq {id},
    session TEXT NOT NULL,
    changed_at TEXT NOT NULL
);
"""

# A token per organiser carried by each sign-in cookie; a new one ends earlier sign-ins.
_ORGANISER_SESSION_TOKENS = """
ALTER TABLE organisers ADD COLUMN session_token TEXT;
UPDATE organisers SET session_token = {random_token};
"""

MIGRATIONS: list[str] = [
    _ARCHIVE_TABLES,
    _ORGANISER_TABLES,
    _SESSION_NOTICES_AND_CHANGES,
    _ORGANISER_SESSION_TOKENS,
]
SCHEMA_VERSION = len(MIGRATIONS)


def _statements(migration: str, dialect: str) -> list[str]:
    sql = migration.format(**TYPES[dialect])
    return [statement.strip() for statement in sql.split(";") if statement.strip()]


def schema_version(db: sqlite_utils.Database) -> int:
    if "meta" not in db.table_names():
        return 0
    row = db.execute("select value from meta where key = 'schema_version'").fetchone()
    return int(row[0]) if row else 0


def migrate(db: sqlite_utils.Database, dialect: str = "sqlite") -> int:
    """Apply every migration the database has not had yet; return the resulting version."""
    current = schema_version(db)
    if current > SCHEMA_VERSION:
        raise RuntimeError(
            f"database schema version {current} is newer than this code ({SCHEMA_VERSION})"
        )
    for version in range(current + 1, SCHEMA_VERSION + 1):
        with transaction(db):
            if version == 1:
                db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
            if schema_version(db) >= version:
                continue  # another process applied it while this one waited for the lock
            for statement in _statements(MIGRATIONS[version - 1], dialect):
                db.execute(statement)
            db.execute(
                "insert into meta (key, value) values ('schema_version', ?)"
                " on conflict (key) do update set value = excluded.value",
                [str(version)],
            )
    return SCHEMA_VERSION
