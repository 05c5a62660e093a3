"""Transcripts: upload with a preview (nothing stored until confirmed), and cue corrections."""

from __future__ import annotations

from bisect import bisect_right
from pathlib import Path

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from festival.errors import Problem
from festival.extensions import archive_write, get_db, transcript_limits
from festival.ingest.manifest import TRANSCRIPT_SUFFIXES
from festival.organise import bp
from festival.organise.machine import queue_session_job
from festival.organise.pending import discard_pending, find_pending, keep_pending
from festival.organise.sessions import session_or_404
from festival.plans import TranscriptPlan
from festival.speech.cues import LOW_CONFIDENCE
from festival.storage import jobs, reading
from festival.storage.writing import correct_cue, replace_transcript
from festival.timecodes import clock, parse_time
from festival.transcripts import Cue, ParsedTranscript, TranscriptError, parse_transcript
from festival.transcripts.limits import DEFAULT_LIMITS
from festival.transcripts.plaintext import read_plain_text
from festival.web.pages import media_response, player_for


def _parse(data: bytes, name: str, lenient: bool) -> ParsedTranscript:
    """Parse an upload; raises `TranscriptError` with every problem and its line."""
    return parse_transcript(data, name, strict=not lenient, limits=transcript_limits())


def _speakers(parsed: ParsedTranscript) -> list[str]:
    return list(dict.fromkeys(cue.speaker for cue in parsed.cues if cue.speaker))


def preview_rows(parsed: ParsedTranscript) -> list[tuple[Cue | None, list[Problem]]]:
    """Every cue, each followed by the warnings about the file's lines from it to the next.

    Warnings before the first cue, or about the whole file, come first with no cue.
    """
    rows: list[tuple[Cue | None, list[Problem]]] = [(None, [])]
    rows += [(cue, []) for cue in parsed.cues]
    lines = [cue.line or 0 for cue in parsed.cues]
    order = sorted(range(len(lines)), key=lines.__getitem__)
    sorted_lines = [lines[i] for i in order]
    for warning in parsed.warnings:
        found = bisect_right(sorted_lines, warning.line) if warning.line else 0
        rows[order[found - 1] + 1 if found else 0][1].append(warning)
    return rows


def _upload_page(session: dict, status: int = 200, **report):
    job = jobs.latest_job(get_db(), session["slug"])
    page = render_template("organise/transcript.html", session=session, job=job, **report)
    return page, status


def _queue_alignment(session: dict, name: str, data: bytes):
    """A `.txt` upload: check it, then queue its alignment against the session's recording."""
    recording = session["recording"]
    if not recording or not recording["media_file"]:
        problem = Problem(
            name,
            None,
            "is plain text, with no timings: it can only be timed against a recording kept "
            "by the archive; upload the session's media file first",
        )
        return _upload_page(session, 400, name=name, problems=[problem])
    try:
        read_plain_text(data, name)
    except TranscriptError as error:
        return _upload_page(session, 400, name=name, problems=error.problems)
    reason = queue_session_job(session["slug"], "align", data, name)
    if reason:
        return _upload_page(session, 400, name=name, problems=[Problem(name, None, reason)])
    flash(f"Queued {name} to be timed against the recording; this page shows its progress.")
    return redirect(url_for("organise.transcript", slug=session["slug"]))


def _preview(session: dict, name: str, lenient: bool, data: bytes, token: str | None = None):
    """The preview of an upload (kept under `token` until confirmed), or its problems."""
    try:
        parsed = _parse(data, name, lenient)
    except TranscriptError as error:
        if token:
            discard_pending(token)
        return _upload_page(session, 400, name=name, problems=error.problems, lenient=lenient)
    return _upload_page(
        session,
        name=name,
        parsed=parsed,
        speakers=_speakers(parsed),
        rows=preview_rows(parsed),
        token=token or keep_pending(session["slug"], name, lenient, data),
    )


@bp.get("/sessions/<slug>/transcript")
def transcript(slug: str):
    """The upload form; with `?token=`, the preview of a file sent with the session form."""
    session = session_or_404(slug)
    pending = find_pending(request.args.get("token", ""), slug)
    if pending is None:
        return _upload_page(session)
    return _preview(session, pending.name, pending.lenient, pending.data, pending.token)


