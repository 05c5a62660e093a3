"""Server-rendered pages: home, festival programme, session, speaker, theme, search, downloads."""

from __future__ import annotations

import textwrap
from collections import Counter
from itertools import groupby

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    render_template,
    request,
    send_file,
    send_from_directory,
    url_for,
)

from festival.errors import BadQuery, IndexUnavailable, NotFound
from festival.extensions import get_db, media_folder
from festival.images import image_type
from festival.recordings import media_type, vimeo_id, youtube_id
from festival.search.request import SearchRequest
from festival.storage import reading
from festival.storage.media import STORED_NAME, media_path
from festival.timecodes import parse_time_range
from festival.transcripts.writers import to_srt, to_txt, to_vtt
from festival.web import structured_data
from festival.web.datetimes import day_label
from festival.web.recordings import recording_json
from festival.web.searching import run_search, search_request

bp = Blueprint("pages", __name__)


def _absolute_url(endpoint: str, **values) -> str:
    return url_for(endpoint, _external=True, **values)


EXAMPLE_SEARCHES = ("trust", '"public innovation"', "pilots OR experiments", "said:mulgan data")


@bp.get("/")
def home():
    db = get_db()
    themes = Counter(
        (theme["slug"], theme["name"])
        for card in reading.session_cards(db)
        for theme in card["themes"]
    )
    return render_template(
        "home.html",
        festivals=reading.public_festivals(db),
        latest=reading.latest_sessions(db, 8),
        themes=sorted(themes.items(), key=lambda item: item[0][1].lower()),
        examples=EXAMPLE_SEARCHES,
    )


@bp.get("/favicon.ico")
def favicon():
    """The site's icon where browsers look for it first (pages also link it by name)."""
    return send_from_directory(
        current_app.static_folder, "favicon.svg", mimetype="image/svg+xml", max_age=86400
    )


@bp.get("/festivals/<slug>")
def festival(slug: str):
    db = get_db()
    info = reading.festival(db, slug)
    sessions = _published_or_404(reading.festival_sessions(db, slug), f"no festival '{slug}'")
    theme, session_format = request.args.get("theme", ""), request.args.get("format", "")
    themes = sorted(
        {(t["slug"], t["name"]) for s in sessions for t in s["themes"]}, key=lambda t: t[1]
    )
    formats = sorted({s["format"] for s in sessions if s["format"]})
    shown = [
        s
        for s in sessions
        if (not theme or any(t["slug"] == theme for t in s["themes"]))
        and (not session_format or s["format"] == session_format)
    ]
    days = [
        (day, day_label(day), list(items)) for day, items in groupby(shown, key=lambda s: s["day"])
    ]
    return render_template(
        "festival.html",
        festival=info,
        days=days,
        themes=themes,
        formats=formats,
        theme=theme,
        session_format=session_format,
        total=len(sessions),
        shown=len(shown),
        structured_data=structured_data.festival_series(_absolute_url, info, shown),
    )


def player_for(
    card: dict, start: float | None = None, end: float | None = None, media_endpoint: str = ""
) -> dict | None:
    """What the `recording_player` macro needs to embed the recording, starting at `start`.

    A stored media file is served by `media_endpoint` (the public `pages.media` by default).
    """
    recording = card["recording"]
    if recording is None:
        return None
    url = recording["url"]
    if recording["kind"] == "youtube":
        return {"kind": "youtube", "id": youtube_id(url), "start": start, "end": end}
    if recording["kind"] == "vimeo":
        return {"kind": "vimeo", "id": vimeo_id(url), "start": start, "end": end}
    mime = media_type(recording["media_file"] or url) or ""
    return {
        "kind": "file",
        "src": url_for(media_endpoint or "pages.media", slug=card["slug"])
        if recording["media_file"]
        else url,
        "element": "video" if mime.startswith("video/") else "audio",
        "type": mime,
        "start": start,
        "end": end,
    }


