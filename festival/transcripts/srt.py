"""SubRip (.srt): numbered cues, `00:00:01,500 --> 00:00:03,000`, comma or dot before millis."""

from __future__ import annotations

import re

from festival.transcripts.blocks import BlockFormat, read_blocks
from festival.transcripts.source import SourceParse
from festival.transcripts.timecode import LOOKS_LIKE_CUE_TIMING

_TIME = r"(?:([0-9]+):)?([0-9]{1,2}):([0-9]{1,2})(?:[,.]([0-9]{1,3}))?"
_TIMING = re.compile(rf"\s*{_TIME}\s*-->\s*{_TIME}(?:\s.*)?\Z")


SRT = BlockFormat(
    timing=_TIMING,
    looks_like_timing=re.compile(f"-->|{LOOKS_LIKE_CUE_TIMING.pattern}"),
    timing_help="hh:mm:ss,mmm --> hh:mm:ss,mmm",
    identifier_line=True,
)


def read_srt(text: str, name: str) -> SourceParse:
    """Parse decoded SRT text into cues, noting damaged or stray blocks with their lines."""
    return read_blocks(text, name, SRT)
