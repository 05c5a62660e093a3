"""Keep this host's index up to date with a shared database: the `follow` command's loop.

With PostgreSQL as the record, any host may write; every host runs one follower that applies
what the others committed, after the last change its own index applied. A notification wakes
it at once; without one it looks anyway every `poll` seconds. Whatever stops it (a restart of
the database, `kill -9` half-way through a batch), the next round starts again from the seq
the index itself committed, so nothing is skipped and nothing is applied twice. Its commits
leave segments unmerged, so a change is searchable at once; a merge runs in a thread beside
the loop when there are too many (`BackgroundMerge`), and following goes on meanwhile.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from festival.errors import DatabaseUnavailable, IndexBusy
from festival.index.background import BackgroundMerge
from festival.index.writer import applied_change, catch_up
from festival.storage.changes import ChangeListener

if TYPE_CHECKING:
    from festival.storage.database import Database


def follow(
    open_db: Callable[[], Database],
    instance: Path,
    listener: ChangeListener,
    *,
    poll: float,
    lock_timeout: float,
    say: Callable[[str], None],
    stop: threading.Event,
) -> None:
    """Apply every change committed after this index's last one, then wait, until `stop`."""

    def announce(applied: int, newest: int, sessions: list[str]) -> None:
        say(f"applying changes {applied + 1}-{newest}: {len(sessions)} session(s)")

    merges = BackgroundMerge(open_db, instance, lock_timeout=lock_timeout, say=say)
    missing_said = False
    while not stop.is_set():
        if applied_change(instance) is None:
            if not missing_said:
                say("there is no search index here yet: run `reindex`; waiting for one")
                missing_said = True
        else:
            missing_said = False
            try:
                db = open_db()
                try:
                    sessions = catch_up(db, instance, timeout=lock_timeout, on_batch=announce)
                finally:
                    db.close()
            except (DatabaseUnavailable, IndexBusy) as error:
                say(f"not up to date yet ({error}); trying again")
            except Exception as error:  # a follower that gives up leaves its host's search stale
                say(f"could not apply changes ({type(error).__name__}: {error}); trying again")
            else:
                if sessions is None:
                    say("the index was too far behind the change log, so it was rebuilt")
                elif sessions:
                    say(f"up to date at change {applied_change(instance)}")
            merges.look()
        listener.wait(poll)
