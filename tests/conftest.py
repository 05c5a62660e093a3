"""Fixtures for every test: a real app on a temporary instance folder, its client and CLI runner.

The external conformance suite (`tests/conformance/`) runs when `../shared/conformance` is
beside the clone; without it one line says it did not run, and with `CI=true` that is an error.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from archive_files import CONFORMANCE, DEMO_MANIFEST
from organising import make_organiser, sign_in

from festival import create_app

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


@pytest.fixture
def fixture_path():
    """Return the path of one of our own transcript files by name; a wrong name fails loudly."""

    def path(name: str) -> Path:
        found = TRANSCRIPT_FIXTURES / name
        assert found.is_file(), f"no transcript fixture {name} in {TRANSCRIPT_FIXTURES}"
        return found

    return path


@pytest.fixture
def app(tmp_path):
    return create_app({"INSTANCE_PATH": str(tmp_path / "instance"), "TESTING": True})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture(scope="session")
def demo_instance(tmp_path_factory) -> Path:
    """An instance folder holding the imported demo festival, built once per test run."""
    folder = tmp_path_factory.mktemp("demo") / "instance"
    app = create_app({"INSTANCE_PATH": str(folder), "TESTING": True})
    result = app.test_cli_runner().invoke(args=["import", str(DEMO_MANIFEST)])
    assert result.exit_code == 0, result.output
    return folder


@pytest.fixture
def demo_app(demo_instance, tmp_path):
    """A fresh copy of the demo archive, so a test may change it without touching others."""
    folder = tmp_path / "instance"
    shutil.copytree(demo_instance, folder, symlinks=True)
    return create_app({"INSTANCE_PATH": str(folder), "TESTING": True})


@pytest.fixture
def demo_client(demo_app):
    return demo_app.test_client()


@pytest.fixture
def organiser_app(tmp_path):
    """An empty archive with one organiser; CSRF off so tests post forms directly."""
    app = create_app(
        {
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "TESTING": True,
            "WTF_CSRF_ENABLED": False,
            "INDEX_LOCK_TIMEOUT": 0.3,
        }
    )
    make_organiser(app)
    return app


@pytest.fixture
def organiser(organiser_app):
    """A test client signed in as an organiser."""
    client = organiser_app.test_client()
    assert sign_in(client).status_code == 302
    return client
