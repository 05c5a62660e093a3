"""Run a search: filters, grouping moments by session, facets, pagination and suggestions.

Views and the CLI call `search_archive` and `export_moments`; both return plain data in
the shapes of the JSON API contract.
"""

from __future__ import annotations

import copy
import re
import time
import weakref
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, fields
from itertools import islice

import sqlite_utils
from whoosh import collectors, query, spelling
from whoosh.searching import Searcher
from whoosh.support.levenshtein import distance

from festival.errors import BadQuery
from festival.index.schema import MOMENT_TEXT_FIELDS, SESSION_TEXT_FIELDS, WORDS
from festival.search.moments import best_moment
from festival.search.query import Vocabulary, build_query, phrase_words, text_terms
from festival.slugs import is_slug
from festival.timecodes import url_seconds

FILTER_FIELDS = {
    "festival": "festival",
    "theme": "themes",
    "speaker": "speakers",
    "said_by": "said_by",
    "session": "session",
    "year": "year",
    "format": "format",
}
FACETS = ("festival", "theme", "speaker", "year", "format")
MAX_PER_PAGE = 100
SEARCHED_FIELDS = MOMENT_TEXT_FIELDS + SESSION_TEXT_FIELDS
_WORD = re.compile(r"[^\W\d_]{3,}")
_FIELD_VALUE = re.compile(r'\w+:("[^"]*"|\S+)')
MATCH_CHUNK = 4096  # matching documents counted between looks at the clock
MAX_CACHED = 128  # results remembered per index version
# Document columns per index reader, and results of recent searches per searcher.
_COLUMNS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_RESULTS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_CORRECTORS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def forget_cached_results() -> None:
    """Drop remembered search results (the benchmark times searches from cold with it)."""
    _RESULTS.clear()


@dataclass(frozen=True)
class SearchRequest:
    q: str = ""
    festival: str = ""
    theme: str = ""
    speaker: str = ""
    said_by: str = ""
    session: str = ""
    year: str = ""
    format: str = ""
    sort: str = "relevance"
    page: int = 1
    per_page: int = 20

    @classmethod
    def from_args(cls, args: Mapping[str, str], default_per_page: int = 20) -> SearchRequest:
        """Read API/page parameters; raise `BadQuery` naming the parameter that is wrong."""
        values = {name: (args.get(name) or "").strip() for name in FILTER_FIELDS}
        for name, value in values.items():
            if value and not (value.isdigit() if name == "year" else is_slug(value)):
                raise BadQuery(
                    f"'{name}' must be a slug such as how-singapore-learns, not '{value}'"
                )
        sort = (args.get("sort") or "relevance").strip()
        if sort not in ("relevance", "date"):
            raise BadQuery("'sort' must be 'relevance' or 'date'")
        return cls(
            q=(args.get("q") or "").strip(),
            sort=sort,
            page=_whole(args, "page", 1, 1, 10_000),
            per_page=_whole(args, "per_page", default_per_page, 1, MAX_PER_PAGE),
            **values,
        )

    def filters(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in FILTER_FIELDS if getattr(self, name)}

    def as_params(self, **changes) -> dict[str, str | int]:
        """The request as URL parameters (defaults left out), with `changes` applied."""
        merged = {f.name: getattr(self, f.name) for f in fields(self)} | changes
        defaults = SearchRequest()
        return {
            k: v for k, v in merged.items() if v not in ("", None) and v != getattr(defaults, k)
        }


