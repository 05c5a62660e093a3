"""Read the archive out of the database in the shapes pages, the API and the indexer need.

Public readers see published sessions only; pass `drafts=True` where organisers look.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from festival.errors import NotFound
from festival.storage.sql import marks
from festival.timecodes import whole_seconds
from festival.transcripts.model import Cue

if TYPE_CHECKING:
    from festival.storage.database import Database

_CARD_SQL = """
select s.slug, s.festival, f.name as festival_name, s.title, s.starts_at, s.duration,
       s.format, s.summary, s.language, s.status, s.added_at, s.position, s.notice, s.poster,
       (select coalesce(max(end_ms), 0) from cues where cues.session = s.slug) as transcript_ms,
       (select kind from recordings r where r.session = s.slug) as recording_kind,
       (select source from transcripts t where t.session = s.slug and t.reviewed = 0)
           as unreviewed_source
from sessions s join festivals f on f.slug = s.festival
"""
_SPEAKERS_SQL = """
select ss.session, sp.slug, sp.name, ss.role, sp.affiliation, sp.bio, sp.photo
from session_speakers ss
join speakers sp on sp.slug = ss.speaker where ss.session in ({marks}) order by ss.position
"""
_THEMES_SQL = """
select st.session, t.slug, t.name from session_themes st join themes t on t.slug = st.theme
where st.session in ({marks}) order by st.position
"""
_CHUNK = 500  # placeholders per `in (...)` list, well inside every database's limit


def _by_session(db: Database, sql: str, slugs: list[str]) -> dict[str, list[dict]]:
    """Rows of `sql` (its first column the session slug) grouped by session, in order."""
    grouped: dict[str, list[dict]] = defaultdict(list)
    for first in range(0, len(slugs), _CHUNK):
        chunk = slugs[first : first + _CHUNK]
        for row in db.query(sql.format(marks=marks(chunk)), chunk):
            grouped[row.pop("session")].append(row)
    return grouped


def _cards(db: Database, where: str, params: list, order: str) -> list[dict]:
    cards = list(db.query(f"{_CARD_SQL} where {where} order by {order}", params))
    slugs = [card["slug"] for card in cards]
    speakers = _by_session(db, _SPEAKERS_SQL, slugs)
    themes = _by_session(db, _THEMES_SQL, slugs)
    for card in cards:
        card["speakers"] = speakers.get(card["slug"], [])
        card["themes"] = themes.get(card["slug"], [])
        transcript_ms = card.pop("transcript_ms")
        card["length"] = card["duration"] or (
            whole_seconds(transcript_ms / 1000) if transcript_ms else None
        )
        card["year"] = card["starts_at"][:4]
        card["day"] = card["starts_at"][:10]
    return cards


def _visible(drafts: bool) -> str:
    return "1 = 1" if drafts else "s.status = 'published'"


def session_cards(
    db: Database, slugs: list[str] | None = None, *, drafts: bool = False
) -> list[dict]:
    """Sessions with festival, speakers and themes, by date; only `slugs` if given."""
    if slugs is None:
        return _cards(db, _visible(drafts), [], "s.starts_at, s.position")
    if not slugs:
        return []
    where = f"{_visible(drafts)} and s.slug in ({marks(slugs)})"
    return _cards(db, where, list(slugs), "s.starts_at")


def festival_sessions(db: Database, festival: str) -> list[dict]:
    return _cards(
        db, "s.status = 'published' and s.festival = ?", [festival], "s.starts_at, s.position"
    )


def speaker_sessions(db: Database, speaker: str) -> list[dict]:
    where = (
        "s.status = 'published'"
        " and s.slug in (select session from session_speakers where speaker = ?)"
    )
    return _cards(db, where, [speaker], "s.starts_at")


def theme_sessions(db: Database, theme: str) -> list[dict]:
    where = (
        "s.status = 'published' and s.slug in (select session from session_themes where theme = ?)"
    )
    return _cards(db, where, [theme], "s.starts_at")


def latest_sessions(db: Database, limit: int = 10) -> list[dict]:
    return _cards(
        db, "s.status = 'published'", [], f"s.added_at desc, s.starts_at desc limit {int(limit)}"
    )


def festivals(db: Database) -> list[dict]:
    return list(
        db.query(
            "select f.*, (select count(*) from sessions s where s.festival = f.slug"
            " and s.status = 'published') as session_count from festivals f"
            " order by coalesce(f.starts, '') desc, f.name"
        )
    )


def public_festivals(db: Database) -> list[dict]:
    """The festivals a visitor sees: those with at least one published session."""
    return [festival for festival in festivals(db) if festival["session_count"]]


def _one(db: Database, sql: str, params: list, what: str) -> dict:
    rows = list(db.query(sql, params))
    if not rows:
        raise NotFound(what)
    return rows[0]


def festival(db: Database, slug: str) -> dict:
    return _one(db, "select * from festivals where slug = ?", [slug], f"no festival '{slug}'")


def speaker(db: Database, slug: str) -> dict:
    return _one(db, "select * from speakers where slug = ?", [slug], f"no speaker '{slug}'")


def theme(db: Database, slug: str) -> dict:
    return _one(db, "select * from themes where slug = ?", [slug], f"no theme '{slug}'")


def session(db: Database, slug: str, *, drafts: bool = False) -> dict:
    """One session with everything a session page shows except its cues."""
    found = _cards(db, f"{_visible(drafts)} and s.slug = ?", [slug], "s.slug")
    if not found:
        raise NotFound(f"no session '{slug}'")
    card = found[0]
    card["festival_info"] = festival(db, card["festival"])
    card["chapters"] = list(
        db.query("select start_ms, title from chapters where session = ? order by position", [slug])
    )
    recordings = list(
        db.query("select url, kind, media_file from recordings where session = ?", [slug])
    )
    card["recording"] = recordings[0] if recordings else None
    transcripts = list(
        db.query(
            "select language, format, encoding, original_name, edited, source, reviewed"
            " from transcripts"
            " where session = ?",
            [slug],
        )
    )
    card["transcript"] = transcripts[0] if transcripts else None
    return card


def cues(db: Database, session_slug: str) -> list[dict[str, Any]]:
    return list(
        db.query(
            "select position, start_ms, end_ms, speaker, speaker_slug, text, sound, confidence"
            " from cues where session = ? order by position",
            [session_slug],
        )
    )


def published_slugs(db: Database) -> list[str]:
    return [
        row[0]
        for row in db.execute("select slug from sessions where status = 'published' order by slug")
    ]


def speaker_moments(db: Database, speaker_slug: str, limit: int = 12) -> list[dict]:
    """Cues a speaker said, longest first: a speaker page's 'what they said'."""
    return list(
        db.query(
            "select c.session, s.title, c.start_ms, c.end_ms, c.text from cues c"
            " join sessions s on s.slug = c.session"
            " where c.speaker_slug = ? and s.status = 'published' and c.sound = 0"
            " order by length(c.text) desc limit ?",
            [speaker_slug, limit],
        )
    )


