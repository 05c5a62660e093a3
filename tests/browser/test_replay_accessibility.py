"""Every public page passes axe's WCAG 2.2 AA rules at desktop and phone width, and fits a
phone without sideways scrolling."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

PAGES = {
    "home": "/",
    "festival": "/festivals/states-of-change-2020",
    "session": "/sessions/how-singapore-learns?q=Singapore",
    "speaker": "/speakers/charles-landry",
    "theme": "/themes/public-innovation",
    "search": "/search?q=trust",
}
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag22aa"]}}


@pytest.fixture(scope="module")
def axe():
    return Axe()


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_has_no_wcag_violations_and_fits_a_phone(page, live_server, axe, name, width):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(live_server + PAGES[name])
    if name == "session":  # with the find marks and the citation panel showing
        page.wait_for_selector(".cue.hit mark")
        page.evaluate(
            "() => { const r = document.createRange();"
            " r.selectNodeContents(document.querySelector('.cue .text'));"
            " getSelection().addRange(r); }"
        )
        page.locator("#cite").wait_for(state="visible")
    results = axe.run(page, options=WCAG)
    assert results.violations_count == 0, results.generate_report()
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at {width}px wide"
