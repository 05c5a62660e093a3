"""Machine-readable lists of the archive: Atom feeds of recently added sessions and of a
search's newest matches, a sitemap."""

from __future__ import annotations

from datetime import UTC, datetime
from xml.etree import ElementTree

from feedgen.feed import FeedGenerator
from flask import Blueprint, Response, request, url_for

from festival.errors import BadQuery
from festival.extensions import get_db, searchers
from festival.search.matching import newest_matching
from festival.storage import reading
from festival.web.searching import search_request

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
    return _atom(
        "Festival Archive: recently added sessions",
        url_for("feeds.atom_feed", _external=True),
        url_for("pages.home", _external=True),
        sessions,
    )


@bp.get("/search.atom")
def search_feed():
    """The newest sessions matching a search (same parameters as `/search`), newest first."""
    asked = search_request(request.args)
    if not (asked.q or asked.has_filters()):
        raise BadQuery("a search feed needs a query or a filter: add q=... to say what to follow")
    sessions = searchers().run(
        lambda index: newest_matching(index, get_db(), asked, limit=FEED_LENGTH)
    )
    return _atom(
        f"Festival Archive: sessions matching {asked.q or 'the filters'}",
        url_for("feeds.search_feed", _external=True, **asked.as_params()),
        url_for("pages.search", _external=True, **asked.as_params()),
        sessions,
        query=asked.q,
    )


def _atom(title: str, self_url: str, page_url: str, sessions: list[dict], query: str = ""):
    """An Atom feed of sessions, the first of `sessions` as the newest entry."""
    feed = FeedGenerator()
    feed.id(self_url if query else url_for("pages.home", _external=True))
    feed.title(title)
    feed.author(name="Festival Archive")  # Atom needs an author for entries that name nobody
    feed.link(href=self_url, rel="self")
    feed.link(href=page_url, rel="alternate")
    feed.updated(max((_when(s["added_at"]) for s in sessions), default=_when(None)))
    for card in reversed(sessions):  # feedgen puts the last added entry first
        url = url_for("pages.session", slug=card["slug"], _external=True)
        link = (
            url_for("pages.session", slug=card["slug"], q=query, _external=True) if query else url
        )
        entry = feed.add_entry()
        entry.id(url)
        entry.title(card["title"])
        entry.link(href=link)
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
