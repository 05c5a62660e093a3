"""schema.org JSON-LD for festival and session pages, built from reading's shapes (no Flask).

`base` is the site's root URL without a trailing slash; every URL here is absolute.
"""

from __future__ import annotations

CONTEXT = "https://schema.org"
ONLINE = "https://schema.org/OnlineEventAttendanceMode"


def _session_url(base: str, slug: str) -> str:
    return f"{base}/sessions/{slug}"


def _festival_url(base: str, slug: str) -> str:
    return f"{base}/festivals/{slug}"


def _event(base: str, card: dict) -> dict:
    """The fields a session `Event` has wherever it appears."""
    url = _session_url(base, card["slug"])
    return {
        "@type": "Event",
        "name": card["title"],
        "url": url,
        "startDate": card["starts_at"],
        "eventAttendanceMode": ONLINE,
        "location": {"@type": "VirtualLocation", "url": url},
    }


def festival_series(base: str, festival: dict, sessions: list[dict]) -> dict:
    """The festival as an `EventSeries` whose sub-events are its published sessions."""
    data = {
        "@context": CONTEXT,
        "@type": "EventSeries",
        "name": festival["name"],
        "url": _festival_url(base, festival["slug"]),
        "subEvent": [_event(base, card) for card in sessions],
    }
    optional = {
        "description": festival.get("description"),
        "startDate": festival.get("starts"),
        "endDate": festival.get("ends"),
        "sameAs": festival.get("url"),
    }
    data |= {key: value for key, value in optional.items() if value}
    if festival.get("organiser"):
        data["organizer"] = {"@type": "Organization", "name": festival["organiser"]}
    return data


def _duration(seconds: float | None) -> str | None:
    return f"PT{int(seconds)}S" if seconds else None


def _chapter_clips(url: str, chapters: list[dict], length: float | None) -> list[dict]:
    """One `Clip` per chapter, ending where the next begins (or at the end of the session)."""
    starts = [chapter["start_ms"] / 1000 for chapter in chapters]
    ends = starts[1:] + [length]
    clips = []
    for chapter, start, end in zip(chapters, starts, ends, strict=True):
        clip = {"@type": "Clip", "name": chapter["title"], "startOffset": start}
        clip["url"] = f"{url}?t={start:g}"
        clips.append(clip | ({"endOffset": end} if end else {}))
    return clips


def _recording(base: str, card: dict, media_url: str) -> dict:
    """The session's recording as a `VideoObject` with chapter clips and a seek action."""
    url = _session_url(base, card["slug"])
    video = {
        "@type": "VideoObject",
        "name": card["title"],
        "description": card["summary"] or card["title"],
        "uploadDate": card["added_at"] or card["starts_at"],
        "contentUrl": media_url,
        "hasPart": _chapter_clips(url, card["chapters"], card["length"]),
        "potentialAction": {
            "@type": "SeekToAction",
            "target": f"{url}?t={{seek_to_second_number}}",
            "startOffset-input": "required name=seek_to_second_number",
        },
    }
    duration = _duration(card["length"])
    return video | {"duration": duration} if duration else video


def session_event(base: str, card: dict, media_url: str | None) -> dict:
    """A session as an `Event` in its festival's series, with performers and its recording."""
    festival = card["festival_info"]
    data = {"@context": CONTEXT} | _event(base, card)
    data["superEvent"] = {
        "@type": "EventSeries",
        "name": festival["name"],
        "url": _festival_url(base, festival["slug"]),
    }
    data["performer"] = [
        {"@type": "Person", "name": person["name"], "url": f"{base}/speakers/{person['slug']}"}
        for person in card["speakers"]
    ]
    if card["summary"]:
        data["description"] = card["summary"]
    if card["length"]:
        data["duration"] = _duration(card["length"])
    if media_url:
        data["recordedIn"] = _recording(base, card, media_url)
    return data
