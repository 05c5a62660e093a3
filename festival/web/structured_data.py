"""schema.org JSON-LD for festival and session pages, built from reading's shapes (no Flask).

`url(endpoint, **values)` builds an absolute URL for a page (the views pass `url_for`), so
every URL here is the one the site itself serves.
"""

from __future__ import annotations

from collections.abc import Callable

UrlFor = Callable[..., str]

CONTEXT = "https://schema.org"
ONLINE = "https://schema.org/OnlineEventAttendanceMode"


def _event(url_for: UrlFor, card: dict) -> dict:
    """The fields a session `Event` has wherever it appears."""
    url = url_for("pages.session", slug=card["slug"])
    return {
        "@type": "Event",
        "name": card["title"],
        "url": url,
        "startDate": card["starts_at"],
        "eventAttendanceMode": ONLINE,
        "location": {"@type": "VirtualLocation", "url": url},
    }


def festival_series(url_for: UrlFor, festival: dict, sessions: list[dict]) -> dict:
    """The festival as an `EventSeries` whose sub-events are its published sessions."""
    data = {
        "@context": CONTEXT,
        "@type": "EventSeries",
        "name": festival["name"],
        "url": url_for("pages.festival", slug=festival["slug"]),
        "subEvent": [_event(url_for, card) for card in sessions],
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
    ends = (starts[1:] + [length])[: len(starts)]  # no chapters: no clips, whatever the length
    clips = []
    for chapter, start, end in zip(chapters, starts, ends, strict=True):
        clip = {"@type": "Clip", "name": chapter["title"], "startOffset": start}
        clip["url"] = f"{url}?t={start:g}"
        clips.append(clip | ({"endOffset": end} if end else {}))
    return clips


def _recording(url_for: UrlFor, card: dict, media_url: str) -> dict:
    """The session's recording as a `VideoObject` with chapter clips and a seek action."""
    url = url_for("pages.session", slug=card["slug"])
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


def session_event(url_for: UrlFor, card: dict, media_url: str | None) -> dict:
    """A session as an `Event` in its festival's series, with performers and its recording."""
    festival = card["festival_info"]
    data = {"@context": CONTEXT} | _event(url_for, card)
    data["superEvent"] = {
        "@type": "EventSeries",
        "name": festival["name"],
        "url": url_for("pages.festival", slug=festival["slug"]),
    }
    data["performer"] = [
        {
            "@type": "Person",
            "name": person["name"],
            "url": url_for("pages.speaker", slug=person["slug"]),
        }
        for person in card["speakers"]
    ]
    if card["summary"]:
        data["description"] = card["summary"]
    if card["length"]:
        data["duration"] = _duration(card["length"])
    if media_url:
        data["recordedIn"] = _recording(url_for, card, media_url)
    return data
