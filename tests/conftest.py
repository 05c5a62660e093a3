"""Fixtures for every test: a real app on a temporary instance folder, its client and CLI runner."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from archive_files import DEMO_MANIFEST

from festival import create_app


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
