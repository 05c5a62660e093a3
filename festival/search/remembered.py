"""What searches derive from one version of the index alone, remembered across requests.

One store per process, shared by every thread: keyed by the index version (its folder and
commit generation), so a commit or `reindex` starts a fresh store and nothing stale is
served. Values are treated as read-only by their users, so they are handed out uncopied.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

MAX_REMEMBERED = 256  # values per index version
COLUMNS = "columns"  # the first item of the keys of per-document columns, kept by forget_results
VERSIONS_KEPT = 2  # the live version and the one just replaced, still read by old requests

Value = TypeVar("Value")
_lock = threading.Lock()
_stores: OrderedDict[str, OrderedDict[Hashable, object]] = OrderedDict()


def remembered(
    version: str, key: Hashable, compute: Callable[[], Value], keep: Callable = bool
) -> Value:
    """`compute()`, remembered for this index version unless `keep(value)` is false."""
    with _lock:
        store = _stores.get(version)
        if store is not None and key in store:
            store.move_to_end(key)
            return store[key]  # type: ignore[return-value]
    value = compute()
    if keep(value):
        with _lock:
            store = _stores.setdefault(version, OrderedDict())
            _stores.move_to_end(version)
            while len(_stores) > VERSIONS_KEPT:
                _stores.popitem(last=False)
            store[key] = value
            while len(store) > MAX_REMEMBERED:
                store.popitem(last=False)
    return value


def forget_results() -> None:
    """Drop remembered results but keep per-index columns, as a worker that has served
    before holds them: the benchmark times searches from cold with it."""
    with _lock:
        for store in _stores.values():
            for key in [key for key in store if not (isinstance(key, tuple) and key[0] == COLUMNS)]:
                del store[key]


MAX_SEGMENTS = 64  # per-segment values kept, across index versions
_segments: OrderedDict[Hashable, object] = OrderedDict()


def per_segment(key: Hashable | None, compute: Callable[[], Value]) -> Value:
    """`compute()` for one index segment, remembered under `key` (its folder and segment
    id: a segment's documents never change, only which of them are deleted), or not at
    all when `key` is None."""
    if key is None:
        return compute()
    with _lock:
        if key in _segments:
            _segments.move_to_end(key)
            return _segments[key]  # type: ignore[return-value]
    value = compute()
    with _lock:
        _segments[key] = value
        while len(_segments) > MAX_SEGMENTS:
            _segments.popitem(last=False)
    return value
