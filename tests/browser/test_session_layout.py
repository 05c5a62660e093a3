"""The session page at desktop and phone width: what stays in view, what scrolls, and when."""

from __future__ import annotations

import pytest
from archive_files import ROOT, session, write_festival

SESSION = "how-singapore-learns"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 812}


def test_the_left_column_neither_scrolls_alone_nor_is_cut_off(page, open_session, in_view):
    page.set_viewport_size(DESKTOP)
    open_session(SESSION)
    side = page.locator(".session-side")
    assert side.evaluate("e => e.scrollHeight <= e.clientHeight")
    assert side.evaluate("e => getComputedStyle(e).overflowY") == "visible"
    tags = page.locator(".session-details .tags")
    tags.scroll_into_view_if_needed()
    assert in_view(tags), "the theme tags cannot be brought into view"
    assert in_view(page.locator("#media")), "the player left the window to show the tags"


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_player_stays_in_view_while_tabbing_through_it(page, open_session, in_view, viewport):
    page.set_viewport_size(viewport)
    open_session(SESSION)
    page.locator(".chapters a").first.focus()
    for _ in range(12):  # every chapter, every theme, the downloads
        page.keyboard.press("Tab")
        focused = page.locator(":focus")
        assert in_view(focused), f"{focused.text_content()!r} is off screen or under the player"
        assert in_view(page.locator("#media")), "the player scrolled out of view"


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_search_hit_lands_with_its_line_fully_visible(page, open_session, in_view, viewport):
    page.set_viewport_size(viewport)
    open_session(f"{SESSION}?t=95&q=learning")
    hit = page.locator(".cue.hit-current")
    hit.wait_for()
    page.wait_for_timeout(200)
    assert in_view(hit)
    box, shown = hit.bounding_box(), page.locator(".cues").bounding_box()
    assert shown["y"] <= box["y"] and box["y"] + box["height"] <= shown["y"] + shown["height"]
    player = page.locator(".player").bounding_box()
    assert box["y"] >= player["y"] + player["height"] or box["x"] >= player["x"] + player["width"]
    page.click("#find-next")
    assert in_view(page.locator(".cue.hit-current"))


def test_steps_and_timeline_appear_only_once_something_was_searched(page, open_session):
    open_session(SESSION)
    for hidden in ("#find-previous", "#find-next", "#timeline"):
        assert page.locator(hidden).is_hidden(), hidden
    page.fill("#find-q", "zeppelin")
    page.press("#find-q", "Enter")
    page.wait_for_function("() => document.getElementById('find-status').textContent.length > 12")
    assert page.locator("#find-status").is_visible()
    assert page.locator("#find-next").is_hidden() and page.locator("#timeline").is_hidden()
    page.fill("#find-q", "Singapore")
    page.press("#find-q", "Enter")
    page.wait_for_function(
        "() => / of \\d+$/.test(document.getElementById('find-status').textContent)"
    )
    assert page.locator("#find-next").is_visible() and page.locator("#timeline").is_visible()


def test_on_a_phone_the_transcript_starts_on_the_first_screen_under_a_pinned_player(
    page, open_session, in_view
):
    page.set_viewport_size(PHONE)
    open_session(SESSION)
    first = page.locator(".cue").first
    assert first.bounding_box()["y"] < PHONE["height"], "the transcript starts below the fold"
    order = page.evaluate(
        "() => ['.player', '.transcript', '.chapters']"
        ".map(s => document.querySelector(s).getBoundingClientRect().top)"
    )
    assert order == sorted(order), "on a phone: player, then transcript, then details"
    page.mouse.wheel(0, 700)
    page.wait_for_function("() => scrollY > 300")
    assert in_view(page.locator("#media")), "the player scrolled away with the page"


@pytest.fixture
def demo_app(demo_app, tmp_path):
    """The demo archive plus a session with a recording and no transcript yet."""
    folder = tmp_path / "untranscribed"
    (folder / "media").mkdir(parents=True)
    (folder / "media" / "talk.webm").write_bytes(
        (ROOT / "static/media/how-governments-think.webm").read_bytes()
    )
    manifest = write_festival(
        folder,
        [session("untranscribed", transcript=None, recording={"url": "media/talk.webm"})],
        {},
    )
    result = demo_app.test_cli_runner().invoke(args=["import", str(manifest)])
    assert result.exit_code == 0, result.output
    return demo_app


def test_a_recording_without_a_transcript_plays_at_any_speed(page, private_server):
    page.goto(f"{private_server}/sessions/untranscribed")
    page.wait_for_selector("body[data-player=ready]")
    assert "This session has no transcript yet." in page.locator(".transcript").inner_text()
    page.get_by_label("Speed").select_option("2")
    assert page.locator("#media").evaluate("m => m.playbackRate") == 2
