"""Uploads kept with generated names, never where the public can reach: in the instance folder,
or in the shared media folder when `FESTIVAL_MEDIA_PATH` is set (several hosts).

A transcript waits in `uploads/<random token>/` between its preview and the organiser's
confirmation; media files go to the archive's media folder (`FESTIVAL_MEDIA_PATH`) under a
content-hash name.
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from werkzeug.datastructures import FileStorage

from festival.extensions import instance_path, media_folder
from festival.storage.media import store_media

UPLOADS_FOLDER = "uploads"
PENDING_DAYS = 2
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32,64}$")


@dataclass
class PendingTranscript:
    """An uploaded transcript waiting for confirmation."""

    token: str
    session: str
    name: str  # the file name the organiser uploaded, for messages only
    lenient: bool
    data: bytes


def uploads_folder() -> Path:
    """Where uploads wait: inside `FESTIVAL_MEDIA_PATH` when it is set, so a preview made on
    one host can be confirmed on another; else in the instance folder."""
    configured = current_app.config["MEDIA_PATH"]
    folder = (Path(configured) if configured else instance_path()) / UPLOADS_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def keep_pending(session: str, name: str, lenient: bool, data: bytes) -> str:
    """Keep an upload until it is confirmed or discarded; return its token.

    Uploads nobody confirmed within `PENDING_DAYS` are removed on the way.
    """
    cutoff = time.time() - PENDING_DAYS * 86400
    for old in uploads_folder().iterdir():
        if _TOKEN.match(old.name) and old.stat().st_mtime < cutoff:
            shutil.rmtree(old, ignore_errors=True)
    token = secrets.token_urlsafe(32)
    folder = uploads_folder() / token
    folder.mkdir()
    (folder / "upload").write_bytes(data)
    about = {"session": session, "name": Path(name).name, "lenient": lenient}
    (folder / "about.json").write_text(json.dumps(about), encoding="utf-8")
    return token


def find_pending(token: str, session: str) -> PendingTranscript | None:
    """The upload with this token for this session, or None if there is none (or it is not one)."""
    if not _TOKEN.match(token):
        return None
    folder = uploads_folder() / token
    try:
        about = json.loads((folder / "about.json").read_text(encoding="utf-8"))
        data = (folder / "upload").read_bytes()
    except (OSError, ValueError):
        return None
    if about["session"] != session:
        return None
    return PendingTranscript(token, session, about["name"], about["lenient"], data)


def discard_pending(token: str) -> None:
    if _TOKEN.match(token):
        shutil.rmtree(uploads_folder() / token, ignore_errors=True)


def stored_media(upload: FileStorage) -> str:
    """Store an uploaded recording or poster with the archive's media; return its new name."""
    suffix = Path(upload.filename or "").suffix.lower()
    with tempfile.TemporaryDirectory(dir=uploads_folder()) as folder:
        partial = Path(folder) / f"recording{suffix}"
        upload.save(partial)
        return store_media(media_folder(), partial)
