"""Session dates and times as visitors read them, in the time zone the organiser wrote."""

from __future__ import annotations

from datetime import date, datetime, timedelta


def day_label(day: str) -> str:
    """`2020-06-09` -> `Tuesday 9 June 2020`, as a programme heading."""
    when = date.fromisoformat(day[:10])
    return f"{when:%A} {when.day} {when:%B %Y}"


def _zone(offset: timedelta | None) -> str:
    """`UTC+01:00`, `UTC-05:30` or `UTC`; empty when the time was written without an offset."""
    if offset is None:
        return ""
    minutes = int(offset.total_seconds() // 60)
    if not minutes:
        return "UTC"
    sign = "+" if minutes > 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{rest:02d}"


def time_of_day(starts_at: str) -> str:
    """`2020-06-10T14:00:00+01:00` -> `14:00 UTC+01:00`; empty for a date without a time."""
    if len(starts_at) <= 10:
        return ""
    when = datetime.fromisoformat(starts_at)
    return f"{when:%H:%M} {_zone(when.utcoffset())}".strip()


def when(starts_at: str) -> str:
    """A session's date and, when it has one, its time with its offset from UTC."""
    time = time_of_day(starts_at)
    return f"{day_label(starts_at)}, {time}" if time else day_label(starts_at)
