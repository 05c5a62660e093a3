"""What every format reader yields: cues as written in the file, before normalising."""

from __future__ import annotations

from dataclasses import dataclass, field

from festival.errors import Problem


@dataclass
class SourceCue:
    """One cue as the file has it: raw text with its tags, and the line of its timing."""

    identifier: str
    start_ms: int
    end_ms: int
    text: str
    line: int


@dataclass
class SourceParse:
    """A reader's result: the cues a browser would show, and what it would silently drop."""

    cues: list[SourceCue]
    dropped: list[Problem] = field(default_factory=list)


def milliseconds(hours: int, minutes: int, seconds: int, fraction: str) -> int:
    """Return a time in whole milliseconds; `fraction` is the digits after the decimal sign."""
    return ((hours * 60 + minutes) * 60 + seconds) * 1000 + int(fraction.ljust(3, "0")[:3])


def timings_from_groups(groups: tuple) -> tuple[int, int] | None:
    """Turn (hours, minutes, seconds, fraction) twice into (start_ms, end_ms); None if invalid.

    Hours may be None (absent), the fraction None or short (`,5` is 500 ms).
    """
    times = []
    for hours, minutes, seconds, fraction in (groups[:4], groups[4:]):
        if int(minutes) > 59 or int(seconds) > 59 or len(hours or "") > 12:
            return None
        times.append(milliseconds(int(hours or 0), int(minutes), int(seconds), fraction or ""))
    return times[0], times[1]
