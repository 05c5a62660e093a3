"""Turn one stored session into its index documents; used by import, edits and `reindex` alike."""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from typing import TYPE_CHECKING

from festival.errors import NotFound
from festival.index.schema import PAIR_FIELD, WORDS
from festival.storage import reading

if TYPE_CHECKING:
    from festival.storage.database import Database

WINDOW_MS = 30_000
COMMON_WORDS = 128  # the words whose adjacent pairs a new index keeps (`AdjacentPairs`)
COMMON_SAMPLE = 40  # sessions, spread over the archive, read to find them
_SPOKEN = re.compile(r"[^\W\d_]{3,}")


def moment_windows(cues: list[dict]) -> list[list[dict]]:
    """Group consecutive spoken cues into windows: one speaker's turn, cut at about 30 s."""
    windows: list[list[dict]] = []
    for cue in cues:
        if cue["sound"] or not cue["text"].strip():
            continue
        current = windows[-1] if windows else None
        if (
            current is not None
            and current[-1]["speaker_slug"] == cue["speaker_slug"]
            and cue["end_ms"] - current[0]["start_ms"] <= WINDOW_MS
        ):
            current.append(cue)
        else:
            windows.append([cue])
    return windows


def documents_for_session(db: Database, slug: str) -> list[dict]:
    """Index documents for a published session, or [] when it is a draft or gone."""
    try:
        card = reading.session(db, slug)
    except NotFound:
        return []
    shared = {
        "session": slug,
        "festival": card["festival"],
        "themes": ",".join(t["slug"] for t in card["themes"]),
        "speakers": ",".join(s["slug"] for s in card["speakers"]),
        "year": card["year"],
        "format": card["format"] or "",
        "date": card["starts_at"],
    }
    documents = []
    for number, window in enumerate(moment_windows(reading.cues(db, slug))):
        offsets, parts, offset = [], [], 0
        for cue in window:
            offsets.append([cue["start_ms"], cue["end_ms"], offset])
            parts.append(cue["text"])
            offset += len(cue["text"]) + 1
        text = " ".join(parts)
        documents.append(
            {
                **shared,
                "id": f"{slug}#{number}",
                "kind": "moment",
                "said_by": window[0]["speaker_slug"] or "",
                "speaker_name": window[0]["speaker"],
                "text": text,
                PAIR_FIELD: text,
                "cues": offsets,
            }
        )
    session_document = {
        **shared,
        "id": slug,
        "kind": "session",
        "title": card["title"],
        "summary": card["summary"] or "",
        "people": " ".join(s["name"] for s in card["speakers"]),
        "topics": " ".join(t["name"] for t in card["themes"]),
        "festival_name": card["festival_name"],
        "words": spoken_words([card["title"], *(document["text"] for document in documents)]),
    }
    session_document["digest"] = digest([session_document, *documents])
    return [session_document, *documents]


def common_words(db: Database) -> frozenset[str]:
    """The commonest analysed words said in a spread of the archive's published sessions."""
    slugs = reading.published_slugs(db)
    counts: Counter[str] = Counter()
    for slug in slugs[:: max(1, len(slugs) // COMMON_SAMPLE)]:
        for cue in reading.cues(db, slug):
            if not cue["sound"]:
                counts.update(token.text for token in WORDS(cue["text"]))
    return frozenset(word for word, _ in counts.most_common(COMMON_WORDS))


def spoken_words(texts: list[str]) -> str:
    """The distinct words of three letters or more in `texts`, lower-cased, space-separated."""
    found: set[str] = set()
    for text in texts:
        found.update(_SPOKEN.findall(text.lower()))
    return " ".join(sorted(found))


def digest(documents: list[dict]) -> str:
    """A fingerprint of what a session's documents say, so `check` can spot a stale index."""
    payload = json.dumps(documents, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()[:16]
