"""Speakers written as text: Zoom's `Name: words`, captioners' `[Name] words` and `NAME: words`."""

from __future__ import annotations

import re
from dataclasses import replace

from festival.transcripts.model import Cue
from festival.transcripts.source import SourceCue

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


_NAME_WORD = r"[^\W\d_][\w'’.\-]*"
_BRACKET_LABEL = re.compile(
    rf"\[\s*(?P<name>{_NAME_WORD}(?: {_NAME_WORD}){{0,4}})\s*\]\s*(?P<text>\S.*)\Z", re.S
)
_CAPITAL_WORD = r"[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ'’.\-]+"
_CAPITALS_LABEL = re.compile(
    rf"(?P<name>{_CAPITAL_WORD}(?: {_CAPITAL_WORD}){{0,4}}):\s+(?P<text>\S.*)\Z", re.S
)
# Bracketed words captioners use for sounds, never people: `[Music] so today` is no speaker.
_SOUND_WORDS = frozenset(
    [
        "applause",
        "audio",
        "background",
        "beep",
        "bell",
        "chatter",
        "cheering",
        "cheers",
        "chuckles",
        "chuckling",
        "clapping",
        "coughing",
        "coughs",
        "crosstalk",
        "crowd",
        "foreign",
        "gasps",
        "inaudible",
        "indistinct",
        "intro",
        "laughing",
        "laughs",
        "laughter",
        "music",
        "mumbles",
        "murmuring",
        "noise",
        "outro",
        "pause",
        "phone",
        "ringing",
        "sighs",
        "silence",
        "sniffs",
        "speaking",
        "static",
        "typing",
        "unintelligible",
        "video",
    ]
)
_MIN_LABELS = 2  # one `NOTE: ...` is not a speaker taking over the rest of the file


def _written_name(name: str) -> str:
    """A label as a name: `ADA LOVELACE` -> `Ada Lovelace`; `Ada Lovelace` stays."""
    return name.title() if name.isupper() else name


def _label(text: str) -> tuple[str, str] | None:
    """(speaker, words) when cue text opens with `[Name]` or `NAME:`; sounds are not names."""
    match = _BRACKET_LABEL.match(text) or _CAPITALS_LABEL.match(text)
    if not match:
        return None
    name = match.group("name")
    words = name.lower().replace(".", " ").split()
    if any(word in _SOUND_WORDS for word in words) or not all(w[0].isupper() for w in name.split()):
        return None
    return _written_name(name), match.group("text")


def label_speakers(cues: list[SourceCue]) -> None:
    """Turn `[Name] words` and `NAME: words` labels into `<v Name>` voices, in place.

    Captioners label a speaker where they start speaking; the cues that follow, until the
    next label, are theirs too. A file with `<v>` voices of its own is left alone.
    """
    if any("<v" in cue.text for cue in cues):
        return
    labels = [_label(cue.text.strip()) for cue in cues]
    if sum(1 for found in labels if found) < _MIN_LABELS:
        return
    speaker = None
    for cue, found in zip(cues, labels, strict=True):
        if found:
            speaker, words = found
            cue.text = words
        if speaker:
            cue.text = f"<v {_voice_name(speaker)}>{cue.text}</v>"


def _voice_name(name: str) -> str:
    """The name as a voice tag may carry it: `&`, `<` and `>` written as entities."""
    return name.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
