"""Slugs: the stable, URL-safe names of festivals, sessions, speakers and themes."""

from __future__ import annotations

import re
import unicodedata

SLUG_PATTERN = re.compile(r"^[a-z0-9-]+$")


def slugify(name: str) -> str:
    """Turn a display name into a slug: `Geoff Mulgan` -> `geoff-mulgan`, accents folded."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")


def is_slug(value: str) -> bool:
    return bool(SLUG_PATTERN.match(value))
