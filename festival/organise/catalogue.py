"""Festivals and sessions: the organiser's overview, and creating, editing and deleting them."""

from __future__ import annotations

from pathlib import Path

from flask import abort, flash, redirect, render_template, request, url_for
from werkzeug.datastructures import FileStorage

from festival.errors import ImportProblem, NotFound, Problem
from festival.ingest.manifest import (
    RecordingPlan,
    SessionPlan,
    festival_from_fields,
    session_from_fields,
)
from festival.organise import bp
from festival.organise.forms import (
    SPEAKER_ROWS_SPARE,
    THEME_ROWS_SPARE,
    festival_fields,
    session_fields,
    session_form_values,
)
from festival.organise.pending import stored_media
from festival.organise.writes import archive_write
from festival.recordings import MEDIA_TYPES
from festival.resources import get_db
from festival.storage import reading
from festival.storage.writing import (
    delete_festival,
    delete_session,
    save_festival,
    save_session,
    set_session_status,
)

STATUSES = ("draft", "published")


def _festival_or_404(slug: str) -> dict:
    try:
        return reading.festival(get_db(), slug)
    except NotFound:
        abort(404, f"no festival '{slug}'")


def session_or_404(slug: str) -> dict:
    try:
        return reading.session(get_db(), slug, drafts=True)
    except NotFound:
        abort(404, f"no session '{slug}'")


def _slug_taken(table: str, slug: str) -> bool:
    row = get_db().execute(f"select 1 from [{table}] where slug = ?", [slug]).fetchone()
    return row is not None


def _form_problems(error: ImportProblem) -> list[Problem]:
    """The manifest's problems as messages about the form (it has no file or lines)."""
    return [Problem("", None, problem.message) for problem in error.problems]


def _festival_sessions(festival: str) -> list[str]:
    """The slugs of a festival's sessions, drafts included."""
    rows = get_db().execute("select slug from sessions where festival = ?", [festival])
    return [row[0] for row in rows]


@bp.get("/")
def dashboard():
    db = get_db()
    by_festival: dict[str, list[dict]] = {}
    for card in reading.session_cards(db, drafts=True):
        by_festival.setdefault(card["festival"], []).append(card)
    return render_template(
        "organise/dashboard.html", festivals=reading.festivals(db), sessions=by_festival
    )


# -- festivals ---------------------------------------------------------------------------------
def _festival_form(festival: dict | None):
    """Create (`festival` None) or edit a festival from the posted form."""
    fields = festival_fields(request.form)
    if festival:
        fields["slug"] = festival["slug"]
    problems: list[Problem] = []
    try:
        plan = festival_from_fields(fields, "festival")
    except ImportProblem as error:
        problems = _form_problems(error)
    if not festival and not problems and _slug_taken("festivals", plan.slug):
        problems = [Problem("", None, f"a festival with slug '{plan.slug}' exists")]
    if problems:
        page = render_template(
            "organise/festival_form.html", festival=festival, values=fields, problems=problems
        )
        return page, 400
    with archive_write(_festival_sessions(plan.slug)) as db:
        save_festival(db, plan, {})
    flash(f"Saved festival “{plan.name}”.")
    return redirect(url_for("organise.dashboard"))


@bp.route("/festivals/new", methods=["GET", "POST"])
def new_festival():
    if request.method == "POST":
        return _festival_form(None)
    return render_template("organise/festival_form.html", festival=None, values={}, problems=[])


@bp.route("/festivals/<slug>/edit", methods=["GET", "POST"])
def edit_festival(slug: str):
    festival = _festival_or_404(slug)
    if request.method == "POST":
        return _festival_form(festival)
    return render_template(
        "organise/festival_form.html", festival=festival, values=festival, problems=[]
    )


@bp.post("/festivals/<slug>/delete")
def remove_festival(slug: str):
    festival = _festival_or_404(slug)
    if _festival_sessions(slug):
        flash(f"“{festival['name']}” still has sessions: delete them first.")
        return redirect(url_for("organise.edit_festival", slug=slug))
    with archive_write([]) as db:
        delete_festival(db, slug)
    flash(f"Deleted festival “{festival['name']}”.")
    return redirect(url_for("organise.dashboard"))


