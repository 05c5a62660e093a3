"""Read and validate a festival manifest (`festival.yaml`) and every file it refers to.

Nothing here writes anything: `read_manifest` returns a `FestivalPlan` only when the
manifest and all its transcripts are usable, and otherwise raises `ImportProblem`
listing every problem with its file and line.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from urllib.parse import urlparse

from festival.errors import ImportProblem, Problem
from festival.images import IMAGE_TYPES, image_type, is_image_url
from festival.ingest.marked_yaml import Marked, YamlProblem, load_marked
from festival.plans import (
    STATUSES,
    TRANSCRIPT_SOURCES,
    ChapterPlan,
    FestivalPlan,
    ImagePlan,
    RecordingPlan,
    SessionPlan,
    SpeakerPlan,
    SpeechPlan,
    TranscriptPlan,
)
from festival.recordings import MEDIA_TYPES, recording_kind
from festival.slugs import is_slug, slugify
from festival.timecodes import parse_time
from festival.transcripts import Limits, parse_transcript
from festival.transcripts.model import TranscriptError
from festival.transcripts.plaintext import read_plain_text

FORMATS = ("keynote", "talk", "panel", "webinar", "workshop", "conversation")
ROLES = ("speaker", "moderator", "host", "panellist")
TRANSCRIPT_SUFFIXES = (".vtt", ".srt", ".sbv")
FESTIVAL_KEYS = {"slug", "name", "organiser", "starts", "ends", "url", "description", "notice"}
SESSION_KEYS = {
    "slug", "title", "starts_at", "duration", "format", "summary", "themes", "speakers",
    "recording", "transcript", "language", "chapters", "status", "notice", "poster",
    "transcript_source", "transcript_reviewed",
}  # fmt: skip
LANGUAGE_PATTERN = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
MAX_HOURS = 1000  # longer than any recording; keeps times inside SQLite's 64-bit integers
MAX_SECONDS = MAX_HOURS * 3600


def find_manifest(path: Path) -> Path:
    """The manifest file for `import PATH`: the file itself, or `festival.yaml` in a folder."""
    if path.is_dir():
        return path / "festival.yaml"
    return path


def display_path(path: Path) -> str:
    """A path as people expect to read it in `FILE:LINE` messages: relative to here if inside."""
    normal = os.path.normpath(path)
    relative = os.path.relpath(normal)
    return normal if relative.startswith("..") else relative


def read_manifest(
    path: Path,
    *,
    strict: bool = True,
    limits: Limits | None = None,
    on_session: Callable[[int, int], None] | None = None,
    root: Path | None = None,
) -> FestivalPlan:
    """Validate a manifest and everything it names; raise `ImportProblem` listing every fault.

    Files it names must lie inside `root`: by default the folder above the manifest's own,
    which allows the `sessions/` beside `transcripts/` layout and nothing further.
    `on_session(done, total)` is called as each session is read, for a progress bar.
    """
    return _ManifestReader(path, strict, limits or Limits(), on_session, root).read()


def festival_from_fields(fields: dict, name: str) -> FestivalPlan:
    """Validate a festival given as plain values (an organiser's form) by the manifest's rules.

    Raises `ImportProblem` listing every problem; `name` is what the problems say they are in.
    """
    reader = _ManifestReader(Path(name), True, Limits())
    return reader.checked(reader.festival(_marked(fields)))


def session_from_fields(fields: dict, name: str) -> SessionPlan:
    """Validate one session given as plain values (no transcript) by the manifest's rules.

    Raises `ImportProblem` listing every problem; `name` is what the problems say they are in.
    """
    reader = _ManifestReader(Path(name), True, Limits())
    return reader.checked(reader.session(_marked(fields)))


def _marked(value) -> Marked:
    """Plain values as if read from a manifest (all on line 1), for the manifest's checks."""
    if isinstance(value, dict):
        return Marked({key: _marked(item) for key, item in value.items()}, 1)
    if isinstance(value, list):
        return Marked([_marked(item) for item in value], 1)
    return Marked(value, 1)


def _shortened(value) -> str:
    """A value as a message quotes it, cut short if someone typed a thousand digits."""
    text = repr(value)
    return text if len(text) <= 40 else f"{text[:37]}..."


class _ManifestReader:
    def __init__(self, path: Path, strict: bool, limits: Limits, on_session=None, root=None):
        self.on_session = on_session
        self.path = find_manifest(Path(path))
        self.name = display_path(self.path)
        self.folder = self.path.parent
        self.root = Path(root or self.folder.parent).resolve()
        self.strict = strict
        self.limits = limits
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []

    # -- reporting -------------------------------------------------------------------------
    def problem(self, line: int | None, message: str) -> None:
        self.problems.append(Problem(self.name, line, message))

    def warn(self, line: int | None, message: str) -> None:
        self.warnings.append(Problem(self.name, line, message))

    def checked(self, plan):
        """`plan` when nothing was wrong; else raise `ImportProblem` with every problem."""
        if self.problems or plan is None:
            raise ImportProblem(self.problems, self.warnings)
        return plan

    # -- typed field readers -----------------------------------------------------------------
    def text(self, mapping: Marked, key: str, *, required: bool = False) -> str | None:
        item = mapping.value.get(key)
        if item is None or item.value is None:
            if required:
                self.problem(mapping.line, f"'{key}' is required")
            return None
        if isinstance(item.value, bool | list | dict):
            self.problem(item.line, f"'{key}' must be text")
            return None
        value = str(item.value).strip()
        if required and not value:
            self.problem(item.line, f"'{key}' must not be empty")
            return None
        return value or None

    def slug(self, mapping: Marked, what: str) -> str | None:
        value = self.text(mapping, "slug", required=True)
        if value is not None and not is_slug(value):
            self.problem(
                mapping.value["slug"].line,
                f"{what} slug '{value}' may only hold a-z, 0-9 and '-' (try '{slugify(value)}')",
            )
            return None
        return value

    def iso_date(self, mapping: Marked, key: str, *, allow_time: bool, required=False):
        value = self.text(mapping, key, required=required)
        if value is None:
            return None
        line = mapping.value[key].line
        try:
            if allow_time and ("T" in value.upper() or " " in value.strip()):
                return datetime.fromisoformat(value.replace("Z", "+00:00")).isoformat()
            return date.fromisoformat(value).isoformat()
        except ValueError:
            example = "2020-06-10 or 2020-06-10T14:00:00+01:00" if allow_time else "2020-06-10"
            self.problem(
                line, f"'{key}' is not a valid ISO date: '{value}' (write it as {example})"
            )
            return None

    def web_url(self, mapping: Marked, key: str) -> str | None:
        value = self.text(mapping, key)
        if value is not None and urlparse(value).scheme not in ("http", "https"):
            self.problem(mapping.value[key].line, f"'{key}' must be an http(s) URL, not '{value}'")
            return None
        return value

    def mapping(self, item: Marked | None, what: str) -> Marked | None:
        if item is None:
            return None
        if not isinstance(item.value, dict):
            self.problem(item.line, f"{what} must be a mapping of 'key: value' lines")
            return None
        return item

    def listing(self, mapping: Marked, key: str) -> list[Marked]:
        item = mapping.value.get(key)
        if item is None or item.value is None:
            return []
        if not isinstance(item.value, list):
            self.problem(item.line, f"'{key}' must be a list")
            return []
        return item.value

    def unknown_keys(self, mapping: Marked, known: set[str], where: str) -> None:
        for key, item in mapping.value.items():
            if key not in known:
                self.warn(item.line, f"unknown key '{key}' in {where} is ignored")

    # -- the document --------------------------------------------------------------------------
    def read(self) -> FestivalPlan:
        try:
            raw = self.path.read_bytes()
        except OSError as error:
            raise ImportProblem(
                [Problem(self.name, None, f"cannot read: {error.strerror}")]
            ) from None
        try:
            root = load_marked(raw.decode("utf-8-sig"))
        except UnicodeDecodeError as error:
            line = error.object.count(b"\n", 0, error.start) + 1
            message = f"not UTF-8 text: {error.reason} (save the file as UTF-8)"
            raise ImportProblem([Problem(self.name, line, message)]) from None
        except YamlProblem as error:
            raise ImportProblem([Problem(self.name, error.line, error.message)]) from None
        root = self.mapping(root, "the manifest") if root is not None else None
        if root is None:
            self.problems.append(
                Problem(self.name, 1, "the manifest needs 'festival:' and 'sessions:'")
            )
            raise ImportProblem(self.problems)
        self.unknown_keys(root, {"festival", "sessions"}, "the manifest")
        festival = self.mapping(root.value.get("festival"), "'festival'")
        if festival is None:
            self.problem(root.line, "'festival' is required")
        plan = self.festival(festival) if festival else None
        sessions = self.sessions(root)
        if self.problems or plan is None:
            in_order = sorted(
                self.problems, key=lambda p: (p.file != self.name, p.file, p.line or 0)
            )
            raise ImportProblem(in_order, self.warnings)
        plan.sessions = sessions
        plan.warnings = self.warnings
        return plan

    def festival(self, item: Marked) -> FestivalPlan:
        self.unknown_keys(item, FESTIVAL_KEYS, "'festival'")
        starts = self.iso_date(item, "starts", allow_time=False)
        ends = self.iso_date(item, "ends", allow_time=False)
        if starts and ends and ends < starts:
            self.problem(item.value["ends"].line, f"'ends' ({ends}) is before 'starts' ({starts})")
        return FestivalPlan(
            slug=self.slug(item, "festival") or "",
            name=self.text(item, "name", required=True) or "",
            organiser=self.text(item, "organiser"),
            starts=starts,
            ends=ends,
            url=self.web_url(item, "url"),
            description=self.text(item, "description"),
            notice=self.text(item, "notice"),
            sessions=[],
        )

    def sessions(self, root: Marked) -> list[SessionPlan]:
        if "sessions" not in root.value:
            self.problem(root.line, "'sessions' is required (a list of sessions)")
        sessions: list[SessionPlan] = []
        first_line: dict[str, int] = {}
        items = self.listing(root, "sessions")
        for done, item in enumerate(items, start=1):
            if self.on_session:
                self.on_session(done, len(items))
            if self.mapping(item, "each session") is None:
                continue
            session = self.session(item)
            slug = item.value.get("slug")
            if slug is not None and isinstance(slug.value, str):
                if slug.value in first_line:
                    self.problem(
                        slug.line,
                        f"duplicate session slug '{slug.value}' (first used on line "
                        f"{first_line[slug.value]})",
                    )
                    continue
                first_line[slug.value] = slug.line
            if session is not None:
                sessions.append(session)
        return sessions

    def session(self, item: Marked) -> SessionPlan | None:
        before = len(self.problems)
        self.unknown_keys(item, SESSION_KEYS, "a session")
        slug = self.slug(item, "session")
        title = self.text(item, "title", required=True)
        starts_at = self.iso_date(item, "starts_at", allow_time=True, required=True)
        language = self.text(item, "language") or "en"
        if not LANGUAGE_PATTERN.match(language):
            self.problem(
                item.value["language"].line,
                f"'language' '{language}' is not a code like en or pt-BR",
            )
        recording = self.recording(item)
        transcript, speech = self.transcript(item, recording)
        session = SessionPlan(
            slug=slug or "",
            title=title or "",
            starts_at=starts_at or "",
            duration=self.duration(item),
            format=self.choice(item, "format", FORMATS),
            summary=self.text(item, "summary"),
            language=language,
            themes=self.themes(item),
            speakers=self.speakers(item),
            chapters=self.chapters(item),
            recording=recording,
            transcript=transcript,
            line=item.line,
            status=self.choice(item, "status", STATUSES),
            notice=self.text(item, "notice"),
            speech=speech,
            poster=self.image(item, "poster", "poster"),
        )
        return session if len(self.problems) == before else None

    def duration(self, item: Marked) -> int | None:
        entry = item.value.get("duration")
        if entry is None or entry.value is None:
            return None
        if isinstance(entry.value, bool) or not isinstance(entry.value, int) or entry.value <= 0:
            self.problem(
                entry.line, f"'duration' must be a whole number of seconds, not {entry.value!r}"
            )
            return None
        if entry.value > MAX_SECONDS:
            self.problem(
                entry.line,
                f"'duration' {_shortened(entry.value)} is longer than {MAX_HOURS:,} hours"
                f" ({MAX_SECONDS:,} seconds)",
            )
            return None
        return entry.value

    def choice(self, item: Marked, key: str, allowed: tuple[str, ...]) -> str | None:
        value = self.text(item, key)
        if value is not None and value not in allowed:
            self.problem(
                item.value[key].line, f"'{key}' must be one of {', '.join(allowed)}; got '{value}'"
            )
            return None
        return value

    def themes(self, item: Marked) -> list[tuple[str, str]]:
        themes: dict[str, str] = {}
        for entry in self.listing(item, "themes"):
            if not isinstance(entry.value, str) or not slugify(entry.value):
                self.problem(entry.line, f"a theme must be a name, not {entry.value!r}")
                continue
            themes.setdefault(slugify(entry.value), entry.value.strip())
        return list(themes.items())

    def speakers(self, item: Marked) -> list[SpeakerPlan]:
        speakers: dict[str, SpeakerPlan] = {}
        for entry in self.listing(item, "speakers"):
            bio, photo = None, None
            if isinstance(entry.value, str):
                name, affiliation, role = entry.value.strip(), None, "speaker"
            elif isinstance(entry.value, dict):
                keys = {"name", "affiliation", "role", "bio", "photo"}
                self.unknown_keys(entry, keys, "a speaker")
                name = self.text(entry, "name", required=True)
                affiliation = self.text(entry, "affiliation")
                role = self.choice(entry, "role", ROLES) or "speaker"
                bio = self.text(entry, "bio")
                photo = self.image(entry, "photo", "speaker photo")
            else:
                self.problem(entry.line, "a speaker must be a name or a mapping with 'name:'")
                continue
            if not name or not slugify(name):
                if name is not None:
                    self.problem(entry.line, f"speaker name {name!r} has no letters or digits")
                continue
            if slugify(name) in speakers:
                self.problem(entry.line, f"speaker '{name}' is listed twice in this session")
                continue
            speakers[slugify(name)] = SpeakerPlan(
                slugify(name), name, affiliation, role, bio, photo
            )
        return list(speakers.values())

    def chapters(self, item: Marked) -> list[ChapterPlan]:
        chapters: list[ChapterPlan] = []
        for entry in self.listing(item, "chapters"):
            if self.mapping(entry, "each chapter") is None:
                continue
            self.unknown_keys(entry, {"at", "title"}, "a chapter")
            title = self.text(entry, "title", required=True)
            at = entry.value.get("at")
            seconds = None
            if at is None:
                self.problem(entry.line, "'at' is required (a time such as \"00:12:30\")")
            elif isinstance(at.value, int | float) and not isinstance(at.value, bool):
                usable = isinstance(at.value, int) or math.isfinite(at.value)
                seconds = at.value if usable and at.value >= 0 else None
            elif isinstance(at.value, str):
                seconds = parse_time(at.value)
            if at is not None and seconds is None:
                self.problem(
                    at.line, f"chapter 'at' {_shortened(at.value)} is not a time like \"00:12:30\""
                )
            elif seconds is not None and seconds > MAX_SECONDS:
                self.problem(
                    at.line,
                    f"chapter 'at' {_shortened(at.value)} is past {MAX_HOURS:,} hours,"
                    " longer than any recording",
                )
                seconds = None
            if title and seconds is not None:
                chapters.append(ChapterPlan(round(seconds * 1000), title))
        return sorted(chapters, key=lambda chapter: chapter.start_ms)

    def recording(self, item: Marked) -> RecordingPlan | None:
        entry = self.mapping(item.value.get("recording"), "'recording'")
        if entry is None:
            return None
        self.unknown_keys(entry, {"url"}, "'recording'")
        url = self.text(entry, "url", required=True)
        if url is None:
            return None
        line = entry.value["url"].line
        kind = recording_kind(url)
        if kind is None:
            self.problem(
                line,
                f"recording url '{url}' is not a YouTube or Vimeo link or a media file "
                f"({', '.join(MEDIA_TYPES)})",
            )
            return None
        if kind == "file" and not urlparse(url).scheme:
            media = self.local_file(url, line, "recording")
            if media is None:
                return None
            if not media.is_file():
                self.problem(line, f"recording file not found: {display_path(media)}")
                return None
            return RecordingPlan(url, kind, media)
        return RecordingPlan(url, kind)

    def image(self, item: Marked, key: str, what: str) -> ImagePlan | None:
        """A poster or photo: an https URL, or an image file beside the manifest."""
        given = self.text(item, key)
        if given is None:
            return None
        line = item.value[key].line
        if is_image_url(given):
            return ImagePlan(given)
        if urlparse(given).scheme:
            self.problem(line, f"{what} '{given}' must be an https:// link or a file path")
            return None
        if image_type(given) is None:
            self.problem(line, f"{what} '{given}' must be an image ({', '.join(IMAGE_TYPES)})")
            return None
        path = self.local_file(given, line, what)
        if path is None:
            return None
        if not path.is_file():
            self.problem(line, f"{what} file not found: {display_path(path)}")
            return None
        return ImagePlan(given, path)

    def local_file(self, given: str, line: int, what: str) -> Path | None:
        """The file a manifest path names, if it stays inside the import's root folder."""
        path = self.folder / given
        if Path(given).is_absolute() or not path.resolve().is_relative_to(self.root):
            self.problem(line, f"{what} path '{given}' leads outside the festival's folder")
            return None
        return path

    def transcript(
        self, item: Marked, recording: RecordingPlan | None
    ) -> tuple[TranscriptPlan | None, SpeechPlan | None]:
        """A timed transcript file, or what the worker is to make from the recording."""
        given = self.text(item, "transcript")
        if given is None:
            self.marks_without_file(item)
            return None, None
        line = item.value["transcript"].line
        speech = given == "machine" or given.lower().endswith(".txt")
        if speech:
            self.marks_without_file(item)
        if speech and not (recording and recording.media_path):
            self.problem(
                line,
                f"transcript '{given}' is made from the recording, so the session needs a "
                "recording file beside the manifest (recording: url: talk.webm)",
            )
            return None, None
        if given == "machine":
            return None, SpeechPlan("transcribe")
        path = self.local_file(given, line, "transcript")
        if path is None:
            return None, None
        if path.suffix.lower() not in (*TRANSCRIPT_SUFFIXES, ".txt"):
            self.problem(
                line,
                f"transcript '{given}' must be a .vtt, .srt, .sbv or .txt file, or 'machine'",
            )
            return None, None
        if not path.is_file():
            self.problem(line, f"transcript file not found: {display_path(path)}")
            return None, None
        name = display_path(path)
        original = path.read_bytes()
        try:
            if speech:
                read_plain_text(original, name)
                return None, SpeechPlan("align", original, name)
            parsed = parse_transcript(original, name, strict=self.strict, limits=self.limits)
        except TranscriptError as error:
            self.problems.extend(error.problems)
            return None, None
        self.warnings.extend(parsed.warnings)
        source, reviewed = self.transcript_marks(item)
        return TranscriptPlan(path, original, parsed, source, reviewed), None

    def transcript_marks(self, item: Marked) -> tuple[str, bool]:
        """Who made a timed transcript file (`transcript_source`, default human) and whether
        an organiser has checked it (`transcript_reviewed`; a person's always is)."""
        source = self.choice(item, "transcript_source", TRANSCRIPT_SOURCES) or "human"
        entry = item.value.get("transcript_reviewed")
        if entry is None or entry.value is None:
            return source, source == "human"
        if not isinstance(entry.value, bool):
            self.problem(
                entry.line,
                f"'transcript_reviewed' must be true or false, not {_shortened(entry.value)}",
            )
            return source, False
        if source == "human" and not entry.value:
            self.problem(
                entry.line,
                "'transcript_reviewed: false' is for a transcript a machine made or timed: "
                "add 'transcript_source: machine' or 'aligned'",
            )
        return source, entry.value

    def marks_without_file(self, item: Marked) -> None:
        """`transcript_source` and `transcript_reviewed` describe a timed transcript file."""
        for key in ("transcript_source", "transcript_reviewed"):
            if key in item.value:
                self.problem(
                    item.value[key].line,
                    f"'{key}' only describes a timed transcript file (.vtt, .srt or .sbv) "
                    "named in 'transcript'",
                )
