"""The archive's own exceptions: the CLI prints them as `FILE:LINE: message`, views as 4xx/503.

Each error the web edge may meet carries its HTTP status, its JSON `code` and any headers,
so one handler (`festival.web`) turns all of them into answers.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or worth a warning) in an input file, with where it is."""

    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message}"


class ArchiveError(Exception):
    """Base of every error the archive reports to a person rather than as a traceback."""

    status = 500
    code = "internal_error"
    headers: dict[str, str] = {}


class ImportProblem(ArchiveError):
    """Input that cannot be imported; carries every problem found, not just the first."""

    status = 400
    code = "bad_input"

    def __init__(self, problems: list[Problem], warnings: list[Problem] | None = None):
        self.problems = list(problems)
        self.warnings = list(warnings or [])
        super().__init__("\n".join(str(p) for p in self.problems))


class NotFound(ArchiveError):
    """A festival, session, speaker or theme slug the archive does not hold."""

    status = 404
    code = "not_found"


class BadQuery(ArchiveError):
    """A search query or parameter the archive refuses; the message says what to do instead."""

    status = 400
    code = "bad_query"


class IndexUnavailable(ArchiveError):
    """The search index is missing or damaged; pages work, search answers 503."""

    status = 503
    code = "index_unavailable"


class IndexBusy(ArchiveError):
    """Another writer held the index lock for longer than the bounded wait; retry later."""

    status = 503
    code = "index_busy"
    headers = {"Retry-After": "30"}


class DatabaseUnavailable(ArchiveError):
    """The database cannot be reached (PostgreSQL restarting, say) or stayed busy past the
    bounded wait; nothing was written, and a retry in a few seconds will do."""

    status = 503
    code = "database_unavailable"
    headers = {"Retry-After": "5"}
