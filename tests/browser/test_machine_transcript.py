"""An organiser with only a recording gets a machine transcript in the browser, and search
finds its words at the second they are said."""

from __future__ import annotations

import re

import pytest
from organising import add_recorded_session_in_browser

pytestmark = pytest.mark.both_databases


def test_an_uploaded_recording_becomes_a_searchable_reviewable_machine_transcript(
    page, empty_server, empty_app, spoken_script, start_worker, assert_wcag
):
    add_recorded_session_in_browser(
        page,
        empty_server,
        ("summer", "Summer Festival"),
        ("garden", "The library garden", "2024-06-01T10:00:00+00:00"),
        spoken_script.folder / "talk.ogg",
    )
    page.get_by_text("Saved session").wait_for()

    page.get_by_role("link", name="Upload a transcript").click()
    page.get_by_role("button", name="Make a machine transcript").click()
    page.get_by_text("waiting for the worker").wait_for()
    assert_wcag(page)
    worker = start_worker(empty_app)
    # The page follows the job by itself and shows the outcome when it ends.
    page.get_by_text("stored a machine transcript").wait_for(timeout=120_000)
    worker.terminate()

    page.goto(f"{empty_server}/search?q=children")
    link = page.get_by_role("link", name=re.compile(r"Children")).first
    start = float(re.search(r"t=([\d.]+)", link.get_attribute("href")).group(1))
    sentence = next(s for s in spoken_script.sentences if s.text.startswith("Children"))
    assert abs(start - sentence.start) <= 1.0
    page.goto(f"{empty_server}/sessions/garden")
    page.get_by_text("machine transcript, not yet reviewed").wait_for()

    page.goto(f"{empty_server}/organise/sessions/garden/cues")
    assert_wcag(page)
    page.get_by_role("button", name="Mark reviewed").click()
    page.get_by_text("Marked the transcript reviewed.").wait_for()
    page.goto(f"{empty_server}/sessions/garden")
    assert "not yet reviewed" not in page.locator("main").inner_text()
