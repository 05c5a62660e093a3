"""Signing in and out, with failed attempts limited per email and address."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from festival.extensions import get_db
from festival.organise import bp
from festival.organise.accounts import LoginLimit, authenticate, sign_out_everywhere


def _limit() -> LoginLimit:
    config = current_app.config
    return LoginLimit(int(config["LOGIN_ATTEMPTS"]), float(config["LOGIN_WINDOW"]))


def _next_page() -> str:
    """Where to go after signing in: a page of the organiser area, never another site.

    A target with spaces or control characters (a `%0D%0A` smuggling a header) is ignored.
    """
    target = request.args.get("next", "")
    safe = target.isprintable() and not any(character.isspace() for character in target)
    if safe and target.startswith("/organise/") and "//" not in target and "\\" not in target:
        return target
    return url_for("organise.dashboard")


@bp.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "GET":
        return render_template("organise/login.html", email="")
    db, limit = get_db(), _limit()
    email, password = request.form.get("email", ""), request.form.get("password", "")
    address = request.remote_addr or "unknown"
    wait = limit.claim(db, email, address)
    if wait:
        minutes = -(-wait // 60)
        message = (
            f"Too many sign-in attempts for this email. Please wait {minutes} minute"
            f"{'s' if minutes != 1 else ''} and try again."
        )
        page = render_template("organise/login.html", email=email, error=message)
        return page, 429, {"Retry-After": str(wait)}
    organiser = authenticate(db, email, password)
    if organiser is None:
        error = "That email and password do not match an organiser account."
        return render_template("organise/login.html", email=email, error=error), 401
    limit.forget(db, email, address)
    session.clear()
    login_user(organiser)
    return redirect(_next_page())


@bp.post("/logout")
def logout():
    """Sign out here and on every other device: earlier cookies of this organiser stop working."""
    sign_out_everywhere(get_db(), current_user)
    logout_user()
    session.clear()
    flash("You are signed out.")
    return redirect(url_for("organise.login"))
