"""Fixtures for every test: a real app on a temporary instance folder, its client and CLI runner.

Tests marked `both_databases` run twice: on SQLite in the instance folder, and on a fresh
database of a throw-away PostgreSQL server (`bench/postgres.py`) started once per run, each
test's database a copy of a migrated template. Without PostgreSQL installed those runs skip,
saying so; with `CI=true` that is an error.

The external conformance suite (`tests/conformance/`) runs when `../shared/conformance` is
beside the clone; without it one line says it did not run, and with `CI=true` that is an error.
"""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from archive_files import CONFORMANCE, DEMO_MANIFEST
from organising import make_organiser, sign_in

from bench import postgres as temporary_postgres
from festival import create_app
from festival.storage.database import close_pools, open_database

DIALECTS = ("sqlite", "postgresql")
TEMPLATE = "festival_template"
_database_numbers = itertools.count(1)

CONFORMANCE_TESTS = Path(__file__).parent / "conformance"
# Our own transcript files, one per shape the parser reads (tests/fixtures/transcripts/README.md).
TRANSCRIPT_FIXTURES = Path(__file__).parent / "fixtures" / "transcripts"
TRANSCRIPT_SUFFIXES = (".vtt", ".srt", ".sbv")
MISSING_CONFORMANCE = (
    f"conformance: {CONFORMANCE} is not there, so the WebVTT web-platform-tests cases and the "
    "real-world samples did not run (the project's own tests did)"
)


def pytest_configure(config: pytest.Config) -> None:
    if not CONFORMANCE.is_dir() and os.environ.get("CI") == "true":
        raise pytest.UsageError(f"{MISSING_CONFORMANCE}; CI must run them")


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    if collection_path == CONFORMANCE_TESTS and not CONFORMANCE.is_dir():
        return True
    return None


def pytest_terminal_summary(terminalreporter) -> None:
    if not CONFORMANCE.is_dir():
        terminalreporter.write_line(MISSING_CONFORMANCE, yellow=True)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "transcript_fixture" in metafunc.fixturenames:
        names = sorted(
            path.name
            for path in TRANSCRIPT_FIXTURES.iterdir()
            if path.suffix in TRANSCRIPT_SUFFIXES
        )
        metafunc.parametrize("transcript_fixture", names)
    if "dialect" in metafunc.fixturenames and metafunc.definition.get_closest_marker(
        "both_databases"
    ):
        metafunc.parametrize("dialect", DIALECTS, indirect=True)


@pytest.fixture
def fixture_path():
    """Return the path of one of our own transcript files by name; a wrong name fails loudly."""

    def path(name: str) -> Path:
        found = TRANSCRIPT_FIXTURES / name
        assert found.is_file(), f"no transcript fixture {name} in {TRANSCRIPT_FIXTURES}"
        return found

    return path


@pytest.fixture(scope="session")
def postgres():
    """A PostgreSQL server for this run, with a migrated template database to copy."""
    if not temporary_postgres.available():
        message = f"PostgreSQL is not installed in {temporary_postgres.BIN}"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}: CI must run the PostgreSQL tests")
        pytest.skip(f"{message}; apt-get install postgresql to run the PostgreSQL tests")
    server = temporary_postgres.TemporaryPostgres().start()  # in /tmp: pytest's is root's only
    open_database(server.create_database(TEMPLATE)).close()
    yield server
    close_pools()
    server.destroy()


@pytest.fixture
def dialect(request) -> str:
    """The database the test's app runs on (`both_databases` tests get both in turn)."""
    return getattr(request, "param", "sqlite")


@pytest.fixture
def make_database(dialect, request):
    """Make an empty database for one app: '' (SQLite in its instance folder) or a URL."""
    made: list[str] = []

    def make(template: str = TEMPLATE) -> str:
        if dialect == "sqlite":
            return ""
        server = request.getfixturevalue("postgres")
        made.append(f"test_{next(_database_numbers)}")
        return server.create_database(made[-1], template)

    yield make
    if made:
        close_pools()
        server = request.getfixturevalue("postgres")
        for name in made:
            server.drop_database(name)


@pytest.fixture
def make_app(make_database):
    """Make an app on `instance` with a database of its own (a copy of `template` if given)."""

    def make(instance: Path, template: str | None = None, **config):
        url = make_database(template) if template else make_database()
        settings = {"INSTANCE_PATH": str(instance), "TESTING": True, "DATABASE_URL": url}
        return create_app(settings | config)

    return make


@pytest.fixture
def app(make_app, tmp_path):
    return make_app(tmp_path / "instance")


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def _import_demo(folder: Path, url: str = "") -> Path:
    app = create_app({"INSTANCE_PATH": str(folder), "TESTING": True, "DATABASE_URL": url})
    result = app.test_cli_runner().invoke(args=["import", str(DEMO_MANIFEST)])
    assert result.exit_code == 0, result.output
    return folder