# -- sessions ----------------------------------------------------------------------------------
def _render_session_form(festival: dict, session: dict | None, values: dict, problems, status=200):
    db = get_db()
    return (
        render_template(
            "organise/session_form.html",
            festival=festival,
            session=session,
            values=values,
            problems=problems,
            speaker_names=reading.names(db, "speakers"),
            theme_names=reading.names(db, "themes"),
            speaker_rows=list(values.get("speakers", [])) + [{}] * SPEAKER_ROWS_SPARE,
            theme_rows=list(values.get("themes", [])) + [""] * THEME_ROWS_SPARE,
        ),
        status,
    )


def _media_problem(upload: FileStorage | None) -> Problem | None:
    if upload and upload.filename and Path(upload.filename).suffix.lower() not in MEDIA_TYPES:
        return Problem(
            "",
            None,
            f"'{upload.filename}' is not a media file this archive plays "
            f"({', '.join(MEDIA_TYPES)})",
        )
    return None


def _recording(plan: SessionPlan, session: dict | None) -> str | None:
    """Attach an uploaded or kept media file to `plan`; return its stored name, if any."""
    upload = request.files.get("media")
    if upload and upload.filename:
        plan.recording = RecordingPlan(upload.filename, "file")
        return stored_media(upload)
    kept = session and session["recording"] and session["recording"]["media_file"]
    if kept and not plan.recording and not request.form.get("remove_recording"):
        plan.recording = RecordingPlan("", "file")
        return kept
    return None


def _session_form(festival: dict, session: dict | None):
    """Create (`session` None) or edit a session from the posted form."""
    form = request.form
    fields = session_fields(form)
    if session:
        fields["slug"] = session["slug"]
    if form.get("recording_url", "").strip():
        fields["recording"] = {"url": form["recording_url"].strip()}
    problems: list[Problem] = []
    plan = None
    try:
        plan = session_from_fields(fields, "session")
    except ImportProblem as error:
        problems = _form_problems(error)
    if not session and plan and _slug_taken("sessions", plan.slug):
        problems.append(Problem("", None, f"a session with slug '{plan.slug}' exists"))
    status = form.get("status", "draft")
    if status not in STATUSES:
        problems.append(Problem("", None, "status must be draft or published"))
    media_problem = _media_problem(request.files.get("media"))
    if media_problem:
        problems.append(media_problem)
    if problems:
        values = fields | {
            "chapters": form.get("chapters", ""),
            "duration": form.get("duration", ""),
            "recording_url": form.get("recording_url", ""),
            "status": status,
        }
        return _render_session_form(festival, session, values, problems, 400)
    media_file = _recording(plan, session)
    with archive_write([plan.slug]) as db:
        position = session["position"] if session else _next_position(db, festival["slug"])
        save_session(db, festival["slug"], position, plan, media_file, keep_transcript=True)
        set_session_status(db, plan.slug, status)
    flash(f"Saved session “{plan.title}” ({status}).")
    return redirect(url_for("organise.edit_session", slug=plan.slug))


def _next_position(db, festival: str) -> int:
    return db.execute("select count(*) from sessions where festival = ?", [festival]).fetchone()[0]


@bp.route("/festivals/<slug>/sessions/new", methods=["GET", "POST"])
def new_session(slug: str):
    festival = _festival_or_404(slug)
    if request.method == "POST":
        return _session_form(festival, None)
    return _render_session_form(festival, None, {"status": "draft", "language": "en"}, [])


@bp.route("/sessions/<slug>/edit", methods=["GET", "POST"])
def edit_session(slug: str):
    session = session_or_404(slug)
    festival = session["festival_info"]
    if request.method == "POST":
        return _session_form(festival, session)
    return _render_session_form(festival, session, session_form_values(session), [])


@bp.post("/sessions/<slug>/status")
def session_status(slug: str):
    session = session_or_404(slug)
    status = request.form.get("status")
    if status not in STATUSES:
        abort(400, "status must be draft or published")
    with archive_write([slug]) as db:
        set_session_status(db, slug, status)
    flash(
        f"“{session['title']}” is published: it is on the public site and in search now."
        if status == "published"
        else f"“{session['title']}” is a draft: only organisers can see it."
    )
    return redirect(url_for("organise.edit_session", slug=slug))


@bp.route("/sessions/<slug>/delete", methods=["GET", "POST"])
def remove_session(slug: str):
    session = session_or_404(slug)
    if request.method == "GET":
        return render_template("organise/delete_session.html", session=session)
    with archive_write([slug]) as db:
        delete_session(db, slug)
    flash(f"Deleted session “{session['title']}”: it is gone from the site and from search.")
    return redirect(url_for("organise.dashboard"))
