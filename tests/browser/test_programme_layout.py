"""The festival programme uses a desktop's width and still reads as one column on a phone."""

from __future__ import annotations


def test_the_programme_fills_a_desktop_and_stacks_on_a_phone(page, live_server):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{live_server}/festivals/states-of-change-2020")
    card = page.locator(".day-sessions .card").first
    title, summary = card.locator(".card-title").bounding_box(), card.locator(".card-summary")
    right = summary.bounding_box()
    assert right["x"] + right["width"] > 0.8 * 1280, "the right of the programme is empty"
    assert abs(right["y"] - title["y"]) < 30, "the summary sits beside the title"
    filters = page.locator(".filters").bounding_box()
    assert filters["x"] > 640, "the filters stand beside the description"

    page.set_viewport_size({"width": 375, "height": 812})
    title, right = card.locator(".card-title").bounding_box(), summary.bounding_box()
    assert right["y"] > title["y"] + title["height"], "on a phone the summary follows the title"
