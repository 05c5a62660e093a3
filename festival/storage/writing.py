"""Write validated festivals into SQLite: upsert by slug, so the same input twice changes nothing.

Everything here runs inside the caller's write (`festival.index.writer.archive_write`, which
holds the transaction and logs the changed sessions) and writes with plain SQL.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from festival.errors import NotFound
from festival.plans import (
    TRANSCRIPT_SOURCES,
    FestivalPlan,
    ImagePlan,
    SessionPlan,
    TranscriptPlan,
)
from festival.slugs import slugify
from festival.storage.sql import insert_rows, upsert

if TYPE_CHECKING:
    from festival.storage.database import Database

SESSION_DETAIL_TABLES = ("session_speakers", "session_themes", "chapters", "recordings")
TRANSCRIPT_TABLES = ("transcripts", "cues")
SESSION_CHILD_TABLES = SESSION_DETAIL_TABLES + TRANSCRIPT_TABLES


def now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def _image(image: ImagePlan | None) -> str | None:
    """How a poster or photo is stored: its kept copy's file name, or its https URL."""
    if image is None:
        return None
    return image.stored or image.url


def save_festival(db: Database, plan: FestivalPlan, media_files: dict[str, str]) -> list[str]:
    """Upsert a festival and its sessions; return the session slugs written.

    `media_files` maps a session slug to the stored name of its local recording.
    """
    upsert(
        db,
        "festivals",
        {
            "slug": plan.slug,
            "name": plan.name,
            "organiser": plan.organiser,
            "starts": plan.starts,
            "ends": plan.ends,
            "url": plan.url,
            "description": plan.description,
            "notice": plan.notice,
        },
    )
    for position, session in enumerate(plan.sessions):
        # A transcript the worker makes from the recording is kept when importing again.
        keep = session.speech is not None
        save_session(
            db, plan.slug, position, session, media_files.get(session.slug), keep_transcript=keep
        )
    return [session.slug for session in plan.sessions]


def save_session(
    db: Database,
    festival: str,
    position: int,
    session: SessionPlan,
    media_file: str | None,
    *,
    keep_transcript: bool = False,
) -> None:
    """Upsert a session's details and replace its speakers, themes, chapters and recording.

    A plan without a status keeps the stored one (a new session is published). Its
    transcript and cues are replaced too, unless `keep_transcript` (an organiser
    editing the details only): then they, and any corrections to them, stay as they are.
    """
    existing = db.execute(
        "select added_at, status from sessions where slug = ?", [session.slug]
    ).fetchone()
    added_at, stored_status = existing if existing else (now_iso(), "published")
    upsert(
        db,
        "sessions",
        {
            "slug": session.slug,
            "festival": festival,
            "position": position,
            "title": session.title,
            "starts_at": session.starts_at,
            "duration": session.duration,
            "format": session.format,
            "summary": session.summary,
            "language": session.language,
            "status": session.status or stored_status,
            "notice": session.notice,
            "poster": _image(session.poster),
            "added_at": added_at,
        },
    )
    replaced = SESSION_DETAIL_TABLES if keep_transcript else SESSION_CHILD_TABLES
    for table in replaced:
        db.execute(f"delete from {table} where session = ?", [session.slug])
    for speaker in session.speakers:
        record = {"slug": speaker.slug, "name": speaker.name}
        if speaker.affiliation:
            record["affiliation"] = speaker.affiliation
        if speaker.bio:
            record["bio"] = speaker.bio
        if speaker.photo:
            record["photo"] = _image(speaker.photo)
        upsert(db, "speakers", record)
    insert_rows(
        db,
        "session_speakers",
        (
            {"session": session.slug, "speaker": s.slug, "role": s.role, "position": order}
            for order, s in enumerate(session.speakers)
        ),
    )
    for slug, name in session.themes:
        upsert(db, "themes", {"slug": slug, "name": name})
    insert_rows(
        db,
        "session_themes",
        (
            {"session": session.slug, "theme": slug, "position": order}
            for order, (slug, _) in enumerate(session.themes)
        ),
    )
    insert_rows(
        db,
        "chapters",
        (
            {"session": session.slug, "position": order, "start_ms": c.start_ms, "title": c.title}
            for order, c in enumerate(session.chapters)
        ),
    )
    if session.recording:
        insert_rows(
            db,
            "recordings",
            [
                {
                    "session": session.slug,
                    "url": None if media_file else session.recording.url,
                    "kind": session.recording.kind,
                    "media_file": media_file,
                }
            ],
        )
    if session.transcript and not keep_transcript:
        save_transcript(db, session.slug, session.language, session.transcript)


