"""Organiser accounts: creating them, checking passwords, and limiting sign-in attempts."""

from __future__ import annotations

import time
from dataclasses import dataclass

import sqlite_utils
from flask_login import UserMixin
from werkzeug.security import check_password_hash, generate_password_hash

from festival.storage.writing import insert_rows, now_iso

# Compared against when the email is unknown, so a wrong email takes as long as a wrong password.
_UNKNOWN_HASH = generate_password_hash("not a password", method="scrypt")


class AccountProblem(ValueError):
    """An account that cannot be created; the message says why."""


@dataclass
class Organiser(UserMixin):
    id: int
    email: str


def normalise_email(email: str) -> str:
    return email.strip().lower()


def create_organiser(db: sqlite_utils.Database, email: str, password: str) -> Organiser:
    """Add an organiser; raise `AccountProblem` for a bad email, short password or a duplicate."""
    email = normalise_email(email)
    if "@" not in email.strip("@"):
        raise AccountProblem(f"'{email}' is not an email address")
    if len(password) < 10:
        raise AccountProblem("the password must be at least 10 characters")
    if find_organiser(db, email):
        raise AccountProblem(f"an organiser with email {email} already exists")
    insert_rows(
        db,
        "organisers",
        [
            {
                "email": email,
                "password_hash": generate_password_hash(password, method="scrypt"),
                "created_at": now_iso(),
            }
        ],
    )
    return find_organiser(db, email)


def find_organiser(db: sqlite_utils.Database, email: str) -> Organiser | None:
    row = db.execute(
        "select id, email from organisers where email = ?", [normalise_email(email)]
    ).fetchone()
    return Organiser(*row) if row else None


def load_organiser(db: sqlite_utils.Database, organiser_id: str) -> Organiser | None:
    row = db.execute(
        "select id, email from organisers where id = ?", [int(organiser_id)]
    ).fetchone()
    return Organiser(*row) if row else None


def authenticate(db: sqlite_utils.Database, email: str, password: str) -> Organiser | None:
    """The organiser whose email and password these are, or None."""
    row = db.execute(
        "select password_hash from organisers where email = ?", [normalise_email(email)]
    ).fetchone()
    matches = check_password_hash(row[0] if row else _UNKNOWN_HASH, password)
    return find_organiser(db, email) if row and matches else None


@dataclass(frozen=True)
class LoginLimit:
    """At most `attempts` failed sign-ins per email and address within `window` seconds."""

    attempts: int
    window: float

    def seconds_blocked(self, db: sqlite_utils.Database, email: str, address: str) -> int:
        """How long this email and address must wait before trying again (0: not blocked)."""
        rows = db.execute(
            "select at from login_failures where email = ? and address = ? and at > ? order by at",
            [normalise_email(email), address, time.time() - self.window],
        ).fetchall()
        if len(rows) < self.attempts:
            return 0
        return max(1, round(rows[-self.attempts][0] + self.window - time.time()))

    def record_failure(self, db: sqlite_utils.Database, email: str, address: str) -> None:
        db.execute("delete from login_failures where at < ?", [time.time() - self.window])
        insert_rows(
            db,
            "login_failures",
            [{"email": normalise_email(email), "address": address, "at": time.time()}],
        )

    def forget(self, db: sqlite_utils.Database, email: str, address: str) -> None:
        """Clear the failures of an email and address that just signed in."""
        db.execute(
            "delete from login_failures where email = ? and address = ?",
            [normalise_email(email), address],
        )
