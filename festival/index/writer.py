"""The only code that writes the index, and with it the archive's one write path.

Every change to the archive goes through `archive_write`: under the index lock, one
database transaction that also logs which sessions it changed (`storage.changes`), then the
index catches up with that log. The index keeps, in a document of its own, the last change
it applied, so whatever a crash left unapplied is still pending and `catch_up` (at start-up
and in `check`) applies exactly that.

The live index is the folder the `index` symlink in the instance folder points to.
`rebuild_index` writes a fresh folder and swaps the link atomically, so readers never see a
half-built index.

A write's commit never starts a long segment merge (on a large index Whoosh's default policy
now and then merges everything, for longer than a request may take): it adds its segment
and, only past `QUICK_MERGE_ABOVE` segments, joins a few of the smallest. `merge_index`
merges the rest away from the write path, in a copy of the live folder swapped in like a
rebuild, so writes go on while it runs.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from whoosh import index as whoosh_index
from whoosh.reading import SegmentReader

from festival.errors import IndexBusy
from festival.index.documents import common_words, documents_for_session
from festival.index.schema import STATE_ID, build_schema
from festival.storage import reading, transaction
from festival.storage.changes import changes_after, latest_change, record_changes

if TYPE_CHECKING:
    from festival.storage.database import Database

OnBatch = Callable[[int, int, list[str]], None]
LINK_NAME = "index"
LOCK_NAME = "index.lock"
MERGE_LOCK_NAME = "index.merge.lock"
MERGING_PREFIX = "merging-"
WHOOSH_WRITELOCK = "MAIN_WRITELOCK"  # Whoosh's own lock file: never linked into a copy
# Past this many segments a write's commit joins its smallest ones, at most
# QUICK_MERGE_DOCS documents in all (two 60-minute sessions: 1.5 to 4 s on the shared
# 2-core machine, bench/README.md), so that without a background merge the count stays
# bounded and a save still never waits on a long merge.
QUICK_MERGE_ABOVE = 32
QUICK_MERGE_DOCS = 400
# Past this many segments `merge_index` merges: the small ones (under a tenth of the
# largest) into one, or every segment when that would still leave too many.
MERGE_ABOVE = 8
SMALL_SHARE = 10
# A finished merge waits this long to be swapped in (behind an import, say) rather than
# throwing away minutes of work; nobody is waiting on a page for it.
SWAP_WAIT = 300.0


def live_index_dir(instance: Path) -> Path | None:
    """The folder the live index is in, or None when there is no index yet."""
    link = instance / LINK_NAME
    if not link.is_symlink():
        return None
    target = instance / os.readlink(link)
    return target if target.is_dir() else None


@contextmanager
def index_lock(instance: Path, timeout: float) -> Iterator[None]:
    """Hold the single-writer lock, waiting at most `timeout` seconds; raise `IndexBusy`."""
    instance.mkdir(parents=True, exist_ok=True)
    with open(instance / LOCK_NAME, "a+") as handle:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise IndexBusy(
                        "Please try again in a minute: another import or edit is writing the "
                        "search index, so nothing was saved this time."
                    ) from None
                time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class ArchiveWrite:
    """What one write changes: the database to write to, and the sessions it touched."""

    def __init__(self, db: Database):
        self.db = db
        self.sessions: list[str] = []

    def touch(self, *slugs: str) -> None:
        """Say that these sessions changed, so their index documents are rewritten."""
        self.sessions.extend(slugs)


@contextmanager
def archive_write(db: Database, instance: Path, *, timeout: float) -> Iterator[ArchiveWrite]:
    """The one way the archive changes: write inside the block, `touch` what changed.

    The lock is taken first, so a busy index raises `IndexBusy` before anything is saved.
    If the block raises, its transaction rolls back, its log rows with it. If the process
    dies after the commit, its change stays pending until `catch_up` applies it.
    """
    with index_lock(instance, timeout):
        write = ArchiveWrite(db)
        with transaction(db):
            yield write
            record_changes(db, dict.fromkeys(write.sessions))
        _catch_up_locked(db, instance, rebuild_missing=True)


def _open_live_index(instance: Path):
    """The live index opened, or None when there is none."""
    folder = live_index_dir(instance)
    if folder is None or not whoosh_index.exists_in(str(folder)):
        return None
    return whoosh_index.open_dir(str(folder))


def applied_in(ix) -> int:
    """The last change an open index applied (0 before the first)."""
    with ix.searcher() as searcher:
        state = searcher.document(id=STATE_ID)
    return state["applied"] if state else 0


def applied_change(instance: Path) -> int | None:
    """The last change the live index applied; None when there is no index."""
    ix = _open_live_index(instance)
    if ix is None:
        return None
    try:
        return applied_in(ix)
    finally:
        ix.close()


def catch_up(
    db: Database, instance: Path, *, timeout: float, on_batch: OnBatch | None = None
) -> list[str] | None:
    """Apply the changes the index has not; return the sessions re-indexed ([]: none pending).

    A missing index is left missing (search says to run `reindex`); None means the log no
    longer reached back far enough and the index was rebuilt whole. `on_batch(applied,
    newest, sessions)` is told what is about to be applied, before it is.
    """
    applied = applied_change(instance)
    if applied is None or applied >= latest_change(db):
        return []
    with index_lock(instance, timeout):
        return _catch_up_locked(db, instance, rebuild_missing=False, on_batch=on_batch)


def _write_sessions(writer, db: Database, slugs: Iterable[str]) -> int:
    """Add the sessions' documents; fields an index built by an older version lacks are
    left out, so it keeps working until `reindex` (which `check` asks for)."""
    known = set(writer.schema.names())
    count = 0
    for slug in slugs:
        for document in documents_for_session(db, slug):
            writer.add_document(**{name: document[name] for name in document if name in known})
            count += 1
    return count


def _catch_up_locked(
    db: Database, instance: Path, *, rebuild_missing: bool, on_batch: OnBatch | None = None
) -> list[str] | None:
    ix = _open_live_index(instance)
    if ix is None:
        if not rebuild_missing:
            return []
        _rebuild_locked(db, instance)
        return None
    try:
        return _apply_changes(db, instance, ix, on_batch)
    finally:
        ix.close()


def _apply_changes(db: Database, instance: Path, ix, on_batch: OnBatch | None) -> list[str] | None:
    applied = applied_in(ix)
    newest, sessions = changes_after(db, applied)
    if sessions is None:
        _rebuild_locked(db, instance)
        return None
    if newest <= applied:
        return []
    if on_batch is not None:
        on_batch(applied, newest, sessions)
    # The documents and the seq they bring the index up to go in one commit: a process
    # killed half-way leaves neither, so the whole batch is still pending on restart.
    try:
        writer = ix.writer(compound=False)
    except whoosh_index.LockError:  # a writer killed a moment ago may hold it still
        raise IndexBusy("another process is still writing the search index") from None
    try:
        for slug in sessions:
            writer.delete_by_term("session", slug)
        _write_sessions(writer, db, sessions)
        writer.update_document(id=STATE_ID, session=STATE_ID, kind="meta", applied=newest)
    except BaseException:
        writer.cancel()
        raise
    writer.commit(mergetype=_quick_merge)
    return sessions


def segments_in(ix) -> list:
    """The segments of an open index's latest commit (their sizes decide what to merge)."""
    return ix._segments()


