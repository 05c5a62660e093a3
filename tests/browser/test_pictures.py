"""Posters and speaker photos in a real browser: shown, allowed by the CSP, accessible."""

from __future__ import annotations

import pytest
from archive_files import festival_with_pictures, png
from axe_playwright_python.sync_playwright import Axe
from organising import sign_in_browser

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


def test_search_cards_with_pictures_are_accessible_and_put_a_result_on_the_first_phone_screen(
    page, private_server
):
    page.route("https://images.example.org/**", lambda route: route.abort())
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(f"{private_server}/search?q=engines OR trust")
        first = page.locator("li.result").first
        poster = first.locator("img.result-poster")
        poster.evaluate("img => img.decode()")  # in view, so the lazy image loads
        assert poster.evaluate("img => img.naturalWidth > 0"), "the card's picture did not load"
        assert page.locator("li.result img.speaker-photo[src^='/images/']").count() == 1
        results = Axe().run(page, options=WCAG)
        assert results.violations_count == 0, f"at {width}px: {results.generate_report()}"
        overflow = page.evaluate("() => document.documentElement.scrollWidth - innerWidth")
        assert overflow <= 0, f"at {width}px the page scrolls sideways by {overflow}px"
        shifted = page.evaluate(
            "() => performance.getEntriesByType('layout-shift')"
            ".reduce((sum, shift) => sum + shift.value, 0)"
        )
        assert shifted < 0.01, f"at {width}px pictures moved the page as they loaded ({shifted})"
    meta = first.locator("p.meta").bounding_box()
    assert meta["y"] + meta["height"] <= 800, "the first result is not on the first phone screen"
    assert poster.bounding_box()["width"] <= 100  # a thumbnail: the words keep the width


def test_an_organiser_adds_a_photo_below_an_empty_row_and_removes_another_in_the_browser(
    page, empty_app, empty_server, tmp_path
):
    manifest = festival_with_pictures(tmp_path / "pictures")
    assert empty_app.test_cli_runner().invoke(args=["import", str(manifest)]).exit_code == 0
    page.route("https://images.example.org/**", lambda route: route.abort())
    sign_in_browser(page, empty_server)
    page.goto(f"{empty_server}/organise/sessions/engines/edit")
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 800})
        results = Axe().run(page, options=WCAG)
        assert results.violations_count == 0, f"at {width}px: {results.generate_report()}"
        overflow = page.evaluate("() => document.documentElement.scrollWidth - innerWidth")
        assert overflow <= 0, f"at {width}px the form scrolls sideways by {overflow}px"
    assert page.get_by_alt_text("The current photo of Charles Babbage").is_visible()

    # Rows 0 and 1 are Ada and Charles; row 2 stays empty; Grace goes in row 3.
    page.locator("input[name=speaker_name]").nth(3).fill("Grace Hopper")
    page.locator("input[name=speaker_photo_3]").set_input_files(
        files=[{"name": "grace.png", "mimeType": "image/png", "buffer": png(5, 5)}]
    )
    page.get_by_label("Remove the photo of Charles Babbage").check()
    page.get_by_role("button", name="Save session").click()
    page.get_by_text("Saved session").wait_for()

    page.goto(f"{empty_server}/speakers/grace-hopper")
    portrait = page.get_by_alt_text("Photo of Grace Hopper")
    assert portrait.evaluate("img => img.decode().then(() => img.naturalWidth)") == 5
    page.goto(f"{empty_server}/speakers/charles-babbage")
    assert page.get_by_alt_text("Photo of Charles Babbage").count() == 0
    page.goto(f"{empty_server}/speakers/ada-lovelace")
    assert page.get_by_alt_text("Photo of Ada Lovelace").count() == 1  # untouched
