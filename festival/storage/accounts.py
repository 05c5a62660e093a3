"""Organiser accounts in the database: their rows, sign-in attempts counted per email and address,
and the session token every sign-in cookie carries (a new token ends every earlier sign-in).

Emails arrive here already normalised; the rules for accounts live in `festival.organise`.
"""

from __future__ import annotations

import secrets
import time
from typing import TYPE_CHECKING

from festival.storage.sql import transaction
from festival.storage.writing import now_iso

if TYPE_CHECKING:
    from festival.storage.database import Database


_COLUMNS = "id, email, password_hash, session_token"


def new_session_token() -> str:
    return secrets.token_urlsafe(24)


def _organiser(db: Database, where: str, value) -> dict | None:
    cursor = db.execute(f"select {_COLUMNS} from organisers where {where} = ?", [value])
    row = cursor.fetchone()
    return dict(zip([c[0] for c in cursor.description], row, strict=True)) if row else None


def organiser_by_email(db: Database, email: str) -> dict | None:
    """The organiser row (`id`, `email`, `password_hash`, `session_token`) for an email, or None."""
    return _organiser(db, "email", email)


def organiser_by_id(db: Database, organiser_id: int) -> dict | None:
    return _organiser(db, "id", organiser_id)


def add_organiser(db: Database, email: str, password_hash: str) -> bool:
    """Store a new organiser; False (and nothing written) when the email is already taken."""
    cursor = db.execute(
        "insert into organisers (email, password_hash, created_at, session_token)"
        " values (?, ?, ?, ?) on conflict (email) do nothing",
        [email, password_hash, now_iso(), new_session_token()],
    )
    return cursor.rowcount == 1


def set_password_hash(db: Database, email: str, password_hash: str) -> bool:
    """Change an organiser's password and end their sign-ins; False when there is no such email."""
    cursor = db.execute(
        "update organisers set password_hash = ?, session_token = ? where email = ?",
        [password_hash, new_session_token(), email],
    )
    return cursor.rowcount == 1


def renew_session_token(db: Database, organiser_id: int) -> None:
    """End every sign-in of this organiser: cookies carrying the old token no longer open."""
    db.execute(
        "update organisers set session_token = ? where id = ?",
        [new_session_token(), organiser_id],
    )


def delete_organiser(db: Database, email: str) -> bool:
    """Remove an organiser (their corrections stay, under their email); False if none."""
    with transaction(db):
        cursor = db.execute("delete from organisers where email = ?", [email])
        db.execute("delete from login_failures where email = ?", [email])
    return cursor.rowcount == 1


def claim_sign_in_attempt(
    db: Database, email: str, address: str, *, attempts: int, window: float
) -> int:
    """Count one sign-in attempt before its password is checked; return seconds to wait first.

    0 means go ahead: the attempt is recorded (a success clears it with
    `forget_sign_in_attempts`). Counting and recording happen in one write transaction, so
    however many requests race, at most `attempts` passwords are checked per window.
    """
    now = time.time()
    with transaction(db):
        db.execute("delete from login_failures where at < ?", [now - window])
        recent = [
            row[0]
            for row in db.execute(
                "select at from login_failures where email = ? and address = ? order by at",
                [email, address],
            )
        ]
        if len(recent) >= attempts:
            return max(1, round(recent[-attempts] + window - now))
        db.execute(
            "insert into login_failures (email, address, at) values (?, ?, ?)",
            [email, address, now],
        )
    return 0


def forget_sign_in_attempts(db: Database, email: str, address: str) -> None:
    """Clear the attempts of an email and address that just signed in."""
    db.execute("delete from login_failures where email = ? and address = ?", [email, address])
