"""Searchers over the live index, shared by every thread of a worker and kept between requests.

Opening a searcher is expensive (segment files are read and cached), so a worker keeps a
few per index version and lends one to each request: a Whoosh searcher's matchers and
file positions are not safe to share between threads, so one is never used by two
requests at once. A commit or `reindex` makes a new version; searchers of the old one
finish their requests and are closed, never refreshed in place: `Searcher.refresh()`
reuses the old searcher's segment readers and closes those it does not need, and when a
commit deletes files while it opens the new ones Whoosh retries with readers its first try
may already have closed, leaving a searcher that fails on files it no longer has (how we
read the 503 "'NoneType' object is not subscriptable"; not reproduced here). Opening or
searching that fails while the index is changing is retried on the new version instead of
being reported as a damaged index.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import psycopg
from whoosh import index as whoosh_index
from whoosh.searching import Searcher

from festival.errors import ArchiveError, IndexUnavailable
from festival.index.writer import live_index_dir

# The archive's own errors and the database's pass through: they say nothing about the index.
DATABASE_ERRORS = (ArchiveError, sqlite3.Error, psycopg.Error)
REPAIR_HINT = "run `flask --app festival reindex` to rebuild it from the database"
IDLE_PER_VERSION = 8  # searchers kept for the live version between requests
ATTEMPTS = 4  # tries at a search while commits keep changing the index under it
RETRY_PAUSE = 0.05

Result = TypeVar("Result")


@dataclass(frozen=True)
class Snapshot:
    """One version of the live index, lent to one request: a searcher and the version's
    name, under which what is derived from that version alone may be remembered."""

    searcher: Searcher
    version: str


class SearcherPool:
    """The searchers of one worker process over the live index of one instance folder."""

    def __init__(self, instance: Path):
        self.instance = instance
        self._lock = threading.Lock()
        self._pid = os.getpid()
        self._idle: list[Snapshot] = []
        self._indexes: dict[str, whoosh_index.FileIndex] = {}  # the live folder's index
        self._live = ""  # the newest version lent out so far

    def _version_now(self) -> tuple[whoosh_index.FileIndex, str]:
        """The live index and its version: its folder and latest commit generation."""
        folder = live_index_dir(self.instance)
        if folder is None:
            raise IndexUnavailable(f"the search index is missing; {REPAIR_HINT}")
        ix = self._indexes.get(folder.name)
        if ix is None:
            try:
                ix = whoosh_index.open_dir(str(folder))
            except Exception as error:
                raise IndexUnavailable(
                    f"the search index cannot be read ({error}); {REPAIR_HINT}"
                ) from error
            self._indexes = {folder.name: ix}
        # The whole path: two instance folders in one process (tests) never share a version.
        return ix, f"{folder}:{ix.latest_generation()}"

    def _checkout(self) -> Snapshot:
        ix, version = self._version_now()
        with self._lock:
            if self._pid != os.getpid():  # forked: the parent's open files are not ours
                self._idle, self._pid = [], os.getpid()
            if version != self._live:
                self._live = version
                stale, self._idle = self._idle, []
                for snapshot in stale:
                    snapshot.searcher.close()
            if self._idle:
                return self._idle.pop()
        searcher = ix.searcher()
        folder = version.rsplit(":", 1)[0]
        return Snapshot(searcher, f"{folder}:{searcher.reader().generation()}")

    def _checkin(self, snapshot: Snapshot) -> None:
        with self._lock:
            if snapshot.version == self._live and len(self._idle) < IDLE_PER_VERSION:
                self._idle.append(snapshot)
                return
        snapshot.searcher.close()

    def run(self, work: Callable[[Snapshot], Result]) -> Result:
        """`work(snapshot)` on an up-to-date searcher.

        A failure while a commit or `reindex` changed the index is retried on the new
        version; raise `IndexUnavailable` when the index is missing, or damaged (the
        failure recurs on a version that is not changing). The archive's own errors
        (`BadQuery`, ...) pass through.
        """
        for attempt in range(1, ATTEMPTS + 1):
            _, before = self._version_now()
            try:
                return self._lend(work)
            except DATABASE_ERRORS:
                raise
            except Exception as error:
                _, now = self._version_now()
                if now == before or attempt == ATTEMPTS:
                    raise IndexUnavailable(
                        f"the search index cannot be read ({error}); {REPAIR_HINT}"
                    ) from error
            time.sleep(RETRY_PAUSE)
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _lend(self, work: Callable[[Snapshot], Result]) -> Result:
        snapshot = self._checkout()
        try:
            result = work(snapshot)
        except BaseException:
            snapshot.searcher.close()  # it may hold a half-read file; never lend it again
            raise
        self._checkin(snapshot)
        return result

    @contextmanager
    def searching(self) -> Iterator[Snapshot]:
        """A snapshot held for as long as the block runs (an export streaming its rows);
        damaged files found meanwhile raise `IndexUnavailable`."""
        try:
            snapshot = self._checkout()
        except IndexUnavailable:
            raise
        except Exception as error:
            raise IndexUnavailable(
                f"the search index cannot be read ({error}); {REPAIR_HINT}"
            ) from error
        try:
            yield snapshot
        except (*DATABASE_ERRORS, GeneratorExit):
            snapshot.searcher.close()
            raise
        except Exception as error:
            snapshot.searcher.close()
            raise IndexUnavailable(
                f"the search index cannot be read ({error}); {REPAIR_HINT}"
            ) from error
        self._checkin(snapshot)
