"""A link to a second opens the recording at that second, in a real browser."""

from __future__ import annotations


def test_t_parameter_starts_the_recording_there(page, live_server):
    page.goto(f"{live_server}/sessions/how-singapore-learns?t=95")
    media = page.locator("#media")
    media.evaluate(
        "m => new Promise(r => m.readyState >= 1 ? r() : m.addEventListener('loadedmetadata', r))"
    )
    assert abs(media.evaluate("m => m.currentTime") - 95) < 0.5


def test_search_result_links_open_the_session_at_the_moment(page, live_server):
    page.goto(f"{live_server}/search?q=Singapore")
    first = page.locator(".moments a").first
    href = first.get_attribute("href")
    first.click()
    page.wait_for_url("**/sessions/**")
    seconds = float(href.split("t=")[1].split("&")[0])
    media = page.locator("#media")
    media.evaluate(
        "m => new Promise(r => m.readyState >= 1 ? r() : m.addEventListener('loadedmetadata', r))"
    )
    assert abs(media.evaluate("m => m.currentTime") - seconds) < 0.5
