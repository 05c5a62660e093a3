"""The JSON API: `/api/search`, `/api/search/export`, `/api/sessions[/<slug>]`."""

from __future__ import annotations

import csv
import io
import json

from flask import Blueprint, Response, current_app, jsonify, request

from festival.errors import BadQuery
from festival.extensions import get_db, searching
from festival.search.engine import SearchRequest, export_moments, search_archive, session_json
from festival.storage import reading
from festival.web.recordings import recording_json

bp = Blueprint("api", __name__, url_prefix="/api")

EXPORT_COLUMNS = ("session", "title", "festival", "date", "speaker", "start", "end", "text", "url")


def run_search(args) -> dict:
    """The search behind both `/api/search` and the search page."""
    config = current_app.config
    search_request = SearchRequest.from_args(args, int(config["PER_PAGE"]))
    with searching() as searcher:
        return search_archive(
            searcher,
            get_db(),
            search_request,
            moments_per_session=int(config["MOMENTS_PER_SESSION"]),
            time_limit=float(config["SEARCH_TIME_LIMIT"]),
        )


@bp.get("/search")
def search():
    return jsonify(run_search(request.args))


@bp.get("/search/export")
def search_export():
    kind = request.args.get("as", "csv")
    if kind not in ("csv", "json"):
        raise BadQuery("'as' must be csv or json")
    search_request = SearchRequest.from_args(request.args)
    if not search_request.q:
        raise BadQuery("export needs a query: add q=... to say which moments to export")
    base = request.host_url.rstrip("/")
    with searching() as searcher:
        rows = [
            row | {"url": base + row["url"]}
            for row in export_moments(searcher, get_db(), search_request)
        ]
    filename = "festival-archive-moments"
    if kind == "json":
        body = json.dumps(
            {"query": search_request.q, "moments": rows}, ensure_ascii=False, indent=1
        )
        mimetype = "application/json"
    else:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=EXPORT_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
        body, mimetype = buffer.getvalue(), "text/csv"
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}.{kind}"'},
    )


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
            "cues": [cue.as_json() for cue in reading.transcript_cues(db, slug)],
        }
    return jsonify(body)
