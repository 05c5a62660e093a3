"""Playing a session: the transcript follows the recording, and the transcript drives it."""

from __future__ import annotations

SESSION = "how-singapore-learns"


def current_cue_start(page) -> float:
    return float(page.locator(".cue[aria-current]").get_attribute("data-start")) / 1000


def test_playing_moves_the_highlighted_line_along(page, open_session):
    media = open_session(f"{SESSION}?t=4")
    assert current_cue_start(page) == 0.5
    media.evaluate("m => { m.playbackRate = 4; return m.play(); }")
    page.wait_for_function(
        "() => Number(document.querySelector('.cue[aria-current]').dataset.start) > 5000"
    )
    assert page.locator(".cue[aria-current]").count() == 1
    assert 5 < current_cue_start(page) <= media.evaluate("m => m.currentTime")


def test_clicking_a_line_plays_from_there(page, open_session):
    media = open_session(SESSION)
    line = page.locator(".cue").nth(9)
    start = float(line.get_attribute("data-start")) / 1000
    line.locator(".cue-link").click()
    assert abs(media.evaluate("m => m.currentTime") - start) < 0.5
    assert line.get_attribute("aria-current") == "true"
    assert "?t=" not in page.url  # the page did not reload


def test_a_chapter_link_seeks_to_the_chapter(page, open_session):
    media = open_session(SESSION)
    chapter = page.locator(".chapters a", has_text="Agility")
    chapter.click()
    assert abs(media.evaluate("m => m.currentTime") - 173) < 0.5


def test_a_clip_link_stops_at_its_end(page, open_session):
    media = open_session(f"{SESSION}?t=10,14")
    assert abs(media.evaluate("m => m.currentTime") - 10) < 0.5
    media.evaluate("m => { m.playbackRate = 2; return m.play(); }")
    page.wait_for_function(
        "() => { const m = document.getElementById('media');"
        " return m.paused && m.currentTime > 12; }",
        timeout=10_000,
    )
    assert 13.5 < media.evaluate("m => m.currentTime") < 14.5


def test_keyboard_tab_to_a_line_and_enter_seeks_there(page, open_session):
    media = open_session(SESSION)
    page.focus("#follow")
    for _ in range(4):  # the first line, then three more
        page.keyboard.press("Tab")
    focused = page.locator(".cue-link:focus")
    assert focused.count() == 1, "Tab did not reach a transcript line"
    assert focused.evaluate("a => a.closest('li') === document.querySelectorAll('.cue')[3]")
    start = focused.evaluate("a => a.closest('li').dataset.start / 1000")
    page.keyboard.press("Enter")
    assert abs(media.evaluate("m => m.currentTime") - start) < 0.5
    assert focused.evaluate("a => a.closest('li').getAttribute('aria-current')") == "true"


def test_the_transcript_follows_playback_until_switched_off(page, open_session):
    media = open_session(SESSION)
    cues = page.locator(".cues")
    media.evaluate("m => { m.currentTime = 200; }")
    page.wait_for_function("() => document.querySelector('.cues').scrollTop > 0")
    followed = cues.evaluate("list => list.scrollTop")

    page.get_by_label("Auto-scroll: keep the current line in view").uncheck()
    media.evaluate("m => { m.currentTime = 20; }")
    page.wait_for_function(
        "() => document.querySelector('.cue[aria-current]').dataset.start < 25000"
    )
    assert cues.evaluate("list => list.scrollTop") == followed


def test_the_player_works_under_a_strict_content_security_policy(page, live_server):
    policy = (
        "default-src 'self'; script-src 'self' https://www.youtube.com https://player.vimeo.com"
    )

    def strict(route):
        response = route.fetch()
        route.fulfill(
            response=response, headers=response.headers | {"content-security-policy": policy}
        )

    page.route(f"**/sessions/{SESSION}", strict)
    page.add_init_script(
        "window.__csp = []; document.addEventListener("
        "'securitypolicyviolation', e => window.__csp.push(e.violatedDirective));"
    )
    page.goto(f"{live_server}/sessions/{SESSION}")
    page.wait_for_selector("body[data-player=ready]")
    page.locator(".cue-link").nth(6).click()
    assert page.locator(".cue").nth(6).get_attribute("aria-current") == "true"
    assert page.evaluate("() => window.__csp") == []
