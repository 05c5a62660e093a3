"""A session's poster taken from a frame of its uploaded video: the frame grab itself, the
organiser's form and its refusals, the public poster, and export then import."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from archive_files import (
    BLUE,
    GREEN,
    RED,
    ROOT,
    YELLOW,
    archive_rows,
    colour_video,
    looks_like,
    picture,
    snapshot,
)
from organising import add_festival

from festival import create_app
from festival.video_frames import FrameProblem, frame_at

SOUND_ONLY = ROOT / "static" / "media" / "how-singapore-learns.webm"  # the demo's: Opus only
SESSION = {"slug": "engines", "title": "Engines", "starts_at": "2021-05-04", "status": "published"}


@pytest.fixture(scope="module")
def video(tmp_path_factory) -> Path:
    """Four seconds: red, green, blue, then yellow, 25 frames a second."""
    return colour_video(tmp_path_factory.mktemp("video") / "colours.webm")


@pytest.mark.parametrize(
    ("seconds", "colour"),
    [(0, RED), (0.99, RED), (1.0, GREEN), (1.5, GREEN), (2.5, BLUE), (3.2, YELLOW), (4.0, YELLOW)],
)
def test_the_frame_taken_is_the_one_a_player_shows_then(video, seconds, colour):
    size, middle = picture(frame_at(video, seconds))
    assert size == (160, 90)
    assert looks_like(middle, colour), f"at {seconds} s the frame is {middle}, not {colour}"


def test_an_mp4_recording_gives_its_frames_too(tmp_path):
    mp4 = colour_video(tmp_path / "colours.mp4")
    assert looks_like(picture(frame_at(mp4, 2.5))[1], BLUE)
    assert looks_like(picture(frame_at(mp4, 3.999))[1], YELLOW)


def test_a_frame_is_a_jpeg_at_any_size_and_no_wider_than_a_poster_needs(tmp_path):
    odd = frame_at(colour_video(tmp_path / "odd.webm", [GREEN], size=(161, 91)), 0.5)
    assert odd.startswith(b"\xff\xd8\xff")  # a JPEG's start-of-image marker
    assert picture(odd)[0] == (161, 91)
    wide = frame_at(colour_video(tmp_path / "wide.webm", [BLUE], size=(2400, 120), fps=2), 0.5)
    assert picture(wide)[0] == (1920, 96)


def test_a_time_past_the_end_names_the_time_and_the_length(video, tmp_path):
    with pytest.raises(FrameProblem, match=r"^0:04\.5 is past the end of the recording, which is "):
        frame_at(video, 4.5)
    # A recording made live (a browser's, say) has no length in its header: its last frame says.
    live = colour_video(tmp_path / "live.webm", [RED, GREEN], live="1")
    assert looks_like(picture(frame_at(live, 1.9))[1], GREEN)
    with pytest.raises(FrameProblem, match=r"0:03 is past the end .* which is 0:02 long"):
        frame_at(live, 3)
    with pytest.raises(FrameProblem, match=r"is past the end .* which is 0:02 long"):
        frame_at(live, float("9" * 40))  # the longest time the form reads


def test_a_recording_without_pictures_or_not_media_at_all_is_refused(tmp_path):
    with pytest.raises(FrameProblem, match=r"this recording has no pictures \(it is sound only\)"):
        frame_at(SOUND_ONLY, 1)
    broken = tmp_path / "broken.webm"
    broken.write_bytes(b"\x1aE\xdf\xa3 not really a webm file" * 64)
    with pytest.raises(FrameProblem, match="cannot be read as a video") as refused:
        frame_at(broken, 1)
    assert str(tmp_path) not in str(refused.value)  # the page shows it: no server paths


def _new_session(organiser, recording: Path | None = None, **fields):
    data = SESSION | fields
    if recording:
        data["media"] = (io.BytesIO(recording.read_bytes()), recording.name)
    response = organiser.post(
        "/organise/festivals/test-fest/sessions/new", data=data, content_type="multipart/form-data"
    )
    assert response.status_code == 302, response.get_data(as_text=True)[-800:]


def _pick(organiser, at: str, slug: str = "engines"):
    return organiser.post(f"/organise/sessions/{slug}/poster-frame", data={"at": at})


def _kept(app) -> tuple[dict, list[str]]:
    """The archive's rows and index, and the files in its media folder."""
    media = Path(app.instance_path) / "media"
    return snapshot(app), sorted(path.name for path in media.iterdir())


