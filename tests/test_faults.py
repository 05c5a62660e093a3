"""Crashes, damage and backups: the archive keeps every committed word and repairs its index."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from archive_files import DEMO_MANIFEST, archive_rows

from festival import create_app
from festival.index.writer import index_lock
from festival.storage import DATABASE_NAME, open_database, transaction
from festival.storage.changes import record_changes


def test_backup_restores_to_the_same_archive(demo_app, tmp_path):
    runner = demo_app.test_cli_runner()
    result = runner.invoke(args=["backup", str(tmp_path / "copy.db")])
    assert result.exit_code == 0, result.output
    restored = tmp_path / "restored"
    restored.mkdir()
    (tmp_path / "copy.db").rename(restored / DATABASE_NAME)
    app = create_app({"INSTANCE_PATH": str(restored), "TESTING": True})
    assert app.test_cli_runner().invoke(args=["reindex"]).exit_code == 0
    assert archive_rows(restored) == archive_rows(Path(demo_app.instance_path))
    found = app.test_client().get("/api/search?q=%22war+machine%22").get_json()
    assert found["total_moments"] == 3


def test_backup_refuses_the_live_database_by_any_path(demo_app, tmp_path, monkeypatch):
    instance = Path(demo_app.instance_path)
    live = instance / DATABASE_NAME
    before = archive_rows(instance)
    (tmp_path / "link.db").symlink_to(live)
    os.link(live, tmp_path / "hard.db")
    monkeypatch.chdir(instance)
    targets = [
        str(live),
        str(tmp_path / "link.db"),
        str(tmp_path / "hard.db"),
        DATABASE_NAME,
        f"../{instance.name}/./{DATABASE_NAME}",
        f"{DATABASE_NAME}-wal",
    ]
    for target in targets:
        result = demo_app.test_cli_runner().invoke(args=["backup", target])
        assert result.exit_code == 1, target
        assert f"backup: {Path(target)} is the live database" in result.output, result.output
    assert archive_rows(instance) == before
    assert (tmp_path / "link.db").is_symlink()
    assert demo_app.test_client().get("/sessions/how-singapore-learns").status_code == 200


def test_backup_is_consistent_while_another_connection_writes(demo_app, tmp_path):
    instance = Path(demo_app.instance_path)
    writer = open_database(instance / DATABASE_NAME)
    with transaction(writer):
        writer.execute(
            "update sessions set title = 'Uncommitted title' where slug = 'how-singapore-learns'"
        )
        assert (
            demo_app.test_cli_runner().invoke(args=["backup", str(tmp_path / "b.db")]).exit_code
            == 0
        )
    copy = open_database(tmp_path / "b.db")
    assert copy.execute(
        "select title from sessions where slug = 'how-singapore-learns'"
    ).fetchone()[0] == ("How Singapore Learns")


def test_a_write_interrupted_before_indexing_is_repaired_at_the_next_start(demo_app):
    instance = Path(demo_app.instance_path)
    db = open_database(instance / DATABASE_NAME)
    # What a crash between the database commit and the index update leaves behind: a
    # committed change, logged, that the index has not applied.
    with transaction(db):
        db.execute(
            "update cues set text = 'zeppelins everywhere'"
            " where session = 'how-singapore-learns' and position = 2"
        )
        record_changes(db, ["how-singapore-learns"])
    assert demo_app.test_client().get("/api/search?q=zeppelins").get_json()["total_moments"] == 0
    restarted = create_app({"INSTANCE_PATH": str(instance), "TESTING": True})
    assert restarted.test_cli_runner().invoke(args=["check"]).exit_code == 0
    body = restarted.test_client().get("/api/search?q=zeppelins").get_json()
    assert body["total_moments"] == 1


def test_check_applies_pending_work_and_says_which_sessions(demo_app):
    instance = Path(demo_app.instance_path)
    db = open_database(instance / DATABASE_NAME)
    with transaction(db):
        db.execute("update sessions set title = 'Renamed' where slug = 'how-governments-think'")
        record_changes(db, ["how-governments-think"])
    result = demo_app.test_cli_runner().invoke(args=["check"])
    assert result.exit_code == 0, result.output
    assert "indexed 1 session(s) an interrupted write had left out of search" in result.output
    assert "how-governments-think" in result.output
    assert demo_app.test_cli_runner().invoke(args=["check"]).output.strip() == (
        "The database and the search index agree."
    )


def test_an_import_waits_for_the_writer_lock_then_says_to_retry(demo_app, tmp_path):
    demo_app.config["INDEX_LOCK_TIMEOUT"] = 0.2
    with index_lock(Path(demo_app.instance_path), timeout=1):
        result = demo_app.test_cli_runner().invoke(args=["import", str(DEMO_MANIFEST)])
    assert result.exit_code == 1
    assert "try again" in result.stderr


def _kill_during(args: list[str], instance: Path, delay: float) -> None:
    env = {**os.environ, "FESTIVAL_INSTANCE_PATH": str(instance)}
    process = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "festival", *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)


def test_kill_9_during_reindex_or_import_loses_nothing_committed(demo_app):
    instance = Path(demo_app.instance_path)
    before = archive_rows(instance)
    for delay in (0.6, 0.9, 1.2):
        _kill_during(["reindex"], instance, delay)
        _kill_during(["import", str(DEMO_MANIFEST)], instance, delay)
    restarted = create_app({"INSTANCE_PATH": str(instance), "TESTING": True})
    runner = restarted.test_cli_runner()
    if runner.invoke(args=["check"]).exit_code != 0:
        assert runner.invoke(args=["reindex"]).exit_code == 0
    assert runner.invoke(args=["check"]).exit_code == 0
    assert archive_rows(instance) == before
    assert restarted.test_client().get("/api/search?q=Singapore").get_json()["total_sessions"] >= 1


CRASHING_SAVE = """
import os, signal, sys
from festival import create_app
from festival.extensions import archive_write
from festival.index import writer

