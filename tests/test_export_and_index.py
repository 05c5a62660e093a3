"""Export then import reproduces the archive; the index agrees with SQLite and can be rebuilt."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from archive_files import ROOT, TWO_SPEAKERS, archive_rows, open_archive, session, write_festival
from organising import flagged_cues, signed_in_client

from festival.errors import NotFound
from festival.extensions import archive_write
from festival.index.writer import live_index_dir
from festival.storage import transaction
from festival.storage.changes import latest_change, record_changes
from festival.storage.writing import correct_cue

pytestmark = pytest.mark.both_databases

# As the worker stores and the export writes a machine transcript: each cue's confidence in
# its identifier (below 60 %, the first cue is one an organiser should check).
MACHINE_VTT = """WEBVTT

1 confidence 0.42
00:00:01.000 --> 00:00:04.500
Welcome to the machine.

2 confidence 0.93
00:00:04.500 --> 00:00:09.000
It heard every word &amp; every pause.
"""
ALIGNED_VTT = """WEBVTT

1 confidence 1.0
00:00:00.000 --> 00:00:03.000
<v Ada Lovelace>Timed against the recording.</v>
"""


def test_export_then_import_reproduces_the_demo_archive(demo_app, make_app, tmp_path):
    runner = demo_app.test_cli_runner()
    exported = tmp_path / "exported"
    result = runner.invoke(args=["export", str(exported)])
    assert result.exit_code == 0, result.output
    manifest = exported / "states-of-change-2020" / "festival.yaml"
    assert manifest.exists()
    fresh = make_app(tmp_path / "fresh")
    result = fresh.test_cli_runner().invoke(args=["import", str(manifest.parent)])
    assert result.exit_code == 0, result.output
    assert archive_rows(fresh) == archive_rows(demo_app)
    assert fresh.test_cli_runner().invoke(args=["check"]).exit_code == 0


def test_check_passes_after_import_and_fails_when_the_index_is_stale(demo_app):
    runner = demo_app.test_cli_runner()
    assert runner.invoke(args=["check"]).exit_code == 0
    db = open_archive(demo_app)
    with transaction(db):
        db.execute(
            "update cues set text = 'rewritten words'"
            " where session = 'how-singapore-learns' and position = 3"
        )
        db.execute("update sessions set status = 'draft' where slug = 'how-governments-think'")
    result = runner.invoke(args=["check"])
    assert result.exit_code == 1
    assert "session 'how-singapore-learns' has changed since it was indexed" in result.stderr
    assert "session 'how-governments-think' is in the index but not published" in result.stderr
    assert runner.invoke(args=["reindex"]).exit_code == 0
    assert runner.invoke(args=["check"]).exit_code == 0


def test_reindex_swaps_in_a_fresh_folder_and_search_follows_it(demo_app):
    instance = Path(demo_app.instance_path)
    client = demo_app.test_client()
    before = live_index_dir(instance)
    assert client.get("/api/search?q=Singapore").get_json()["total_sessions"] >= 1
    assert demo_app.test_cli_runner().invoke(args=["reindex"]).exit_code == 0
    after = live_index_dir(instance)
    assert after != before and after.is_dir()
    assert client.get("/api/search?q=Singapore").get_json()["total_sessions"] >= 1


def test_a_missing_index_makes_search_503_while_pages_work_and_reindex_repairs_it(demo_app):
    instance = Path(demo_app.instance_path)
    client = demo_app.test_client()
    shutil.rmtree(live_index_dir(instance))
    response = client.get("/api/search?q=trust")
    assert response.status_code == 503
    assert response.get_json()["error"]["code"] == "index_unavailable"
    assert client.get("/search?q=trust").status_code == 503
    assert client.get("/sessions/how-singapore-learns").status_code == 200
    result = demo_app.test_cli_runner().invoke(args=["check"])
    assert result.exit_code == 1
    assert demo_app.test_cli_runner().invoke(args=["reindex"]).exit_code == 0
    assert client.get("/api/search?q=trust").status_code == 200


def test_export_then_import_keeps_drafts_notices_chapters_recordings_and_speakers(
    runner, app, make_app, tmp_path
):
    media = tmp_path / "fest" / "media" / "talk.webm"
    media.parent.mkdir(parents=True)
    media.write_bytes((ROOT / "static" / "media" / "how-singapore-learns.webm").read_bytes())
    manifest = write_festival(
        tmp_path / "fest",
        [
            session(
                "engines",
                format="talk",
                notice="An illustrative transcript, not the speakers' own words.",
                speakers=[
                    "Ada Lovelace",
                    {"name": "Charles Babbage", "role": "moderator", "affiliation": "Cambridge"},
                ],
                themes=["Computing", "public trust"],
                chapters=[{"at": "00:00:00", "title": "Welcome"}, {"at": "9.5", "title": "Data"}],
                recording={"url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ"},
            ),
            session(
                "unfinished",
                status="draft",
                duration=1200,
                summary="Not ready yet.",
                recording={"url": "media/talk.webm"},
            ),
            session(
                "heard",
                transcript_source="machine",
                transcript_reviewed=False,
                transcript="transcripts/heard.vtt",
            ),
            session("timed", transcript_source="aligned", transcript_reviewed=True),
        ],
        {
            "engines.vtt": TWO_SPEAKERS,
            "unfinished.vtt": TWO_SPEAKERS,
            "heard.vtt": MACHINE_VTT,
            "timed.vtt": ALIGNED_VTT,
        },
        festival={"slug": "test-fest", "name": "Test Festival", "notice": "Festival notice."},
    )
    assert runner.invoke(args=["import", str(manifest)]).exit_code == 0
    # An organiser makes the published one a draft too; export must keep both drafts.
    db = open_archive(app)
    with transaction(db):
        db.execute("update sessions set status = 'draft' where slug = 'engines'")
    exported = tmp_path / "exported"
    assert runner.invoke(args=["export", str(exported)]).exit_code == 0
    written = (exported / "test-fest" / "festival.yaml").read_text()
    assert written.count("status: draft") == 2
    assert written.count("transcript_source: machine\n  transcript_reviewed: false") == 1
    assert written.count("transcript_source: aligned\n  transcript_reviewed: true") == 1
    assert "transcript_source: human" not in written
    assert (exported / "test-fest" / "transcripts" / "heard.vtt").read_text() == MACHINE_VTT
    fresh = make_app(tmp_path / "fresh", WTF_CSRF_ENABLED=False)
    result = fresh.test_cli_runner().invoke(args=["import", str(exported / "test-fest")])
    assert result.exit_code == 0, result.output
    assert archive_rows(fresh) == archive_rows(app)
    organiser = signed_in_client(fresh)
    cues = organiser.get("/organise/sessions/heard/cues").get_data(as_text=True)
    assert "1 cue the machine was unsure of is marked" in cues
    assert "Welcome to the machine." in flagged_cues(cues)
    heard = organiser.get("/api/sessions/heard").get_json()["transcript"]
    assert (heard["source"], heard["reviewed"]) == ("machine", False)
    timed = organiser.get("/api/sessions/timed").get_json()["transcript"]
    assert (timed["source"], timed["reviewed"]) == ("aligned", True)
    again = open_archive(fresh)
    statuses = again.execute("select status from sessions order by slug").fetchall()
    assert [row[0] for row in statuses] == ["draft", "published", "published", "draft"]
    assert fresh.test_client().get("/sessions/unfinished").status_code == 404
    assert fresh.test_client().get("/api/search?q=engines").get_json()["total_sessions"] == 0


def test_a_failed_write_leaves_no_pending_work_and_a_later_save_applies_a_crashed_one(demo_app):
    db = open_archive(demo_app)
    before = latest_change(db)
    with pytest.raises(NotFound), demo_app.app_context(), archive_write() as write:
        write.touch("how-singapore-learns")
        correct_cue(write.db, "how-singapore-learns", 99999, None, "nothing", "ops@example.org")
    assert latest_change(db) == before
    assert demo_app.test_cli_runner().invoke(args=["check"]).output.strip() == (
        "The database and the search index agree."
    )
    # A write that died between its commit and the index (as kill -9 would leave it)...
    with transaction(db):
        db.execute(
            "update cues set text = 'zeppelins overhead'"
            " where session = 'how-governments-think' and position = 2"
        )
        record_changes(db, ["how-governments-think"])
    # ...is applied by the next successful write, whoever makes it.
    with demo_app.app_context(), archive_write() as write:
        correct_cue(write.db, "how-singapore-learns", 2, None, "airships too", "ops@example.org")
        write.touch("how-singapore-learns")
    client = demo_app.test_client()
    found = client.get("/api/search?q=zeppelins").get_json()
    assert [r["session"]["slug"] for r in found["results"]] == ["how-governments-think"]
    assert client.get("/api/search?q=airships").get_json()["total_sessions"] == 1
    assert demo_app.test_cli_runner().invoke(args=["check"]).exit_code == 0