def _public_poster_url(client) -> str:
    page = client.get("/sessions/engines").get_data(as_text=True)
    return re.search(r'<video id="media"[^>]* poster="([^"]+)"', page).group(1)


def test_an_organiser_picks_a_frame_and_it_is_the_public_poster(
    organiser, organiser_app, video, tmp_path
):
    add_festival(organiser)
    _new_session(organiser, video)
    form = organiser.get("/organise/sessions/engines/edit").get_data(as_text=True)
    assert '<h2 id="poster-frame-title">Poster from the recording</h2>' in form
    assert '<video id="poster-video" controls preload="metadata"' in form
    assert '<script src="/static/poster-frame.js"></script>' in form
    assert 'src="/organise/sessions/engines/media"' in form
    assert _public_poster_url(organiser).endswith("/title-card.svg")  # no poster yet

    picked = _pick(organiser, "2.5")
    assert picked.status_code == 302
    edit = organiser.get(picked.location).get_data(as_text=True)
    assert "Poster set from the frame at 0:02.5." in edit
    poster = _public_poster_url(organiser)
    assert poster.startswith("/images/") and poster.endswith(".jpg")
    served = organiser.get(poster)
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    size, colour = picture(served.data)
    assert size == (160, 90) and looks_like(colour, BLUE), colour
    programme = organiser.get("/festivals/test-fest").get_data(as_text=True)
    assert f'class="card-poster" src="{poster}"' in programme

    # Another moment, in a clock time, replaces it; export then import keeps that one.
    assert _pick(organiser, "0:01.5").status_code == 302
    poster = _public_poster_url(organiser)
    assert looks_like(picture(organiser.get(poster).data)[1], GREEN)
    runner = organiser_app.test_cli_runner()
    assert runner.invoke(args=["export", str(tmp_path / "exported")]).exit_code == 0
    manifest = (tmp_path / "exported" / "test-fest" / "festival.yaml").read_text()
    assert f"poster: images/{poster.removeprefix('/images/')}" in manifest
    fresh = create_app({"INSTANCE_PATH": str(tmp_path / "fresh"), "TESTING": True})
    result = fresh.test_cli_runner().invoke(args=["import", str(tmp_path / "exported/test-fest")])
    assert result.exit_code == 0, result.output
    assert archive_rows(tmp_path / "fresh") == archive_rows(Path(organiser_app.instance_path))
    again = fresh.test_client()
    assert _public_poster_url(again) == poster
    assert looks_like(picture(again.get(poster).data)[1], GREEN)


@pytest.mark.parametrize(
    ("at", "message"),
    [
        ("soon", "Time in the recording: &#39;soon&#39; is not a time; write 95.5 or 1:35."),
        ("", "Time in the recording: it is empty; write 95.5 or 1:35."),
        ("0:09", "Poster from the recording: 0:09 is past the end of the recording, which is"),
    ],
)
def test_a_time_that_is_not_one_or_past_the_end_is_a_400_and_nothing_changes(
    organiser, organiser_app, video, at, message
):
    add_festival(organiser)
    _new_session(organiser, video)
    assert _pick(organiser, "1").status_code == 302
    before = _kept(organiser_app)
    refused = _pick(organiser, at)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400 and message in page
    assert f'id="poster-at" name="at" required value="{at}"' in page  # kept to correct
    assert _kept(organiser_app) == before


def test_a_sound_only_or_linked_recording_offers_no_frames_and_refuses_them(
    organiser, organiser_app
):
    add_festival(organiser)
    _new_session(organiser, SOUND_ONLY)
    _new_session(organiser, slug="linked", recording_url="https://vimeo.com/76979871")
    _new_session(organiser, slug="silent")
    reasons = {
        "engines": "this recording has no pictures (it is sound only)",
        "linked": "the recording is on Vimeo, and a frame can only be taken from a video "
        "uploaded here",
        "silent": "this session has no recording yet; upload its video under Recording",
    }
    before = _kept(organiser_app)
    for slug, reason in reasons.items():
        form = organiser.get(f"/organise/sessions/{slug}/edit").get_data(as_text=True)
        assert f"No frame can be taken for the poster: {reason}" in form
        assert 'id="poster-video"' not in form and "poster-frame.js" not in form
        refused = _pick(organiser, "1", slug)
        assert refused.status_code == 400
        assert f"Poster from the recording: {reason}." in refused.get_data(as_text=True)
    assert _kept(organiser_app) == before
    assert _pick(organiser, "1", "nowhere").status_code == 404
