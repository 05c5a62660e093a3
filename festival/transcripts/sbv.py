"""YouTube SBV (.sbv): `0:00:02.400,0:00:07.200` then the text, cues split by blank lines."""

from __future__ import annotations

import re

from festival.transcripts.blocks import BlockFormat, read_blocks
from festival.transcripts.source import SourceParse

_TIME = r"([0-9]+):([0-9]{1,2}):([0-9]{1,2})\.([0-9]{1,3})"
_TIMING = re.compile(rf"\s*{_TIME}\s*,\s*{_TIME}\s*\Z")
LOOKS_LIKE_SBV_TIMING = re.compile(r"\A\s*[0-9][0-9:.]*\s*,\s*[0-9:.]*\s*\Z")


SBV = BlockFormat(
    timing=_TIMING,
    looks_like_timing=LOOKS_LIKE_SBV_TIMING,
    timing_help="h:mm:ss.mmm,h:mm:ss.mmm",
    identifier_line=False,
)


def read_sbv(text: str, name: str) -> SourceParse:
    """Parse decoded SBV text into cues, noting damaged or stray blocks with their lines."""
    return read_blocks(text, name, SBV)
