"""Background jobs (machine transcripts, alignments): queued by pages and commands, run by
`flask --app festival worker`. A job is queued, running, then done, failed or cancelled.

Every function here writes in its own short transaction: jobs are bookkeeping beside the
archive, not part of it, so they never take the index lock.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from festival.storage.sql import transaction
from festival.storage.writing import now_iso

if TYPE_CHECKING:
    from festival.storage.database import Database

KINDS = ("transcribe", "align")
ACTIVE = ("queued", "running")
# A running job whose worker has not reported for this long is taken to be abandoned.
HEARTBEAT_STALE_AFTER = 120.0
# A job interrupted this many times is failed rather than started again.
MAX_ATTEMPTS = 3


def queue_job(
    db: Database,
    kind: str,
    session: str,
    *,
    text: bytes | None = None,
    text_name: str | None = None,
    requested_by: str | None = None,
) -> int:
    """Queue a job; return its id. The caller checks no other job is active for the session."""
    if kind not in KINDS:
        raise ValueError(f"job kind must be one of {KINDS}")
    with transaction(db):
        row = db.execute(
            "insert into jobs (kind, session, text, text_name, requested_by, created_at)"
            " values (?, ?, ?, ?, ?, ?) returning id",
            [kind, session, text, text_name, requested_by, now_iso()],
        ).fetchone()
    return row[0]


def queue_first_transcript(
    db: Database,
    kind: str,
    session: str,
    *,
    text: bytes | None = None,
    text_name: str | None = None,
) -> bool:
    """Queue a job unless the session has a transcript or a job already; return if queued.

    An import asking for a machine transcript queues it once: importing again changes nothing.
    """
    has_transcript = db.execute("select 1 from transcripts where session = ?", [session])
    if has_transcript.fetchone() or active_job(db, session):
        return False
    queue_job(db, kind, session, text=text, text_name=text_name)
    return True


def job(db: Database, job_id: int) -> dict | None:
    rows = list(db.query("select * from jobs where id = ?", [job_id]))
    return rows[0] if rows else None


def latest_job(db: Database, session: str) -> dict | None:
    """The session's most recent job, to show its progress or outcome."""
    rows = list(
        db.query("select * from jobs where session = ? order by id desc limit 1", [session])
    )
    return rows[0] if rows else None


def active_job(db: Database, session: str) -> dict | None:
    """The session's queued or running job, if it has one."""
    rows = list(
        db.query(
            "select * from jobs where session = ? and status in ('queued', 'running')"
            " order by id limit 1",
            [session],
        )
    )
    return rows[0] if rows else None


def claim_job(db: Database, worker_pid: int, job_id: int | None = None) -> dict | None:
    """Mark the oldest queued job (or `job_id`, if still queued) running for this worker."""
    with transaction(db):
        if job_id is None:
            row = db.execute(
                "select id from jobs where status = 'queued' order by id limit 1"
            ).fetchone()
        else:
            row = db.execute(
                "select id from jobs where status = 'queued' and id = ?", [job_id]
            ).fetchone()
        if row is None:
            return None
        db.execute(
            "update jobs set status = 'running', progress = 0, worker_pid = ?,"
            " started_at = ?, heartbeat_at = ?, attempts = attempts + 1 where id = ?",
            [worker_pid, now_iso(), time.time(), row[0]],
        )
    return job(db, row[0])


def report_progress(db: Database, job_id: int, progress: int) -> bool:
    """Record progress (0-100) and that the worker is alive; return whether cancel was asked."""
    with transaction(db):
        db.execute(
            "update jobs set progress = ?, heartbeat_at = ? where id = ?",
            [max(0, min(100, int(progress))), time.time(), job_id],
        )
        row = db.execute("select cancel_requested from jobs where id = ?", [job_id]).fetchone()
    return bool(row and row[0])


def finish_job(
    db: Database,
    job_id: int,
    status: str,
    *,
    error: str | None = None,
    note: str | None = None,
) -> None:
    """End a job `done`, `failed` (with `error`) or `cancelled`; `note` says what came of it."""
    if status not in ("done", "failed", "cancelled"):
        raise ValueError("a job ends done, failed or cancelled")
    with transaction(db):
        db.execute(
            "update jobs set status = ?, error = ?, note = ?, finished_at = ? where id = ?",
            [status, error, note, now_iso(), job_id],
        )
        if status == "done":
            db.execute("update jobs set progress = 100 where id = ?", [job_id])


def request_cancel(db: Database, job_id: int) -> str | None:
    """Cancel a queued job at once, or ask its worker to stop; return the job's status after."""
    with transaction(db):
        db.execute(
            "update jobs set status = 'cancelled', finished_at = ?"
            " where id = ? and status = 'queued'",
            [now_iso(), job_id],
        )
        db.execute(
            "update jobs set cancel_requested = 1 where id = ? and status = 'running'", [job_id]
        )
        row = db.execute("select status from jobs where id = ?", [job_id]).fetchone()
    return row[0] if row else None


def requeue_job(db: Database, job_id: int, note: str) -> None:
    """Put a running job back in the queue (its worker is stopping); it starts again later."""
    with transaction(db):
        db.execute(
            "update jobs set status = 'queued', progress = 0, worker_pid = null, note = ?"
            " where id = ? and status = 'running'",
            [note, job_id],
        )


def recover_abandoned_jobs(
    db: Database, worker_alive: Callable[[int], bool]
) -> list[tuple[int, str]]:
    """Requeue (or, after `MAX_ATTEMPTS`, fail) running jobs whose worker is gone.

    A worker is gone when `worker_alive(pid)` says so or it has not reported for
    `HEARTBEAT_STALE_AFTER` seconds. Returns (job id, new status) for each job recovered.
    """
    recovered = []
    now = time.time()
    with transaction(db):
        rows = db.execute(
            "select id, worker_pid, heartbeat_at, attempts from jobs where status = 'running'"
        ).fetchall()
        for job_id, pid, heartbeat, attempts in rows:
            stale = heartbeat is None or now - heartbeat > HEARTBEAT_STALE_AFTER
            if not stale and pid and worker_alive(pid):
                continue
            reason = f"the worker running it (process {pid}) stopped before it finished"
            if attempts >= MAX_ATTEMPTS:
                db.execute(
                    "update jobs set status = 'failed', error = ?, finished_at = ? where id = ?",
                    [f"{reason}, {attempts} times; not trying again", now_iso(), job_id],
                )
                recovered.append((job_id, "failed"))
            else:
                db.execute(
                    "update jobs set status = 'queued', progress = 0, worker_pid = null,"
                    " note = ? where id = ?",
                    [f"{reason}; started again", job_id],
                )
                recovered.append((job_id, "queued"))
    return recovered
