"""Unpack an uploaded festival bundle (.zip) safely: nothing in it may land outside its folder,
and a bundle is checked whole (names, layout, declared sizes, compression ratio) before any
of it is written, so a refused bundle writes nothing."""

from __future__ import annotations

import lzma
import shutil
import stat
import zipfile
import zlib
from pathlib import Path, PurePosixPath
from typing import BinaryIO

CHUNK = 1 << 20
MAX_NAME_BYTES = 255  # the longest file or folder name Linux and macOS file systems allow
# Compression methods the standard library unpacks; others (AES, deflate64, ...) are refused.
METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
ENCRYPTED = 0x1  # general purpose flag bit 0
# Members smaller than this are never a bomb, however well they compress (a page of silence
# cues compresses a thousandfold and is harmless).
RATIO_CHECKED_FROM = 1 << 20
UNPACK_ERRORS = (OSError, EOFError, zipfile.BadZipFile, zlib.error, lzma.LZMAError)


class BundleRefused(ValueError):
    """A bundle that is not unpacked; the message says which member and why."""


def _parts(info: zipfile.ZipInfo) -> tuple[str, ...]:
    return PurePosixPath(info.filename.replace("\\", "/")).parts


def _member_problem(info: zipfile.ZipInfo) -> str | None:
    name, parts = info.filename, _parts(info)
    if not parts:
        return f"'{name}' has no name"
    if parts[0] == "/" or parts[0].endswith(":"):
        return f"'{name}' has an absolute path"
    if ".." in parts:
        return f"'{name}' reaches outside the bundle (..)"
    if stat.S_ISLNK(info.external_attr >> 16):
        return f"'{name}' is a symbolic link"
    if any(len(part.encode("utf-8", "surrogateescape")) > MAX_NAME_BYTES for part in parts):
        return f"'{name[:60]}...' has a name longer than {MAX_NAME_BYTES} bytes"
    if info.flag_bits & ENCRYPTED:
        return f"'{name}' is encrypted; upload a bundle without a password"
    if info.compress_type not in METHODS:
        return (
            f"'{name}' uses compression method {info.compress_type}, which cannot be unpacked"
            " here; zip it with the usual deflate"
        )
    return None


def _layout_problems(members: list[zipfile.ZipInfo]) -> list[str]:
    """Members that would collide when written: the same name twice, or a file and a folder."""
    files: dict[tuple[str, ...], str] = {}
    folders: set[tuple[str, ...]] = set()
    problems = []
    for info in members:
        parts = _parts(info)
        folders.update(parts[:end] for end in range(1, len(parts)))
        if info.is_dir():
            folders.add(parts)
        elif parts in files:
            problems.append(f"'{info.filename}' appears twice")
        else:
            files[parts] = info.filename
    problems += [
        f"'{files[parts]}' is both a file and a folder" for parts in files if parts in folders
    ]
    return problems


def _size_problem(members: list[zipfile.ZipInfo], max_bytes: int, max_ratio: float) -> str | None:
    """The first member whose declared size passes the limit, or that packs like a bomb."""
    total = 0
    for info in members:
        total += info.file_size
        if total > max_bytes:
            return (
                f"'{info.filename}' takes the bundle past the limit of {max_bytes:,} bytes"
                f" unpacked ({total:,} bytes so far)"
            )
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size >= RATIO_CHECKED_FROM and ratio > max_ratio:
            return (
                f"'{info.filename}' unpacks to {ratio:,.0f} times its packed size (the limit is"
                f" {max_ratio:g}): it looks like a zip bomb"
            )
    return None


def _unpack(bundle: zipfile.ZipFile, info: zipfile.ZipInfo, destination: Path) -> None:
    """Write one member. `zipfile` never yields more than the size the member declares, and
    refuses it (bad CRC) if the data does not match."""
    try:
        if info.is_dir():
            destination.mkdir(parents=True, exist_ok=True)
            return
        destination.parent.mkdir(parents=True, exist_ok=True)
        with bundle.open(info) as member, open(destination, "xb") as out:
            while block := member.read(CHUNK):
                out.write(block)
    except UNPACK_ERRORS as error:
        raise BundleRefused(f"'{info.filename}' cannot be unpacked: {error}") from None


def _empty(folder: Path) -> None:
    for child in folder.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()


def extract_bundle(
    source: BinaryIO, target: Path, *, max_files: int, max_bytes: int, max_ratio: float
) -> Path:
    """Unpack a zip into the empty folder `target`; return the folder holding `festival.yaml`.

    Raises `BundleRefused`, with `target` left empty, for a damaged zip; a member with an
    absolute path, `..`, a symbolic link, a name over 255 bytes, a password or a compression
    method the standard library lacks; two members that collide; more than `max_files`
    members; declared sizes adding up to more than `max_bytes`; or a member over 1 MiB that
    unpacks to more than `max_ratio` times its packed size.
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
        problems = problems or _layout_problems(members)
        if problems:
            raise BundleRefused("; ".join(problems))
        if too_big := _size_problem(members, max_bytes, max_ratio):
            raise BundleRefused(too_big)
        try:
            for info in members:
                _unpack(bundle, info, target.joinpath(*_parts(info)))
        except BundleRefused:
            _empty(target)
            raise
    manifests = sorted(target.rglob("festival.yaml"), key=lambda p: len(p.parts))
    if not manifests:
        _empty(target)
        raise BundleRefused("the bundle holds no festival.yaml")
    return manifests[0].parent
