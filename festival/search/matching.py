"""Run a search: match, count, order sessions, and pick each one's best moments.

`search_archive` returns plain data in the shapes of the `/api/search` contract, without
URLs: the web edge builds those.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from itertools import islice

from whoosh import query
from whoosh.searching import Searcher

from festival.errors import BadQuery
from festival.index.schema import MOMENT_TEXT_FIELDS, SESSION_TEXT_FIELDS
from festival.index.searchers import Snapshot
from festival.ingest.manifest import FORMATS
from festival.search.docsets import matching_docnums
from festival.search.facets import facets
from festival.search.moments import Window
from festival.search.query import ParsedQuery, build_query, restricted_to
from festival.search.remembered import COLUMNS, per_segment, remembered
from festival.search.request import FILTER_FIELDS, SearchRequest
from festival.search.suggestions import suggest
from festival.search.vocabulary import Vocabulary
from festival.storage import reading
from festival.storage.database import Database

MATCH_CHUNK = 4096  # matching documents counted between looks at the clock
# request parameter -> the kind of name its slug must be
CHECKED_FILTERS = {
    "festival": "festivals",
    "theme": "themes",
    "speaker": "speakers",
    "said_by": "voices",
    "format": "formats",
}
# result "matched" field -> session document field and how the session's facts spell it
MATCHED_FIELDS = {
    "title": ("title", lambda fact: fact["title"]),
    "summary": ("summary", lambda fact: fact["summary"] or ""),
    "speakers": ("people", lambda fact: ", ".join(s["name"] for s in fact["speakers"])),
    "themes": ("topics", lambda fact: ", ".join(t["name"] for t in fact["themes"])),
}


FORMAT_NAMES = {name: name.capitalize() for name in FORMATS}


def vocabulary(db: Database, reader) -> Vocabulary:
    """The archive's names, read as a query first needs them. Voices are the speakers and
    whoever a transcript's voice tags name, listed or not (the index's `said_by` words)."""

    def load(kind: str) -> dict[str, str]:
        if kind == "formats":
            return FORMAT_NAMES
        if kind == "voices":
            listed = reading.search_names(db, "speakers")
            tagged = [
                word.decode("utf-8")
                for word in reader.lexicon("said_by")
                if reader.postings("said_by", word).is_active()  # not only deleted documents
            ]
            return {slug: listed.get(slug, slug.replace("-", " ").title()) for slug in tagged}
        return reading.search_names(db, kind)

    return Vocabulary(load)


class PreparedSearch:
    """A request turned into the Whoosh query to run; raise `BadQuery` for refused input."""

    def __init__(self, searcher: Searcher, db: Database, request: SearchRequest):
        names = vocabulary(db, searcher.reader())
        for parameter, value in request.filters():
            if parameter in CHECKED_FILTERS:
                names.require_slug(CHECKED_FILTERS[parameter], value, parameter)
        self.parsed: ParsedQuery | None = None
        if request.q:
            self.parsed = build_query(request.q, names, searcher.reader())
            if self.parsed is None:
                raise BadQuery('the query has no words to search for; type a word or a "phrase"')
        self.user = self.parsed.query if self.parsed else None
        parts = _filter_parts(request)
        if self.user is not None:
            parts.insert(0, self.user)
        elif not request.said_by:
            parts.append(query.Term("kind", "session"))  # a listing by filters: sessions
        self.combined = query.And(parts) if len(parts) > 1 else parts[0]
        # The same, as moments and as session documents see it (see `restricted_to`).
        self.by_kind = [
            restricted_to(self.combined, fields)
            for fields in (MOMENT_TEXT_FIELDS, SESSION_TEXT_FIELDS)
        ]


def _filter_parts(request: SearchRequest) -> list[query.Query]:
    """Each filter as a query: any of a repeated filter's values, dates as a range."""
    by_name: dict[str, list[query.Query]] = {}
    for name, value in request.filters():
        by_name.setdefault(name, []).append(query.Term(FILTER_FIELDS[name], value))
    parts = [terms[0] if len(terms) == 1 else query.Or(terms) for terms in by_name.values()]
    if request.from_date or request.to_date:
        # `date` holds each session's ISO start; "~" sorts after any time on the last day.
        parts.append(
            query.TermRange("date", request.from_date or None, (request.to_date or "~") + "~")
        )
    return parts


