"""Write the archive back out as manifests and transcripts: the import format, so export then
import gives the same archive."""

from __future__ import annotations

import shutil
from pathlib import Path, PurePath
from typing import TYPE_CHECKING

import yaml

from festival.images import is_image_url
from festival.storage import reading
from festival.storage.media import media_path
from festival.timecodes import hms
from festival.transcripts.writers import to_vtt

if TYPE_CHECKING:
    from festival.storage.database import Database


def export_archive(db: Database, media: Path, target: Path) -> list[Path]:
    """Write `<target>/<festival>/festival.yaml`, transcripts and the recordings kept in the
    `media` folder; return the manifests."""
    written = []
    for festival in reading.festivals(db):
        folder = target / festival["slug"]
        (folder / "transcripts").mkdir(parents=True, exist_ok=True)
        manifest = {
            "festival": {
                key: festival[key]
                for key in (
                    "slug",
                    "name",
                    "organiser",
                    "starts",
                    "ends",
                    "url",
                    "description",
                    "notice",
                )
                if festival[key] is not None
            },
            "sessions": [
                _export_session(db, media, folder, card)
                for card in _sessions_in_manifest_order(db, festival["slug"])
            ],
        }
        path = folder / "festival.yaml"
        path.write_text(yaml.safe_dump(manifest, sort_keys=False, allow_unicode=True, width=100))
        written.append(path)
    return written


def _sessions_in_manifest_order(db: Database, festival: str) -> list[dict]:
    return [
        reading.session(db, slug, drafts=True)
        for slug in reading.festival_session_slugs(db, festival)
    ]


def _export_session(db: Database, media: Path, folder: Path, card: dict) -> dict:
    entry: dict = {"slug": card["slug"], "title": card["title"], "starts_at": card["starts_at"]}
    optional = {
        "duration": card["duration"],
        "format": card["format"],
        "summary": card["summary"],
        "notice": card["notice"],
        "status": "draft" if card["status"] == "draft" else None,
    }
    entry.update({key: value for key, value in optional.items() if value is not None})
    if card["themes"]:
        entry["themes"] = [theme["name"] for theme in card["themes"]]
    if card["poster"]:
        entry["poster"] = _export_image(media, folder, card["poster"])
    if card["speakers"]:
        entry["speakers"] = [
            _export_speaker(media, folder, speaker) for speaker in card["speakers"]
        ]
    recording = card["recording"]
    if recording:
        url = recording["url"]
        if recording["media_file"]:
            name = f"media/{card['slug']}{PurePath(recording['media_file']).suffix}"
            (folder / "media").mkdir(exist_ok=True)
            shutil.copyfile(media_path(media, recording["media_file"]), folder / name)
            url = name
        entry["recording"] = {"url": url}
    transcript = card["transcript"]
    if transcript:
        machine = transcript["source"] != "human"
        entry["transcript"] = _export_transcript(db, folder, card["slug"], card["title"], machine)
        if machine:
            entry["transcript_source"] = transcript["source"]
            entry["transcript_reviewed"] = bool(transcript["reviewed"])
    entry["language"] = card["language"]
    if card["chapters"]:
        entry["chapters"] = [
            {"at": hms(c["start_ms"]), "title": c["title"]} for c in card["chapters"]
        ]
    return entry


def _export_image(media: Path, folder: Path, stored: str) -> str:
    """A poster or photo as the manifest names it: its URL, or a copy under `images/`."""
    if is_image_url(stored):
        return stored
    (folder / "images").mkdir(exist_ok=True)
    shutil.copyfile(media_path(media, stored), folder / "images" / stored)
    return f"images/{stored}"


def _export_speaker(media: Path, folder: Path, speaker: dict) -> str | dict:
    details = ("affiliation", "bio", "photo")
    if speaker["role"] == "speaker" and not any(speaker[key] for key in details):
        return speaker["name"]
    mapping = {"name": speaker["name"]}
    if speaker["affiliation"]:
        mapping["affiliation"] = speaker["affiliation"]
    mapping["role"] = speaker["role"]
    if speaker["bio"]:
        mapping["bio"] = speaker["bio"]
    if speaker["photo"]:
        mapping["photo"] = _export_image(media, folder, speaker["photo"])
    return mapping


def _export_transcript(db: Database, folder: Path, slug: str, title: str, machine: bool) -> str:
    """The original file as imported, or our WebVTT of the cues once they have been corrected.

    A `machine` (or aligned) transcript is always our WebVTT with each cue's confidence in
    its identifier, as the worker stores it: the import reads them back, so the cues an
    organiser should check stay flagged.
    """
    original_name, original, edited = reading.transcript_original(db, slug)
    if machine:
        cues = reading.transcript_cues(db, slug)
        name, data = f"transcripts/{slug}.vtt", to_vtt(cues, confidences=True).encode()
    elif edited:
        cues = reading.transcript_cues(db, slug)
        name, data = f"transcripts/{slug}.vtt", to_vtt(cues, title=title).encode()
    else:
        name, data = f"transcripts/{slug}{PurePath(original_name).suffix.lower()}", original
    (folder / name).write_bytes(data)
    return name