def _transcript_rows(cues: list[dict]) -> list[dict]:
    """Cues for display, with the speaker's name shown at each change of speaker."""
    rows, previous = [], object()
    for cue in cues:
        speaker = None if cue["sound"] else cue["speaker"]
        rows.append(
            cue
            | {
                "show_speaker": bool(speaker) and speaker != previous,
                "start": cue["start_ms"] / 1000,
            }
        )
        if not cue["sound"]:
            previous = speaker
    return rows


REVIEW_NOTICES = {
    "machine": "machine transcript, not yet reviewed",
    "aligned": "machine-timed transcript, not yet reviewed",
}


def review_notice(transcript: dict | None) -> str | None:
    """What to say about a transcript a machine made or timed until an organiser reviews it."""
    if not transcript or transcript["reviewed"]:
        return None
    return REVIEW_NOTICES.get(transcript["source"])


def cue_at(cues: list[dict], seconds: float | None) -> int | None:
    """Position of the cue said at `seconds`, or in a pause after a cue, the next one.

    A cue starting exactly then wins. Otherwise a time in whole seconds (a chapter's `at`,
    `?t=2m32s`) names that whole second, so a cue starting within it counts as started: the
    chapter at 2:32 opens the line at 2:32.4. session.js applies the same rule in the page.
    """
    if seconds is None or not cues:
        return None
    at_ms = round(seconds * 1000)
    exact = [cue["position"] for cue in cues if cue["start_ms"] == at_ms]
    if exact:
        return exact[-1]
    reach_ms = at_ms + (1000 if seconds == int(seconds) else 1)
    started = [index for index, cue in enumerate(cues) if cue["start_ms"] < reach_ms]
    index = started[-1] if started else 0
    if cues[index]["end_ms"] <= at_ms and index + 1 < len(cues):
        index += 1
    return cues[index]["position"]


@bp.get("/sessions/<slug>")
def session(slug: str):
    db = get_db()
    card = reading.session(db, slug)
    start, end = parse_time_range(request.args.get("t"))
    cues = reading.cues(db, slug)
    current = cue_at(cues, start)
    recording = recording_json(card)
    page_data = {
        "slug": slug,
        "title": card["title"],
        "festival": card["festival_info"]["name"],
        "format": card["format"],
        "date": card["starts_at"],
        "duration": card["length"],
        "start": start,
    }
    return render_template(
        "session.html",
        session=card,
        festival=card["festival_info"],
        notices=_notices([card]),
        player=player_for(card, start, end),
        rows=_transcript_rows(cues),
        review_notice=review_notice(card["transcript"]),
        current=current,
        query=request.args.get("q", ""),
        session_data=page_data,
        structured_data=structured_data.session_event(
            _absolute_url, card, recording and recording["url"]
        ),
    )


@bp.get("/sessions/<slug>/media")
def media(slug: str):
    return media_response(reading.session(get_db(), slug))


def media_response(card: dict) -> Response:
    """The session's stored recording, with range requests so players can seek in it."""
    recording = card["recording"]
    if not recording or not recording["media_file"]:
        abort(404, "this session has no stored recording")
    path = media_path(media_folder(), recording["media_file"])
    return send_file(path, mimetype=media_type(path.name), conditional=True, max_age=3600)


@bp.get("/images/<name>")
def image(name: str):
    """A poster or speaker photo kept with the archive (named by its content's hash)."""
    mimetype = image_type(name)
    if not mimetype or not STORED_NAME.fullmatch(name):
        abort(404, "no such image")
    path = media_path(media_folder(), name)
    if not path.is_file():
        abort(404, "no such image")
    return send_file(path, mimetype=mimetype, conditional=True, max_age=86400)


TITLE_CARD_LINE = 26  # characters per line of the title, at the card's type size
TITLE_CARD_LINES = 4


