"""Normalised cues back out as files: WebVTT and SRT downloads, and readable plain text."""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import groupby

from festival.transcripts.confidence import confidence_identifier
from festival.transcripts.model import Cue
from festival.transcripts.timecode import format_clock

_BRACKETED_EVENT = re.compile(r"\[[^\[\]]+\]\Z|\([^()]+\)\Z")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _sound_text(text: str) -> str:
    # A bracketed event reads back as a sound by itself; others are marked as italic.
    return text if _BRACKETED_EVENT.match(text) else f"<i>{text}</i>"


def _vtt_text(cue: Cue) -> str:
    text = _escape(cue.text)
    if cue.sound:
        return _sound_text(text)
    if cue.speaker:
        return f"<v {_escape(cue.speaker)}>{text}</v>"
    return text


def to_vtt(
    cues: Iterable[Cue],
    title: str | None = None,
    note: str | None = None,
    *,
    confidences: bool = False,
) -> str:
    """Write WebVTT: speakers as `<v Name>`, sounds kept, text escaped; it parses back the same.

    `note` (such as "machine transcript, not yet reviewed") becomes a NOTE block.
    `confidences`: a cue with a confidence carries it in its identifier, which players
    ignore and `parse_transcript` reads back (a machine transcript in the archive's files).
    """
    header = "WEBVTT"
    if title:
        header += " - " + " ".join(title.replace("-->", "->").split())
    blocks = [header]
    if note:
        blocks.append("NOTE " + " ".join(note.replace("-->", "->").split()))
    for number, cue in enumerate(cues, start=1):
        timing = f"{format_clock(cue.start_ms, '.')} --> {format_clock(cue.end_ms, '.')}"
        if confidences and cue.confidence is not None:
            timing = f"{confidence_identifier(number, cue.confidence)}\n{timing}"
        blocks.append(f"{timing}\n{_vtt_text(cue)}")
    return "\n\n".join(blocks) + "\n"


def to_srt(cues: Iterable[Cue]) -> str:
    """Write SubRip: numbered cues, speakers as a `Name: ` prefix."""
    blocks = []
    for number, cue in enumerate(cues, start=1):
        timing = f"{format_clock(cue.start_ms, ',')} --> {format_clock(cue.end_ms, ',')}"
        if cue.sound:
            text = _sound_text(cue.text)
        else:
            text = f"{cue.speaker}: {cue.text}" if cue.speaker else cue.text
        blocks.append(f"{number}\n{timing}\n{text}")
    return "\n\n".join(blocks) + "\n" if blocks else ""


def _txt_line(cues: list[Cue]) -> str:
    first = cues[0]
    stamp = f"[{format_clock(first.start_ms, '.')[:8]}]"
    if first.sound:
        event = first.text if _BRACKETED_EVENT.match(first.text) else f"({first.text})"
        return f"{stamp} {event}"
    words = " ".join(cue.text for cue in cues)
    return f"{stamp} {first.speaker}: {words}" if first.speaker else f"{stamp} {words}"


def to_txt(cues: Iterable[Cue], note: str | None = None) -> str:
    """Write readable text: `[00:01:35] Name: words`, a speaker's consecutive cues as one line.

    `note` (such as "machine transcript, not yet reviewed") comes first, in parentheses.
    """

    def turn(cue: Cue) -> tuple:
        # Every sound event stands alone; speech groups by speaker.
        return ("sound", id(cue)) if cue.sound else ("speech", cue.speaker)

    lines = [_txt_line(list(group)) for _, group in groupby(cues, key=turn)]
    if note and lines:
        lines.insert(0, f"({note})")
    return "\n\n".join(lines) + "\n" if lines else ""
