"""Bulk upload of a festival as a .zip: the importer's report, and nothing escapes the bundle."""

from __future__ import annotations

import io
import stat
import zipfile
from pathlib import Path

import pytest
import yaml
from archive_files import TWO_SPEAKERS
from organising import search_total

from festival.organise.bundles import BundleRefused, extract_bundle


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
        extract_bundle(io.BytesIO(many), tmp_path / "a", max_files=4, max_bytes=10**6)
    bomb = bundle({"festival.yaml": "", "big.vtt": "A" * 200_000})  # compresses to a few hundred
    with pytest.raises(BundleRefused, match="more bytes than the limit"):
        extract_bundle(io.BytesIO(bomb), tmp_path / "b", max_files=10, max_bytes=100_000)
