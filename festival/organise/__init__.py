"""The organiser area at `/organise`: sign-in, festivals and sessions, transcripts, corrections.

Every route needs a signed-in organiser and every form carries a CSRF token.
"""

from __future__ import annotations

from flask import Blueprint, Flask, current_app, render_template, request
from flask_login import LoginManager, current_user
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.exceptions import RequestEntityTooLarge

from festival.extensions import get_db
from festival.organise.accounts import load_organiser

bp = Blueprint("organise", __name__, url_prefix="/organise")
csrf = CSRFProtect()
login_manager = LoginManager()
login_manager.login_view = "organise.login"
login_manager.login_message = "Sign in as an organiser to see that page."

PUBLIC_ENDPOINTS = {"organise.login"}


@login_manager.user_loader
def _load_organiser(organiser_id: str):
    return load_organiser(get_db(), organiser_id)


@bp.before_request
def _require_organiser():
    """Anonymous visitors go to the sign-in page; every form post must carry its CSRF token."""
    if request.endpoint not in PUBLIC_ENDPOINTS and not current_user.is_authenticated:
        return login_manager.unauthorized()
    if current_app.config.get("WTF_CSRF_ENABLED", True):
        csrf.protect()
    return None


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(_error):
    limit = int(current_app.config["MAX_CONTENT_LENGTH"])
    return render_template("organise/too_large.html", limit_mb=limit / (1024 * 1024)), 413


@bp.errorhandler(CSRFError)
def _form_expired(_error):
    return render_template("organise/form_expired.html"), 400


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    csrf.init_app(app)
    from festival.organise import (  # noqa: F401  (their routes join bp)
        bulk,
        festivals,
        machine,
        sessions,
        signin,
        transcripts,
    )

    app.register_blueprint(bp)
