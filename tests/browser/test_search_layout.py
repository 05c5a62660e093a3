"""The results page on a phone: a full-width search box, and results before facets."""

from __future__ import annotations


def test_at_375_pixels_the_box_is_full_width_and_results_come_first(page, live_server):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{live_server}/search?q=trust")
    form = page.locator("form.big-search").bounding_box()
    box = page.locator("#q").bounding_box()
    assert box["width"] >= form["width"] - 2
    results = page.locator("ol.results").bounding_box()
    facets = page.locator("aside.facets").bounding_box()
    assert results["y"] < facets["y"]


def test_on_a_wide_screen_facets_sit_beside_the_results(page, live_server):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server}/search?q=trust")
    results = page.locator("ol.results").bounding_box()
    facets = page.locator("aside.facets").bounding_box()
    assert facets["x"] < results["x"] and abs(facets["y"] - results["y"]) < 40
