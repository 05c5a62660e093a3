"""Recordings kept with the archive: stored under the instance folder by content hash."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

MEDIA_FOLDER = "media"


def store_media(instance: Path, source: Path) -> str:
    """Copy a media file into the instance folder (once per content); return its stored name."""
    digest = hashlib.sha256()
    with open(source, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    name = f"{digest.hexdigest()[:32]}{source.suffix.lower()}"
    target = instance / MEDIA_FOLDER / name
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(target.suffix + ".part")
        shutil.copyfile(source, partial)
        partial.replace(target)
    return name


def media_path(instance: Path, name: str) -> Path:
    return instance / MEDIA_FOLDER / Path(name).name
