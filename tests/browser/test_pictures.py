"""Posters and speaker photos in a real browser: shown, allowed by the CSP, accessible."""

from __future__ import annotations

import pytest
from archive_files import festival_with_pictures
from axe_playwright_python.sync_playwright import Axe

WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag22aa"]}}


@pytest.fixture
def demo_app(demo_app, tmp_path):
    """The demo archive plus a festival whose session has a poster and speakers with photos."""
    manifest = festival_with_pictures(tmp_path / "pictures")
    result = demo_app.test_cli_runner().invoke(args=["import", str(manifest)])
    assert result.exit_code == 0, result.output
    return demo_app


@pytest.mark.parametrize(
    "path", ["/sessions/engines", "/speakers/charles-babbage", "/festivals/test-fest"]
)
def test_pictures_load_and_pages_stay_accessible_at_both_widths(page, private_server, path):
    page.route("https://images.example.org/**", lambda route: route.abort())  # no network here
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(private_server + path)
        kept = page.locator("img[src^='/images/']").first
        kept.wait_for()
        assert kept.evaluate("img => img.complete && img.naturalWidth > 0"), "image did not load"
        results = Axe().run(page, options=WCAG)
        assert results.violations_count == 0, f"at {width}px: {results.generate_report()}"
