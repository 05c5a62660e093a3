"""Machine transcripts in the organiser area: queue one (or an alignment of a .txt), follow
its progress, cancel it, and mark the result reviewed. The worker does the recognising."""

from __future__ import annotations

from flask import flash, jsonify, redirect, request, url_for
from flask_login import current_user

from festival.errors import ArchiveError
from festival.extensions import archive_write, get_db, job_settings
from festival.organise import bp
from festival.organise.sessions import session_or_404
from festival.storage import jobs
from festival.storage.writing import mark_reviewed
from festival.worker import check_job

CANCEL_MESSAGES = {
    "cancelled": "Cancelled the job; nothing was stored.",
    "running": "Asked the worker to stop; it stops within seconds and stores nothing.",
}


def queue_session_job(
    slug: str,
    kind: str,
    text: bytes | None = None,
    name: str | None = None,
    *,
    replace_human: bool = True,
) -> str | None:
    """Queue a job for the worker; return why it cannot be queued, or None when queued."""
    try:
        check_job(job_settings(), slug, replace_human=replace_human)
    except ArchiveError as error:
        return str(error)
    jobs.queue_job(get_db(), kind, slug, text=text, text_name=name, requested_by=current_user.email)
    return None


@bp.post("/sessions/<slug>/machine-transcript")
def machine_transcript(slug: str):
    session_or_404(slug)
    problem = queue_session_job(slug, "transcribe", replace_human=bool(request.form.get("replace")))
    if problem:
        flash(f"Cannot make a machine transcript: {problem}.")
    else:
        flash("Queued a machine transcript; this page shows its progress.")
    return redirect(url_for("organise.transcript", slug=slug))


@bp.get("/sessions/<slug>/job")
def job_progress(slug: str):
    """The session's latest job as JSON, for the progress script on the transcript page."""
    session_or_404(slug)
    job = jobs.latest_job(get_db(), slug)
    if job is None:
        return jsonify(None)
    fields = ("id", "kind", "status", "progress", "error", "note")
    return jsonify({field: job[field] for field in fields})


@bp.post("/sessions/<slug>/job/cancel")
def cancel_job(slug: str):
    """Cancel the session's waiting or running job, if it still has one."""
    session_or_404(slug)
    job = jobs.active_job(get_db(), slug)
    if job is None:
        flash("There is no job waiting or running for this session.")
    else:
        status = jobs.request_cancel(get_db(), job["id"])
        flash(CANCEL_MESSAGES.get(status, f"That job had already ended ({status})."))
    return redirect(url_for("organise.transcript", slug=slug))


@bp.post("/sessions/<slug>/reviewed")
def reviewed(slug: str):
    """An organiser has checked a machine-made transcript: it is no longer marked as one."""
    session_or_404(slug)
    with archive_write() as write:
        changed = mark_reviewed(write.db, slug)
        write.touch(slug)
    flash("Marked the transcript reviewed." if changed else "This session has no transcript.")
    return redirect(url_for("organise.cues", slug=slug))
