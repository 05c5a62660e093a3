"""A session's recording as the API and the pages describe it, with our own media URL."""

from __future__ import annotations

from flask import url_for


def recording_json(session: dict) -> dict | None:
    """`{"url", "kind"}` of a stored session's recording; a stored file is served by us."""
    recording = session["recording"]
    if recording is None:
        return None
    url = recording["url"]
    if recording["media_file"]:
        url = url_for("pages.media", slug=session["slug"], _external=True)
    return {"url": url, "kind": recording["kind"]}
