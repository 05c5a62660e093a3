"""Merging the index's segments in a thread beside a long-running process (the `worker`, the
`follow` loop), so that process goes on with its jobs, or with following, while it runs."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from festival.errors import ArchiveError
from festival.index.writer import merge_index, needs_merge

if TYPE_CHECKING:
    from festival.storage.database import Database

LOOK_EVERY = 30.0  # seconds between looks at how many segments the index has


class BackgroundMerge:
    """Starts `merge_index` in a thread when the live index has too many segments; one at a
    time, and looking at most every `LOOK_EVERY` seconds."""

    def __init__(
        self,
        open_db: Callable[[], Database],
        instance: Path,
        *,
        lock_timeout: float,
        say: Callable[[str], None],
    ):
        self.open_db = open_db
        self.instance = instance
        self.lock_timeout = lock_timeout
        self.say = say
        self._thread: threading.Thread | None = None
        self._looked = float("-inf")

    def look(self) -> None:
        """Start a merge if one is due and none is running; return at once."""
        if self.running() or time.monotonic() - self._looked < LOOK_EVERY:
            return
        self._looked = time.monotonic()
        try:
            due = needs_merge(self.instance)
        except Exception as error:  # a damaged index: search says so; `reindex` mends it
            self.say(f"cannot look at the search index's segments: {error}")
            return
        if due:
            # A daemon: stopping the process must not wait for a merge; a folder it leaves
            # half-merged is removed by the next merge.
            self._thread = threading.Thread(target=self._merge, name="index-merge", daemon=True)
            self._thread.start()

    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def wait(self, timeout: float | None = None) -> None:
        """Wait for a running merge to end (`worker --until-idle` does before it stops)."""
        if self._thread is not None:
            self._thread.join(timeout)

    def _merge(self) -> None:
        began = time.monotonic()
        try:
            db = self.open_db()
            try:
                counts = merge_index(db, self.instance, timeout=self.lock_timeout)
            finally:
                db.close()
        except ArchiveError as error:  # busy or unreachable: the next look tries again
            self.say(f"index merge put off: {error}")
            return
        except Exception as error:  # never take the worker or follower down with it
            self.say(f"index merge failed ({type(error).__name__}: {error}); will try again")
            return
        if counts is not None and counts[0] != counts[1]:
            self.say(
                f"merged the search index: {counts[0]} segments to {counts[1]} "
                f"in {time.monotonic() - began:.1f} s"
            )
