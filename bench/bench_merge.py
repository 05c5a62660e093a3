"""Organiser saves on a large index: how long each waits for the index, how many segments
they leave, and search latency before and after `merge_index` merges them.

Run from the repository root: `.venv/bin/python bench/bench_merge.py [--hours 100]
[--saves 30]`. The archive is built once (stored in bulk, then `reindex` with two
processes) under bench/out/merge-base-<hours>h and copied for each run, so every run starts
from the same index.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.bench_search import (  # noqa: E402
    CORPUS,
    OUT,
    QUERIES,
    app_searches,
    log,
    percentile,
    store_in_bulk,
)
from bench.generate import generate  # noqa: E402
from festival.index.searchers import SearcherPool  # noqa: E402
from festival.index.writer import (  # noqa: E402
    archive_write,
    live_index_dir,
    merge_index,
    rebuild_index,
    segments_in,
)
from festival.search.matching import search_archive  # noqa: E402
from festival.search.request import SearchRequest  # noqa: E402
from festival.storage import DATABASE_NAME, open_database, reading  # noqa: E402
from festival.storage.writing import correct_cue  # noqa: E402


def build_base(hours: int) -> Path:
    """The archive every run starts from, built when missing."""
    base = OUT / f"merge-base-{hours}h"
    if live_index_dir(base):
        return base
    shutil.rmtree(base, ignore_errors=True)
    base.mkdir(parents=True)
    db = open_database(base / DATABASE_NAME)
    store_in_bulk(db, generate(hours, CORPUS))
    began = time.perf_counter()
    documents = rebuild_index(db, base, timeout=60, procs=2)
    log(f"reindexed {documents} documents in {time.perf_counter() - began:.1f} s")
    return base


def copy_instance(base: Path, run: Path) -> None:
    """A private copy: the database copied, the index's files hard-linked (Whoosh never
    rewrites a segment file, so the base stays as it was)."""
    shutil.rmtree(run, ignore_errors=True)
    run.mkdir(parents=True)
    shutil.copy2(base / DATABASE_NAME, run / DATABASE_NAME)
    folder = live_index_dir(base)
    (run / folder.name).mkdir()
    for file in folder.iterdir():
        if file.name != "MAIN_WRITELOCK":
            os.link(file, run / folder.name / file.name)
    (run / "index").symlink_to(folder.name)


def segment_count(instance: Path) -> int:
    from whoosh import index as whoosh_index

    ix = whoosh_index.open_dir(str(live_index_dir(instance)))
    try:
        return len(segments_in(ix))
    finally:
        ix.close()


def organiser_saves(db, instance: Path, saves: int) -> tuple[list[float], list[int]]:
    """Correct cue 0 of one session after another through the write path, as the
    corrections page does; (seconds each save took, segments after each)."""
    slugs = reading.published_slugs(db)
    seconds, segments = [], []
    for number in range(saves):
        slug = slugs[number * 7 % len(slugs)]
        began = time.perf_counter()
        with archive_write(db, instance, timeout=600) as write:
            correct_cue(db, slug, 0, None, f"zqmerge{number} corrected", "bench@example.org")
            write.touch(slug)
        seconds.append(time.perf_counter() - began)
        segments.append(segment_count(instance))
        log(f"save {number + 1}: {seconds[-1]:.2f} s, {segments[-1]} segments")
    return seconds, segments


def answers(instance: Path, db) -> list[dict]:
    """Every query of the mix, and the corrected words, as the API would answer them."""
    pool = SearcherPool(instance)
    queries = [q for _, q, _, _ in QUERIES] + ["zqmerge0", "zqmerge5"]
    results = []
    for q in queries:
        result = pool.run(lambda index, q=q: search_archive(index, db, SearchRequest(q=q)))
        result.pop("took_ms", None)
        results.append(result)
    return results


def compared(label: str, before: list[dict], after: list[dict]) -> list[tuple[str, float]]:
    """How two sets of answers differ. A merge rescores a little: Whoosh keeps each
    document's field lengths in a byte, so a merged segment sums approximate lengths where
    a fresh index sums exact ones, and replaced documents stop counting; near ties may swap."""

    def pages(results: list[dict]) -> list[list[tuple]]:
        return [
            sorted(
                (r["session"]["slug"], m["start"]) for r in found["results"] for m in r["moments"]
            )
            for found in results
        ]

    def counts(results: list[dict]) -> list[tuple]:
        return [(f["total_sessions"], f["total_moments"], f["facets"]) for f in results]

    changes = [
        abs(a["score"] - b["score"]) / b["score"] * 100
        for x, y in zip(before, after, strict=True)
        for a, b in zip(x["results"], y["results"], strict=False)
        if a["session"] == b["session"] and b["score"]
    ]
    return [
        (f"same totals and facets, {label}", float(counts(before) == counts(after))),
        (f"same moments on the first page, {label}", float(pages(before) == pages(after))),
        (f"largest score change, {label} (%)", max(changes, default=0.0)),
    ]


def latency_rows(label: str, latencies: dict[str, list[float]]) -> list[tuple[str, float]]:
    pooled = [ms for samples in latencies.values() for ms in samples]
    return [
        (f"search p50, {label} (ms)", statistics.median(pooled)),
        (f"search p95, {label} (ms)", percentile(pooled, 0.95)),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hours", type=int, default=100)
    parser.add_argument("--saves", type=int, default=30)
    args = parser.parse_args()
    base = build_base(args.hours)
    run = OUT / f"merge-run-{args.hours}h"
    copy_instance(base, run)
    db = open_database(run / DATABASE_NAME)
    rows: list[tuple[str, float]] = [("segments at the start", segment_count(run))]
    seconds, segments = organiser_saves(db, run, args.saves)
    rows += [
        ("save p50 (s)", statistics.median(seconds)),
        ("save max (s)", max(seconds)),
        ("segments after the saves", segments[-1]),
        ("most segments during the saves", max(segments)),
        ("load average after the saves", os.getloadavg()[0]),
    ]
    found = answers(run, db)
    rows.append(("corrected word found at once", float(found[-2]["total_moments"] > 0)))
    rows += latency_rows(f"{segments[-1]} segments", app_searches(run, db, cold=True))
    rows.append(("load average, searches", os.getloadavg()[0]))
    for label, everything in (("the worker's merge", False), ("merge-index", True)):
        began = time.perf_counter()
        merge_index(db, run, timeout=600, everything=everything)
        count = segment_count(run)
        rows += [
            (f"{label} (s)", time.perf_counter() - began),
            (f"segments after {label}", count),
            (f"load average after {label}", os.getloadavg()[0]),
        ]
        rows += compared(f"before and after {label}", found, answers(run, db))
        rows += latency_rows(f"{count} segments", app_searches(run, db, cold=True))
        rows.append(("load average, searches", os.getloadavg()[0]))
    merged = answers(run, db)
    rebuild_index(db, run, timeout=600)
    rows += compared("merge-index and reindex", merged, answers(run, db))
    print(f"\n{args.hours} hours, {args.saves} organiser saves, {os.cpu_count()} cores")
    for name, value in rows:
        print(f"{name:44} {value:10.2f}")
    print("saves (s): " + " ".join(f"{value:.2f}" for value in seconds))
    print("segments:  " + " ".join(str(value) for value in segments))


if __name__ == "__main__":
    main()
