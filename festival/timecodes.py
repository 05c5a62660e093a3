"""Times as people write them (`95`, `1m35s`, `01:35`, `00:01:35.5`) and as we print them."""

from __future__ import annotations

import re

_UNITS = re.compile(r"^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+(?:\.\d+)?)s)?$")
_CLOCK = re.compile(r"^(?:(\d+):)?([0-5]?\d):([0-5]\d(?:\.\d+)?)$")
_SECONDS = re.compile(r"^\d+(?:\.\d+)?$")
MAX_TIME_CHARACTERS = 40  # no time a person writes is longer; int() refuses 4,300 digits


def parse_time(text: str) -> float | None:
    """Seconds for one time in any form the URL contract allows, or None if it is not one."""
    text = text.strip().lower()
    if not text or len(text) > MAX_TIME_CHARACTERS:
        return None
    if _SECONDS.match(text):
        return float(text)
    clock = _CLOCK.match(text)
    if clock:
        hours, minutes, seconds = clock.groups()
        return int(hours or 0) * 3600 + int(minutes) * 60 + float(seconds)
    units = _UNITS.match(text)
    if units and any(units.groups()):
        hours, minutes, seconds = units.groups()
        return int(hours or 0) * 3600 + int(minutes or 0) * 60 + float(seconds or 0)
    return None


def parse_time_range(text: str | None) -> tuple[float | None, float | None]:
    """`?t=` value -> (start, end); end is set only for a `START,END` clip that ends later."""
    if not text:
        return None, None
    first, _, second = text.partition(",")
    start = parse_time(first)
    end = parse_time(second) if second else None
    if start is None or (end is not None and end <= start):
        return start, None
    return start, end


def whole_seconds(seconds: float) -> int:
    """Seconds rounded down, as media players count them: 276.9 s is shown as 4:36.

    Every length and time the pages print goes through here, so a session's header and
    its player always agree.
    """
    return int(seconds // 1)


def clock(seconds: float) -> str:
    """`H:MM:SS` or `M:SS` for display, whole seconds."""
    whole = whole_seconds(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def clock_fraction(seconds: float) -> str:
    """`clock` with the fraction of a second a person picked, if any: `0:02.5`, `1:35`."""
    whole, millis = divmod(round(seconds * 1000), 1000)
    return clock(whole) + (f".{millis:03d}".rstrip("0") if millis else "")


def hms(milliseconds: int) -> str:
    """`HH:MM:SS` (with `.mmm` when needed) as written in manifests (chapter `at`)."""
    whole, millis = divmod(int(milliseconds), 1000)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    text = f"{hours:02d}:{minutes:02d}:{secs:02d}"
    return f"{text}.{millis:03d}" if millis else text


def url_seconds(seconds: float) -> str:
    """The compact `t=` value for a link: `252` or `252.5`."""
    return f"{seconds:.3f}".rstrip("0").rstrip(".")
