"""A session as the API shows it in search results and listings, its URL built here."""

from __future__ import annotations

from flask import url_for


def session_json(card: dict) -> dict:
    """A session as the API shows it everywhere: slug, title, festival, date, URL, people."""
    return {
        "slug": card["slug"],
        "title": card["title"],
        "festival": card["festival"],
        "starts_at": card["starts_at"],
        "url": url_for("pages.session", slug=card["slug"]),
        "speakers": card["speakers"],
        "themes": card["themes"],
    }