def transcript_cues(db: Database, session_slug: str) -> list[Cue]:
    """A session's stored cues as `Cue` objects, for the transcript writers."""
    return [
        Cue(c["start_ms"], c["end_ms"], c["text"], c["speaker"], bool(c["sound"]), c["confidence"])
        for c in cues(db, session_slug)
    ]


def names(db: Database, table: str) -> list[str]:
    """Every speaker's or theme's name, for an organiser to pick from."""
    if table not in ("speakers", "themes"):
        raise ValueError(f"no names in {table}")
    return [row[0] for row in db.execute(f"select name from {table} order by name")]


def cue_edits(db: Database, session_slug: str) -> list[dict]:
    """Every correction made to a session's transcript, newest first."""
    return list(
        db.query("select * from cue_edits where session = ? order by id desc", [session_slug])
    )


def slug_exists(db: Database, table: str, slug: str) -> bool:
    """Whether a festival or session (drafts too) already has this slug."""
    if table not in ("festivals", "sessions"):
        raise ValueError(f"no slugs in {table}")
    return db.execute(f"select 1 from {table} where slug = ?", [slug]).fetchone() is not None


def festival_session_slugs(db: Database, festival: str) -> list[str]:
    """A festival's sessions, drafts included, in the order its manifest lists them."""
    rows = db.execute(
        "select slug from sessions where festival = ? order by position, slug", [festival]
    )
    return [row[0] for row in rows]


