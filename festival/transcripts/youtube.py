"""YouTube auto-captions: spot them, and keep each spoken word once.

YouTube rolls captions up: each cue repeats the previous cue's last line above its new
words, and a 10 ms cue between them repeats the finished line again. Stored as they are,
every phrase would be found two or three times and hits would land seconds early.
"""

from __future__ import annotations

import re

from festival.transcripts.normalise import clean_text
from festival.transcripts.source import SourceCue
from festival.transcripts.timecode import milliseconds

_WORD_TIMING = re.compile(r"<[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}><c[.>]")
_LEADING_TIMESTAMP = re.compile(r"\s*(?:<c[^<>]*>\s*)*<([0-9]+):([0-9]{2}):([0-9]{2})\.([0-9]{3})>")
TRANSITION_MS = 10


def is_youtube_auto_captions(cues: list[SourceCue]) -> bool:
    """Tell auto-captions by their word timings: `<00:00:01.680><c> word</c>`."""
    return any("<c" in cue.text and _WORD_TIMING.search(cue.text) for cue in cues)


def _overlap(previous: list[str], current: list[str]) -> int:
    """Count the leading lines of `current` that repeat the trailing lines of `previous`."""
    for size in range(min(len(previous), len(current)), 0, -1):
        if previous[-size:] == current[:size]:
            return size
    return 0


def _first_word_ms(raw_line: str, fallback: int) -> int:
    match = _LEADING_TIMESTAMP.match(raw_line)
    if not match:
        return fallback
    hours, minutes, seconds, fraction = match.groups()
    return milliseconds(int(hours), int(minutes), int(seconds), fraction)


def remove_rolling_lines(cues: list[SourceCue]) -> list[SourceCue]:
    """Drop transition cues and repeated lines; a cue keeps only its new words."""
    kept = []
    previous: list[str] = []
    for cue in cues:
        if cue.end_ms - cue.start_ms <= TRANSITION_MS:
            continue
        lines = [(raw, clean_text(raw)) for raw in cue.text.split("\n")]
        lines = [(raw, plain) for raw, plain in lines if plain]
        plain_lines = [plain for _, plain in lines]
        new = lines[_overlap(previous, plain_lines) :]
        previous = plain_lines
        if not new:
            continue
        start = _first_word_ms(new[0][0], cue.start_ms)
        text = "\n".join(raw for raw, _ in new)
        kept.append(SourceCue(cue.identifier, start, cue.end_ms, text, cue.line))
    return kept
