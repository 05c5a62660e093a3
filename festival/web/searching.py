"""The search behind `/search`, `/api/search` and `/api/search/export`: run once per request,
with every URL of the results built here at the web edge."""

from __future__ import annotations

import io
import json
import textwrap
from collections.abc import Iterator

from defusedcsv import csv
from flask import Response, current_app, stream_with_context, url_for

from festival.extensions import get_db, searchers
from festival.search.export import ExportCut, export_moments
from festival.search.matching import search_archive
from festival.search.request import SearchRequest
from festival.timecodes import url_seconds
from festival.web.shapes import session_json

EXPORT_COLUMNS = (
    "session", "title", "festival", "date", "speaker",
    "start", "start_hms", "end", "end_hms", "text", "url",
)  # fmt: skip
EXPORT_NAME = "festival-archive-moments"


def search_request(args) -> SearchRequest:
    """The request's search parameters, read once; raise `BadQuery` for a bad one."""
    return SearchRequest.from_args(args, int(current_app.config["PER_PAGE"]))


def moment_url(session: str, start: float, external: bool = False) -> str:
    return url_for("pages.session", slug=session, t=url_seconds(start), _external=external)


def run_search(request: SearchRequest) -> dict:
    """One page of results in the `/api/search` shape; raise `BadQuery`/`IndexUnavailable`."""
    config = current_app.config
    results = searchers().run(
        lambda index: search_archive(
            index,
            get_db(),
            request,
            moments_per_session=int(config["MOMENTS_PER_SESSION"]),
            time_limit=float(config["SEARCH_TIME_LIMIT"]),
        )
    )
    linked = [
        result
        | {
            "session": session_json(result["session"]),
            "moments": [
                moment | {"url": moment_url(result["session"]["slug"], moment["start"])}
                for moment in result["moments"]
            ],
        }
        for result in results["results"]
    ]
    return results | {"results": linked}  # new dicts: the answer itself is shared


def export_response(request: SearchRequest, kind: str) -> Response:
    """Every matching cue as CSV or JSON, streamed as it is found, within the time limit.

    Refused input raises `BadQuery` before the first byte. A cut export says so in its
    last CSV row, or in `"partial": true` and `"message"` after the JSON's moments.
    """
    time_limit = float(current_app.config["EXPORT_TIME_LIMIT"])

    def linked() -> Iterator[dict | None]:
        with searchers().searching() as index:
            rows = export_moments(index, get_db(), request, time_limit=time_limit)
            yield None  # the request is sound: headers may go out
            for row in rows:
                yield row | {"url": moment_url(row["session"], row["start"], external=True)}

    rows = linked()
    next(rows)  # raises BadQuery or IndexUnavailable while an error status can still be sent
    body = _json_lines(request.q, rows) if kind == "json" else _csv_lines(rows)
    return Response(
        stream_with_context(body),
        mimetype="application/json" if kind == "json" else "text/csv",
        headers={"Content-Disposition": f'attachment; filename="{EXPORT_NAME}.{kind}"'},
    )


def _json_lines(q: str, rows: Iterator[dict]) -> Iterator[str]:
    """Exactly `json.dumps({"query": q, "moments": rows}, ensure_ascii=False, indent=1)`,
    written a row at a time."""
    yield '{\n "query": ' + json.dumps(q, ensure_ascii=False) + ',\n "moments": ['
    separator, ending = "\n", "]"
    try:
        for row in rows:
            yield separator + textwrap.indent(json.dumps(row, ensure_ascii=False, indent=1), "  ")
            separator, ending = ",\n", "\n ]"
    except ExportCut as cut:
        yield ending + ',\n "partial": true,\n "message": ' + json.dumps(str(cut)) + "\n}"
        return
    yield ending + "\n}"


def _csv_lines(rows: Iterator[dict]) -> Iterator[str]:
    """The header, then one line per row, with cells a spreadsheet would run as a formula
    neutralised (OWASP: `=`, `+`, `-`, `@` by defusedcsv; tab and carriage return here)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=EXPORT_COLUMNS, extrasaction="ignore")

    def line(row: dict) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow({name: _neutralised(value) for name, value in row.items()})
        return buffer.getvalue()

    yield line({name: name for name in EXPORT_COLUMNS})
    try:
        for row in rows:
            yield line(row | {"start_hms": _hms(row["start"]), "end_hms": _hms(row["end"])})
    except ExportCut as cut:
        yield line({"text": str(cut)})


def _neutralised(value):
    if isinstance(value, str) and value[:1] in ("\t", "\r"):
        return "'" + value
    return value


def _hms(seconds: float) -> str:
    """`h:mm:ss`, whole seconds: how a spreadsheet reader reads a time into a recording."""
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}"