def festivals_of_sessions(db: Database, slugs: list[str]) -> dict[str, str]:
    """Session slug -> the festival it belongs to, for those of `slugs` already stored."""
    if not slugs:
        return {}
    rows = db.execute(
        f"select slug, festival from sessions where slug in ({marks(slugs)})", list(slugs)
    )
    return dict(rows.fetchall())


def transcript_original(db: Database, slug: str) -> tuple[str, bytes, bool] | None:
    """A session's transcript file as imported: (its name, its bytes, corrected since)."""
    row = db.execute(
        "select original_name, original, edited from transcripts where session = ?", [slug]
    ).fetchone()
    return (row[0], row[1], bool(row[2])) if row else None


# What search reads: the names fielded queries and filters are checked against, and the
# facts result cards and facets show about each matching session.
_PUBLISHED_NAMES = {
    "speakers": "select slug, name from speakers where slug in (select ss.speaker from"
    " session_speakers ss join sessions s on s.slug = ss.session where s.status = 'published')",
    "themes": "select slug, name from themes where slug in (select st.theme from"
    " session_themes st join sessions s on s.slug = st.session where s.status = 'published')",
    "festivals": "select slug, name from festivals where slug in"
    " (select festival from sessions where status = 'published')",
}


def search_names(db: Database, kind: str) -> dict[str, str]:
    """slug -> display name of every speaker, theme or festival (`kind`) of a published
    session: a name only drafts hold is neither searched for nor ever suggested."""
    return dict(db.execute(_PUBLISHED_NAMES[kind]).fetchall())


def search_session_facts(db: Database, slugs: set[str] | frozenset[str]) -> dict:
    """slug -> title, summary, festival, date, format, when added, poster, speakers (with
    their photos) and themes, in three queries."""
    if not slugs:
        return {}
    params, places = sorted(slugs), marks(slugs)
    facts = {
        slug: {
            "slug": slug, "title": title, "summary": summary, "festival": festival,
            "festival_name": festival_name, "starts_at": starts_at, "format": fmt,
            "year": starts_at[:4], "added_at": added_at, "poster": poster,
            "speakers": [], "themes": [],
        }
        for slug, title, summary, festival, festival_name, starts_at, fmt, added_at, poster
        in db.execute(
            "select s.slug, s.title, s.summary, s.festival, f.name, s.starts_at, s.format,"
            " s.added_at, s.poster"
            f" from sessions s join festivals f on f.slug = s.festival where s.slug in ({places})",
            params,
        )
    }  # fmt: skip
    for session, slug, name, photo in db.execute(
        "select ss.session, sp.slug, sp.name, sp.photo from session_speakers ss join speakers sp"
        f" on sp.slug = ss.speaker where ss.session in ({places}) order by ss.session, ss.position",
        params,
    ):
        facts[session]["speakers"].append({"slug": slug, "name": name, "photo": photo})
    for session, slug, name in db.execute(
        "select st.session, t.slug, t.name from session_themes st join themes t"
        f" on t.slug = st.theme where st.session in ({places}) order by st.session, st.position",
        params,
    ):
        facts[session]["themes"].append({"slug": slug, "name": name})
    return facts
