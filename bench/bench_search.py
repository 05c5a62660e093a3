"""Import, reindex and search a synthetic archive, side by side with SQLite FTS5.

Run from the repository root: `.venv/bin/python bench/bench_search.py [--hours 100]`
(default: 100 and then 1,000 hours). Generated festivals and instances go to bench/out/.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sqlite3
import statistics
import sys
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from werkzeug.serving import WSGIRequestHandler, make_server  # noqa: E402

from bench.generate import VOCABULARY, festival, generate  # noqa: E402
from festival import create_app  # noqa: E402
from festival.index.searchers import SearcherPool  # noqa: E402
from festival.index.writer import live_index_dir, rebuild_index  # noqa: E402
from festival.ingest.importer import import_manifest  # noqa: E402
from festival.ingest.manifest import read_manifest  # noqa: E402
from festival.search.matching import search_archive  # noqa: E402
from festival.search.remembered import forget_results  # noqa: E402
from festival.search.request import SearchRequest  # noqa: E402
from festival.storage import DATABASE_NAME, open_database, transaction  # noqa: E402
from festival.storage.writing import save_festival  # noqa: E402

# BENCH_OUT: keep the generated archives outside the repository, to reuse them across branches.
OUT = Path(os.environ.get("BENCH_OUT") or Path(__file__).resolve().parent / "out")
CORPUS = OUT / "corpus"
WARM_UP = 5
RUNS = int(os.environ.get("BENCH_RUNS", 50))
ONE_BY_ONE = 10  # festivals imported through import_manifest; the rest are stored in bulk
SAID_BY = ("Bruno Tanaka", "bruno-tanaka")
RARE = VOCABULARY[5000]
# (label, app query, FTS5 MATCH expression, speaker slug the FTS5 cue must have)
QUERIES = [
    ("common word", "public", "public", None),
    ("rare word", RARE, RARE, None),
    ("phrase", '"data governance"', '"data governance"', None),
    ("AND", "trust evidence", "trust evidence", None),
    ("prefix", "cor*", "cor*", None),
    ("said: filter", f'public said:"{SAID_BY[0]}"', "public", SAID_BY[1]),
]
FTS_SQL = (
    "select c.session, count(*), min(f.rank) from cues_fts f join cues c on c.rowid = f.rowid"
    " where cues_fts match ?{said} group by c.session order by 3 limit 20"
)
TARGETS = {  # at 1,000 hours
    "one-session import (s)": 1.0,
    "reindex (s)": 120.0,
    "app p95, mix without prefix (ms)": 100.0,
    "app p95 / FTS5 p95": 2.0,
    "app p95, prefix (ms)": 150.0,
    "app cached p95, mix without prefix (ms)": 20.0,
    "http p95, mix without prefix (ms)": 100.0,
    "http cached p95, mix without prefix (ms)": 20.0,
    "http p95, prefix (ms)": 150.0,
    "export 'public' first byte (s)": 1.0,
    "peak RSS (MB)": 300.0,
    "app cached p95 / FTS5 p95": 2.0,
    "app cached p95, prefix (ms)": 20.0,
}


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def timed(run: Callable[[], object], cold: bool) -> list[float]:
    """Milliseconds of RUNS calls of `run`, after WARM_UP untimed ones.

    `cold`: the app's remembered results are dropped before each call, so every call
    searches the index (its searcher and per-index columns stay open, as in a worker).
    """
    for _ in range(WARM_UP):
        run()
    samples = []
    for _ in range(RUNS):
        if cold:
            forget_results()
        began = time.perf_counter()
        run()
        samples.append((time.perf_counter() - began) * 1000)
    return samples


def import_all(db, instance: Path, manifests: list[Path]) -> tuple[float, int, int]:
    """Import festival after festival, as an organiser would; (seconds, sessions, cues)."""
    began, sessions, cues = time.perf_counter(), 0, 0
    for number, manifest in enumerate(manifests, 1):
        report = import_manifest(db, instance, manifest)
        sessions, cues = sessions + len(report.sessions), cues + report.cues
        log(f"imported {number}/{len(manifests)} festivals")
    return time.perf_counter() - began, sessions, cues


def log(message: str) -> None:
    print(time.strftime("%H:%M:%S"), message, flush=True)


def folder_mb(folder: Path) -> float:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file()) / 1e6


def app_searches(instance: Path, db, cold: bool) -> dict[str, list[float]]:
    pool = SearcherPool(instance)
    return {
        label: timed(
            lambda q=q: pool.run(lambda index: search_archive(index, db, SearchRequest(q=q))), cold
        )
        for label, q, _, _ in QUERIES
    }


class QuietHandler(WSGIRequestHandler):
    def log_request(self, *args) -> None:
        """No line per request: the table is the output."""


def http_searches(instance: Path, cold: bool) -> dict[str, list[float]]:
    """The same queries through `/api/search`, served as `make run` serves: werkzeug on a
    loopback port, a new thread per request."""
    app = create_app({"INSTANCE_PATH": str(instance)})
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}/api/search?"

    def fetch(q: str) -> None:
        with urllib.request.urlopen(base + urlencode({"q": q})) as response:
            response.read()

    try:
        return {label: timed(lambda q=q: fetch(q), cold) for label, q, _, _ in QUERIES}
    finally:
        server.shutdown()


def http_export(instance: Path, q: str) -> list[tuple[str, float, str]]:
    """Export every moment of `q` as CSV through the threaded server: first byte, all of
    it, and how many rows, with the process's peak RSS before and after."""
    app = create_app({"INSTANCE_PATH": str(instance)})
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/api/search/export?" + urlencode(
        {"q": q, "as": "csv"}
    )
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    try:
        began = time.perf_counter()
        with urllib.request.urlopen(url) as response:
            response.read(1)
            first = time.perf_counter() - began
            rows = sum(chunk.count(b"\n") for chunk in iter(lambda: response.read(65536), b""))
        total = time.perf_counter() - began
    finally:
        server.shutdown()
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return [
        (f"export '{q}' first byte (s)", first, "CSV, streamed"),
        (f"export '{q}' whole (s)", total, f"{rows - 1} rows (one per matching cue)"),
        ("peak RSS growth during export (MB)", rss_after - rss_before, f"{rss_after:.0f} MB"),
    ]


