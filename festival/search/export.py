"""Export: every cue that satisfies a query, one row each, streamed and bounded in time."""

from __future__ import annotations

import time
from collections.abc import Iterator

from whoosh import query

from festival.errors import ArchiveError, BadQuery
from festival.index.searchers import Snapshot
from festival.search.docsets import matching_docnums
from festival.search.matching import PreparedSearch, doc_columns
from festival.search.moments import Window
from festival.search.request import SearchRequest
from festival.storage import reading
from festival.storage.database import Database


class ExportCut(ArchiveError):
    """The export ran into its time limit after `rows` rows."""

    def __init__(self, rows: int, time_limit: float):
        super().__init__(
            f"export stopped at its {time_limit:g}-second time limit after {rows} moments;"
            " narrow the search (a filter, a phrase, another word) to export the rest"
        )
        self.rows = rows


def export_moments(
    index: Snapshot,
    db: Database,
    request: SearchRequest,
    *,
    time_limit: float = 20.0,
) -> Iterator[dict]:
    """Rows for every cue that satisfies the query by itself, by session date then time.

    A matching window whose words are spread over several cues gives one row, at its
    best cue. Raise `BadQuery` at once for refused input; once rows flow, `ExportCut`
    ends them when `time_limit` seconds have passed.
    """
    prepared = PreparedSearch(index.searcher, db, request)
    if prepared.user is None:
        raise BadQuery("export needs a query: add q=... to say which moments to export")
    deadline = time.monotonic() + time_limit
    sessions, is_moment = doc_columns(index)
    by_session: dict[str, list[int]] = {}
    moment_query = prepared.by_kind[0]
    if moment_query is not query.NullQuery:
        for docnum in matching_docnums(index.searcher, moment_query):
            if is_moment[docnum]:
                by_session.setdefault(sessions[docnum], []).append(docnum)
    facts = reading.search_session_facts(db, set(by_session))
    return _rows(index.searcher, prepared, by_session, facts, deadline, time_limit)


def _rows(
    searcher,
    prepared: PreparedSearch,
    by_session: dict[str, list[int]],
    facts: dict[str, dict],
    deadline: float,
    time_limit: float,
) -> Iterator[dict]:
    """Matching and SQLite reads are done: the rows need only the searcher as they stream."""
    count = 0
    for slug in sorted(facts, key=lambda slug: (facts[slug]["starts_at"], slug)):
        fact = facts[slug]
        for docnum in sorted(by_session[slug]):
            if time.monotonic() >= deadline:
                raise ExportCut(count, time_limit)
            stored = searcher.stored_fields(docnum)
            window = Window(stored["text"], stored["cues"], prepared.user)
            for moment in window.satisfying():
                count += 1
                yield {
                    "session": slug,
                    "title": fact["title"],
                    "festival": fact["festival"],
                    "date": fact["starts_at"],
                    "speaker": stored.get("speaker_name"),
                    "start": moment.start_ms / 1000,
                    "end": moment.end_ms / 1000,
                    "text": moment.text,
                    "highlight": moment.highlight,
                }
