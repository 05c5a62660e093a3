"""Compare SQLite with the index: the same published sessions, each with the same documents."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from whoosh import index as whoosh_index
from whoosh.query import Term

from festival.index.documents import documents_for_session
from festival.index.schema import build_schema
from festival.index.writer import applied_in, live_index_dir
from festival.storage import reading
from festival.storage.changes import latest_change

if TYPE_CHECKING:
    from festival.storage.database import Database


def index_differences(db: Database, instance: Path) -> list[str]:
    """Every way the index disagrees with the database, as sentences; [] when they agree."""
    folder = live_index_dir(instance)
    if folder is None:
        return ["there is no search index"]
    try:
        ix = whoosh_index.open_dir(str(folder))
        pending = latest_change(db) - applied_in(ix)
    except Exception as error:
        return [f"the search index cannot be opened: {error}"]
    differences = []
    if pending > 0:
        differences.append(f"{pending} committed changes are not in the index yet")
    missing = sorted(set(build_schema().names()) - set(ix.schema.names()))
    if missing:  # documents then differ from what this version writes, so stop here
        ix.close()
        return [
            *differences,
            f"the search index was built by an older version (it has no {', '.join(missing)}):"
            " run `reindex` (until then searches work, phrases more slowly)",
        ]
    with ix.searcher() as searcher:
        indexed = {
            fields["session"]: fields.get("digest") for fields in searcher.documents(kind="session")
        }
        for slug in reading.published_slugs(db):
            expected = documents_for_session(db, slug)
            if slug not in indexed:
                differences.append(f"session '{slug}' is in the database but not in the index")
                continue
            if indexed.pop(slug) != expected[0]["digest"]:
                differences.append(f"session '{slug}' has changed since it was indexed")
            moments = len(
                searcher.search(Term("session", slug) & Term("kind", "moment"), limit=None)
            )
            if moments != len(expected) - 1:
                differences.append(
                    f"session '{slug}' has {moments} moments in the index, "
                    f"{len(expected) - 1} expected"
                )
        differences.extend(
            f"session '{slug}' is in the index but not published in the database"
            for slug in indexed
        )
    ix.close()
    return differences
