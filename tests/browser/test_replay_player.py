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


def test_the_transcript_is_one_tab_stop_with_arrow_keys_inside(page, open_session):
    media = open_session(SESSION)
    page.focus("#follow")
    page.keyboard.press("Tab")
    focused = page.locator(".cue-link:focus")
    assert focused.count() == 1, "Tab did not reach the transcript"
    assert focused.evaluate("a => a.closest('li') === document.querySelectorAll('.cue')[0]")
    assert page.locator(".cue-link[tabindex='0']").count() == 1
    for _ in range(3):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowDown")
    assert focused.evaluate("a => a.closest('li') === document.querySelectorAll('.cue')[3]")
    start = focused.evaluate("a => a.closest('li').dataset.start / 1000")
    page.keyboard.press("Enter")
    assert abs(media.evaluate("m => m.currentTime") - start) < 0.5
    assert focused.evaluate("a => a.closest('li').getAttribute('aria-current')") == "true"

    page.keyboard.press("End")
    assert focused.evaluate("a => a.closest('li') === document.querySelector('.cue:last-child')")
    page.keyboard.press("Home")
    assert focused.evaluate("a => a.closest('li') === document.querySelector('.cue')")
    page.keyboard.press("Tab")  # one press leaves the transcript, however long it is
    assert page.locator(".cues :focus").count() == 0


def test_tab_enters_the_transcript_at_the_line_playing(page, open_session):
    media = open_session(SESSION)
    media.evaluate("m => { m.currentTime = 200; }")
    page.wait_for_function(
        "() => document.querySelector('.cue[aria-current]')?.dataset.start > 190000"
    )
    page.focus("#follow")
    page.keyboard.press("Tab")
    assert (
        page.locator(".cue-link:focus").evaluate(
            "a => a.closest('li').getAttribute('aria-current')"
        )
        == "true"
    )


def test_skip_to_transcript_lands_on_a_line(page, open_session):
    open_session(SESSION)
    skip = page.get_by_role("link", name="Skip to transcript")
    assert not skip.is_visible() or skip.bounding_box()["x"] < 0
    page.keyboard.press("Tab")  # the page's own "Skip to content" comes first
    page.keyboard.press("Tab")
    assert skip.evaluate("a => a === document.activeElement") and skip.bounding_box()["x"] >= 0
    page.keyboard.press("Enter")
    line = page.locator(".cue-link:focus")
    assert line.count() == 1 and line.is_visible()


def test_the_transcript_follows_playback_until_switched_off(page, open_session):
    media = open_session(SESSION)
    cues = page.locator(".cues")
    media.evaluate("m => { m.currentTime = 200; }")
    page.wait_for_function("() => document.querySelector('.cues').scrollTop > 0")
    followed = cues.evaluate("list => list.scrollTop")

    page.get_by_label("Auto-scroll to the line playing").uncheck()
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


def test_a_chapter_without_a_recording_shows_its_own_line(page, live_server, in_view):
    page.goto(f"{live_server}/sessions/futures-and-storytelling-for-the-recovery")
    page.locator(".chapters a", has_text="Storytelling for change").click()
    current = page.locator(".cue[aria-current]")
    assert current.locator(".time").text_content() == "2:32"
    assert current.get_attribute("data-start") == "152400"
    assert in_view(current)


def test_playback_speed_runs_from_three_quarters_to_double(page, open_session):
    media = open_session(SESSION)
    speed = page.get_by_label("Speed")
    rates = speed.locator("option").all_inner_texts()
    assert rates == ["0.75×", "1×", "1.25×", "1.5×", "1.75×", "2×"]
    speed.select_option("1.5")
    assert media.evaluate("m => m.playbackRate") == 1.5
    speed.select_option("0.75")
    assert media.evaluate("m => m.playbackRate") == 0.75


def test_captions_come_from_the_archive_own_webvtt(page, open_session):
    media = open_session("creativity-at-system-scale")
    track = page.locator("#media track[kind=captions]")
    assert track.get_attribute("src") == "/sessions/creativity-at-system-scale/transcript.vtt"
    media.evaluate("m => { m.textTracks[0].mode = 'showing'; }")
    page.wait_for_function("() => document.getElementById('media').textTracks[0].cues?.length > 5")


def test_the_header_and_the_player_give_the_same_length(page, open_session):
    media = open_session("how-governments-think")  # transcript ends 4:36.87, media 4:36.88
    shown = page.evaluate("m => FestivalCite.clock(m.duration)", media.element_handle())
    assert shown == "4:36"
    assert page.locator("h1 + .meta").text_content().strip().endswith(f"· {shown}")
