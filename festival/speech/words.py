"""What recognition yields (words with times) and how it is stopped: light enough for the
web app to import without loading the audio libraries."""

from __future__ import annotations

from dataclasses import dataclass

from festival.errors import ArchiveError


class Stopped(ArchiveError):
    """Recognition was asked to stop (a cancel, or the worker shutting down)."""


@dataclass(frozen=True)
class Word:
    """One recognised word: seconds into the recording, text as the model wrote it."""

    start: float
    end: float
    text: str
    probability: float
