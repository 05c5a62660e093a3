"""Where a session's recording lives: YouTube, Vimeo, or a media file we serve ourselves."""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath
from urllib.parse import parse_qs, urlparse

import av

from festival.timecodes import whole_seconds

MEDIA_TYPES = {
    ".webm": "video/webm",
    ".ogg": "audio/ogg",
    ".oga": "audio/ogg",
    ".opus": "audio/ogg",
    ".ogv": "video/ogg",
    ".mp3": "audio/mpeg",
    ".m4a": "audio/mp4",
    ".mp4": "video/mp4",
    ".wav": "audio/wav",
}
_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{6,20}$")
_VIMEO_ID = re.compile(r"^\d{3,12}$")


def youtube_id(url: str) -> str | None:
    parts = urlparse(url)
    host = (parts.hostname or "").removeprefix("www.").removeprefix("m.")
    candidate = None
    if host == "youtu.be":
        candidate = parts.path.strip("/")
    elif host in ("youtube.com", "youtube-nocookie.com"):
        if parts.path == "/watch":
            candidate = parse_qs(parts.query).get("v", [""])[0]
        elif parts.path.startswith(("/embed/", "/live/", "/shorts/")):
            candidate = parts.path.split("/")[2]
    return candidate if candidate and _YOUTUBE_ID.match(candidate) else None


def vimeo_id(url: str) -> str | None:
    parts = urlparse(url)
    host = (parts.hostname or "").removeprefix("www.")
    segments = [s for s in parts.path.split("/") if s]
    if host == "vimeo.com" and segments and _VIMEO_ID.match(segments[-1]):
        return segments[-1]
    if host == "player.vimeo.com" and len(segments) == 2 and segments[0] == "video":
        return segments[1] if _VIMEO_ID.match(segments[1]) else None
    return None


def media_type(url: str) -> str | None:
    return MEDIA_TYPES.get(PurePosixPath(urlparse(url).path).suffix.lower())


def recording_kind(url: str) -> str | None:
    """`youtube`, `vimeo`, `file` (a media file by its extension) or None if unrecognised."""
    if youtube_id(url):
        return "youtube"
    if vimeo_id(url):
        return "vimeo"
    if media_type(url) and urlparse(url).scheme in ("", "http", "https"):
        return "file"
    return None


def media_duration(path: Path) -> int | None:
    """Whole seconds a media file lasts, read from its container's header (no decoding);
    None when the file does not say or cannot be read as media."""
    try:
        with av.open(str(path)) as container:
            if container.duration is None:
                return None
            return whole_seconds(container.duration / av.time_base) or None
    except (av.error.FFmpegError, OSError):
        return None
