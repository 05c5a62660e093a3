"""Sessions in the organiser area: creating, editing, publishing and deleting them."""

from __future__ import annotations

from pathlib import Path

from flask import abort, flash, redirect, render_template, request, url_for
from werkzeug.datastructures import FileStorage

from festival.errors import ImportProblem, NotFound, Problem
from festival.extensions import archive_write, get_db, media_folder
from festival.images import IMAGE_TYPES, image_type
from festival.ingest.manifest import TRANSCRIPT_SUFFIXES, session_from_fields
from festival.organise import bp
from festival.organise.festivals import festival_or_404
from festival.organise.forms import (
    SPEAKER_ROWS_SPARE,
    THEME_ROWS_SPARE,
    form_problems,
    session_fields,
    session_form_values,
)
from festival.organise.pending import keep_pending, stored_media
from festival.plans import STATUSES, ImagePlan, RecordingPlan, SessionPlan
from festival.recordings import MEDIA_TYPES, media_duration
from festival.slugs import slugify
from festival.storage import reading
from festival.storage.media import media_path, store_media_bytes
from festival.storage.writing import (
    delete_session,
    remove_speaker_photos,
    save_session,
    set_session_poster,
    set_session_status,
)
from festival.timecodes import clock_fraction, parse_time
from festival.video_frames import FrameProblem, check_video, frame_at


def session_or_404(slug: str) -> dict:
    try:
        return reading.session(get_db(), slug, drafts=True)
    except NotFound:
        abort(404, f"no session '{slug}'")


def _render_session_form(festival: dict, session: dict | None, values: dict, problems, status=200):
    db = get_db()
    no_frames = None
    if session:
        try:
            poster_video(session)
        except FrameProblem as why:
            no_frames = str(why)
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
            no_frames=no_frames,
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


def _image_problem(upload: FileStorage | None, whose: str = "") -> Problem | None:
    """A problem when an uploaded poster or photo is not an image the archive keeps."""
    if upload and upload.filename and image_type(upload.filename) is None:
        return Problem(
            "", None, f"{whose}'{upload.filename}' is not an image ({', '.join(IMAGE_TYPES)})"
        )
    return None


def _speaker_photos() -> tuple[dict[str, FileStorage], list[str], list[Problem]]:
    """Each speaker row's new photo, and the speakers whose photo is to go, by slug.

    A row's file input and "remove" box carry its index (`speaker_photo_2`), so a photo stays
    with the name in its own row even when a row above it is empty. Also returns a problem
    for each file that is not an image, or sits in a row without a name.
    """
    uploads: dict[str, FileStorage] = {}
    removed: list[str] = []
    problems: list[Problem] = []
    for row, name in enumerate(request.form.getlist("speaker_name")):
        upload = request.files.get(f"speaker_photo_{row}")
        if upload and upload.filename:
            if not name.strip():
                message = f"speaker row {row + 1} has a photo ('{upload.filename}') but no name"
                problems.append(Problem("", None, message))
            elif problem := _image_problem(upload, f"photo of {name.strip()}: "):
                problems.append(problem)
            else:
                uploads[slugify(name)] = upload
        elif name.strip() and request.form.get(f"remove_speaker_photo_{row}") == slugify(name):
            removed.append(slugify(name))  # only the photo shown, if the row still names them
    return uploads, removed, problems


def _with_stored_photos(speakers: list[dict], session: dict | None) -> list[dict]:
    """The form's speaker rows with the photos stored for them, to show the form again."""
    stored = (
        {speaker["slug"]: speaker["photo"] for speaker in session["speakers"]} if session else {}
    )
    return [
        speaker | {"slug": slugify(speaker["name"]), "photo": stored.get(slugify(speaker["name"]))}
        for speaker in speakers
    ]


def _poster(session: dict | None) -> ImagePlan | None:
    """An uploaded poster, else the stored one unless the organiser removes it."""
    upload = request.files.get("poster")
    if upload and upload.filename:
        return ImagePlan(upload.filename, stored=stored_media(upload))
    if session and session["poster"] and not request.form.get("remove_poster"):
        return ImagePlan("", stored=session["poster"])
    return None


