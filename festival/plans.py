"""What an import or an organiser's form means to write: validated festivals and sessions.

The manifest reader and the forms build these; storage writes them. Nothing here reads or
writes anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from festival.errors import Problem
from festival.transcripts.model import ParsedTranscript

STATUSES = ("draft", "published")


@dataclass
class ImagePlan:
    """A poster or photo: a URL, or a local image file to store with the archive."""

    url: str  # as written in the manifest
    path: Path | None = None
    stored: str | None = None  # as kept: the copy's name in the media folder, or the URL


@dataclass
class SpeakerPlan:
    slug: str
    name: str
    affiliation: str | None
    role: str
    bio: str | None = None  # a few plain-text sentences for the speaker's page
    photo: ImagePlan | None = None


@dataclass
class ChapterPlan:
    start_ms: int
    title: str


@dataclass
class RecordingPlan:
    url: str  # as written in the manifest
    kind: str  # youtube | vimeo | file
    media_path: Path | None = None  # a local media file to store with the archive


TRANSCRIPT_SOURCES = ("human", "machine", "aligned")


@dataclass
class TranscriptPlan:
    """A timed transcript to store, and who made it: a `machine` or `aligned` one stays
    marked as not yet reviewed (`reviewed` False) until an organiser says otherwise."""

    path: Path
    original: bytes
    parsed: ParsedTranscript
    source: str = "human"
    reviewed: bool = True


@dataclass
class SpeechPlan:
    """A transcript the worker is to make from the recording: `transcript: machine`, or a
    `.txt` transcript (its bytes and name) to time against it."""

    kind: str  # transcribe | align
    text: bytes | None = None
    text_name: str | None = None


@dataclass
class SessionPlan:
    slug: str
    title: str
    starts_at: str
    duration: int | None
    format: str | None
    summary: str | None
    language: str
    themes: list[tuple[str, str]]  # (slug, name)
    speakers: list[SpeakerPlan]
    chapters: list[ChapterPlan]
    recording: RecordingPlan | None
    transcript: TranscriptPlan | None
    line: int
    status: str | None = None  # draft | published; None keeps what is stored (new: published)
    notice: str | None = None  # shown on this session's page, e.g. "an illustrative transcript"
    speech: SpeechPlan | None = None  # a transcript to make from the recording, by the worker
    poster: ImagePlan | None = None  # the session's picture; else its title card


@dataclass
class FestivalPlan:
    slug: str
    name: str
    organiser: str | None
    starts: str | None
    ends: str | None
    url: str | None
    description: str | None
    notice: str | None  # shown on every page of the festival, e.g. "transcripts are illustrative"
    sessions: list[SessionPlan]
    warnings: list[Problem] = field(default_factory=list)
