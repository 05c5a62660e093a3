"""An organiser goes from an empty archive to a published, corrected session found by search."""

from __future__ import annotations

from pathlib import Path

import pytest
from archive_files import TWO_SPEAKERS
from axe_playwright_python.sync_playwright import Axe
from organising import EMAIL, PASSWORD

RECORDING = Path(__file__).parents[2] / "static" / "media" / "how-governments-think.webm"
pytestmark = pytest.mark.both_databases
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag22aa"]}}


def assert_accessible(page) -> None:
    """The page passes axe's WCAG 2.2 AA rules at desktop and phone width, as public pages do."""
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 800})
        results = Axe().run(page, options=WCAG)
        assert results.violations_count == 0, f"at {width}px: {results.generate_report()}"
    page.set_viewport_size({"width": 1280, "height": 800})


def test_organiser_publishes_a_corrected_session_that_search_finds(page, empty_server):
    page.goto(f"{empty_server}/organise/")
    assert_accessible(page)
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_text("The archive is empty").wait_for()

    page.get_by_role("link", name="New festival").click()
    page.get_by_label("Slug").fill("engines-fest")
    page.get_by_label("Name", exact=True).fill("Engines Festival")
    page.get_by_role("button", name="Save festival").click()

    page.get_by_role("link", name="Add a session to Engines Festival").click()
    assert_accessible(page)
    page.get_by_label("Slug").fill("engines")
    page.get_by_label("Title", exact=True).fill("Engines of Trust")
    page.get_by_label("Starts at").fill("2021-05-04T10:00:00+00:00")
    page.locator("input[name=speaker_name]").first.fill("Ada Lovelace")
    page.get_by_label("Theme 1").fill("Computing")
    page.get_by_label("Or upload a media file").set_input_files(RECORDING)
    page.get_by_label("Transcript (.vtt").set_input_files(
        files=[{"name": "engines.vtt", "mimeType": "text/vtt", "buffer": TWO_SPEAKERS.encode()}]
    )
    page.get_by_role("button", name="Save session").click()
    page.get_by_text("Saved session “Engines of Trust” (draft).").wait_for()

    assert page.locator(".cue-count").inner_text() == "4"  # the preview, straight away
    assert page.locator(".preview-cues .preview-cue").count() == 4
    assert_accessible(page)
    page.get_by_role("button", name="Confirm and store this transcript").click()

    page.wait_for_selector("body[data-player=ready]")
    assert_accessible(page)
    media = page.locator("#media")
    page.get_by_role("button", name="Play cue 2").click()
    page.wait_for_function("() => document.getElementById('media').currentTime > 4.5")
    page.wait_for_function("() => document.getElementById('media').paused", timeout=10_000)
    assert 8.8 < media.evaluate("m => m.currentTime") < 9.6  # cue 2 ends at 9

    page.get_by_label("Words of cue 4").fill("A steward for future generations, a peace engine.")
    page.get_by_label("Cue 4 Start").fill("0:15")
    page.locator("#cue-3").get_by_role("button", name="Save").click()
    page.get_by_text("Corrected cue 4.").wait_for()
    assert page.get_by_label("Cue 4 Start").input_value() == "00:00:15"

    page.get_by_role("link", name="Engines of Trust").click()
    page.get_by_role("button", name="Publish").click()
    page.get_by_text("is published").wait_for()

    page.goto(f"{empty_server}/search?q=peace")
    page.get_by_role("link", name="Engines of Trust").first.click()
    page.wait_for_url("**/sessions/engines**")
    assert "a peace engine" in page.locator("main").inner_text()
    page.goto(f"{empty_server}/search?q=war")
    assert page.get_by_role("link", name="Engines of Trust").count() == 0
