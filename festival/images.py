"""Posters and speaker photos: the image files the archive keeps, and links to images elsewhere.

SVG is left out on purpose: served from our own origin it could carry script.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from urllib.parse import urlparse

IMAGE_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
    ".gif": "image/gif",
    ".avif": "image/avif",
}


def image_type(name: str) -> str | None:
    """The MIME type of an image file we keep, by its name; None for anything else."""
    return IMAGE_TYPES.get(PurePosixPath(name).suffix.lower())


def is_image_url(text: str) -> bool:
    """An https link to an image somewhere else (shown as it is, never fetched by us)."""
    parts = urlparse(text)
    return parts.scheme == "https" and bool(parts.netloc)
