"""Festival Archive: recorded festival sessions, searchable down to the second they were said."""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask

from festival.secret_key import signing_key
from festival.settings import DEFAULTS

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app: settings from defaults, `FESTIVAL_*` variables, then `test_config`.

    Without a configured `SECRET_KEY`, the instance folder's own random key signs cookies.
    """
    settings = dict(test_config or {})
    instance = (
        settings.get("INSTANCE_PATH")
        or os.environ.get("FESTIVAL_INSTANCE_PATH")
        or PROJECT_ROOT / "instance"
    )
    app = Flask(
        __name__,
        instance_path=str(Path(instance).resolve()),
        instance_relative_config=True,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    app.config.from_mapping(DEFAULTS)
    app.config.from_prefixed_env("FESTIVAL")
    app.config.update(settings)
    app.config["INSTANCE_PATH"] = app.instance_path
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if app.config["DATABASE_URL"] and not app.config["SECRET_KEY"]:
        app.logger.warning(
            "FESTIVAL_DATABASE_URL is shared but FESTIVAL_SECRET_KEY is not set: this host signs "
            "cookies with a key of its own, so a sign-in here is not one on the other hosts"
        )
    app.config["SECRET_KEY"] = signing_key(
        app.config["SECRET_KEY"], Path(app.instance_path), app.logger
    )

    from festival import cli, extensions, organise, web
    from festival.web import security

    extensions.init_app(app)
    web.init_app(app)
    organise.init_app(app)
    security.init_app(app)
    cli.init_app(app)
    return app
