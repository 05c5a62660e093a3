"""The key that signs sign-in cookies and CSRF tokens when `FESTIVAL_SECRET_KEY` is not set.

It is made at random on first start and kept in the instance folder (mode 0600), so every
worker sharing that folder signs with the same key. The file is written whole under a
temporary name and linked into place, so of racing workers exactly one creates it and the
others read the finished file.
"""

from __future__ import annotations

import logging
import os
import secrets
import tempfile
from pathlib import Path

KEY_FILE = "secret_key"


def _read(path: Path) -> str:
    key = path.read_text(encoding="ascii").strip()
    if not key:
        raise RuntimeError(
            f"{path} is empty: delete it to make a new key, or set FESTIVAL_SECRET_KEY"
        )
    return key


def signing_key(configured: object, instance: Path, logger: logging.Logger) -> str | bytes:
    """The configured `SECRET_KEY`, or else the instance folder's own key.

    A configured key of digits arrives as a number (`from_prefixed_env` parses values as
    JSON); it is used as the text it was written as.
    """
    if isinstance(configured, str | bytes) and configured:
        return configured
    if configured is None or configured == "":
        return instance_secret_key(instance, logger)
    return os.environ.get("FESTIVAL_SECRET_KEY", str(configured))


def instance_secret_key(instance: Path, logger: logging.Logger) -> str:
    """The instance folder's key, made now (and said so in the log) if it has none yet."""
    path = instance / KEY_FILE
    try:
        return _read(path)
    except FileNotFoundError:
        pass
    key = secrets.token_hex(32)
    descriptor, partial = tempfile.mkstemp(dir=instance, prefix=f".{KEY_FILE}.")  # mode 0600
    try:
        with os.fdopen(descriptor, "w", encoding="ascii") as out:
            out.write(key + "\n")
            out.flush()
            os.fsync(out.fileno())
        try:
            os.link(partial, path)
        except FileExistsError:
            return _read(path)  # another worker made it first; use theirs
    finally:
        os.unlink(partial)
    logger.warning(
        "FESTIVAL_SECRET_KEY is not set: made a random key in %s to sign cookies. Workers "
        "sharing this instance folder use it; set FESTIVAL_SECRET_KEY to share one across hosts.",
        path,
    )
    return key
