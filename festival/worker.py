"""Running background jobs: recognise a session's recording, then store the result through
the one write path; and, beside them, merge the search index's segments (`BackgroundMerge`),
which saves leave unmerged. Used by `flask --app festival worker` and, in the foreground,
by `transcribe` and `align`; never inside a web request.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from festival.errors import ArchiveError, NotFound
from festival.index.background import BackgroundMerge
from festival.index.writer import archive_write
from festival.plans import TranscriptPlan
from festival.speech.align import align_text
from festival.speech.cues import cues_from_words
from festival.speech.model import ModelUnavailable, load_model, model_folder, understands
from festival.speech.words import Stopped
from festival.storage import jobs, reading
from festival.storage.media import media_path
from festival.storage.writing import replace_transcript
from festival.transcripts.model import Cue, ParsedTranscript
from festival.transcripts.plaintext import read_plain_text
from festival.transcripts.writers import to_vtt

if TYPE_CHECKING:
    from festival.storage.database import Database

SOURCES = {"transcribe": "machine", "align": "aligned"}
PROGRESS_EVERY = 1.0  # seconds between progress writes
# Storing waits this long for the index lock: after minutes of recognition, better to wait
# for an import to finish than to fail the job.
STORE_LOCK_TIMEOUT = 300.0
RECOVER_EVERY = 30.0  # seconds between looks for jobs whose worker died
log = logging.getLogger(__name__)


class JobFailed(ArchiveError):
    """A job that cannot finish; its message is what the organiser is shown."""


@dataclass(frozen=True)
class JobSettings:
    """What a job needs from the app: where the archive and its recordings are, and which
    model to use."""

    db: Database
    instance: Path
    media: Path  # the folder recordings are kept in (FESTIVAL_MEDIA_PATH)
    lock_timeout: float
    model: str | None  # FESTIVAL_ASR_MODEL, or None for the bundled model


@dataclass(frozen=True)
class Outcome:
    status: str  # done | failed | cancelled | queued (put back: the worker is stopping)
    message: str


def recording_path(settings: JobSettings, session: dict) -> Path:
    """The session's local recording; raises `JobFailed` when it has none to listen to."""
    recording = session["recording"]
    if not recording or not recording["media_file"]:
        raise JobFailed(
            f"session '{session['slug']}' has no recording kept by the archive: "
            "upload its media file first (YouTube and Vimeo recordings cannot be transcribed)"
        )
    path = media_path(settings.media, recording["media_file"])
    if not path.is_file():
        raise JobFailed(f"the recording of session '{session['slug']}' is missing from {path}")
    return path


def check_job(settings: JobSettings, slug: str, *, replace_human: bool = True) -> dict:
    """Whether a job for `slug` can be queued now; returns the session.

    Raises `NotFound`, `JobFailed` (no local recording, a job already waiting or running,
    or a person's transcript that `replace_human` does not allow replacing) or
    `ModelUnavailable`, so a page or command says why before queueing.
    """
    session = reading.session(settings.db, slug, drafts=True)
    recording_path(settings, session)
    transcript = session["transcript"]
    if transcript and transcript["source"] == "human" and not replace_human:
        raise JobFailed(
            f"session '{slug}' has a transcript made by a person; a machine transcript would "
            "replace it and its corrections, so confirm that you want it replaced"
        )
    model_folder(settings.model)
    active = jobs.active_job(settings.db, slug)
    if active:
        raise JobFailed(
            f"session '{slug}' already has a {active['kind']} job {active['status']} "
            f"(job {active['id']}); wait for it or cancel it"
        )
    return session


def run_job(
    settings: JobSettings,
    job: dict,
    *,
    on_progress: Callable[[int], None] | None = None,
    stopping: Callable[[], bool] = lambda: False,
) -> Outcome:
    """Run a claimed job to its end and record the outcome in the jobs table."""
    db = settings.db
    cancel = {"asked": False, "reported": 0.0}

    def progress(fraction: float, *, now: bool = False) -> None:
        percent = min(99, int(fraction * 100))
        if on_progress:
            on_progress(percent)
        if now or time.monotonic() - cancel["reported"] >= PROGRESS_EVERY:
            cancel["asked"] = jobs.report_progress(db, job["id"], percent)
            cancel["reported"] = time.monotonic()

    def should_stop() -> bool:
        return cancel["asked"] or stopping()

    try:
        outcome = _recognise_and_store(settings, job, progress, should_stop)
    except Stopped:
        if stopping() and not cancel["asked"]:
            jobs.requeue_job(db, job["id"], "the worker stopped; it will start again")
            return Outcome("queued", "the worker stopped; the job will start again")
        outcome = Outcome("cancelled", "cancelled: nothing was stored")
    except ArchiveError as error:
        outcome = Outcome("failed", str(error))
    except Exception as error:  # a bug or a broken model mid-run: fail the job, keep the worker
        log.exception("job %s failed unexpectedly", job["id"])
        outcome = Outcome("failed", f"unexpected error: {type(error).__name__}: {error}")
    if outcome.status == "failed":
        jobs.finish_job(db, job["id"], "failed", error=outcome.message)
    else:
        jobs.finish_job(db, job["id"], outcome.status, note=outcome.message)
    return outcome


