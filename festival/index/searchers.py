"""Open the live index once per worker and hand out searchers that follow its changes.

Opening a searcher is expensive (segment files are read and cached), so each thread keeps
one and only refreshes it when a writer has committed or `reindex` swapped the folder.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
from whoosh import index as whoosh_index
from whoosh.searching import Searcher

from festival.errors import ArchiveError, IndexUnavailable
from festival.index.writer import live_index_dir

REPAIR_HINT = "run `flask --app festival reindex` to rebuild it from the database"


class SearcherPool:
    """Per-thread searchers over the live index of one instance folder."""

    def __init__(self, instance: Path):
        self.instance = instance
        self._local = threading.local()

    def searcher(self) -> Searcher:
        """An up-to-date searcher; raise `IndexUnavailable` when the index is missing or damaged."""
        folder = live_index_dir(self.instance)
        if folder is None:
            raise IndexUnavailable(f"the search index is missing; {REPAIR_HINT}")
        held = getattr(self._local, "held", None)
        try:
            if held is None or held[0] != folder:
                if held is not None:
                    held[1].close()
                self._local.held = (folder, whoosh_index.open_dir(str(folder)).searcher())
            else:
                # The refreshed searcher shares unchanged segment readers with the old one,
                # so the old one is left for the garbage collector rather than closed.
                self._local.held = (folder, held[1].refresh())
        except Exception as error:  # any failure to open means the files are not a usable index
            self._local.held = None
            raise IndexUnavailable(
                f"the search index cannot be read ({error}); {REPAIR_HINT}"
            ) from error
        return self._local.held[1]

    @contextmanager
    def searching(self) -> Iterator[Searcher]:
        """A searcher for one search; damaged index files found while searching (a truncated
        segment, say) raise `IndexUnavailable` and the next search opens the index afresh."""
        searcher = self.searcher()
        try:
            yield searcher
        except (ArchiveError, sqlite3.Error, psycopg.Error):  # the database's, not the index's
            raise
        except Exception as error:
            self._local.held = None
            raise IndexUnavailable(
                f"the search index cannot be read ({error}); {REPAIR_HINT}"
            ) from error