def poster_video(session: dict) -> Path:
    """The session's uploaded video, to take a poster frame from; raises `FrameProblem` saying
    why there is none (we never fetch a recording from YouTube, Vimeo or another site)."""
    recording = session["recording"]
    if recording is None:
        raise FrameProblem("this session has no recording yet; upload its video under Recording")
    if not recording["media_file"]:
        where = {"youtube": "on YouTube", "vimeo": "on Vimeo"}.get(recording["kind"], "elsewhere")
        raise FrameProblem(
            f"the recording is {where}, and a frame can only be taken from a video uploaded here"
        )
    path = media_path(media_folder(), recording["media_file"])
    check_video(path)
    return path


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
    problems: list[Problem] = []
    plan = None
    try:
        plan = session_from_fields(fields, "session")
    except ImportProblem as error:
        problems = form_problems(error)
    db = get_db()
    if not session and plan and reading.slug_exists(db, "sessions", plan.slug):
        problems.append(Problem("", None, f"a session with slug '{plan.slug}' exists"))
    media_problem = _media_problem(request.files.get("media"))
    if media_problem:
        problems.append(media_problem)
    poster_problem = _image_problem(request.files.get("poster"))
    if poster_problem:
        problems.append(poster_problem)
    photos, photos_removed, photo_problems = _speaker_photos()
    problems.extend(photo_problems)
    transcript = request.files.get("transcript")
    name = Path(transcript.filename).name if transcript and transcript.filename else ""
    if name and Path(name).suffix.lower() not in TRANSCRIPT_SUFFIXES:
        problems.append(Problem("", None, f"'{name}' is not a .vtt, .srt or .sbv transcript"))
    if problems:
        values = fields | {
            "chapters": form.get("chapters", ""),
            "duration": form.get("duration", ""),
            "recording_url": form.get("recording_url", ""),
            "speakers": _with_stored_photos(fields["speakers"], session),
        }
        return _render_session_form(festival, session, values, problems, 400)
    media_file = _recording(plan, session)
    plan.poster = _poster(session)
    for speaker in plan.speakers:
        if speaker.slug in photos:
            upload = photos[speaker.slug]
            speaker.photo = ImagePlan(upload.filename, stored=stored_media(upload))
    if media_file and plan.duration is None:  # as long as the recording, not its transcript
        plan.duration = media_duration(media_path(media_folder(), media_file))
    if session:
        position = session["position"]
    else:
        position = len(reading.festival_session_slugs(db, festival["slug"]))
    with archive_write() as write:
        save_session(write.db, festival["slug"], position, plan, media_file, keep_transcript=True)
        remove_speaker_photos(write.db, photos_removed)
        write.touch(plan.slug)
    flash(f"Saved session “{plan.title}” ({plan.status}).")
    if name:  # its preview next; stored once the organiser confirms it
        token = keep_pending(plan.slug, name, False, transcript.read())
        return redirect(url_for("organise.transcript", slug=plan.slug, token=token))
    return redirect(url_for("organise.edit_session", slug=plan.slug))


@bp.route("/festivals/<slug>/sessions/new", methods=["GET", "POST"])
def new_session(slug: str):
    festival = festival_or_404(slug)
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


@bp.post("/sessions/<slug>/poster-frame")
def poster_frame(slug: str):
    """Make the frame at the posted time of the session's uploaded video its poster."""
    session = session_or_404(slug)
    at = request.form.get("at", "")
    seconds = parse_time(at)
    if seconds is None:
        wrong = f"'{at}' is not a time" if at.strip() else "it is empty"
        return _frame_refused(session, at, f"Time in the recording: {wrong}; write 95.5 or 1:35.")
    try:
        image = frame_at(poster_video(session), seconds)
    except FrameProblem as why:
        return _frame_refused(session, at, f"Poster from the recording: {why}.")
    stored = store_media_bytes(media_folder(), image, ".jpg")
    with archive_write() as write:
        set_session_poster(write.db, slug, stored)
        write.touch(slug)
    flash(f"Poster set from the frame at {clock_fraction(seconds)}.")
    return redirect(url_for("organise.edit_session", slug=slug))


def _frame_refused(session: dict, at: str, message: str):
    """The session form again, saying why no frame was taken; nothing is written."""
    values = session_form_values(session) | {"poster_at": at}
    problems = [Problem("", None, message)]
    return _render_session_form(session["festival_info"], session, values, problems, 400)


@bp.post("/sessions/<slug>/status")
def session_status(slug: str):
    session = session_or_404(slug)
    status = request.form.get("status")
    if status not in STATUSES:
        abort(400, "status must be draft or published")
    with archive_write() as write:
        set_session_status(write.db, slug, status)
        write.touch(slug)
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
    with archive_write() as write:
        delete_session(write.db, slug)
        write.touch(slug)
    flash(f"Deleted session “{session['title']}”: it is gone from the site and from search.")
    return redirect(url_for("organise.dashboard"))
