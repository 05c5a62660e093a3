"""Plain-text transcripts (`.txt`): paragraphs and their speakers, with no cue timings.

Such a file is timed against the session's recording by `festival.speech.align`; here it is
only read, so a bad file is reported (file and line) before any audio is decoded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from festival.errors import Problem
from festival.timecodes import parse_time
from festival.transcripts.decoding import decode_transcript
from festival.transcripts.model import TranscriptError

# "Ada Quinn  0:15" (Otter, Rev): a speaker heading with the time the turn starts.
HEADING = re.compile(r"^(?P<name>\S(?:.{0,60}?\S)?)\s{2,}(?P<at>\d{1,2}(?::\d{2}){1,2})\s*$")
# "Ada Quinn: words" (Zoom): a paragraph naming its speaker.
NAMED = re.compile(r"^(?P<name>[A-Z][\w.'-]*(?: [\w.'-]+){0,4}):\s+(?P<text>\S.*)$", re.S)


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of the known text, who says it, and the turn's stated start if any."""

    speaker: str | None
    text: str
    line: int
    at_ms: int | None = None


def read_plain_text(data: bytes, name: str) -> list[Paragraph]:
    """Paragraphs of a `.txt` transcript, with `Name:` and `Name  0:15` speakers.

    A paragraph without a speaker keeps the previous one's. Raises `TranscriptError`
    naming the file (and line) when the file is not text or holds no words.
    """
    if b"\0" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise TranscriptError([Problem(name, None, "is not a text file")])
    text = decode_transcript(data).text
    paragraphs: list[Paragraph] = []
    speaker: str | None = None
    at_ms: int | None = None
    block: list[str] = []
    block_line = 0

    def close() -> None:
        nonlocal at_ms, speaker
        if not block:
            return
        joined = " ".join(" ".join(block).split())
        named = NAMED.match(joined)
        if named:
            speaker, joined = named["name"], named["text"]
        paragraphs.append(Paragraph(speaker, joined, block_line, at_ms))
        at_ms = None
        block.clear()

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        heading = HEADING.match(raw.rstrip())
        if heading:
            close()
            speaker, at_ms = heading["name"], round(parse_time(heading["at"]) * 1000)
        elif not line:
            close()
        else:
            if not block:
                block_line = number
            block.append(line)
    close()
    if not paragraphs:
        raise TranscriptError([Problem(name, None, "holds no words to align")])
    return paragraphs
