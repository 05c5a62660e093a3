"""Speakers written as text: Zoom's `Name: words` prefixes."""

from __future__ import annotations

import re
from dataclasses import replace

from festival.transcripts.model import Cue

_PREFIX = re.compile(r"(?P<name>[^\W\d_][\w'’.\- ]{0,60}?)\s*:\s+(?P<text>\S.*)\Z", re.S)
_MAX_NAME_WORDS = 5


def _prefix(text: str) -> tuple[str, str] | None:
    match = _PREFIX.match(text)
    if not match or len(match.group("name").split()) > _MAX_NAME_WORDS:
        return None
    return match.group("name").strip(), match.group("text")


def assign_prefixed_speakers(cues: list[Cue]) -> list[Cue]:
    """Take `Name:` prefixes as speakers when most speech cues carry one.

    An unprefixed cue continues the previous speaker. In a file where few cues are
    prefixed, `Note: ...` is text, not a speaker called Note. Files with `<v>` voices
    are left alone.
    """
    speech = [cue for cue in cues if not cue.sound]
    if not speech or any(cue.speaker for cue in speech):
        return cues
    prefixes = [_prefix(cue.text) for cue in speech]
    if sum(1 for found in prefixes if found) * 2 <= len(speech):
        return cues
    found_by_cue = dict(zip(map(id, speech), prefixes, strict=True))
    result = []
    speaker = None
    for cue in cues:
        if cue.sound:
            result.append(cue)
            continue
        found = found_by_cue[id(cue)]
        if found:
            speaker, text = found
            result.append(replace(cue, speaker=speaker, text=text))
        else:
            result.append(replace(cue, speaker=speaker))
    return result
