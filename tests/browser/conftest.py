"""Real-browser fixtures: the app served on loopback, and Debian's chromium driven by Playwright.

Outside CI a missing chromium skips these tests with a reason; in CI (CI=true) it fails them.
"""

from __future__ import annotations

import os
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
from organising import make_organiser
from werkzeug.serving import make_server

from festival import create_app

CHROMIUM = Path(os.environ.get("FESTIVAL_CHROMIUM", "/usr/bin/chromium"))


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args():
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(
                f"{CHROMIUM} is missing: CI must run the browser tests (apt-get install chromium)"
            )
        pytest.skip(f"{CHROMIUM} is missing; install Debian's chromium to run browser tests")
    return {
        "executable_path": str(CHROMIUM),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--autoplay-policy=no-user-gesture-required",
        ],
    }


@contextmanager
def serving(app):
    """Serve `app` on a free loopback port; yield its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def live_server(demo_instance):
    """The demo archive served for the whole run, for tests that only read it."""
    with serving(create_app({"INSTANCE_PATH": str(demo_instance), "TESTING": True})) as url:
        yield url


@pytest.fixture
def empty_app(make_app, tmp_path):
    """An empty archive with one organiser, made by the CLI, for tests that build it up."""
    app = make_app(tmp_path / "instance")
    make_organiser(app)
    return app


@pytest.fixture
def empty_server(empty_app):
    """The empty archive served for one test."""
    with serving(empty_app) as url:
        yield url


@pytest.fixture
def private_server(demo_app):
    """A fresh copy of the demo archive served for one test, which may change it."""
    with serving(demo_app) as url:
        yield url


@pytest.fixture(autouse=True)
def no_script_errors(page):
    """Fail any browser test during which a page script threw or the CSP refused something."""
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    def on_console(message):
        if message.type == "error" and "Content Security Policy" in message.text:
            errors.append(message.text)

    page.on("console", on_console)
    yield
    assert not errors, f"script errors or CSP violations on the page: {errors}"


@pytest.fixture
def open_session(page, live_server):
    """Open a session page (path after /sessions/) and wait until its player is connected."""

    def open_(path: str):
        page.goto(f"{live_server}/sessions/{path}")
        page.wait_for_selector("body[data-player=ready]")
        media = page.locator("#media")
        if media.evaluate("m => m.tagName") != "IFRAME":
            media.evaluate(
                "m => new Promise(r => m.readyState >= 1 ? r()"
                " : m.addEventListener('loadedmetadata', r))"
            )
        return media

    return open_


@pytest.fixture
def assert_wcag():
    """Check the page passes axe's WCAG 2.2 AA rules, as every page does."""
    from axe_playwright_python.sync_playwright import Axe

    options = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag22aa"]}}

    def check(page) -> None:
        results = Axe().run(page, options=options)
        assert results.violations_count == 0, results.generate_report()

    return check


@pytest.fixture
def in_view():
    """A check that an element's whole box is inside the window (to the pixel)."""

    def check(locator) -> bool:
        return locator.evaluate(
            "e => { const b = e.getBoundingClientRect(); return b.top >= -1"
            " && b.bottom <= innerHeight + 1 && b.left >= 0 && b.right <= innerWidth; }"
        )

    return check
