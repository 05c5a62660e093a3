"""The JSON API: `/api/search`, `/api/search/export`, `/api/sessions[/<slug>]`."""

from __future__ import annotations

from difflib import get_close_matches

from flask import Blueprint, current_app, jsonify, request

from festival.errors import BadQuery
from festival.extensions import get_db
from festival.storage import reading
from festival.web.recordings import recording_json
from festival.web.searching import export_response, run_search, search_request
from festival.web.shapes import session_json

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.get("/search")
def search():
    return jsonify(run_search(search_request(request.args)))


@bp.get("/search/export")
def search_export():
    kind = request.args.get("as", "csv")
    if kind not in ("csv", "json"):
        raise BadQuery("'as' must be csv or json")
    return export_response(search_request(request.args), kind)


MAX_PER_PAGE = 100
_SESSION_FILTERS = {
    "festival": lambda card: [card["festival"]],
    "theme": lambda card: [theme["slug"] for theme in card["themes"]],
    "speaker": lambda card: [speaker["slug"] for speaker in card["speakers"]],
}


def _whole_number(name: str, default: int, most: int | None = None) -> int:
    """A positive whole-number parameter; BadQuery (400) saying what is allowed otherwise."""
    text = request.args.get(name, "")
    if not text:
        return default
    if not text.isdigit() or int(text) < 1 or (most is not None and int(text) > most):
        upto = f" up to {most}" if most else ""
        raise BadQuery(f"'{name}' must be a whole number from 1{upto}, not '{text[:40]}'")
    return int(text)


def _filtered(cards: list[dict]) -> list[dict]:
    """Cards with any of each given filter's values; an unknown value is a BadQuery."""
    for name, values_of in _SESSION_FILTERS.items():
        wanted = request.args.getlist(name)
        if not wanted:
            continue
        known = {value for card in cards for value in values_of(card)}
        for value in wanted:
            if value not in known:
                close = get_close_matches(value, sorted(known), n=3, cutoff=0.5)
                hint = f"; did you mean {', '.join(close)}?" if close else ""
                raise BadQuery(f"no {name} '{value[:60]}' in the archive{hint}")
        cards = [card for card in cards if set(values_of(card)) & set(wanted)]
    return cards


@bp.get("/sessions")
def sessions():
    """Published sessions by date, a page at a time, filtered by festival, theme or speaker."""
    page = _whole_number("page", 1)
    per_page = _whole_number("per_page", int(current_app.config["PER_PAGE"]), MAX_PER_PAGE)
    cards = _filtered(reading.session_cards(get_db()))
    shown = cards[(page - 1) * per_page : page * per_page]
    return jsonify(
        {
            "total": len(cards),
            "page": page,
            "per_page": per_page,
            "sessions": [
                session_json(card) | {"duration": card["length"], "format": card["format"]}
                for card in shown
            ],
        }
    )


@bp.get("/sessions/<slug>")
def session(slug: str):
    db = get_db()
    card = reading.session(db, slug)
    body = session_json(card) | {
        "duration": card["length"],
        "format": card["format"],
        "summary": card["summary"],
        "recording": recording_json(card),
        "chapters": [
            {"start": c["start_ms"] / 1000, "title": c["title"]} for c in card["chapters"]
        ],
        "transcript": None,
    }
    if card["transcript"]:
        body["transcript"] = {
            "language": card["transcript"]["language"],
            "source": card["transcript"]["source"],
            "reviewed": bool(card["transcript"]["reviewed"]),
            "cues": [cue.as_json() for cue in reading.transcript_cues(db, slug)],
        }
    return jsonify(body)
