"""Which format a transcript is in, judged by its content rather than its file name."""

from __future__ import annotations

from festival.errors import Problem
from festival.transcripts.model import TranscriptError
from festival.transcripts.sbv import LOOKS_LIKE_SBV_TIMING

_LINES_TO_LOOK_AT = 2


def detect_format(text: str, name: str) -> str:
    """Return "vtt", "srt" or "sbv"; raise TranscriptError when it is none of them."""
    if text.lstrip().startswith("WEBVTT"):
        return "vtt"  # the WebVTT reader rejects anything before the signature, as browsers do
    opening = []
    for number, line in enumerate(text.split("\n", 200)[:200], start=1):
        if line.strip():
            opening.append((number, line))
            if len(opening) == _LINES_TO_LOOK_AT:
                break
    if not opening:
        raise TranscriptError([Problem(name, None, "the file holds no text, so no cues")])
    if any("-->" in line for _, line in opening):
        return "srt"
    if LOOKS_LIKE_SBV_TIMING.match(opening[0][1]):
        return "sbv"
    number, line = opening[0]
    raise TranscriptError(
        [
            Problem(
                name,
                number,
                f"not a transcript this archive reads: {line.strip()[:40]!r} starts neither "
                "WebVTT ('WEBVTT'), SRT (a cue number, then 'start --> end') nor SBV "
                "('h:mm:ss.mmm,h:mm:ss.mmm')",
            )
        ]
    )
