"""Organiser forms as manifest fields, so they pass the same checks as `festival.yaml`, and back."""

from __future__ import annotations

from werkzeug.datastructures import MultiDict

from festival.errors import ImportProblem, Problem
from festival.timecodes import hms

FESTIVAL_FIELDS = ("slug", "name", "organiser", "starts", "ends", "url", "description", "notice")
SESSION_TEXT_FIELDS = ("slug", "title", "starts_at", "format", "summary", "language", "notice")
SPEAKER_ROWS_SPARE = 3  # empty speaker rows under the filled ones, to add more
THEME_ROWS_SPARE = 3
MAX_NUMBER_DIGITS = 100  # longer runs stay text, and the manifest's checks refuse them


def form_problems(error: ImportProblem) -> list[Problem]:
    """The manifest's problems as messages about the form (it has no file or lines)."""
    return [Problem("", None, problem.message) for problem in error.problems]


def festival_fields(form: MultiDict) -> dict:
    return {name: form.get(name, "") for name in FESTIVAL_FIELDS}


def session_fields(form: MultiDict) -> dict:
    """A session as the manifest would hold it; values are checked later, by the manifest."""
    fields: dict = {name: form.get(name, "") for name in SESSION_TEXT_FIELDS}
    duration = form.get("duration", "").strip()
    # ASCII digits only: `"²".isdigit()` is true, but int("²") fails.
    whole = duration.isascii() and duration.isdigit() and len(duration) <= MAX_NUMBER_DIGITS
    fields["duration"] = int(duration) if whole else duration or None
    fields["themes"] = [name for name in form.getlist("theme") if name.strip()]
    fields["speakers"] = [
        {"name": name, "affiliation": affiliation, "role": role or "speaker", "bio": bio}
        for name, affiliation, role, bio in zip(
            form.getlist("speaker_name"),
            form.getlist("speaker_affiliation"),
            form.getlist("speaker_role"),
            form.getlist("speaker_bio") or [""] * len(form.getlist("speaker_name")),
            strict=False,
        )
        if name.strip()
    ]
    fields["chapters"] = chapters_from_text(form.get("chapters", ""))
    fields["status"] = form.get("status", "draft")
    if form.get("recording_url", "").strip():
        fields["recording"] = {"url": form["recording_url"].strip()}
    return fields


def chapters_from_text(text: str) -> list[dict]:
    """`HH:MM:SS Title` lines as manifest chapters."""
    chapters = []
    for line in text.splitlines():
        if line.strip():
            at, _, title = line.strip().partition(" ")
            chapters.append({"at": at, "title": title.strip()})
    return chapters


def chapters_as_text(chapters: list[dict]) -> str:
    return "\n".join(f"{hms(c['start_ms'])} {c['title']}" for c in chapters)


def session_form_values(card: dict) -> dict:
    """A stored session (from `reading.session`) as the values its edit form starts with."""
    recording = card["recording"] or {}
    return {
        **{name: card[name] or "" for name in SESSION_TEXT_FIELDS},
        "duration": card["duration"] or "",
        "themes": [t["name"] for t in card["themes"]],
        "speakers": card["speakers"],
        "chapters": chapters_as_text(card["chapters"]),
        "recording_url": recording.get("url") or "",
        "media_file": recording.get("media_file"),
        "status": card["status"],
    }
