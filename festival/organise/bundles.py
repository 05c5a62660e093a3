"""Unpack an uploaded festival bundle (.zip) safely: nothing in it may land outside its folder."""

from __future__ import annotations

import stat
import zipfile
from pathlib import Path, PurePosixPath
from typing import BinaryIO

CHUNK = 1 << 20


class BundleRefused(ValueError):
    """A bundle that is not unpacked; the message says which member and why."""


def _member_problem(info: zipfile.ZipInfo) -> str | None:
    name = info.filename
    path = PurePosixPath(name.replace("\\", "/"))
    if path.is_absolute() or (path.parts and path.parts[0].endswith(":")):
        return f"'{name}' has an absolute path"
    if ".." in path.parts:
        return f"'{name}' reaches outside the bundle (..)"
    if stat.S_ISLNK(info.external_attr >> 16):
        return f"'{name}' is a symbolic link"
    return None


def _unpack(bundle: zipfile.ZipFile, info: zipfile.ZipInfo, destination: Path, room: int) -> int:
    """Write one member, refusing once it passes `room` bytes; return the bytes written."""
    written = 0
    try:
        destination.parent.mkdir(parents=True, exist_ok=True)
        with bundle.open(info) as member, open(destination, "wb") as out:
            while block := member.read(CHUNK):
                written += len(block)
                if written > room:
                    raise BundleRefused("the bundle unpacks to more bytes than the limit")
                out.write(block)
    except (OSError, zipfile.BadZipFile) as error:
        raise BundleRefused(f"'{info.filename}' cannot be unpacked: {error}") from None
    return written


def extract_bundle(source: BinaryIO, target: Path, *, max_files: int, max_bytes: int) -> Path:
    """Unpack a zip into the empty folder `target`; return the folder holding `festival.yaml`.

    Raises `BundleRefused` before writing anything for a damaged zip, a member with an
    absolute path, `..` or a symbolic link, or more than `max_files` members; and while
    writing when the members unpack to more than `max_bytes` (whatever the zip claims).
    """
    try:
        bundle = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError):
        raise BundleRefused("the file is not a readable .zip") from None
    with bundle:
        members = bundle.infolist()
        if len(members) > max_files:
            raise BundleRefused(f"the bundle holds {len(members)} files; the limit is {max_files}")
        problems = [problem for info in members if (problem := _member_problem(info))]
        if problems:
            raise BundleRefused("; ".join(problems))
        written = 0
        for info in members:
            destination = target.joinpath(*PurePosixPath(info.filename.replace("\\", "/")).parts)
            if info.is_dir():
                destination.mkdir(parents=True, exist_ok=True)
                continue
            written += _unpack(bundle, info, destination, max_bytes - written)
    manifests = sorted(target.rglob("festival.yaml"), key=lambda p: len(p.parts))
    if not manifests:
        raise BundleRefused("the bundle holds no festival.yaml")
    return manifests[0].parent