def fts_searches(instance: Path, db) -> tuple[float, dict[str, list[float]]]:
    """Build an FTS5 (porter) table over a copy of the cues; (build seconds, latencies)."""
    copy = instance / "fts5-baseline.db"
    copy.unlink(missing_ok=True)
    connection = sqlite3.connect(copy)
    db.conn.backup(connection)
    began = time.perf_counter()
    connection.executescript(
        "create virtual table cues_fts using fts5(text, content='cues', content_rowid='rowid',"
        " tokenize='porter unicode61 remove_diacritics 2');"
        "insert into cues_fts(cues_fts) values('rebuild');"
    )
    built = time.perf_counter() - began

    def run(match: str, said: str | None) -> None:
        sql = FTS_SQL.format(said=" and c.speaker_slug = ?" if said else "")
        connection.execute(sql, [match, said] if said else [match]).fetchall()

    try:
        return built, {
            label: timed(lambda m=match, s=said: run(m, s), False)
            for label, _, match, said in QUERIES
        }
    finally:
        connection.close()


def pooled(latencies: dict[str, list[float]], prefix: bool) -> list[float]:
    return [ms for label, ms in latencies.items() for ms in ms if (label == "prefix") == prefix]


def store_in_bulk(db, manifests: list[Path]) -> tuple[float, int]:
    """Parse and store festivals as the importer does, leaving the index to `reindex`."""
    began, sessions = time.perf_counter(), 0
    for number, manifest in enumerate(manifests, 1):
        plan = read_manifest(manifest)
        with transaction(db):
            sessions += len(save_festival(db, plan, {}))
        if number % 10 == 0:
            log(f"stored {number}/{len(manifests)} festivals in bulk")
    return time.perf_counter() - began, sessions


