"""What only PostgreSQL does: writers take turns in change-log order, migrations from processes
starting together, and a database that cannot be reached answers 503, never 500."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from archive_files import TWO_SPEAKERS, count, open_archive
from organising import (
    add_festival,
    add_session,
    confirm_transcript,
    make_organiser,
    sign_in,
    upload_transcript,
)

from bench.postgres import free_port
from festival import create_app
from festival.errors import DatabaseUnavailable
from festival.storage import open_database, transaction
from festival.storage.changes import changes_after, record_changes
from festival.storage.schema import SCHEMA_VERSION, schema_version


@pytest.fixture
def url(make_database):
    return make_database()


@pytest.fixture
def dialect() -> str:
    return "postgresql"


def test_writes_commit_one_at_a_time_in_the_order_their_changes_are_numbered(url):
    first, second = open_database(url), open_database(url)
    holding, waited = threading.Event(), []

    def later_write() -> None:
        holding.wait()
        started = time.monotonic()
        with transaction(second):
            record_changes(second, ["later"])
        waited.append(time.monotonic() - started)

    thread = threading.Thread(target=later_write)
    thread.start()
    with transaction(first):
        holding.set()
        time.sleep(0.5)  # the later write cannot even draw its number meanwhile
        record_changes(first, ["earlier"])
    thread.join()
    assert waited[0] >= 0.4
    rows = first.execute("select session from changes order by seq").fetchall()
    assert [row[0] for row in rows] == ["earlier", "later"]
    assert changes_after(first, 0) == (2, ["earlier", "later"])


def test_a_write_kept_waiting_past_the_busy_timeout_is_asked_to_retry(url):
    holder, impatient = open_database(url), open_database(url, busy_timeout=0.3)
    refused = pytest.raises(DatabaseUnavailable, match="try again")
    with transaction(holder), refused, transaction(impatient):
        pass
    with transaction(impatient):
        record_changes(impatient, ["after"])  # once the lock is free, it goes through


def test_processes_starting_together_migrate_the_database_once(url):
    with ThreadPoolExecutor(4) as pool:
        versions = list(pool.map(lambda _: schema_version(open_database(url)), range(4)))
    assert versions == [SCHEMA_VERSION] * 4


def test_an_unreachable_database_answers_503_try_again_on_pages_and_api(tmp_path):
    gone = f"postgresql://festival@127.0.0.1:{free_port()}/archive"
    app = create_app({"INSTANCE_PATH": str(tmp_path / "i"), "TESTING": True, "DATABASE_URL": gone})
    client = app.test_client()
    page = client.get("/")
    assert page.status_code == 503 and "try again" in page.get_data(as_text=True)
    assert page.headers["Retry-After"] == "5"
    api = client.get("/api/sessions")
    assert api.status_code == 503
    assert api.get_json()["error"]["code"] == "database_unavailable"


def test_backup_on_postgresql_points_to_pg_dump(app):
    result = app.test_cli_runner().invoke(args=["backup", str(app.instance_path + "/copy.db")])
    assert result.exit_code == 1
    assert "pg_dump" in result.output


def test_a_shared_database_without_a_configured_secret_key_is_warned_about(
    make_database, tmp_path, caplog
):
    url = make_database()
    create_app({"INSTANCE_PATH": str(tmp_path / "a"), "DATABASE_URL": url, "SECRET_KEY": "k"})
    assert "FESTIVAL_SECRET_KEY is not set" not in caplog.text
    create_app({"INSTANCE_PATH": str(tmp_path / "b"), "DATABASE_URL": url})
    assert "FESTIVAL_SECRET_KEY is not set" in caplog.text


def test_a_transcript_previewed_on_one_host_is_confirmed_on_another(make_database, tmp_path):
    shared = {
        "DATABASE_URL": make_database(),
        "MEDIA_PATH": str(tmp_path / "media"),
        "SECRET_KEY": "one key for every host",
        "TESTING": True,
        "WTF_CSRF_ENABLED": False,
    }
    a, b = (create_app({"INSTANCE_PATH": str(tmp_path / name), **shared}) for name in "ab")
    make_organiser(a)
    on_a, on_b = a.test_client(), b.test_client()
    assert sign_in(on_a).status_code == 302 and sign_in(on_b).status_code == 302
    assert add_festival(on_a).status_code == 302
    assert add_session(on_a, "engines").status_code == 302
    preview = upload_transcript(on_a, "engines", TWO_SPEAKERS.encode()).get_data(as_text=True)
    assert confirm_transcript(on_b, "engines", preview).status_code == 302
    assert count(open_archive(a), "cues") == 4