@pytest.fixture(scope="session")
def demo_instance(tmp_path_factory) -> Path:
    """An instance folder holding the imported demo festival (SQLite), built once per run."""
    return _import_demo(tmp_path_factory.mktemp("demo") / "instance")


@pytest.fixture(scope="session")
def postgres_demo(postgres, tmp_path_factory) -> tuple[Path, str]:
    """The demo festival imported once into PostgreSQL: (its instance folder, its database)."""
    folder = _import_demo(
        tmp_path_factory.mktemp("demo-postgres") / "instance",
        postgres.create_database("festival_demo", TEMPLATE),
    )
    close_pools()  # a template database must have no connections
    return folder, "festival_demo"


@pytest.fixture
def demo_app(dialect, make_app, request, tmp_path):
    """A fresh copy of the demo archive, so a test may change it without touching others."""
    if dialect == "sqlite":
        source, template = request.getfixturevalue("demo_instance"), None
    else:
        source, template = request.getfixturevalue("postgres_demo")
    folder = tmp_path / "instance"
    shutil.copytree(source, folder, symlinks=True)
    return make_app(folder, template)


@pytest.fixture
def demo_client(demo_app):
    return demo_app.test_client()


@pytest.fixture
def organiser_app(make_app, tmp_path):
    """An empty archive with one organiser; CSRF off so tests post forms directly."""
    app = make_app(tmp_path / "instance", WTF_CSRF_ENABLED=False, INDEX_LOCK_TIMEOUT=0.3)
    make_organiser(app)
    return app


@pytest.fixture
def organiser(organiser_app):
    """A test client signed in as an organiser."""
    client = organiser_app.test_client()
    assert sign_in(client).status_code == 302
    return client


# -- speech: a recording with a known script, for machine transcripts and alignment ----------
SPEECH_FESTIVAL = {
    "festival": {"slug": "summer", "name": "Summer Festival"},
    "sessions": [
        {
            "slug": slug,
            "title": title,
            "starts_at": "2024-06-01T10:00:00+00:00",
            "recording": {"url": media},
        }
        for slug, title, media in (
            ("garden", "The library garden", "talk.ogg"),
            ("quiet", "A quiet room", "quiet.wav"),
            ("broken", "A damaged recording", "broken.webm"),
        )
    ],
}


@pytest.fixture(scope="session")
def spoken_script(tmp_path_factory):
    """A festival folder whose sessions have a spoken script (Ogg/Opus, two espeak-ng voices),
    silence, and a damaged file as recordings; `.sentences` says when each sentence starts."""
    import yaml

    from scripts import speech_script

    if not speech_script.espeak_ng():
        if os.environ.get("CI") == "true":
            pytest.fail("espeak-ng is missing; CI must run the speech tests")
        pytest.skip("espeak-ng is missing (apt-get install espeak-ng)")
    folder = tmp_path_factory.mktemp("speech")
    sentences = speech_script.write_recording(folder / "talk.wav")
    speech_script.to_ogg(folder / "talk.wav", folder / "talk.ogg")
    speech_script.write_silence(folder / "quiet.wav", 8.0)
    (folder / "broken.webm").write_bytes(b"\x1aE\xdf\xa3 not really a webm file" * 64)
    (folder / "script.txt").write_text(speech_script.plain_text(sentences), encoding="utf-8")
    (folder / "festival.yaml").write_text(yaml.safe_dump(SPEECH_FESTIVAL), encoding="utf-8")
    return SimpleNamespace(folder=folder, sentences=sentences)


@pytest.fixture
def speech_app(spoken_script, make_app, tmp_path):
    """A fresh archive holding the speech festival, with an organiser account; CSRF off."""
    app = make_app(tmp_path / "instance", WTF_CSRF_ENABLED=False)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["import", str(spoken_script.folder / "festival.yaml")])
    assert result.exit_code == 0, result.output
    make_organiser(app)
    return app


@pytest.fixture
def speech_organiser(speech_app):
    """A client signed in as an organiser of the speech festival."""
    client = speech_app.test_client()
    assert sign_in(client).status_code == 302
    return client


@pytest.fixture
def start_worker():
    """Start real `flask --app festival worker` processes on an app's instance folder; any
    still running at the end of the test are stopped."""
    started: list[subprocess.Popen] = []

    def start(app) -> subprocess.Popen:
        process = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "festival", "worker"],
            env=os.environ
            | {
                "FESTIVAL_INSTANCE_PATH": app.instance_path,
                "FESTIVAL_DATABASE_URL": app.config["DATABASE_URL"],
            },
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
            process.communicate()
