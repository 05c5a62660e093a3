"""YouTube and Vimeo recordings, driven through stand-ins for their player scripts.

Their real scripts cannot load here, so each script URL is answered with a stand-in that
records calls and lets the test move the player's clock, as the real player would.
"""

from __future__ import annotations

import sqlite3

import pytest

SESSION = "tools-behavioural-science-and-innovation-labs"  # has no recording of its own

FAKE_YOUTUBE = """
window.fake = {calls: [], time: 0, state: -1};
window.fake.setTime = (s) => { fake.time = s; };
window.YT = {Player: function (element, options) {
  this.seekTo = (s) => { fake.calls.push(['seek', s]); fake.time = s; };
  this.getCurrentTime = () => fake.time;
  this.playVideo = () => { fake.calls.push(['play']); fake.state = 1; };
  this.pauseVideo = () => { fake.calls.push(['pause']); fake.state = 2; };
  this.getPlayerState = () => fake.state;
  setTimeout(() => options.events.onReady({target: this}));
}};
window.onYouTubeIframeAPIReady();
"""

FAKE_VIMEO = """
window.fake = {calls: [], handlers: {}};
window.fake.setTime = (s) => (fake.handlers.timeupdate || []).forEach((f) => f({seconds: s}));
window.Vimeo = {Player: function () {
  this.on = (name, f) => { (fake.handlers[name] = fake.handlers[name] || []).push(f); };
  this.ready = () => Promise.resolve();
  this.setCurrentTime = (s) => { fake.calls.push(['seek', s]); return Promise.resolve(s); };
  this.play = () => { fake.calls.push(['play']); return Promise.resolve(); };
  this.pause = () => { fake.calls.push(['pause']); return Promise.resolve(); };
}};
"""

EMBEDS = {
    "youtube": ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", "**/iframe_api", FAKE_YOUTUBE),
    "vimeo": ("https://vimeo.com/76979871", "**/api/player.js", FAKE_VIMEO),
}


@pytest.fixture(params=sorted(EMBEDS))
def embedded(request, demo_app, page):
    """The session recorded on YouTube or Vimeo, with stand-ins for the player scripts."""
    url, script, fake = EMBEDS[request.param]
    with sqlite3.connect(f"{demo_app.instance_path}/archive.db") as db:
        db.execute(
            "insert into recordings (session, url, kind, media_file) values (?, ?, ?, null)",
            [SESSION, url, request.param],
        )
    page.route("**/embed/**", lambda route: route.fulfill(body="<!doctype html><title>x</title>"))
    page.route("**/video/**", lambda route: route.fulfill(body="<!doctype html><title>x</title>"))
    page.route(script, lambda route: route.fulfill(body=fake, content_type="text/javascript"))
    return request.param


@pytest.fixture
def live_server(private_server):
    """These tests add a recording, so each gets its own copy of the archive."""
    return private_server


def calls(page) -> list:
    return page.evaluate("() => fake.calls")


def test_clicking_a_line_seeks_and_the_transcript_follows(page, open_session, embedded):
    open_session(SESSION)
    line = page.locator(".cue").nth(5)
    start = float(line.get_attribute("data-start")) / 1000
    line.locator(".cue-link").click()
    assert calls(page)[:2] == [["seek", start], ["play"]]
    assert line.get_attribute("aria-current") == "true"

    later = page.locator(".cue").nth(12)
    page.evaluate("s => fake.setTime(s)", float(later.get_attribute("data-start")) / 1000 + 0.2)
    page.wait_for_function(
        "li => li.getAttribute('aria-current') === 'true'", arg=later.element_handle()
    )
    assert line.get_attribute("aria-current") is None


def test_an_embedded_clip_pauses_at_its_end(page, open_session, embedded):
    open_session(f"{SESSION}?t=10,14")
    page.evaluate("() => fake.setTime(12)")
    assert ["pause"] not in calls(page)
    page.evaluate("() => fake.setTime(14.1)")
    page.wait_for_function("() => fake.calls.some(c => c[0] === 'pause')")