@bp.post("/sessions/<slug>/transcript")
def preview_transcript(slug: str):
    """Show what the uploaded transcript holds and every problem with its line; store nothing."""
    session = session_or_404(slug)
    upload = request.files.get("transcript")
    lenient = bool(request.form.get("lenient"))
    if not upload or not upload.filename:
        return _upload_page(session, 400, problems=[Problem("", None, "Choose a file to upload.")])
    name = Path(upload.filename).name
    if Path(name).suffix.lower() == ".txt":
        return _queue_alignment(session, name, upload.read())
    if Path(name).suffix.lower() not in TRANSCRIPT_SUFFIXES:
        problem = Problem(
            name,
            None,
            "is not a transcript: upload a .vtt, .srt or .sbv file"
            " (or a .txt to time against the recording)",
        )
        return _upload_page(session, 400, name=name, problems=[problem])
    return _preview(session, name, lenient, upload.read())


@bp.post("/sessions/<slug>/transcript/confirm")
def confirm_transcript(slug: str):
    session = session_or_404(slug)
    pending = find_pending(request.form.get("token", ""), slug)
    if pending is None:
        flash("That upload is no longer waiting; please upload the transcript again.")
        return redirect(url_for("organise.transcript", slug=slug))
    try:
        parsed = _parse(pending.data, pending.name, pending.lenient)
    except TranscriptError as error:
        discard_pending(pending.token)
        return _upload_page(session, 400, name=pending.name, problems=error.problems)
    plan = TranscriptPlan(Path(pending.name), pending.data, parsed)
    with archive_write() as write:
        replace_transcript(write.db, slug, session["language"], plan)
        write.touch(slug)
    discard_pending(pending.token)
    flash(f"Saved the transcript: {len(parsed.cues)} cues. Correct any cue below.")
    return redirect(url_for("organise.cues", slug=slug))


@bp.post("/sessions/<slug>/transcript/discard")
def discard_transcript(slug: str):
    session_or_404(slug)
    discard_pending(request.form.get("token", ""))
    flash("Discarded the upload; the stored transcript is unchanged.")
    return redirect(url_for("organise.transcript", slug=slug))


@bp.get("/sessions/<slug>/cues")
def cues(slug: str):
    session = session_or_404(slug)
    db = get_db()
    return render_template(
        "organise/cues.html",
        session=session,
        player=player_for(session, media_endpoint="organise.media"),
        cues=reading.cues(db, slug),
        edits=reading.cue_edits(db, slug),
        low_confidence=LOW_CONFIDENCE,
    )


@bp.get("/sessions/<slug>/media")
def media(slug: str):
    """The stored recording, for organisers, published or not (to check cues against it)."""
    return media_response(session_or_404(slug))


def _timing(slug: str, position: int) -> tuple[int, int] | None:
    """The start and end the correction form asks for, in ms; None when it does not ask.

    A cue may not move past its neighbours' starts: the transcript stays in spoken order.
    Aborts with 400 and a message saying what to type otherwise.
    """
    form = request.form
    if "start" not in form and "end" not in form:
        return None
    start, end = parse_time(form.get("start", "")), parse_time(form.get("end", ""))
    if start is None or end is None:
        abort(400, "Write the start and end as seconds (95.5) or a clock time (1:35.5).")
    start_ms, end_ms = round(start * 1000), round(end * 1000)
    if end_ms < start_ms:
        abort(400, f"The cue cannot end ({clock(end)}) before it starts ({clock(start)}).")
    starts = {cue["position"]: cue["start_ms"] for cue in reading.cues(get_db(), slug)}
    earlier = [ms for other, ms in starts.items() if other < position]
    later = [ms for other, ms in starts.items() if other > position]
    if (earlier and start_ms < max(earlier)) or (later and start_ms > min(later)):
        abort(400, "A cue can only start between the starts of the cues before and after it.")
    return start_ms, end_ms


# Positions past the most cues a transcript may hold are 404s, not a number SQLite cannot take.
@bp.post(f"/sessions/<slug>/cues/<int(max={DEFAULT_LIMITS.max_cues}):position>")
def correct(slug: str, position: int):
    """Correct one cue's speaker, text and timing in place; the session is reindexed at once."""
    session_or_404(slug)
    text = " ".join(request.form.get("text", "").split())
    speaker = " ".join(request.form.get("speaker", "").split()) or None
    if not text:
        abort(400, "A cue needs some text; to silence a cue, correct its words instead.")
    timing = _timing(slug, position)
    with archive_write() as write:
        changed = correct_cue(write.db, slug, position, speaker, text, current_user.email, timing)
        write.touch(slug)
    flash(f"Corrected cue {position + 1}." if changed else "That cue already said exactly that.")
    return redirect(url_for("organise.cues", slug=slug, _anchor=f"cue-{position}"))