@bp.get("/sessions/<slug>/title-card.svg")
def title_card(slug: str):
    """The picture of a session that has no poster: its festival, title, date and speakers."""
    card = reading.session(get_db(), slug)
    lines = textwrap.wrap(card["title"], TITLE_CARD_LINE)
    if len(lines) > TITLE_CARD_LINES:
        lines = lines[:TITLE_CARD_LINES]
        lines[-1] = textwrap.shorten(lines[-1] + " …", TITLE_CARD_LINE, placeholder=" …")
    speakers = ", ".join(speaker["name"] for speaker in card["speakers"])
    byline = " · ".join(part for part in (day_label(card["starts_at"]), speakers) if part)
    body = render_template(
        "title_card.svg",
        session=card,
        festival=card["festival_info"]["name"],
        lines=lines,
        byline=textwrap.shorten(byline, 70, placeholder=" …"),
    )
    return Response(body, mimetype="image/svg+xml", headers={"Cache-Control": "max-age=3600"})


DOWNLOADS = {
    "vtt": (to_vtt, "text/vtt"),
    "srt": (to_srt, "application/x-subrip"),
    "txt": (to_txt, "text/plain"),
}


@bp.get("/sessions/<slug>/transcript.<kind>")
def transcript_download(slug: str, kind: str):
    if kind not in DOWNLOADS:
        abort(404, "transcripts download as .vtt, .srt or .txt")
    db = get_db()
    card = reading.session(db, slug)
    cues = reading.transcript_cues(db, slug)
    if not card["transcript"]:
        abort(404, "this session has no transcript")
    write, mimetype = DOWNLOADS[kind]
    note = review_notice(card["transcript"])
    if kind == "vtt":
        body = write(cues, title=card["title"], note=note)
    elif kind == "txt":
        body = write(cues, note=note)
    else:
        body = write(cues)
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'inline; filename="{slug}.{kind}"'},
    )


def _published_or_404(sessions: list[dict], message: str) -> list[dict]:
    """A festival, speaker or theme with no published session is as unknown as a wrong slug:
    what only drafts name (a speaker's affiliation, an unannounced festival) stays private."""
    if not sessions:
        raise NotFound(message)
    return sessions


@bp.get("/speakers/<slug>")
def speaker(slug: str):
    db = get_db()
    sessions = _published_or_404(reading.speaker_sessions(db, slug), f"no speaker '{slug}'")
    order = {card["slug"]: position for position, card in enumerate(sessions)}
    moments = sorted(
        reading.speaker_moments(db, slug), key=lambda m: (order.get(m["session"]), m["start_ms"])
    )
    return render_template(
        "speaker.html",
        speaker=reading.speaker(db, slug),
        sessions=sessions,
        said=[(title, list(items)) for title, items in groupby(moments, key=lambda m: m["title"])],
        notices=_notices(
            reading.session(db, slug) for slug in sorted({m["session"] for m in moments})
        ),
    )


def _notices(cards) -> list[str]:
    """What the sessions shown ask readers to know (their own notice, then their festival's,
    e.g. "illustrative transcript"), each once."""
    found = (n for card in cards for n in (card["notice"], card["festival_info"]["notice"]))
    return list(dict.fromkeys(notice for notice in found if notice))


@bp.get("/themes/<slug>")
def theme(slug: str):
    db = get_db()
    sessions = _published_or_404(reading.theme_sessions(db, slug), f"no theme '{slug}'")
    return render_template("theme.html", theme=reading.theme(db, slug), sessions=sessions)


@bp.get("/search")
def search():
    """The search page; a refused query or an unreadable index is explained on the page."""
    args = request.args
    results, error, status = None, None, 200
    try:
        asked = search_request(args)
        if asked.q or asked.has_filters():
            results = run_search(asked)
    except BadQuery as problem:
        asked, error, status = SearchRequest(q=args.get("q", "")[:600]), str(problem), 400
    except IndexUnavailable as problem:
        asked, error, status = SearchRequest(q=args.get("q", "")[:600]), str(problem), 503
    return (
        render_template("search.html", request_=asked, results=results, error=error),
        status,
    )