def build(hours: int, instance: Path, db) -> list[tuple[str, float, str]]:
    """Import (festival by festival, then in bulk), reindex, import one more session."""
    manifests = generate(hours, CORPUS)
    seconds, sessions, cues = import_all(db, instance, manifests[:ONE_BY_ONE])
    rows = [
        ("import, festival by festival (s)", seconds, f"first {sessions} sessions"),
        ("import throughput (sessions/s)", sessions / seconds, "parse, store, index"),
        ("import throughput (cues/s)", cues / seconds, f"{cues} cues"),
    ]
    if manifests[ONE_BY_ONE:]:
        seconds, sessions = store_in_bulk(db, manifests[ONE_BY_ONE:])
        rows.append(("bulk store (s)", seconds, f"other {sessions} sessions, no index"))
        rows.append(("bulk store (sessions/s)", sessions / seconds, "parse, store"))
    began = time.perf_counter()
    documents = rebuild_index(db, instance, timeout=60, procs=2)
    rows.append(("reindex (s)", time.perf_counter() - began, f"{documents} documents, procs=2"))
    log(f"reindexed {documents} documents")
    rows.append(("index size (MB)", folder_mb(live_index_dir(instance)), "on disk"))
    single = festival(90_000 + hours, OUT / f"one-session-{hours}h", sessions_count=1)
    began = time.perf_counter()
    import_manifest(db, instance, single)
    rows.append(("one-session import (s)", time.perf_counter() - began, "parse, store, index"))
    return rows


def bench(hours: int, reuse: bool) -> None:
    instance = OUT / f"instance-{hours}h"
    rows: list[tuple[str, float, str]] = []
    if not (reuse and live_index_dir(instance)):
        shutil.rmtree(instance, ignore_errors=True)
        instance.mkdir(parents=True)
        rows = build(hours, instance, open_database(instance / DATABASE_NAME))
    db = open_database(instance / DATABASE_NAME)
    log("searching")
    runs = {
        "app": lambda: app_searches(instance, db, cold=True),
        "app cached": lambda: app_searches(instance, db, cold=False),
        "http": lambda: http_searches(instance, cold=True),
        "http cached": lambda: http_searches(instance, cold=False),
    }
    engines, loads = {}, {}  # latencies, and the 1-minute load average as each finished
    for name, run in runs.items():
        engines[name] = run()
        loads[name] = os.getloadavg()[0]
    rows.extend(http_export(instance, "public"))
    log("FTS5")
    fts_build, engines["FTS5"] = fts_searches(instance, db)
    loads["FTS5"] = os.getloadavg()[0]
    rows.append(("FTS5 build (s)", fts_build, "porter, over a copy of the cues"))
    for engine, latencies in engines.items():
        for label, samples in latencies.items():
            load = f"load {loads[engine]:.1f}"
            rows.append((f"{engine} p50, {label} (ms)", statistics.median(samples), load))
            rows.append((f"{engine} p95, {label} (ms)", percentile(samples, 0.95), ""))
        mix = percentile(pooled(latencies, False), 0.95)
        rows.append((f"{engine} p95, mix without prefix (ms)", mix, ""))
        rows.append((f"{engine} p95, prefix (ms)", percentile(pooled(latencies, True), 0.95), ""))
    values = {name: value for name, value, _ in rows}
    for name in ("app", "app cached", "http", "http cached"):
        ratio = (
            values[f"{name} p95, mix without prefix (ms)"]
            / values["FTS5 p95, mix without prefix (ms)"]
        )
        rows.append((f"{name} p95 / FTS5 p95", ratio, "mix without prefix"))
    usage = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    rows.append(("peak RSS (MB)", usage, f"largest child process {children:.0f} MB"))
    rows.append(("load average, 1 min", os.getloadavg()[0], f"{os.cpu_count()} cores"))
    print_table(hours, rows)


def print_table(hours: int, rows: list[tuple[str, float, str]]) -> None:
    print(f"\n{hours} hours of transcript")
    print(f"{'measure':42} {'value':>10}  {'target @1000h':>13}  note")
    for name, value, note in rows:
        target = TARGETS.get(name)
        verdict = ""
        if target is not None:
            verdict = f"<= {target:g} {'PASS' if value <= target else 'MISS'}"
        print(f"{name:42} {value:10.2f}  {verdict:>13}  {note}")
    sys.stdout.flush()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hours", type=int, action="append", help="size to run (repeatable)")
    parser.add_argument(
        "--reuse", action="store_true", help="search the archive a previous run built, if any"
    )
    args = parser.parse_args()
    for hours in args.hours or (100, 1000):
        bench(hours, args.reuse)


if __name__ == "__main__":
    main()