app = create_app({"INSTANCE_PATH": sys.argv[1]})
# Die at the worst moment: the correction is committed, the index not yet updated.
writer._apply_changes = lambda *args, **kwargs: os.kill(os.getpid(), signal.SIGKILL)
with app.app_context(), archive_write() as write:
    write.db.execute(
        "update cues set text = 'a zeppelin correction'"
        " where session = 'how-singapore-learns' and position = 2"
    )
    write.touch("how-singapore-learns")
"""


def test_kill_9_during_an_organiser_save_keeps_the_correction_and_search_catches_up(demo_app):
    instance = Path(demo_app.instance_path)
    crashed = subprocess.run(
        [sys.executable, "-c", CRASHING_SAVE, str(instance)], capture_output=True, check=False
    )
    assert crashed.returncode == -signal.SIGKILL
    assert demo_app.test_client().get("/api/search?q=zeppelin").get_json()["total_moments"] == 0
    restarted = create_app({"INSTANCE_PATH": str(instance), "TESTING": True})
    assert restarted.test_cli_runner().invoke(args=["check"]).exit_code == 0
    body = restarted.test_client().get("/api/search?q=zeppelin").get_json()
    assert [r["session"]["slug"] for r in body["results"]] == ["how-singapore-learns"]


def _signed_in_organiser(app):
    app.config["WTF_CSRF_ENABLED"] = False
    created = app.test_cli_runner().invoke(
        args=["create-organiser", "ops@example.org", "--password-stdin"], input="long enough pw\n"
    )
    assert created.exit_code == 0, created.output
    client = app.test_client()
    login = {"email": "ops@example.org", "password": "long enough pw"}
    assert client.post("/organise/login", data=login).status_code == 302
    return client


def _hold_write_lock(instance: Path, seconds: float) -> threading.Thread:
    holding = threading.Event()

    def hold():
        other = open_database(instance / DATABASE_NAME)
        with transaction(other):
            holding.set()
            time.sleep(seconds)

    thread = threading.Thread(target=hold)
    thread.start()
    holding.wait(5)
    return thread


def test_concurrent_writers_wait_their_turn(demo_app):
    client = _signed_in_organiser(demo_app)
    holder = _hold_write_lock(Path(demo_app.instance_path), 0.5)
    correction = {"speaker": "Festival host", "text": "A zeppelin waited for the other writer."}
    response = client.post("/organise/sessions/how-singapore-learns/cues/2", data=correction)
    holder.join()
    assert response.status_code == 302
    assert client.get("/api/search?q=zeppelin").get_json()["total_sessions"] == 1


def test_a_writer_held_up_too_long_is_asked_to_retry_not_shown_a_lock_error(demo_app):
    client = _signed_in_organiser(demo_app)
    demo_app.config["DATABASE_BUSY_TIMEOUT"] = 0.2
    holder = _hold_write_lock(Path(demo_app.instance_path), 1.5)
    correction = {"speaker": "Festival host", "text": "Too impatient."}
    response = client.post("/organise/sessions/how-singapore-learns/cues/2", data=correction)
    holder.join()
    assert response.status_code == 503
    page = response.get_data(as_text=True)
    assert "try again" in page and "database is locked" not in page
    assert response.headers["Retry-After"] == "5"


def test_a_damaged_index_answers_503_in_a_running_worker_and_reindex_repairs_it(demo_app):
    from festival.index.writer import live_index_dir

    client = demo_app.test_client()
    assert client.get("/api/search?q=trust").status_code == 200  # the worker holds a searcher
    for part in live_index_dir(Path(demo_app.instance_path)).iterdir():
        if part.suffix in (".trm", ".pst", ".seg"):
            part.write_bytes(part.read_bytes()[: part.stat().st_size // 3])
    for query in ("governance", '"public trust"', "innov*"):
        response = client.get("/api/search", query_string={"q": query})
        assert response.status_code == 503, query
        assert response.get_json()["error"]["code"] == "index_unavailable"
    page = client.get("/search?q=governance")
    assert page.status_code == 503 and "reindex" in page.get_data(as_text=True)
    assert client.get("/sessions/how-governments-think").status_code == 200
    assert demo_app.test_cli_runner().invoke(args=["reindex"]).exit_code == 0
    assert client.get("/api/search?q=governance").status_code == 200
