"""Every setting the archive reads, declared once with its default and what it is for.

Each can be set from the environment as `FESTIVAL_<NAME>` (Flask's `from_prefixed_env`).
"""

from __future__ import annotations

SETTINGS: dict[str, tuple[object, str]] = {
    "SECRET_KEY": (
        "",
        "Signs session cookies and CSRF tokens. Unset: a random key made on first start and kept"
        " in the instance folder (secret_key); set it when several hosts serve one archive.",
    ),
    "INSTANCE_PATH": (
        "",
        "Folder holding the database, the index and uploads (default instance/).",
    ),
    "DATABASE_URL": (
        "",
        "Unset: SQLite in the instance folder. postgresql://user:password@host/name: PostgreSQL"
        " is the shared record of several hosts, each keeping its own index (run `follow`).",
    ),
    "DATABASE_POOL_SIZE": (10, "Most PostgreSQL connections each server process keeps open."),
    "DATABASE_CONNECT_TIMEOUT": (
        5.0,
        "Seconds a request waits for a PostgreSQL connection before answering 503 (try again).",
    ),
    "MEDIA_PATH": (
        "",
        "Folder of uploaded and imported recordings (default instance/media), and when set of"
        " uploads awaiting confirmation; with several hosts, a folder every host mounts.",
    ),
    "FOLLOW_POLL_INTERVAL": (
        1.0,
        "Seconds `follow` waits for a notification before looking at the change log anyway.",
    ),
    "MAX_TRANSCRIPT_BYTES": (20 * 1024 * 1024, "Largest transcript file accepted, in bytes."),
    "MAX_CONTENT_LENGTH": (200 * 1024 * 1024, "Largest upload accepted by the web app, in bytes."),
    "INDEX_LOCK_TIMEOUT": (10.0, "Seconds a write waits for the index lock before giving up."),
    "DATABASE_BUSY_TIMEOUT": (15.0, "Seconds a write waits for another writer's transaction."),
    "SEARCH_TIME_LIMIT": (2.0, "Seconds one search may run before it is cut short."),
    "EXPORT_TIME_LIMIT": (20.0, "Seconds one export may stream rows before it is cut short."),
    "PER_PAGE": (20, "Sessions per page of search results."),
    "MOMENTS_PER_SESSION": (3, "Moments shown under each session in search results."),
    "SESSION_COOKIE_SECURE": (False, "Send the organiser sign-in cookie over HTTPS only."),
    "SESSION_COOKIE_SAMESITE": ("Lax", "SameSite attribute of the sign-in cookie."),
    "LOGIN_ATTEMPTS": (5, "Failed sign-ins allowed per email and address within LOGIN_WINDOW."),
    "LOGIN_WINDOW": (900, "Seconds over which failed sign-ins are counted."),
    "WTF_CSRF_CHECK_DEFAULT": (False, "CSRF is checked by the organiser blueprint, not app-wide."),
    "BUNDLE_MAX_FILES": (2000, "Most files a festival .zip may hold."),
    "BUNDLE_MAX_BYTES": (1024**3, "Most bytes a festival .zip may unpack to."),
    "BUNDLE_MAX_RATIO": (
        100,
        "Most times a festival .zip member over 1 MiB may unpack beyond its packed size.",
    ),
    "ASR_MODEL": (
        "",
        "CTranslate2 Whisper model folder for machine transcripts (default: the bundled tiny.en).",
    ),
}

DEFAULTS = {name: default for name, (default, _help) in SETTINGS.items()}