def remove_speaker_photos(db: Database, slugs: list[str]) -> None:
    """Take these speakers' photos away, from every session they appear in.

    `save_session` only ever sets a photo (a plan without one keeps the stored one), so
    removing it is a write of its own.
    """
    for slug in slugs:
        db.execute("update speakers set photo = null where slug = ?", [slug])


def save_transcript(db: Database, slug: str, language: str, transcript: TranscriptPlan) -> None:
    """Store a session's transcript and its cues (the session has none at this point).

    Its `source` says who made it: a person's is reviewed and its cues carry no confidence.
    """
    if transcript.source not in TRANSCRIPT_SOURCES:
        raise ValueError(f"transcript source must be one of {TRANSCRIPT_SOURCES}")
    human = transcript.source == "human"
    parsed = transcript.parsed
    insert_rows(
        db,
        "transcripts",
        [
            {
                "session": slug,
                "language": language,
                "format": parsed.format,
                "encoding": parsed.encoding,
                "original_name": transcript.path.name,
                "original": transcript.original,
                "edited": 0,
                "source": transcript.source,
                "reviewed": int(human or transcript.reviewed),
            }
        ],
    )
    insert_rows(
        db,
        "cues",
        (
            {
                "session": slug,
                "position": order,
                "start_ms": cue.start_ms,
                "end_ms": cue.end_ms,
                "speaker": cue.speaker,
                "speaker_slug": slugify(cue.speaker) if cue.speaker else None,
                "text": cue.text,
                "sound": int(cue.sound),
                "confidence": None if human else cue.confidence,
            }
            for order, cue in enumerate(parsed.cues)
        ),
    )


def replace_transcript(db: Database, slug: str, language: str, transcript: TranscriptPlan) -> None:
    """Swap a session's transcript for a new one; earlier corrections no longer apply."""
    for table in ("transcripts", "cues", "cue_edits"):
        db.execute(f"delete from {table} where session = ?", [slug])
    save_transcript(db, slug, language, transcript)


def mark_reviewed(db: Database, slug: str) -> bool:
    """An organiser has checked a machine-made transcript; return False if there was none."""
    cursor = db.execute("update transcripts set reviewed = 1 where session = ?", [slug])
    return cursor.rowcount > 0


def set_session_status(db: Database, slug: str, status: str) -> None:
    """Make a session a `draft` (seen by organisers only) or `published`."""
    db.execute("update sessions set status = ? where slug = ?", [status, slug])


def set_session_poster(db: Database, slug: str, stored: str) -> None:
    """Make the image kept under `stored` (its name in the media folder) the session's poster."""
    db.execute("update sessions set poster = ? where slug = ?", [stored, slug])


def delete_session(db: Database, slug: str) -> None:
    """Remove a session and everything that belongs to it."""
    for table in (*SESSION_CHILD_TABLES, "cue_edits"):
        db.execute(f"delete from {table} where session = ?", [slug])
    db.execute("delete from sessions where slug = ?", [slug])


def delete_festival(db: Database, slug: str) -> None:
    """Remove a festival that has no sessions left."""
    db.execute("delete from festivals where slug = ?", [slug])


def correct_cue(
    db: Database,
    slug: str,
    position: int,
    speaker: str | None,
    text: str,
    organiser: str,
    timing: tuple[int, int] | None = None,
) -> bool:
    """Change one cue's speaker, text and (given `timing`, start and end in ms), keeping who
    changed what and when in `cue_edits`.

    Returns False (and writes nothing) when the cue already says exactly that; raises
    `NotFound` when there is no such cue.
    """
    row = db.execute(
        "select speaker, text, start_ms, end_ms from cues where session = ? and position = ?",
        [slug, position],
    ).fetchone()
    if row is None:
        raise NotFound(f"session '{slug}' has no cue {position}")
    before_speaker, before_text, before_start, before_end = row
    start_ms, end_ms = timing or (before_start, before_end)
    if (before_speaker, before_text, before_start, before_end) == (speaker, text, start_ms, end_ms):
        return False
    db.execute(
        "update cues set speaker = ?, speaker_slug = ?, text = ?, start_ms = ?, end_ms = ?"
        " where session = ? and position = ?",
        [speaker, slugify(speaker) if speaker else None, text, start_ms, end_ms, slug, position],
    )
    moved = (before_start, before_end) != (start_ms, end_ms)
    insert_rows(
        db,
        "cue_edits",
        [
            {
                "session": slug,
                "position": position,
                "organiser": organiser,
                "edited_at": now_iso(),
                "before_speaker": before_speaker,
                "before_text": before_text,
                "after_speaker": speaker,
                "after_text": text,
                "before_start_ms": before_start if moved else None,
                "before_end_ms": before_end if moved else None,
                "after_start_ms": start_ms if moved else None,
                "after_end_ms": end_ms if moved else None,
            }
        ],
    )
    db.execute("update transcripts set edited = 1 where session = ?", [slug])
    return True