def _recognise_and_store(settings: JobSettings, job: dict, progress, should_stop) -> Outcome:
    # Imported here so web processes, which only queue jobs, never load PyAV.
    from festival.speech.decoding import media_duration
    from festival.speech.recognise import recognise

    db, slug = settings.db, job["session"]
    try:
        session = reading.session(db, slug, drafts=True)
    except NotFound:
        raise JobFailed(f"session '{slug}' was deleted; nothing was stored") from None
    path = recording_path(settings, session)
    paragraphs = read_plain_text(job["text"], job["text_name"]) if job["kind"] == "align" else []
    folder = model_folder(settings.model)
    model = load_model(folder)
    language = session["language"] or "en"
    if not understands(model, language):
        raise ModelUnavailable(
            f"the speech model in {folder} understands English only, and session '{slug}' "
            f"is in '{language}': set FESTIVAL_ASR_MODEL to a multilingual Whisper model"
        )
    words = recognise(
        model,
        path,
        language=language,
        on_progress=progress,
        should_stop=should_stop,
    )
    progress(1.0, now=True)  # a last look at whether the job was cancelled meanwhile
    if should_stop():
        raise Stopped("stopped before storing")
    if not words:
        return Outcome("done", "no speech found in the recording: nothing was stored")
    if job["kind"] == "align":
        cues = align_text(paragraphs, words, media_duration(path) or words[-1].end)
    else:
        cues = cues_from_words(words)
    if not _store(settings, slug, session["language"], cues, SOURCES[job["kind"]]):
        raise JobFailed(
            f"session '{slug}' was deleted while it was being transcribed; nothing was stored"
        )
    what = "machine transcript" if job["kind"] == "transcribe" else "aligned transcript"
    return Outcome("done", f"stored a {what} of {len(cues)} cues, not yet reviewed")


def _store(settings: JobSettings, slug: str, language: str, cues: list[Cue], source: str) -> bool:
    """Replace the session's transcript; False (nothing written) if the session is gone."""
    db = settings.db
    name = f"{slug}.vtt"
    parsed = ParsedTranscript("vtt", "utf-8", cues)
    # Kept as the export writes it, confidences in the cue identifiers, so export then
    # import gives back the same file and the same flagged cues.
    original = to_vtt(cues, confidences=True).encode()
    plan = TranscriptPlan(Path(name), original, parsed, source=source, reviewed=False)
    timeout = max(settings.lock_timeout, STORE_LOCK_TIMEOUT)
    with archive_write(db, settings.instance, timeout=timeout) as write:
        exists = reading.slug_exists(db, "sessions", slug)
        if exists:
            replace_transcript(db, slug, language, plan)
            write.touch(slug)
    return exists


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def run_worker(
    settings: JobSettings,
    *,
    until_idle: bool = False,
    poll: float = 1.0,
    stopping: Callable[[], bool] = lambda: False,
    report: Callable[[str], None] = print,
    merges: BackgroundMerge | None = None,
) -> int:
    """Run queued jobs one after another until `stopping()` (or, `until_idle`, the queue is
    empty). Jobs a dead worker or command left running are recovered first, and again every
    `RECOVER_EVERY` seconds while waiting. `merges`, looked at between jobs, merges the
    index when it has too many segments; `until_idle` waits for its merge to end. Returns
    how many jobs ran."""
    ran, recovered_at = 0, float("-inf")
    while not stopping():
        if merges is not None:
            merges.look()
        if time.monotonic() - recovered_at >= RECOVER_EVERY:
            for job_id, status in jobs.recover_abandoned_jobs(settings.db, process_alive):
                report(f"job {job_id}: its worker had stopped; now {status}")
            recovered_at = time.monotonic()
        job = jobs.claim_job(settings.db, os.getpid())
        if job is None:
            if until_idle:
                break
            time.sleep(poll)
            continue
        report(f"job {job['id']}: {job['kind']} {job['session']} started")
        outcome = run_job(settings, job, stopping=stopping)
        report(f"job {job['id']}: {outcome.status}: {outcome.message}")
        ran += 1
    if until_idle and merges is not None:
        merges.wait()
    return ran
