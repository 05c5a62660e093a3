"""A session as the API shows it in search results and listings, its URLs built here."""

from __future__ import annotations

from flask import url_for

from festival.images import is_image_url


def image_url(stored: str | None) -> str | None:
    """Where a page finds a poster or photo: its own https URL, or our copy."""
    if not stored:
        return None
    return stored if is_image_url(stored) else url_for("pages.image", name=stored)


def session_json(card: dict) -> dict:
    """A session as the API shows it everywhere: slug, title, festival, date, URL, its picture
    (the poster, else its title card) and its people with their photos' URLs."""
    return {
        "slug": card["slug"],
        "title": card["title"],
        "festival": card["festival"],
        "starts_at": card["starts_at"],
        "url": url_for("pages.session", slug=card["slug"]),
        "poster": image_url(card["poster"]) or url_for("pages.title_card", slug=card["slug"]),
        "speakers": [
            speaker | {"photo": image_url(speaker["photo"])} for speaker in card["speakers"]
        ],
        "themes": card["themes"],
    }
