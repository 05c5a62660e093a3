"""Saves leave the index's segments unmerged (so no save waits on a long merge) and search
still finds each change at once; the worker and `merge-index` merge them away, off the
request path, without changing a single search result."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from archive_files import TWO_SPEAKERS, open_archive, session, vtt, write_festival
from whoosh import index as whoosh_index

from festival.extensions import connection_opener
from festival.index.follower import follow
from festival.index.writer import (
    MERGE_ABOVE,
    QUICK_MERGE_ABOVE,
    live_index_dir,
    merge_index,
    segments_in,
)
from festival.storage import transaction
from festival.storage.changes import ChangeListener, record_changes

pytestmark = pytest.mark.both_databases

QUERIES = ("trust", '"data governance"', "said:lovelace engines", "steward OR welcome", "clust*")


def segment_count(app) -> int:
    ix = whoosh_index.open_dir(str(live_index_dir(Path(app.instance_path))))
    try:
        return len(segments_in(ix))
    finally:
        ix.close()


def import_three_sessions(app, tmp_path: Path) -> None:
    slugs = ("engines", "looms", "mills")
    manifest = write_festival(
        tmp_path / "fest",
        [session(slug) for slug in slugs],
        {f"{slug}.vtt": TWO_SPEAKERS for slug in slugs},
    )
    result = app.test_cli_runner().invoke(args=["import", str(manifest)])
    assert result.exit_code == 0, result.output


def correct(organiser, slug: str, position: int, text: str) -> None:
    response = organiser.post(
        f"/organise/sessions/{slug}/cues/{position}",
        data={"text": text, "speaker": "Ada Lovelace"},
    )
    assert response.status_code == 302, response.get_data(as_text=True)


def moments(client, q: str) -> list[tuple[str, float]]:
    found = client.get("/api/search", query_string={"q": q}).get_json()
    return [(r["session"]["slug"], m["start"]) for r in found["results"] for m in r["moments"]]


def answers(client) -> list[dict]:
    """What every query answers, less the time it took and the scores, which a merge
    changes a little (replaced documents stop counting in Whoosh's statistics)."""
    results = []
    for q in QUERIES:
        found = client.get("/api/search", query_string={"q": q}).get_json()
        found.pop("took_ms", None)
        for result in found["results"]:
            result.pop("score")
        results.append(found)
    return results


def test_saves_leave_segments_unmerged_and_merge_index_joins_them_without_changing_results(
    organiser_app, organiser, tmp_path
):
    import_three_sessions(organiser_app, tmp_path)
    client = organiser_app.test_client()
    counts = [segment_count(organiser_app)]
    for number in range(MERGE_ABOVE + 1):
        slug = ("engines", "looms", "mills")[number % 3]
        correct(organiser, slug, 0, f"Welcome zeppelin{number} to the session.")
        counts.append(segment_count(organiser_app))
        assert moments(client, f"zeppelin{number}") == [(slug, 1.0)]
    assert counts == list(range(counts[0], counts[0] + MERGE_ABOVE + 2))
    before = answers(client)
    assert before[0]["total_sessions"] == 3

    result = organiser_app.test_cli_runner().invoke(args=["merge-index"])
    assert result.exit_code == 0, result.output
    assert f"from {counts[-1]} segments to 1" in result.output
    assert segment_count(organiser_app) == 1
    assert answers(client) == before
    assert moments(client, "zeppelin0") == []  # corrected again later: cue 0 of engines
    assert moments(client, f"zeppelin{MERGE_ABOVE}") == [
        (("engines", "looms", "mills")[MERGE_ABOVE % 3], 1.0)
    ]
    assert organiser_app.test_cli_runner().invoke(args=["check"]).exit_code == 0
    again = organiser_app.test_cli_runner().invoke(args=["merge-index"])
    assert again.output.strip() == "The search index has 1 segment(s); nothing to merge."


def test_the_worker_merges_once_saves_pass_the_threshold(organiser_app, organiser, tmp_path):
    import_three_sessions(organiser_app, tmp_path)
    runner = organiser_app.test_cli_runner()
    correct(organiser, "engines", 1, "A few segments are not worth merging.")
    few = segment_count(organiser_app)
    assert "Merged" not in runner.invoke(args=["worker", "--until-idle"]).output
    assert segment_count(organiser_app) == few
    client = organiser_app.test_client()
    for number in range(MERGE_ABOVE):
        correct(organiser, "looms", 2, f"Thank you. Governance number{number} matters.")
    assert segment_count(organiser_app) > MERGE_ABOVE
    before = answers(client)
    result = runner.invoke(args=["worker", "--until-idle"])
    assert result.exit_code == 0, result.output
    assert "merged the search index" in result.output
    assert segment_count(organiser_app) == 1
    assert answers(client) == before
    assert moments(client, f"number{MERGE_ABOVE - 1}") == [("looms", 9.0)]


def test_many_saves_without_a_worker_keep_the_segment_count_bounded(
    organiser_app, organiser, tmp_path
):
    import_three_sessions(organiser_app, tmp_path)
    client = organiser_app.test_client()
    most = 0
    for number in range(QUICK_MERGE_ABOVE + 6):
        correct(organiser, ("engines", "looms", "mills")[number % 3], 3, f"Steward {number}x.")
        most = max(most, segment_count(organiser_app))
    assert most <= QUICK_MERGE_ABOVE + 1
    last = QUICK_MERGE_ABOVE + 5
    assert moments(client, f"{last}x") == [(("engines", "looms", "mills")[last % 3], 14.25)]
    assert organiser_app.test_cli_runner().invoke(args=["check"]).exit_code == 0


def log_a_change(db, slug: str, position: int, text: str) -> None:
    """Commit a change to a cue and log it, leaving the index to catch up (as a save on
    another host, or one that died before indexing, leaves it)."""
    with transaction(db):
        db.execute(
            "update cues set text = ? where session = ? and position = ?", [text, slug, position]
        )
        record_changes(db, [slug])


def test_a_merge_applies_what_was_committed_while_it_ran(app, tmp_path):
    import_three_sessions(app, tmp_path)
    db = open_archive(app)
    log_a_change(db, "looms", 0, "Welcome, weavers.")
    assert app.test_cli_runner().invoke(args=["check"]).exit_code == 0
    assert segment_count(app) == 2
    # Committed and logged, not yet in this index: the merged index must not lose it.
    log_a_change(db, "mills", 2, "zeppelins overhead")
    instance = Path(app.instance_path)
    before = live_index_dir(instance)
    assert merge_index(db, instance, timeout=5, everything=True) is not None
    assert live_index_dir(instance) != before
    assert moments(app.test_client(), "zeppelins") == [("mills", 9.0)]
    assert app.test_cli_runner().invoke(args=["check"]).exit_code == 0
    assert not list(instance.glob("merging-*"))


def test_import_from_the_command_line_merges_what_it_added(app, tmp_path):
    import_three_sessions(app, tmp_path)
    db = open_archive(app)
    instance = Path(app.instance_path)
    for number in range(MERGE_ABOVE + 1):
        log_a_change(db, "looms", 0, f"Welcome cog{number}.")
        assert app.test_cli_runner().invoke(args=["check"]).exit_code == 0
    assert segment_count(app) > MERGE_ABOVE
    other = write_festival(
        tmp_path / "other",
        [session("weavers")],
        {"weavers.vtt": vtt((0.0, 2.0, "Ada Lovelace", "Punched cards weave patterns."))},
        festival={"slug": "other-fest", "name": "Other Festival"},
    )
    result = app.test_cli_runner().invoke(args=["import", str(other)])
    assert result.exit_code == 0, result.output
    assert "Merged the search index" in result.output
    assert segment_count(app) == 1
    assert moments(app.test_client(), "punched") == [("weavers", 0.0)]
    assert moments(app.test_client(), f"cog{MERGE_ABOVE}") == [("looms", 1.0)]
    assert instance.joinpath("index").is_symlink()


def test_the_follower_merges_beside_its_loop_and_keeps_applying_changes(app, tmp_path):
    import_three_sessions(app, tmp_path)
    db = open_archive(app)
    for number in range(MERGE_ABOVE + 1):
        log_a_change(db, "looms", 0, f"Welcome cog{number}.")
        assert app.test_cli_runner().invoke(args=["check"]).exit_code == 0
    assert segment_count(app) > MERGE_ABOVE
    with app.app_context():
        open_db = connection_opener()
    said: list[str] = []
    stop = threading.Event()
    follower = threading.Thread(
        target=follow,
        args=(open_db, Path(app.instance_path), ChangeListener(app.config["DATABASE_URL"])),
        kwargs={"poll": 0.1, "lock_timeout": 5, "say": said.append, "stop": stop},
    )
    follower.start()
    try:
        log_a_change(db, "mills", 2, "zeppelins overhead")  # as another host's save
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not (
            any("merged the search index" in line for line in said)
            and moments(app.test_client(), "zeppelins")
        ):
            time.sleep(0.1)
    finally:
        stop.set()
        follower.join()
    merges = [line for line in said if line.startswith("merged the search index:")]
    assert len(merges) == 1 and " segments to 1 in " in merges[0], said
    assert segment_count(app) <= 2  # the change may come in after the merge
    assert moments(app.test_client(), "zeppelins") == [("mills", 9.0)]
    assert app.test_cli_runner().invoke(args=["check"]).exit_code == 0