def doc_columns(index: Snapshot) -> tuple[list[str], list[bool]]:
    """Each document's session slug and whether it is a moment, read once per index version
    from columns read once per segment: after a commit only its new segment is read."""

    def read() -> tuple[list[str], list[bool]]:
        folder = index.version.rsplit(":", 1)[0]
        sessions: list[str] = []
        moments: list[bool] = []
        for leaf, offset in index.searcher.reader().leaf_readers():
            if leaf.doc_count_all() == 0:
                continue  # an empty segment (or index) has no columns to read
            segment = leaf.segment()
            key = (folder, segment.segment_id()) if segment is not None else None
            leaf_sessions, leaf_moments = per_segment(key, lambda leaf=leaf: _leaf_columns(leaf))
            sessions.extend([""] * (offset - len(sessions)))  # keep docnums aligned
            moments.extend([False] * (offset - len(moments)))
            sessions.extend(leaf_sessions)
            moments.extend(leaf_moments)
        return sessions, moments

    return remembered(index.version, (COLUMNS, "session and kind"), read)


def _leaf_columns(leaf) -> tuple[list[str], list[bool]]:
    sessions = list(leaf.column_reader("session"))
    return sessions, [kind == "moment" for kind in leaf.column_reader("kind")]


@dataclass(frozen=True)
class Matches:
    """Every matching document, by session: its moments, and its session document when
    its own title, summary, speakers or themes match; `partial` when time ran out."""

    moments: dict[str, list[int]]
    sessions: dict[str, int]
    partial: bool

    def matched(self) -> frozenset[str]:
        return frozenset(self.moments) | frozenset(self.sessions)

    def moment_count(self, slug: str) -> int:
        return len(self.moments.get(slug, ()))


def _matches(index: Snapshot, prepared: PreparedSearch, time_limit: float) -> Matches:
    """Walk every matching document once, each kind of document with its own query."""
    deadline = time.monotonic() + time_limit
    sessions, is_moment = doc_columns(index)
    moments: dict[str, list[int]] = {}
    titled: dict[str, int] = {}
    moment_query, session_query = prepared.by_kind
    for kind_query, wanted in ((moment_query, True), (session_query, False)):
        if kind_query is query.NullQuery:
            continue
        docs = matching_docnums(index.searcher, kind_query)
        while chunk := list(islice(docs, MATCH_CHUNK)):
            for docnum in chunk:
                if is_moment[docnum] is not wanted:
                    continue
                if wanted:
                    moments.setdefault(sessions[docnum], []).append(docnum)
                else:
                    titled[sessions[docnum]] = docnum
            if time.monotonic() >= deadline:
                return Matches(moments, titled, True)
    return Matches(moments, titled, False)


def _page_moments(
    index: Snapshot, prepared: PreparedSearch, found: Matches, slugs: list[str], per_session: int
) -> tuple[dict[str, float], dict[str, list[dict]]]:
    """Each page session's best score, and its best-scoring moments (`per_session` at most).

    Only the documents already known to match on this page are scored, by moving one
    matcher per kind of document straight to each of them.
    """
    searcher = index.searcher
    sessions, _ = doc_columns(index)
    scored: dict[str, list[tuple[float, int]]] = {slug: [] for slug in slugs}
    best: dict[str, float] = {}
    moment_query, session_query = prepared.by_kind
    wanted_moments = sorted(d for slug in slugs for d in found.moments.get(slug, ()))
    wanted_sessions = sorted(found.sessions[slug] for slug in slugs if slug in found.sessions)
    for kind_query, wanted, into in (
        (moment_query, wanted_moments, scored),
        (session_query, wanted_sessions, None),
    ):
        if not wanted:
            continue
        matcher = kind_query.matcher(searcher, searcher.context())
        for docnum in wanted:
            if matcher.is_active() and matcher.id() < docnum:
                matcher.skip_to(docnum)
            if not matcher.is_active():
                break
            if matcher.id() == docnum:
                score, slug = matcher.score(), sessions[docnum]
                best[slug] = max(best.get(slug, 0.0), score)
                if into is not None:
                    into[slug].append((score, docnum))
    moments: dict[str, list[dict]] = {}
    for slug, candidates in scored.items():
        for _, docnum in sorted(candidates, key=lambda pair: (-pair[0], pair[1]))[:per_session]:
            stored = searcher.stored_fields(docnum)
            moment = Window(stored["text"], stored["cues"], prepared.user).best()
            moments.setdefault(slug, []).append(
                {
                    "start": moment.start_ms / 1000,
                    "end": moment.end_ms / 1000,
                    "speaker": stored.get("speaker_name"),
                    "text": moment.text,
                    "highlight": moment.highlight,
                }
            )
    return best, moments


def matched_fields(user: query.Query, fact: dict) -> list[dict]:
    """Why a session matched beyond its moments: each of its fields holding query words."""
    found = []
    for name, (fieldname, text_of) in MATCHED_FIELDS.items():
        text = text_of(fact)
        if not text:
            continue
        window = Window(text, [[0, 0, 0]], user, fieldname)
        if window.marked:
            found.append({"field": name, "highlight": window.moment(0).highlight})
    return found


