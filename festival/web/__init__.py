"""The web edge: pages and the JSON API, and how the archive's errors become HTTP answers."""

from __future__ import annotations

import sqlite3

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from festival.errors import ArchiveError, IndexUnavailable
from festival.timecodes import clock, hms
from festival.web.datetimes import time_of_day, when


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def _error(status: int, code: str, message: str, headers: dict | None = None):
    if _wants_json():
        response = jsonify({"error": {"code": code, "message": message}})
    else:
        response = render_template("error.html", status=status, message=message), status
        return (*response, headers or {})
    response.status_code = status
    response.headers.update(headers or {})
    return response


def init_app(app: Flask) -> None:
    from festival.web import api, feeds, pages, shapes

    app.register_blueprint(pages.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(feeds.bp)
    app.jinja_env.filters["clock"] = clock
    app.jinja_env.filters["hms"] = hms
    app.jinja_env.filters["time_of_day"] = time_of_day
    app.jinja_env.filters["when"] = when
    app.jinja_env.filters["image_url"] = shapes.image_url

    @app.errorhandler(ArchiveError)
    def archive_error(error: ArchiveError):
        message = str(error)
        if isinstance(error, IndexUnavailable):
            app.logger.error("search index unavailable: %s", error)
            message = "Search is unavailable for the moment: " + message
        return _error(error.status, error.code, message, error.headers)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        return _error(
            error.code or 500,
            (error.name or "error").lower().replace(" ", "_"),
            error.description or "",
        )

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        if isinstance(error, sqlite3.OperationalError) and "locked" in str(error):
            # Every connection waits (busy_timeout) before this; past that, ask to retry.
            app.logger.warning("database busy beyond the bounded wait: %s", error)
            message = "The archive is busy saving changes; please try again in a moment."
            return _error(503, "database_busy", message, {"Retry-After": "5"})
        app.logger.exception("unexpected error")
        return _error(500, "internal_error", "Something went wrong on our side; please try again.")
