"""Markup smuggled into titles, names and cue text is shown as text and never runs."""

from __future__ import annotations

import pytest
from archive_files import session, vtt, write_festival

from festival import create_app
from tests.browser.conftest import serving

SCRIPT = "<script>window.__xss = 'script'</script>"
IMAGE = "<img src=x onerror=\"window.__xss = 'img'\">"
LINK = '<a href="javascript:window.__xss=1">click</a>'
WATCH = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective));
"""


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("hostile")
    app = create_app({"INSTANCE_PATH": str(tmp_path / "instance"), "TESTING": True})
    escaped = SCRIPT.replace("<", "&lt;").replace(">", "&gt;")
    manifest = write_festival(
        tmp_path / "hostile",
        [
            session(
                "hostile",
                title=f"Talk {SCRIPT}",
                summary=f"Summary {IMAGE} {LINK}",
                themes=[f"Theme {IMAGE}"],
                speakers=[f"Mallory {IMAGE}"],
            )
        ],
        {"hostile.vtt": vtt((0, 5, "Mallory", f"Payload {escaped} and more payload words."))},
        festival={"slug": "hostile-fest", "name": f"Fest {SCRIPT}", "description": LINK},
    )
    result = app.test_cli_runner().invoke(args=["import", str(manifest)])
    assert result.exit_code == 0, result.output
    with serving(app) as url:
        yield url


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/festivals/hostile-fest",
        "/sessions/hostile",
        "/search?q=payload",
        "/speakers/mallory-img-src-x-onerror-window-xss-img",
        "/feed.atom",
    ],
)
def test_hostile_markup_never_executes(page, hostile_server, path):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.add_init_script(WATCH)
    response = page.goto(hostile_server + path)
    assert response.status == 200
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__xss") is None
    assert dialogs == []
    assert page.evaluate("window.__csp") == []
    for anchor in page.locator("a[href^='javascript:']").all():
        raise AssertionError(f"a javascript: link reached the page: {anchor.get_attribute('href')}")
    if path == "/sessions/hostile":
        assert page.inner_text("h1") == f"Talk {SCRIPT}"
    if path.startswith(("/sessions", "/search")):
        assert f"Payload {SCRIPT} and more" in page.inner_text("main")
