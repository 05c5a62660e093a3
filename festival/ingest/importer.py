"""Import a festival: validate everything first, then one transaction, then the index.

If any file has a problem nothing is written: not the database, not the index.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from festival.errors import ImportProblem, Problem
from festival.index.writer import archive_write
from festival.ingest.manifest import display_path, find_manifest, read_manifest
from festival.plans import FestivalPlan
from festival.recordings import media_duration
from festival.storage import jobs, reading
from festival.storage.media import media_folder, store_media
from festival.storage.writing import save_festival
from festival.transcripts import Limits

if TYPE_CHECKING:
    from festival.storage.database import Database


@dataclass
class ImportReport:
    festival: str
    sessions: list[str]
    cues: int
    warnings: list[Problem] = field(default_factory=list)
    queued: list[str] = field(default_factory=list)  # sessions waiting for the worker


def import_manifest(
    db: Database,
    instance: Path,
    path: Path,
    *,
    strict: bool = True,
    limits: Limits | None = None,
    lock_timeout: float = 10.0,
    on_session: Callable[[int, int], None] | None = None,
    root: Path | None = None,
    media: Path | None = None,
) -> ImportReport:
    """Import a manifest (file or folder); raise `ImportProblem` listing every problem found.

    Files named by the manifest must lie inside `root` (see `read_manifest`). Also raises
    `IndexBusy` if another writer holds the index for longer than `lock_timeout`. Local
    recordings are stored in `media` (default: the instance folder's `media/`).
    """
    plan = read_manifest(Path(path), strict=strict, limits=limits, on_session=on_session, root=root)
    _check_against_archive(db, plan, display_path(find_manifest(Path(path))))
    kept_in = media or media_folder(instance)
    media = {
        session.slug: store_media(kept_in, session.recording.media_path)
        for session in plan.sessions
        if session.recording and session.recording.media_path
    }
    for session in plan.sessions:
        if session.duration is None and session.slug in media:  # the recording's own length
            session.duration = media_duration(session.recording.media_path)
        images = [session.poster, *(speaker.photo for speaker in session.speakers)]
        for image in images:
            if image and image.path:
                image.stored = store_media(kept_in, image.path)
    with archive_write(db, instance, timeout=lock_timeout) as write:
        slugs = save_festival(db, plan, media)
        write.touch(*slugs)
    queued = [
        session.slug
        for session in plan.sessions
        if session.speech
        and jobs.queue_first_transcript(
            db,
            session.speech.kind,
            session.slug,
            text=session.speech.text,
            text_name=session.speech.text_name,
        )
    ]
    return ImportReport(
        festival=plan.slug,
        sessions=slugs,
        cues=sum(len(s.transcript.parsed.cues) for s in plan.sessions if s.transcript),
        warnings=plan.warnings,
        queued=queued,
    )


def _check_against_archive(db: Database, plan: FestivalPlan, manifest: str) -> None:
    """Session slugs are unique in the whole archive, not just in one manifest."""
    owners = reading.festivals_of_sessions(db, [session.slug for session in plan.sessions])
    problems = [
        Problem(
            manifest,
            session.line,
            f"session slug '{session.slug}' already belongs to festival '{owners[session.slug]}'",
        )
        for session in plan.sessions
        if owners.get(session.slug, plan.slug) != plan.slug
    ]
    if problems:
        raise ImportProblem(problems)
