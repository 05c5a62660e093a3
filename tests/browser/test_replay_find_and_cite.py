"""Finding words in one session, sharing a moment, and citing selected words."""

from __future__ import annotations

import pytest

SESSION = "how-singapore-learns"


def wait_for_count(page):
    page.wait_for_function(
        "() => / of \\d+$/.test(document.getElementById('find-status').textContent)"
    )
    return page.locator("#find-status").text_content()


def test_find_marks_the_hits_and_steps_through_them(page, open_session):
    media = open_session(SESSION)
    page.fill("#find-q", "Singapore")
    page.press("#find-q", "Enter")
    total = int(wait_for_count(page).split(" of ")[1])
    assert total > 2
    assert page.locator("#find-status").text_content() == f"1 of {total}"
    assert page.locator(".cue.hit").count() == total
    assert page.locator("#timeline .tick").count() == total
    marks = page.locator(".cue.hit mark").all_text_contents()
    assert marks and all(m.lower().startswith("singapore") for m in marks)

    page.click("#find-next")
    assert page.locator("#find-status").text_content() == f"2 of {total}"
    second = page.locator(".cue.hit").nth(1)
    assert "hit-current" in second.get_attribute("class")
    start = float(second.get_attribute("data-start")) / 1000
    assert abs(media.evaluate("m => m.currentTime") - start) < 0.5

    page.click("#find-previous")
    page.click("#find-previous")
    assert page.locator("#find-status").text_content() == f"{total} of {total}"


def test_arriving_from_search_shows_the_same_marks(page, open_session):
    open_session(f"{SESSION}?t=145.85&q=estonia%20OR%20singapore")
    assert page.input_value("#find-q") == "estonia OR singapore"
    status = wait_for_count(page)
    current = page.locator(".cue.hit-current")
    assert current.get_attribute("data-start") == "145850", status
    assert current.locator("mark").all_text_contents() == ["Estonia", "Singapore"]


def test_a_search_with_no_hits_says_so(page, open_session):
    open_session(SESSION)
    page.fill("#find-q", "zeppelin")
    page.press("#find-q", "Enter")
    page.wait_for_function("() => document.getElementById('find-status').textContent.length > 12")
    assert page.locator("#find-status").text_content() == "No matches in this session."
    assert page.locator(".cue.hit").count() == 0


def test_link_to_this_moment_copies_the_current_time(page, open_session, live_server):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    media = open_session(SESSION)
    media.evaluate("m => { m.currentTime = 95.4; }")
    page.click("#share-now")
    expected = f"{live_server}/sessions/{SESSION}?t=95"
    assert page.input_value("#share-url") == expected
    page.wait_for_function("() => document.getElementById('share-status').textContent")
    assert page.evaluate("() => navigator.clipboard.readText()") == expected


def test_selecting_words_offers_a_clip_and_a_citation(page, open_session, live_server):
    media = open_session("creativity-at-system-scale")
    line = page.locator(".cue[data-speaker='Charles Landry']").nth(1)
    words = line.locator(".text")
    words.scroll_into_view_if_needed()
    box = words.bounding_box()
    page.mouse.move(box["x"] + 1, box["y"] + 6)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] - 1, box["y"] + box["height"] - 6, steps=5)
    page.mouse.up()
    panel = page.locator("#cite")
    panel.wait_for(state="visible")
    assert media.evaluate("m => m.currentTime") == 0  # selecting is not a request to jump

    start, end = (float(line.get_attribute(a)) / 1000 for a in ("data-start", "data-end"))
    stamp = page.evaluate("s => FestivalCite.clock(s)", start)
    quote_start = " ".join(words.text_content().split()[:3])
    apa = page.locator("#cite-apa").text_content()
    chicago = page.locator("#cite-chicago").text_content()
    bibtex = page.locator("#cite-bibtex").text_content()
    assert "Landry, C. (2020, June 11)" in apa and f"(Landry, 2020, {stamp})" in apa
    assert f"(Landry 2020, {stamp})" in chicago and "Landry, Charles." in chicago
    assert "author = {Landry, Charles}" in bibtex and stamp in bibtex
    for citation in (apa, chicago, bibtex):
        assert quote_start in citation
        assert "States of Change Learning Festival 2020" in citation
    clip = page.locator("#clip-link").get_attribute("href")
    assert clip == f"{live_server}/sessions/creativity-at-system-scale?t={start:g},{end:g}"
    page.keyboard.press("Escape")
    assert panel.is_hidden()


@pytest.mark.parametrize(
    ("speakers", "in_text"),
    [(["Charles Landry"], "(Landry, 2020, 1:02:05)"), (["Festival host"], "(Festival host, 2020")],
)
def test_citations_of_people_and_of_labels(page, live_server, speakers, in_text):
    page.goto(f"{live_server}/sessions/{SESSION}")
    moment = {
        "speakers": speakers,
        "title": "Being Creative",
        "festival": "States of Change Learning Festival 2020",
        "format": "panel",
        "date": "2020-06-11T10:00:00+01:00",
        "start": 3725.2,
        "end": 3731,
        "quote": "small pilots & big change",
        "url": "https://example.org/sessions/x?t=3725.2,3731",
    }
    cited = page.evaluate("m => FestivalCite.citeMoment(m)", moment)
    assert cited["apa"].startswith(f"“small pilots & big change” {in_text}")
    assert "[Panel]. States of Change Learning Festival 2020. https://example.org/" in cited["apa"]
    assert "Recording, 1:02:05–1:02:11." in cited["chicago"]
    assert "note = {At 1:02:05--1:02:11: “small pilots \\& big change”}" in cited["bibtex"]
