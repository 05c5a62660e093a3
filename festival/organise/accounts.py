"""Organiser accounts: the rules for emails and passwords, checking a password, the user
Flask-Login keeps in the sign-in cookie, and the limit on failed sign-ins.

The cookie carries the organiser's id and current session token; signing out, a new password
or deleting the account changes or removes the token, which ends every earlier sign-in.
"""

from __future__ import annotations

import hmac
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from flask_login import UserMixin
from werkzeug.security import check_password_hash, generate_password_hash

from festival.storage import accounts

if TYPE_CHECKING:
    from festival.storage.database import Database


MIN_PASSWORD_LENGTH = 10
ORGANISER_ID = re.compile(r"[0-9]{1,18}")  # ASCII digits that fit SQLite's 64-bit integers

# Compared against when the email is unknown, so a wrong email takes as long as a wrong password.
_UNKNOWN_HASH = generate_password_hash("not a password", method="scrypt")


class AccountProblem(ValueError):
    """An account that cannot be created or changed; the message says why."""


@dataclass
class Organiser(UserMixin):
    id: int
    email: str
    session_token: str

    def get_id(self) -> str:
        """What the sign-in cookie holds: the id and the token that sign-in was made with."""
        return f"{self.id}:{self.session_token}"


def _organiser(row: dict | None) -> Organiser | None:
    return Organiser(row["id"], row["email"], row["session_token"]) if row else None


def normalise_email(email: str) -> str:
    return email.strip().lower()


def _password_hash(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountProblem(f"the password must be at least {MIN_PASSWORD_LENGTH} characters")
    return generate_password_hash(password, method="scrypt")


def create_organiser(db: Database, email: str, password: str) -> Organiser:
    """Add an organiser; raise `AccountProblem` for a bad email, short password or a duplicate."""
    email = normalise_email(email)
    if "@" not in email.strip("@"):
        raise AccountProblem(f"'{email}' is not an email address")
    if not accounts.add_organiser(db, email, _password_hash(password)):
        raise AccountProblem(f"an organiser with email {email} already exists")
    return _organiser(accounts.organiser_by_email(db, email))


def set_password(db: Database, email: str, password: str) -> None:
    """Give an organiser a new password, ending their sign-ins; `AccountProblem` if impossible."""
    email = normalise_email(email)
    if not accounts.set_password_hash(db, email, _password_hash(password)):
        raise AccountProblem(f"there is no organiser with email {email}")


def delete_organiser(db: Database, email: str) -> None:
    """Remove an organiser, ending their sign-ins; `AccountProblem` if there is none."""
    email = normalise_email(email)
    if not accounts.delete_organiser(db, email):
        raise AccountProblem(f"there is no organiser with email {email}")


def load_organiser(db: Database, cookie_id: str) -> Organiser | None:
    """The organiser a sign-in cookie names, if its session token is still theirs."""
    organiser_id, _, token = cookie_id.partition(":")
    if not ORGANISER_ID.fullmatch(organiser_id) or not token:
        return None
    organiser = _organiser(accounts.organiser_by_id(db, int(organiser_id)))
    if organiser is None or not hmac.compare_digest(organiser.session_token, token):
        return None
    return organiser


def sign_out_everywhere(db: Database, organiser: Organiser) -> None:
    """End this sign-in and every other one of the same organiser."""
    accounts.renew_session_token(db, organiser.id)


def authenticate(db: Database, email: str, password: str) -> Organiser | None:
    """The organiser whose email and password these are, or None."""
    row = accounts.organiser_by_email(db, normalise_email(email))
    matches = check_password_hash(row["password_hash"] if row else _UNKNOWN_HASH, password)
    return _organiser(row) if row and matches else None


@dataclass(frozen=True)
class LoginLimit:
    """At most `attempts` failed sign-ins per email and address within `window` seconds."""

    attempts: int
    window: float

    def claim(self, db: Database, email: str, address: str) -> int:
        """Count an attempt before its password is checked; seconds to wait (0: go ahead)."""
        return accounts.claim_sign_in_attempt(
            db, normalise_email(email), address, attempts=self.attempts, window=self.window
        )

    def forget(self, db: Database, email: str, address: str) -> None:
        """Clear the attempts of an email and address that just signed in."""
        accounts.forget_sign_in_attempts(db, normalise_email(email), address)