def _join(writer, segments: list, chosen: list) -> list:
    """Copy the `chosen` segments into the segment `writer` commits; return those left."""
    for segment in chosen:
        reader = SegmentReader(writer.storage, writer.schema, segment)
        writer.add_reader(reader)
        reader.close()
    return [segment for segment in segments if segment not in chosen]


def _quick_merge(writer, segments: list) -> list:
    """The merge policy of a write's commit: none up to `QUICK_MERGE_ABOVE` segments; past
    it only the smallest, `QUICK_MERGE_DOCS` documents (deleted ones count) at most."""
    if len(segments) <= QUICK_MERGE_ABOVE:
        return segments
    chosen, documents = [], 0
    for segment in sorted(segments, key=lambda segment: segment.doc_count_all()):
        documents += segment.doc_count_all()
        if documents > QUICK_MERGE_DOCS:
            break
        chosen.append(segment)
    return _join(writer, segments, chosen) if len(chosen) > 1 else segments


def segments_to_merge(segments: list, *, everything: bool = False) -> list:
    """The segments `merge_index` joins ([]: leave the index as it is).

    `everything`: all of them. Otherwise none up to `MERGE_ABOVE` segments; past it the
    small ones (under a tenth of the largest: recent saves), so a merge usually copies a
    small part of the index, or all of them when that would still leave more than
    `MERGE_ABOVE`.
    """
    if len(segments) < 2 or (not everything and len(segments) <= MERGE_ABOVE):
        return []
    if everything:
        return list(segments)
    largest = max(segment.doc_count_all() for segment in segments)
    small = [s for s in segments if s.doc_count_all() * SMALL_SHARE < largest]
    if len(small) < 2 or len(segments) - len(small) + 1 > MERGE_ABOVE:
        return list(segments)
    return small


