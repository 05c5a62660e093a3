"""Machine-readable lists of the archive: an Atom feed of recently added sessions, a sitemap."""

from __future__ import annotations

from datetime import UTC, datetime
from xml.etree import ElementTree

from feedgen.feed import FeedGenerator
from flask import Blueprint, Response, url_for

from festival.extensions import get_db
from festival.storage import reading

bp = Blueprint("feeds", __name__)

FEED_LENGTH = 30
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def _when(text: str | None) -> datetime:
    """A stored ISO time as an aware datetime (UTC when the text has no offset)."""
    moment = datetime.fromisoformat(text) if text else datetime.now(UTC)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@bp.get("/feed.atom")
def atom_feed():
    sessions = reading.latest_sessions(get_db(), FEED_LENGTH)
    feed = FeedGenerator()
    feed.id(url_for("pages.home", _external=True))
    feed.title("Festival Archive: recently added sessions")
    feed.author(name="Festival Archive")  # Atom needs an author for entries that name nobody
    feed.link(href=url_for("feeds.atom_feed", _external=True), rel="self")
    feed.link(href=url_for("pages.home", _external=True), rel="alternate")
    feed.updated(max((_when(s["added_at"]) for s in sessions), default=_when(None)))
    for card in reversed(sessions):  # feedgen puts the last added entry first
        url = url_for("pages.session", slug=card["slug"], _external=True)
        entry = feed.add_entry()
        entry.id(url)
        entry.title(card["title"])
        entry.link(href=url)
        entry.updated(_when(card["added_at"]))
        entry.summary(card["summary"] or f"A session of {card['festival_name']}.")
        for person in card["speakers"]:
            entry.author(name=person["name"])
        for theme in card["themes"]:
            entry.category(term=theme["slug"], label=theme["name"])
    return Response(feed.atom_str(pretty=True), mimetype="application/atom+xml")


@bp.get("/sitemap.xml")
def sitemap():
    db = get_db()
    sessions = reading.session_cards(db)
    pages = [(url_for("pages.home", _external=True), None)]
    pages += [
        (url_for("pages.festival", slug=f["slug"], _external=True), None)
        for f in reading.public_festivals(db)
    ]
    pages += [
        (url_for("pages.session", slug=s["slug"], _external=True), (s["added_at"] or "")[:10])
        for s in sessions
    ]
    people = {p["slug"] for s in sessions for p in s["speakers"]}
    themes = {t["slug"] for s in sessions for t in s["themes"]}
    pages += [
        (url_for("pages.speaker", slug=slug, _external=True), None) for slug in sorted(people)
    ]
    pages += [(url_for("pages.theme", slug=slug, _external=True), None) for slug in sorted(themes)]
    urlset = ElementTree.Element("urlset", xmlns=SITEMAP_NS)
    for location, modified in pages:
        entry = ElementTree.SubElement(urlset, "url")
        ElementTree.SubElement(entry, "loc").text = location
        if modified:
            ElementTree.SubElement(entry, "lastmod").text = modified
    body = ElementTree.tostring(urlset, encoding="unicode", xml_declaration=True)
    return Response(body, mimetype="application/xml")