def _whole(args: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = (args.get(name) or "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise BadQuery(f"'{name}' must be a whole number from {low} to {high}")
    return int(raw)


def vocabulary(db: sqlite_utils.Database) -> Vocabulary:
    def names(table: str) -> dict[str, str]:
        return {slug: name for slug, name in db.execute(f"select slug, name from {table}")}

    return Vocabulary(names)


def _filter_query(request: SearchRequest) -> query.Query | None:
    terms = [query.Term(FILTER_FIELDS[name], value) for name, value in request.filters().items()]
    return query.And(terms) if terms else None


def _combined(
    request: SearchRequest, searcher: Searcher, db
) -> tuple[query.Query, query.Query | None]:
    """(the query to run, the user's own part of it or None when there is no `q`)."""
    user = build_query(request.q, vocabulary(db), searcher.reader()) if request.q else None
    if request.q and user is None:
        raise BadQuery('the query has no words to search for; type a word or a "phrase"')
    filters = _filter_query(request)
    parts = [part for part in (user, filters) if part is not None]
    if user is None:
        parts.append(query.Term("kind", "session") if not request.said_by else query.Every())
    return (query.And(parts) if len(parts) > 1 else parts[0]), user


def _doc_columns(reader) -> tuple[list[str], list[bool]]:
    """Each document's session slug and whether it is a moment, read once per index version."""
    if reader.doc_count_all() == 0:
        return [], []  # an empty index has no columns to read
    columns = _COLUMNS.get(reader)
    if columns is None:
        sessions = list(reader.column_reader("session"))
        moments = [kind == "moment" for kind in reader.column_reader("kind")]
        columns = _COLUMNS[reader] = (sessions, moments)
    return columns


def _cached(
    searcher: Searcher, key: tuple, compute: Callable[[], tuple], keep: Callable = bool
) -> tuple:
    """`compute()`, remembered for this version of the index unless `keep(value)` is false.

    Only what is derived from the index alone is cached, per searcher: a searcher refreshed
    after a change to the index is a new one and starts afresh.
    """
    store = _RESULTS.setdefault(searcher, {})
    if key in store:
        return copy.deepcopy(store[key])
    value = compute()
    if keep(value):
        if len(store) >= MAX_CACHED:
            del store[next(iter(store))]
        store[key] = copy.deepcopy(value)
    return value


def _matches(
    searcher: Searcher, combined: query.Query, time_limit: float
) -> tuple[Counter, set[str], set[str], bool]:
    """Over every matching document: moments per session, the matching sessions, those
    matched by their own title, summary, speakers or themes, and whether time ran out."""
    deadline = time.monotonic() + time_limit
    sessions, is_moment = _doc_columns(searcher.reader())
    docs = searcher.docs_for_query(combined)
    moments: Counter = Counter()
    matched: set[str] = set()
    titled: set[str] = set()
    while chunk := list(islice(docs, MATCH_CHUNK)):
        matched.update([sessions[docnum] for docnum in chunk])
        moments.update([sessions[docnum] for docnum in chunk if is_moment[docnum]])
        titled.update([sessions[docnum] for docnum in chunk if not is_moment[docnum]])
        if time.monotonic() >= deadline:
            return moments, matched, titled, True
    return moments, matched, titled, False


def _session_facts(db: sqlite_utils.Database, slugs: set[str]) -> dict[str, dict]:
    """What facets and result cards need about each matching session, in three queries."""
    if not slugs:
        return {}
    marks = ",".join("?" * len(slugs))
    params = sorted(slugs)
    facts = {
        slug: {
            "slug": slug, "title": title, "festival": festival, "festival_name": festival_name,
            "starts_at": starts_at, "format": fmt, "year": starts_at[:4],
            "speakers": [], "themes": [],
        }
        for slug, title, festival, festival_name, starts_at, fmt in db.execute(
            "select s.slug, s.title, s.festival, f.name, s.starts_at, s.format from sessions s"
            f" join festivals f on f.slug = s.festival where s.slug in ({marks})",
            params,
        )
    }  # fmt: skip
    for session, slug, name in db.execute(
        "select ss.session, sp.slug, sp.name from session_speakers ss join speakers sp"
        f" on sp.slug = ss.speaker where ss.session in ({marks}) order by ss.session, ss.position",
        params,
    ):
        facts[session]["speakers"].append({"slug": slug, "name": name})
    for session, slug, name in db.execute(
        "select st.session, t.slug, t.name from session_themes st join themes t"
        f" on t.slug = st.theme where st.session in ({marks}) order by st.session, st.position",
        params,
    ):
        facts[session]["themes"].append({"slug": slug, "name": name})
    return facts


def _facets(facts: dict[str, dict]) -> dict[str, list[dict]]:
    counts: dict[str, Counter] = {name: Counter() for name in FACETS}
    labels: dict[tuple[str, str], str] = {}
    for fact in facts.values():
        entries = {
            "festival": [(fact["festival"], fact["festival_name"])],
            "theme": [(t["slug"], t["name"]) for t in fact["themes"]],
            "speaker": [(s["slug"], s["name"]) for s in fact["speakers"]],
            "year": [(fact["year"], fact["year"])],
            "format": [(fact["format"], fact["format"].capitalize())] if fact["format"] else [],
        }
        for facet, values in entries.items():
            for value, label in values:
                counts[facet][value] += 1
                labels[(facet, value)] = label
    return {
        facet: [
            {"value": value, "label": labels[(facet, value)], "count": count}
            for value, count in sorted(
                counter.items(), key=lambda i: (-i[1], labels[(facet, i[0])])
            )
        ]
        for facet, counter in counts.items()
    }


def session_json(fact: dict) -> dict:
    return {
        "slug": fact["slug"],
        "title": fact["title"],
        "festival": fact["festival"],
        "starts_at": fact["starts_at"],
        "url": f"/sessions/{fact['slug']}",
        "speakers": fact["speakers"],
        "themes": fact["themes"],
    }


def _moment_json(hit_fields: dict, user: query.Query, matched_terms: set[str]) -> dict:
    moment = best_moment(hit_fields["text"], hit_fields["cues"], matched_terms, phrase_words(user))
    start = moment.start_ms / 1000
    return {
        "start": start,
        "end": moment.end_ms / 1000,
        "speaker": hit_fields.get("speaker_name"),
        "text": moment.text,
        "highlight": moment.highlight,
        "url": f"/sessions/{hit_fields['session']}?t={url_seconds(start)}",
    }


def _hit_terms(hit, user: query.Query) -> set[str]:
    terms = {
        text.decode() if isinstance(text, bytes) else text
        for field, text in (hit.matched_terms() or [])
        if field == "text"
    }
    return terms or text_terms(user)


def _grouped_hits(results, user: query.Query) -> tuple[dict[str, float], dict[str, list]]:
    """Each session's best score among the hits, and its moments in score order."""
    scores: dict[str, float] = {}
    grouped: dict[str, list[dict]] = {}
    for hit in results:
        slug = hit["session"]
        scores.setdefault(slug, hit.score or 0.0)
        if hit["kind"] == "moment":
            moment = _moment_json(hit.fields(), user, _hit_terms(hit, user))
            grouped.setdefault(slug, []).append(moment)
    return scores, grouped


def _page_hits(
    searcher: Searcher, combined: query.Query, slugs: list[str], limit: int, per_session: int
):
    """The best-scoring documents of the sessions on one page, `per_session` at most each.

    Restricting the query to those sessions first means only their documents are scored,
    however many thousands match in the whole archive.
    """
    on_page = query.Or([query.Term("session", slug) for slug in slugs])
    collector = collectors.CollapseCollector(
        collectors.TermsCollector(collectors.TopCollector(limit)), "session", limit=per_session
    )
    searcher.search_with_collector(query.And([on_page, combined]), collector)
    return collector.results()


def search_archive(
    searcher: Searcher,
    db: sqlite_utils.Database,
    request: SearchRequest,
    *,
    moments_per_session: int = 3,
    time_limit: float = 2.0,
) -> dict:
    """One page of results in the `/api/search` shape; raise `BadQuery` for refused input.

    Relevance puts first the sessions whose title, summary, speakers or themes match, then
    those with the most matching moments; `sort=date` (and a listing by filters alone,
    with no `q`) orders them by date, earliest first. Within a session the moments shown
    are its best-scoring ones.
    """
    started = time.perf_counter()
    combined, user = _combined(request, searcher, db)
    moment_counts, matched, titled, partial = _cached(
        searcher,
        ("matches", combined),
        lambda: _matches(searcher, combined, time_limit),
        keep=lambda value: not value[3],  # a search cut short by the time limit
    )
    facts = _session_facts(db, matched)
    first = (request.page - 1) * request.per_page
    if user is not None and request.sort == "relevance":
        order = sorted(
            facts,
            key=lambda slug: (
                slug not in titled,
                -moment_counts[slug],
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
        limit = len(page_slugs) * moments_per_session
        scores, grouped = _cached(
            searcher,
            ("page", combined, user, tuple(page_slugs), moments_per_session),
            lambda: _grouped_hits(
                _page_hits(searcher, combined, page_slugs, limit, moments_per_session), user
            ),
        )
    suggestion = None
    if user is not None:
        key = ("suggestion", request.q)
        (suggestion,) = _cached(searcher, key, lambda: (suggest(searcher, request.q),))
    return {
        "query": request.q,
        "total_sessions": len(matched),
        "total_moments": sum(moment_counts.values()),
        "page": request.page,
        "per_page": request.per_page,
        "suggestion": suggestion,
        "facets": _facets(facts),
        "results": [
            {
                "session": session_json(facts[slug]),
                "score": round(scores.get(slug, 0.0), 3),
                "moments": sorted(grouped.get(slug, []), key=lambda moment: moment["start"]),
                "more_moments": max(0, moment_counts[slug] - len(grouped.get(slug, []))),
            }
            for slug in page_slugs
        ],
        "partial": partial,
        "took_ms": round((time.perf_counter() - started) * 1000, 1),
    }


def suggest(searcher: Searcher, text: str) -> str | None:
    """The query with each word the archive never heard replaced by its closest heard word."""
    reader = searcher.reader()
    corrector = _CORRECTORS.get(reader)
    if corrector is None:
        corrector = _CORRECTORS[reader] = _VocabularyCorrector(reader, "text")
    corrected, changed = text, False
    for word in set(_WORD.findall(_FIELD_VALUE.sub(" ", text))):
        if word.upper() in ("AND", "OR", "NOT"):
            continue
        stems = [token.text for token in WORDS(word)]
        if not stems or any(reader.doc_frequency(field, stems[0]) for field in SEARCHED_FIELDS):
            continue
        options = corrector.suggest(word.lower(), limit=1, maxdist=2)
        if options:
            corrected = re.sub(rf"\b{re.escape(word)}\b", options[0], corrected)
            changed = True
    return corrected if changed else None


class _VocabularyCorrector(spelling.Corrector):
    """Whoosh's `ReaderCorrector`, over the field's words read once and grouped by length.

    A word more than `maxdist` letters longer or shorter cannot be within `maxdist` edits,
    so only words of nearby lengths are compared; the suggestions are the same.
    """

    def __init__(self, reader, fieldname: str):
        self.reader, self.fieldname = reader, fieldname
        self.spelling_field = reader.schema[fieldname].spelling_fieldname(fieldname)
        decode = reader.schema[self.spelling_field].from_bytes
        self.by_length: dict[int, list[str]] = {}
        for text in reader.expand_prefix(self.spelling_field, ""):
            word = decode(text)
            self.by_length.setdefault(len(word), []).append(word)

    def _suggestions(self, text, maxdist, prefix):
        frequency, start = self.reader.frequency, text[:prefix]
        for size in range(len(text) - maxdist, len(text) + maxdist + 1):
            for word in self.by_length.get(size, ()):
                if word.startswith(start) and distance(word, text, limit=maxdist) <= maxdist:
                    # the score ReaderCorrector gives: frequency decides, higher is better
                    yield 0 - (maxdist + 0.5 / (frequency(self.fieldname, word) or 1)), word


def export_moments(
    searcher: Searcher,
    db: sqlite_utils.Database,
    request: SearchRequest,
    *,
    time_limit: float = 10.0,
) -> Iterator[dict]:
    """Every matching moment (not one page), with session, festival, date and a deep link."""
    combined, user = _combined(request, searcher, db)
    if user is None:
        return iter(())
    moments_only = query.And([combined, query.Term("kind", "moment")])
    sortedby = "date" if request.sort == "date" else None
    results = searcher.search(moments_only, limit=None, terms=True, sortedby=sortedby)
    facts = _session_facts(db, {hit["session"] for hit in results})

    def rows() -> Iterator[dict]:
        for hit in results:
            moment = _moment_json(hit.fields(), user, _hit_terms(hit, user))
            fact = facts[hit["session"]]
            yield {
                "session": fact["slug"],
                "title": fact["title"],
                "festival": fact["festival"],
                "date": fact["starts_at"],
                "speaker": moment["speaker"],
                "start": moment["start"],
                "end": moment["end"],
                "text": moment["text"],
                "highlight": moment["highlight"],
                "url": moment["url"],
            }

    return rows()
