"""The JSON API: `/api/search`, `/api/search/export`, `/api/sessions[/<slug>]`."""

from __future__ import annotations

from flask import Blueprint, jsonify, request

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


@bp.get("/sessions")
def sessions():
    db = get_db()
    return jsonify(
        {
            "sessions": [
                session_json(card) | {"duration": card["length"], "format": card["format"]}
                for card in reading.session_cards(db)
            ]
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
