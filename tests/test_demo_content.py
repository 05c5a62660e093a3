"""Checks on the bundled demo festival that a visitor would notice if they broke."""

from __future__ import annotations

import re
from pathlib import Path

import av
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
MANIFEST = ROOT / "sessions" / "states-of-change-2020.yaml"
TIMING = re.compile(r"^(\d+):(\d\d):(\d\d\.\d{3}) --> (\d+):(\d\d):(\d\d\.\d{3})", re.M)
VOICE = re.compile(r"<v(?:\.[\w.-]+)?\s+([^>]+)>")
MAX_MEDIA_BYTES = 5 * 1024 * 1024


def seconds(h: str, m: str, s: str) -> float:
    """Turn timestamp parts into seconds."""
    return int(h) * 3600 + int(m) * 60 + float(s)


def speaker_names(session: dict) -> set[str]:
    """Names of a session's speakers, whether given as strings or mappings."""
    return {s if isinstance(s, str) else s["name"] for s in session["speakers"]}


def transcript_text(session: dict) -> str:
    """The session's transcript file as text."""
    return (MANIFEST.parent / session["transcript"]).read_text(encoding="utf-8")


def last_cue_end(session: dict) -> float:
    """End time in seconds of the session's last cue."""
    return seconds(*TIMING.findall(transcript_text(session))[-1][3:])


def media_path(session: dict) -> Path:
    """Local media file of a session's recording."""
    return (MANIFEST.parent / session["recording"]["url"]).resolve()


MANIFEST_DATA = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
SESSIONS = MANIFEST_DATA["sessions"]
WITH_MEDIA = [s for s in SESSIONS if s.get("recording")]
ids = [s["slug"] for s in SESSIONS]


def test_festival_has_at_least_six_sessions():
    assert MANIFEST_DATA["festival"]["slug"] == "states-of-change-2020"
    assert len(SESSIONS) >= 6
    assert len(set(ids)) == len(ids)


@pytest.mark.parametrize("session", SESSIONS, ids=ids)
def test_transcript_has_enough_cues_and_known_voices(session):
    text = transcript_text(session)
    assert text.startswith("WEBVTT")
    assert len(re.findall(r"-->", text)) >= 60
    assert set(VOICE.findall(text)) <= speaker_names(session)


@pytest.mark.parametrize("session", SESSIONS, ids=ids)
def test_cue_timings_increase_and_chapters_land_on_cues(session):
    cues = [(seconds(*t[:3]), seconds(*t[3:])) for t in TIMING.findall(transcript_text(session))]
    assert all(start < end for start, end in cues)
    assert all(a[1] <= b[0] for a, b in zip(cues, cues[1:], strict=False))
    cue_seconds = {int(start) for start, _ in cues}
    chapter_at = [seconds(*c["at"].split(":")) for c in session["chapters"]]
    assert 3 <= len(chapter_at) <= 6
    assert chapter_at == sorted(chapter_at)
    assert set(chapter_at) <= cue_seconds


def test_at_least_two_sessions_have_local_media_under_the_size_cap():
    assert len(WITH_MEDIA) >= 2
    paths = [media_path(s) for s in WITH_MEDIA]
    assert all(p.is_file() for p in paths)
    assert sum(p.stat().st_size for p in paths) < MAX_MEDIA_BYTES


@pytest.mark.parametrize("session", WITH_MEDIA, ids=[s["slug"] for s in WITH_MEDIA])
def test_media_duration_matches_transcript(session):
    with av.open(str(media_path(session))) as container:
        seconds = container.duration / av.time_base
    assert abs(seconds - last_cue_end(session)) <= 0.5
