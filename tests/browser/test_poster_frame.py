"""An organiser seeks the session's video to a picture and makes that frame the poster."""

from __future__ import annotations

from archive_files import BLUE, GREEN, colour_video, looks_like, picture
from organising import add_recorded_session_in_browser

# The colour at the middle of an image as the page drew it, read back from a canvas.
IMAGE_COLOUR = """async img => {
  if (!img.complete) await new Promise(r => img.addEventListener("load", r));
  const canvas = document.createElement("canvas");
  canvas.width = img.naturalWidth;
  canvas.height = img.naturalHeight;
  const context = canvas.getContext("2d");
  context.drawImage(img, 0, 0);
  return Array.from(context.getImageData(img.naturalWidth / 2, img.naturalHeight / 2, 1, 1).data)
    .slice(0, 3);
}"""
METADATA = (
    "v => new Promise(r => v.readyState >= 1 ? r() : v.addEventListener('loadedmetadata', r))"
)
SEEK = (
    "(v, t) => new Promise(r => { v.addEventListener('seeked', r, {once: true});"
    " v.currentTime = t; })"
)


def test_the_frame_on_screen_becomes_the_public_poster(page, empty_server, assert_wcag, tmp_path):
    video = colour_video(tmp_path / "colours.webm")
    add_recorded_session_in_browser(
        page,
        empty_server,
        ("colours", "Colour Festival"),
        ("four-colours", "Four Colours", "2021-05-04T10:00:00+00:00"),
        video,
    )
    page.get_by_text("Saved session “Four Colours” (published).").wait_for()

    preview = page.locator("#poster-video")
    preview.evaluate(METADATA)
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 800})
        assert_wcag(page)
    time = page.get_by_label("Time in the recording")
    assert time.input_value() == "0"  # the frame on screen before the video is moved
    time.fill("0:01.5")  # typed, not seeked: kept
    page.get_by_role("button", name="Use this frame as the poster").click()
    page.get_by_text("Poster set from the frame at 0:01.5.").wait_for()
    stored = page.locator("img[alt='The current poster']")
    assert looks_like(tuple(stored.evaluate(IMAGE_COLOUR)), GREEN)

    preview.evaluate(METADATA)
    preview.evaluate(SEEK, 2.5)
    assert time.input_value() == "2.5"
    page.get_by_role("button", name="Use this frame as the poster").click()
    page.get_by_text("Poster set from the frame at 0:02.5.").wait_for()
    assert looks_like(tuple(stored.evaluate(IMAGE_COLOUR)), BLUE)

    page.goto(f"{empty_server}/festivals/colours")
    card = page.locator("img.card-poster")
    assert looks_like(tuple(card.evaluate(IMAGE_COLOUR)), BLUE)
    page.goto(f"{empty_server}/sessions/four-colours")
    poster = page.locator("#media").get_attribute("poster")
    served = page.request.get(empty_server + poster)
    assert served.headers["content-type"] == "image/jpeg"
    assert looks_like(picture(served.body())[1], BLUE)
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 800})
        assert_wcag(page)