def search_archive(
    index: Snapshot,
    db: Database,
    request: SearchRequest,
    *,
    moments_per_session: int = 3,
    time_limit: float = 2.0,
) -> dict:
    """One page of results in the `/api/search` shape (URLs left to the web edge).

    Relevance puts first the sessions whose title, summary, speakers or themes match, then
    those with the most matching moments; `sort=date` (and a listing by filters alone,
    with no `q`) orders them by date, earliest first. Within a session the moments shown
    are its best-scoring ones. Raise `BadQuery` for refused input.

    The whole answer is remembered for this index version (unless the time limit cut it
    short): what it reads from SQLite about sessions changes only through the index's
    single write path, which makes a new version. The answer is shared: read it only.
    """
    started = time.perf_counter()
    answer = remembered(
        index.version,
        ("answer", request, moments_per_session),
        lambda: _answer(index, db, request, moments_per_session, time_limit),
        keep=lambda value: not value["partial"],
    )
    return answer | {"took_ms": round((time.perf_counter() - started) * 1000, 1)}


def _answer(
    index: Snapshot,
    db: Database,
    request: SearchRequest,
    moments_per_session: int,
    time_limit: float,
) -> dict:
    prepared = PreparedSearch(index.searcher, db, request)
    combined, user = prepared.combined, prepared.user
    found = remembered(
        index.version,
        ("matches", combined),
        lambda: _matches(index, prepared, time_limit),
        keep=lambda value: not value.partial,  # a search cut short by the time limit
    )
    matched, partial = found.matched(), found.partial
    facts = reading.search_session_facts(db, matched)
    first = (request.page - 1) * request.per_page
    if user is not None and request.sort == "relevance":
        order = sorted(
            facts,
            key=lambda slug: (
                slug not in found.sessions,
                -found.moment_count(slug),
                facts[slug]["starts_at"],
                slug,
            ),
        )
    else:
        order = sorted(facts, key=lambda slug: (facts[slug]["starts_at"], slug))
    page_slugs = order[first : first + request.per_page]
    scores: dict[str, float] = {}
    grouped: dict[str, list[dict]] = {}
    if user is not None and page_slugs:
        scores, grouped = _page_moments(index, prepared, found, page_slugs, moments_per_session)
    suggestion = None
    if user is not None:
        suggestion = remembered(
            index.version,
            ("suggestion", request.q),
            lambda: (suggest(index.searcher, index.version, request.q),),
        )[0]
    relation = "gte" if partial else "eq"
    return {
        "query": request.q,
        "total_sessions": len(matched),
        "total_sessions_relation": relation,
        "total_moments": sum(len(docs) for docs in found.moments.values()),
        "total_moments_relation": relation,
        "page": request.page,
        "per_page": request.per_page,
        "suggestion": suggestion,
        "narrowed_prefixes": prepared.parsed.narrowed if prepared.parsed else [],
        "facets": facets(facts),
        "results": [
            {
                "session": session_fields(facts[slug]),
                "score": round(scores.get(slug, 0.0), 3),
                "moments": sorted(grouped.get(slug, []), key=lambda moment: moment["start"]),
                "more_moments": max(0, found.moment_count(slug) - len(grouped.get(slug, []))),
                "matched": matched_fields(user, facts[slug])
                if user is not None and slug in found.sessions
                else [],
            }
            for slug in page_slugs
        ],
        "partial": partial,
    }


def session_fields(fact: dict) -> dict:
    """A result's session as the contract shows it, but for its `url`."""
    return {
        "slug": fact["slug"],
        "title": fact["title"],
        "festival": fact["festival"],
        "starts_at": fact["starts_at"],
        "poster": fact["poster"],
        "speakers": fact["speakers"],
        "themes": fact["themes"],
    }


def newest_matching(
    index: Snapshot,
    db: Database,
    request: SearchRequest,
    *,
    limit: int,
    time_limit: float = 2.0,
) -> list[dict]:
    """The facts of the `limit` latest-dated sessions the request matches, newest first
    (what a feed of a search lists). Raise `BadQuery` for refused input."""
    prepared = PreparedSearch(index.searcher, db, request)
    found = remembered(
        index.version,
        ("matches", prepared.combined),
        lambda: _matches(index, prepared, time_limit),
        keep=lambda value: not value.partial,
    )
    facts = reading.search_session_facts(db, found.matched())
    newest = sorted(facts.values(), key=lambda fact: (fact["starts_at"], fact["slug"]))
    return newest[::-1][:limit]