def needs_merge(instance: Path) -> bool:
    """Whether the live index has more segments than `merge_index` leaves alone."""
    ix = _open_live_index(instance)
    if ix is None:
        return False
    try:
        return bool(segments_to_merge(segments_in(ix)))
    finally:
        ix.close()


@contextmanager
def _merge_lock(instance: Path) -> Iterator[bool]:
    """Hold the lock that lets one merge run at a time; yield False if another holds it."""
    instance.mkdir(parents=True, exist_ok=True)
    with open(instance / MERGE_LOCK_NAME, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def merge_index(
    db: Database, instance: Path, *, timeout: float, everything: bool = False
) -> tuple[int, int] | None:
    """Merge the live index's segments; return (segments before, after), or None when there
    is no index or another merge is running.

    Under the index lock, only for a moment, the live folder's files are linked into a new
    folder (Whoosh never changes a segment file once written). The merge runs there while
    writes go on into the live folder; then, under the lock again, the new folder catches
    up with what they committed meanwhile and is swapped in, as `reindex` does. Raises
    `IndexBusy` when the lock is not free within `timeout` seconds to start (or
    `SWAP_WAIT` to swap in).
    """
    with _merge_lock(instance) as mine:
        if not mine:
            return None
        for stale in instance.glob(f"{MERGING_PREFIX}*"):  # left by a merge that was killed
            shutil.rmtree(stale, ignore_errors=True)
        with index_lock(instance, timeout):
            live = _open_live_index(instance)
            if live is None:
                return None
            try:
                segments = segments_in(live)
            finally:
                live.close()
            chosen = {
                segment.segment_id()
                for segment in segments_to_merge(segments, everything=everything)
            }
            if not chosen:
                return len(segments), len(segments)
            stamp = time.time_ns()
            work = instance / f"{MERGING_PREFIX}{stamp}"
            _link_copy(live_index_dir(instance), work)
        try:
            ix = whoosh_index.open_dir(str(work))
            writer = ix.writer(compound=False)
            writer.commit(
                mergetype=lambda writer, segments: _join(
                    writer, segments, [s for s in segments if s.segment_id() in chosen]
                )
            )
            merged = len(segments_in(ix))
            ix.close()
            with index_lock(instance, max(timeout, SWAP_WAIT)):
                folder = instance / f"index-{stamp}"
                work.rename(folder)
                _swap_in(instance, folder)
                _catch_up_locked(db, instance, rebuild_missing=False)
        except BaseException:
            shutil.rmtree(work, ignore_errors=True)
            raise
        return len(segments), merged


def _link_copy(source: Path, target: Path) -> None:
    """A copy of an index folder made of hard links (a plain copy where links fail)."""
    target.mkdir()
    for file in source.iterdir():
        if file.name == WHOOSH_WRITELOCK:
            continue
        try:
            os.link(file, target / file.name)
        except OSError:
            shutil.copy2(file, target / file.name)


def rebuild_index(db: Database, instance: Path, *, timeout: float, procs: int = 1) -> int:
    """Build the whole index from SQLite into a new folder and swap it in; return document count."""
    with index_lock(instance, timeout):
        return _rebuild_locked(db, instance, procs=procs)


def _rebuild_locked(db: Database, instance: Path, procs: int = 1) -> int:
    head = latest_change(db)  # read first: anything committed later is caught up below
    folder = instance / f"index-{time.time_ns()}"
    folder.mkdir(parents=True)
    try:
        ix = whoosh_index.create_in(str(folder), build_schema(common_words(db)))
        options = {"procs": procs, "multisegment": True, "limitmb": 256} if procs > 1 else {}
        writer = ix.writer(compound=False, **options)
        count = _write_sessions(writer, db, reading.published_slugs(db))
        writer.add_document(id=STATE_ID, session=STATE_ID, kind="meta", applied=head)
        writer.commit()
        ix.close()
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    _swap_in(instance, folder)
    _catch_up_locked(db, instance, rebuild_missing=False)
    return count


def _swap_in(instance: Path, folder: Path) -> None:
    previous = live_index_dir(instance)
    temporary = instance / f"{LINK_NAME}.{os.getpid()}.tmp"
    if temporary.is_symlink() or temporary.exists():
        temporary.unlink()
    temporary.symlink_to(folder.name)
    os.replace(temporary, instance / LINK_NAME)
    # Keep the generation just replaced: a reader opened a moment ago may still use it.
    keep = {folder.name, previous.name if previous else None}
    for old in instance.glob("index-*"):
        if old.is_dir() and old.name not in keep:
            shutil.rmtree(old, ignore_errors=True)
