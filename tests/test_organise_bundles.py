"""Bulk upload of a festival as a .zip: the importer's report, and nothing escapes the bundle."""

from __future__ import annotations

import io
import stat
import struct
import zipfile
from pathlib import Path

import pytest
import yaml
from archive_files import TWO_SPEAKERS
from organising import search_total

from festival.organise.bundles import BundleRefused, extract_bundle

pytestmark = pytest.mark.both_databases


def manifest(transcript: str = "transcripts/engines.vtt", **session) -> str:
    return yaml.safe_dump(
        {
            "festival": {"slug": "zip-fest", "name": "Zip Festival"},
            "sessions": [
                {
                    "slug": "engines",
                    "title": "Engines",
                    "starts_at": "2021-05-04",
                    "transcript": transcript,
                    **session,
                }
            ],
        }
    )


def bundle(members: dict[str, str | bytes], link: str | None = None) -> bytes:
    """A zip of `members` (name -> content); `link` adds a symbolic link of that name."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
        if link:
            info = zipfile.ZipInfo(link)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, "/etc/passwd")
    return buffer.getvalue()


def upload(client, data: bytes, name: str = "festival.zip"):
    return client.post(
        "/organise/import",
        data={"bundle": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


GOOD = {"fest/festival.yaml": manifest(), "fest/transcripts/engines.vtt": TWO_SPEAKERS}


def test_a_zip_bundle_is_imported_published_and_searchable(organiser):
    response = upload(organiser, bundle(GOOD))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Imported festival <strong>zip-fest</strong>" in html and "1 sessions, 4 cues" in html
    assert search_total(organiser, "clustering") == 1


def test_a_bundle_with_a_bad_manifest_shows_the_line_numbered_report(organiser):
    bad = {"festival.yaml": manifest(starts_at="someday"), "transcripts/engines.vtt": "WEBVTT\n"}
    response = upload(organiser, bundle(bad))
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert '<code>festival.yaml</code> <span class="line">line 6</span>' in html
    assert "not a valid ISO date" in html and "Nothing was imported" in html
    assert "/uploads/" not in html  # paths are shown as they are inside the bundle
    assert organiser.get("/festivals/zip-fest").status_code == 404


@pytest.mark.parametrize(
    "members, link, reason",
    [
        (GOOD | {"../escape.vtt": "WEBVTT\n"}, None, "reaches outside the bundle"),
        (GOOD | {"/tmp/abs.vtt": "WEBVTT\n"}, None, "absolute path"),
        (GOOD, "fest/transcripts/link.vtt", "symbolic link"),
    ],
)
def test_a_bundle_member_that_could_escape_is_refused_and_nothing_is_stored(
    organiser, organiser_app, members, link, reason
):
    response = upload(organiser, bundle(members, link))
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert reason in html and "nothing imported" in html
    assert organiser.get("/sessions/engines").status_code == 404
    uploads = Path(organiser_app.instance_path) / "uploads"
    assert not any(uploads.rglob("*"))  # nothing unpacked is left behind


def test_a_manifest_naming_a_file_outside_the_bundle_is_refused(organiser, tmp_path):
    secret = tmp_path / "secret.vtt"
    secret.write_text(TWO_SPEAKERS, encoding="utf-8")
    response = upload(organiser, bundle({"festival.yaml": manifest(transcript=str(secret))}))
    assert response.status_code == 400
    assert "leads outside the festival" in response.get_data(as_text=True)
    assert organiser.get("/sessions/engines").status_code == 404


def test_not_a_zip_is_refused(organiser):
    response = upload(organiser, b"PK but not really", "festival.zip")
    assert response.status_code == 400
    assert "not a readable .zip" in response.get_data(as_text=True)
    wrong = upload(organiser, b"festival:", "festival.yaml")
    assert "Upload a .zip" in wrong.get_data(as_text=True)


def test_extraction_stops_at_the_file_and_byte_limits(tmp_path):
    many = bundle({f"t/{n}.vtt": "WEBVTT\n" for n in range(5)})
    with pytest.raises(BundleRefused, match="holds 5 files; the limit is 4"):
        extract(many, tmp_path / "a", max_files=4)
    big = bundle({"festival.yaml": "", "big.vtt": "A" * 200_000})  # compresses to a few hundred
    with pytest.raises(BundleRefused, match="'big.vtt' takes the bundle past the limit of 100,000"):
        extract(big, tmp_path / "b", max_bytes=100_000)


def extract(data: bytes, target: Path, max_files=100, max_bytes=10**7, max_ratio=100) -> Path:
    target.mkdir()
    return extract_bundle(
        io.BytesIO(data), target, max_files=max_files, max_bytes=max_bytes, max_ratio=max_ratio
    )


def patched(data: bytes, name: str, **fields: int) -> bytes:
    """`data` with one member's header fields (`flags`, `method`, `size`: the declared unpacked
    size) rewritten in both its local header and the central directory, as another tool or a
    hostile one could have written them."""
    offsets = {  # field: (offset in the local header, offset in the central entry, format)
        "flags": (6, 8, "<H"),
        "method": (8, 10, "<H"),
        "size": (22, 24, "<I"),
    }
    out = bytearray(data)
    encoded = name.encode()
    for signature, header, which in ((b"PK\x03\x04", 30, 0), (b"PK\x01\x02", 46, 1)):
        start = out.find(signature)
        while start != -1 and out[start + header : start + header + len(encoded)] != encoded:
            start = out.find(signature, start + 1)
        for field, value in fields.items():
            offset, fmt = offsets[field][which], offsets[field][2]
            struct.pack_into(fmt, out, start + offset, value)
    return bytes(out)


ZEROS = 30 * 1024 * 1024  # thirty megabytes of nothing, which deflate packs to about 30 KB


def test_a_zip_bomb_is_refused_from_its_declared_sizes_before_anything_is_written(tmp_path):
    bomb = bundle(GOOD | {"fest/silence.vtt": bytes(ZEROS)})
    assert len(bomb) < ZEROS / 500
    target = tmp_path / "bomb"
    with pytest.raises(BundleRefused, match="'fest/silence.vtt' takes the bundle past the limit"):
        extract(bomb, target, max_bytes=10 * 1024 * 1024)
    assert not any(target.iterdir())  # not even the members before it
    with pytest.raises(BundleRefused, match="unpacks to 1,0[0-9]{2} times its packed size"):
        extract(bomb, tmp_path / "ratio", max_bytes=10**12)
    assert not any((tmp_path / "ratio").iterdir())


def test_a_member_lying_about_its_size_writes_no_more_than_it_declares_and_is_refused(tmp_path):
    liar = patched(bundle(GOOD | {"fest/silence.vtt": bytes(ZEROS)}), "fest/silence.vtt", size=10)
    target = tmp_path / "liar"
    with pytest.raises(BundleRefused, match="'fest/silence.vtt' cannot be unpacked: Bad CRC-32"):
        extract(liar, target)
    assert not any(target.iterdir())


def test_a_zip_bomb_upload_is_refused_with_a_clear_message(organiser, organiser_app):
    organiser_app.config["BUNDLE_MAX_BYTES"] = 10 * 1024 * 1024
    response = upload(organiser, bundle(GOOD | {"fest/silence.vtt": bytes(ZEROS)}))
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "takes the bundle past the limit of 10,485,760 bytes" in html
    assert "nothing imported" in html
    assert organiser.get("/sessions/engines").status_code == 404


LONG = "x" * 256


@pytest.mark.parametrize(
    "data, reason",
    [
        (patched(bundle(GOOD), "fest/festival.yaml", flags=1), "is encrypted"),
        (patched(bundle(GOOD), "fest/festival.yaml", method=99), "uses compression method 99"),
        (patched(bundle(GOOD), "fest/festival.yaml", method=9), "uses compression method 9"),
        (bundle(GOOD | {"fest/a": "x", "fest/a/": ""}), "is both a file and a folder"),
        (bundle({"fest/a/": "", **GOOD, "fest/a": "x"}), "is both a file and a folder"),
        (bundle(GOOD | {"fest/a": "x", "fest/a/b.vtt": "WEBVTT\n"}), "is both a file and a folder"),
        (bundle(GOOD | {f"fest/{LONG}.vtt": "WEBVTT\n"}), "has a name longer than 255 bytes"),
        (bundle(GOOD | {f"fest/{LONG}/": ""}), "has a name longer than 255 bytes"),
        (bundle(GOOD | {f"fest/{'é' * 128}.vtt": ""}), "has a name longer than 255 bytes"),
    ],
    ids=[
        "encrypted",
        "aes",
        "deflate64",
        "file-then-folder",
        "folder-then-file",
        "file-then-member-inside",
        "long-file-name",
        "long-folder-name",
        "long-in-utf8",
    ],
)
def test_a_member_that_cannot_be_unpacked_is_a_clear_400_and_nothing_is_stored(
    organiser, organiser_app, data, reason
):
    response = upload(organiser, data)
    html = response.get_data(as_text=True)
    assert response.status_code == 400, html
    assert reason in html and "nothing imported" in html
    assert organiser.get("/sessions/engines").status_code == 404
    uploads = Path(organiser_app.instance_path) / "uploads"
    assert not any(uploads.rglob("*"))
