"""Recordings and pictures kept with the archive: stored in the media folder by content hash.

The folder is `FESTIVAL_MEDIA_PATH`, or `media/` in the instance folder; with several hosts
it is one folder they all mount, and a content-hash name never collides between hosts.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

MEDIA_FOLDER = "media"
STORED_NAME = re.compile(r"[0-9a-f]{32}\.[a-z0-9]{1,5}")  # what `store_media` names a file


def media_folder(instance: Path, configured: str = "") -> Path:
    """Where recordings are kept: the configured folder, else `media/` in the instance folder."""
    return Path(configured) if configured else instance / MEDIA_FOLDER


def store_media(folder: Path, source: Path) -> str:
    """Copy a media file into the media folder (once per content); return its stored name."""
    digest = hashlib.sha256()
    with open(source, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return _keep(folder, digest, source.suffix, lambda partial: shutil.copyfile(source, partial))


def store_media_bytes(folder: Path, data: bytes, suffix: str) -> str:
    """Keep bytes made here (a frame taken as a poster) as `store_media` keeps a file."""
    return _keep(folder, hashlib.sha256(data), suffix, lambda partial: partial.write_bytes(data))


def _keep(folder: Path, digest, suffix: str, write: Callable[[Path], object]) -> str:
    """Name the content by its hash and, unless it is kept already, `write` it there."""
    name = f"{digest.hexdigest()[:32]}{suffix.lower()}"
    target = folder / name
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        # A name of this process's own, so hosts storing the same file at once never clash.
        partial = target.with_name(f"{target.name}.{os.getpid()}.part")
        write(partial)
        partial.replace(target)
    return name


def media_path(folder: Path, name: str) -> Path:
    return folder / Path(name).name
