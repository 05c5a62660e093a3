"""Export then import reproduces the archive; the index agrees with SQLite and can be rebuilt."""

from __future__ import annotations

import shutil
from pathlib import Path

from archive_files import archive_rows

from festival import create_app
from festival.index.writer import live_index_dir
from festival.resources import DATABASE_NAME
from festival.storage import open_database, transaction


def test_export_then_import_reproduces_the_demo_archive(demo_app, tmp_path):
    runner = demo_app.test_cli_runner()
    exported = tmp_path / "exported"
    result = runner.invoke(args=["export", str(exported)])
    assert result.exit_code == 0, result.output
    manifest = exported / "states-of-change-2020" / "festival.yaml"
    assert manifest.exists()
    fresh = create_app({"INSTANCE_PATH": str(tmp_path / "fresh"), "TESTING": True})
    result = fresh.test_cli_runner().invoke(args=["import", str(manifest.parent)])
    assert result.exit_code == 0, result.output
    assert archive_rows(tmp_path / "fresh") == archive_rows(Path(demo_app.instance_path))
    assert fresh.test_cli_runner().invoke(args=["check"]).exit_code == 0


def test_check_passes_after_import_and_fails_when_the_index_is_stale(demo_app):
    runner = demo_app.test_cli_runner()
    assert runner.invoke(args=["check"]).exit_code == 0
    db = open_database(demo_app.instance_path + "/" + DATABASE_NAME)
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
