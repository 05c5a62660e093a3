"""Times: clock strings to whole milliseconds and back."""

from __future__ import annotations

import re

MAX_HOUR_DIGITS = 12  # far past any recording; keeps int() away from absurd digit runs

# Two clock times joined by something arrow-like: a timing line, even if a damaged one.
LOOKS_LIKE_CUE_TIMING = re.compile(
    r"\s*[0-9:.,]*[0-9]:[0-9]{2}[0-9:.,]*\s*(?:-+>?|–|—|=+>|>)\s*[0-9]+:"
)


def milliseconds(hours: int, minutes: int, seconds: int, fraction: str) -> int:
    """Return a time in whole milliseconds; `fraction` is the digits after the decimal sign."""
    return ((hours * 60 + minutes) * 60 + seconds) * 1000 + int(fraction.ljust(3, "0")[:3])


def timings_from_groups(groups: tuple) -> tuple[int, int] | None:
    """Turn (hours, minutes, seconds, fraction) twice into (start_ms, end_ms); None if invalid.

    Hours may be None (absent), the fraction None or short (`,5` is 500 ms).
    """
    times = []
    for hours, minutes, seconds, fraction in (groups[:4], groups[4:]):
        if int(minutes) > 59 or int(seconds) > 59 or len(hours or "") > MAX_HOUR_DIGITS:
            return None
        times.append(milliseconds(int(hours or 0), int(minutes), int(seconds), fraction or ""))
    return times[0], times[1]


def format_clock(ms: int, separator: str = ".") -> str:
    """Return `HH:MM:SS.mmm` (or with `,` for SRT) for a time in milliseconds."""
    seconds, millis = divmod(ms, 1000)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}{separator}{millis:03d}"
