"""Session posters and speakers' photos and bios: imported, shown, served, exported and back."""

from __future__ import annotations

import io
import re
from pathlib import Path

from archive_files import (
    PHOTO_URL,
    TWO_SPEAKERS,
    archive_rows,
    festival_with_pictures,
    png,
    session,
    snapshot,
    write_festival,
)
from organising import add_festival, save_speakers

from festival import create_app


def test_posters_photos_and_bios_show_and_survive_export_then_import(runner, app, tmp_path):
    result = runner.invoke(args=["import", str(festival_with_pictures(tmp_path / "fest"))])
    assert result.exit_code == 0, result.output
    client = app.test_client()
    page = client.get("/sessions/engines").get_data(as_text=True)
    poster = page.split('<img class="poster" src="', 1)[1].split('"', 1)[0]
    assert poster.startswith("/images/") and poster.endswith(".png")
    served = client.get(poster)
    assert served.status_code == 200 and served.mimetype == "image/png" and served.data == png()
    assert f'<img class="speaker-photo" src="{PHOTO_URL}"' in page
    speaker = client.get("/speakers/ada-lovelace").get_data(as_text=True)
    assert "<p>Wrote the first program.</p>" in speaker
    assert f'src="{PHOTO_URL}" alt="Photo of Ada Lovelace"' in speaker
    programme = client.get("/festivals/test-fest").get_data(as_text=True)
    assert 'class="card-poster" src="/images/' in programme
    assert f'<img class="speaker-photo" src="{PHOTO_URL}" alt="">Ada Lovelace</a>' in programme

    exported = tmp_path / "exported"
    assert runner.invoke(args=["export", str(exported)]).exit_code == 0
    manifest = (exported / "test-fest" / "festival.yaml").read_text()
    assert "poster: images/" in manifest and f"photo: {PHOTO_URL}" in manifest
    assert "bio: Wrote the first program." in manifest
    fresh = create_app({"INSTANCE_PATH": str(tmp_path / "fresh"), "TESTING": True})
    result = fresh.test_cli_runner().invoke(args=["import", str(exported / "test-fest")])
    assert result.exit_code == 0, result.output
    assert archive_rows(tmp_path / "fresh") == archive_rows(Path(app.instance_path))
    assert fresh.test_client().get(poster).data == png()


def test_a_picture_that_is_not_an_image_or_not_there_is_a_line_numbered_problem(runner, tmp_path):
    manifest = write_festival(
        tmp_path / "fest",
        [
            session("one", poster="pictures/missing.png"),
            session("two", poster="notes.pdf"),
            session("three", speakers=[{"name": "Ada", "photo": "http://example.org/a.jpg"}]),
        ],
        {"one.vtt": TWO_SPEAKERS, "two.vtt": TWO_SPEAKERS, "three.vtt": TWO_SPEAKERS},
    )
    result = runner.invoke(args=["import", str(manifest)])
    assert result.exit_code == 1
    assert "poster file not found" in result.output
    assert "poster 'notes.pdf' must be an image (.jpg, .jpeg, .png, .webp, .gif, .avif)" in (
        result.output
    )
    assert "speaker photo 'http://example.org/a.jpg' must be an https:// link" in result.output
    assert all("festival.yaml:" in line for line in result.output.strip().splitlines())


def test_only_kept_images_are_served(client):
    assert client.get("/images/../archive.db").status_code == 404
    assert client.get("/images/" + "0" * 32 + ".png").status_code == 404
    assert client.get("/images/" + "0" * 32 + ".webm").status_code == 404


def test_an_organiser_editing_the_session_keeps_its_poster_and_photos(
    organiser, organiser_app, tmp_path
):
    manifest = festival_with_pictures(tmp_path / "fest")
    assert organiser_app.test_cli_runner().invoke(args=["import", str(manifest)]).exit_code == 0
    before = organiser.get("/sessions/engines").get_data(as_text=True)
    response = organiser.post(
        "/organise/sessions/engines/edit",
        data={
            "title": "Engines, revised",
            "status": "published",
            "starts_at": "2021-05-04",
            "speaker_name": ["Ada Lovelace"],
            "speaker_affiliation": [""],
            "speaker_role": ["speaker"],
        },
    )
    assert response.status_code == 302
    shown = organiser.get("/sessions/engines")
    after = shown.get_data(as_text=True)
    assert shown.status_code == 200, after[-600:]
    assert "Engines, revised" in after
    poster = before.split('<img class="poster" src="', 1)[1].split('"', 1)[0]
    assert f'<img class="poster" src="{poster}"' in after
    assert f'<img class="speaker-photo" src="{PHOTO_URL}"' in after


def test_an_organiser_uploads_a_poster_replaces_it_and_removes_it(organiser, organiser_app):
    add_festival(organiser)
    fields = {"slug": "engines", "title": "Engines", "starts_at": "2021-05-04"}
    response = organiser.post(
        "/organise/festivals/test-fest/sessions/new",
        data=fields | {"status": "published", "poster": (io.BytesIO(png()), "poster.png")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    page = organiser.get("/sessions/engines").get_data(as_text=True)
    assert '<img class="poster" src="/images/' in page  # in the player's place: no recording
    assert 'class="card-poster" src="/images/' in organiser.get("/festivals/test-fest").get_data(
        as_text=True
    )
    wrong = organiser.post(
        "/organise/sessions/engines/edit",
        data=fields | {"status": "published", "poster": (io.BytesIO(b"MZ"), "poster.exe")},
        content_type="multipart/form-data",
    )
    assert wrong.status_code == 400 and "&#39;poster.exe&#39; is not an image" in wrong.get_data(
        as_text=True
    )
    organiser.post(
        "/organise/sessions/engines/edit",
        data=fields | {"status": "published", "remove_poster": "1"},
    )
    assert "card-poster" not in organiser.get("/festivals/test-fest").get_data(as_text=True)


def test_an_organiser_writes_a_speaker_bio_on_the_session_form(organiser):
    add_festival(organiser)
    response = organiser.post(
        "/organise/festivals/test-fest/sessions/new",
        data={
            "slug": "engines",
            "title": "Engines",
            "starts_at": "2021-05-04",
            "status": "published",
            "speaker_name": ["Ada Lovelace", ""],
            "speaker_affiliation": ["", ""],
            "speaker_role": ["speaker", "speaker"],
            "speaker_bio": ["Wrote the first program.\n\nTranslated Menabrea.", ""],
        },
    )
    assert response.status_code == 302
    page = organiser.get("/speakers/ada-lovelace").get_data(as_text=True)
    assert "<p>Wrote the first program.</p><p>Translated Menabrea.</p>" in page
    form = organiser.get("/organise/sessions/engines/edit").get_data(as_text=True)
    assert ">Wrote the first program.\n\nTranslated Menabrea.</textarea>" in form


NEW_SESSION = "/organise/festivals/test-fest/sessions/new"
EDIT_ENGINES = "/organise/sessions/engines/edit"


def portrait(client, speaker: str) -> str | None:
    """The src of the photo on a speaker's page, or None when it shows none."""
    page = client.get(f"/speakers/{speaker}").get_data(as_text=True)
    found = re.search(r'<img class="speaker-portrait" src="([^"]+)"', page)
    return found.group(1) if found else None


def test_a_photo_uploaded_on_the_form_goes_to_its_rows_speaker_below_an_empty_row(organiser):
    add_festival(organiser)
    names = ["Ada Lovelace", "", "Charles Babbage"]
    response = save_speakers(
        organiser, NEW_SESSION, names, {2: (png(2, 2), "B.PNG")}, slug="engines"
    )
    assert response.status_code == 302
    photo = portrait(organiser, "charles-babbage")
    assert photo.startswith("/images/") and photo.endswith(".png")
    served = organiser.get(photo)
    assert served.mimetype == "image/png" and served.data == png(2, 2)
    assert portrait(organiser, "ada-lovelace") is None
    session_page = organiser.get("/sessions/engines").get_data(as_text=True)
    assert f'<img class="speaker-photo" src="{photo}"' in session_page
    form = organiser.get(EDIT_ENGINES).get_data(as_text=True)
    assert f'src="{photo}" alt="The current photo of Charles Babbage"' in form
    assert "they show wherever that speaker appears" in form


def test_an_organiser_replaces_a_speakers_photo_then_removes_it_wherever_they_appear(organiser):
    add_festival(organiser)
    save_speakers(
        organiser, NEW_SESSION, ["Charles Babbage"], {0: (png(2, 2), "a.png")}, slug="engines"
    )
    save_speakers(organiser, NEW_SESSION, ["Charles Babbage"], slug="looms", title="Looms")
    first = portrait(organiser, "charles-babbage")
    replaced = save_speakers(
        organiser, EDIT_ENGINES, ["Charles Babbage"], {0: (png(3, 3), "b.png")}
    )
    assert replaced.status_code == 302
    second = portrait(organiser, "charles-babbage")
    assert second != first and organiser.get(second).data == png(3, 3)
    looms = organiser.get("/sessions/looms").get_data(as_text=True)
    assert f'<img class="speaker-photo" src="{second}"' in looms  # one speaker, one photo

    # The box ticked beside Babbage's photo, but the organiser typed Ada over that row.
    names = ["Ada Lovelace", "Charles Babbage"]
    save_speakers(organiser, EDIT_ENGINES, names, remove_speaker_photo_0="charles-babbage")
    assert portrait(organiser, "charles-babbage") == second
    removed = save_speakers(
        organiser, EDIT_ENGINES, names, remove_speaker_photo_1="charles-babbage"
    )
    assert removed.status_code == 302
    assert portrait(organiser, "charles-babbage") is None
    assert "speaker-photo" not in organiser.get("/sessions/looms").get_data(as_text=True)
    assert "Remove the photo" not in organiser.get(EDIT_ENGINES).get_data(as_text=True)


def test_a_speaker_photo_that_is_not_an_image_is_refused_and_nothing_is_written(
    organiser, organiser_app
):
    add_festival(organiser)
    save_speakers(organiser, NEW_SESSION, ["Ada Lovelace", "Charles Babbage"], slug="engines")
    media = Path(organiser_app.instance_path) / "media"
    before, stored_before = snapshot(organiser_app), sorted(media.glob("*"))
    photos = {0: (png(), "ada.png"), 1: (b"MZ", "babbage.exe"), 2: (png(), "nobody.png")}
    names = ["Ada Lovelace", "Charles Babbage", ""]
    response = save_speakers(organiser, EDIT_ENGINES, names, photos, title="Engines, renamed")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "photo of Charles Babbage: &#39;babbage.exe&#39; is not an image (.jpg," in page
    assert "speaker row 3 has a photo (&#39;nobody.png&#39;) but no name" in page
    assert 'value="Engines, renamed"' in page  # what was typed is still there to correct
    assert snapshot(organiser_app) == before
    assert sorted(media.glob("*")) == stored_before  # not even Ada's good photo was kept


def test_a_photo_uploaded_on_the_form_survives_export_then_import(
    organiser, organiser_app, tmp_path
):
    add_festival(organiser)
    photos = {0: (png(2, 2), "babbage.png")}
    save_speakers(organiser, NEW_SESSION, ["Charles Babbage"], photos, slug="engines")
    exported = tmp_path / "exported"
    assert organiser_app.test_cli_runner().invoke(args=["export", str(exported)]).exit_code == 0
    assert "photo: images/" in (exported / "test-fest" / "festival.yaml").read_text()
    fresh = create_app({"INSTANCE_PATH": str(tmp_path / "fresh"), "TESTING": True})
    result = fresh.test_cli_runner().invoke(args=["import", str(exported / "test-fest")])
    assert result.exit_code == 0, result.output
    assert archive_rows(tmp_path / "fresh") == archive_rows(Path(organiser_app.instance_path))
    client = fresh.test_client()
    assert client.get(portrait(client, "charles-babbage")).data == png(2, 2)


def test_search_cards_show_the_poster_or_title_card_and_the_speakers_photos(runner, app, tmp_path):
    manifest = festival_with_pictures(tmp_path / "fest")
    assert runner.invoke(args=["import", str(manifest)]).exit_code == 0
    looms = write_festival(
        tmp_path / "other",
        [session("looms", speakers=["Ada Lovelace", "Grace Hopper"])],
        {"looms.vtt": TWO_SPEAKERS},
        {"slug": "other-fest", "name": "Other Festival"},
    )
    assert runner.invoke(args=["import", str(looms)]).exit_code == 0
    client = app.test_client()
    found = client.get("/api/search", query_string={"q": "trust", "sort": "date"}).get_json()
    cards = {result["session"]["slug"]: result["session"] for result in found["results"]}
    poster = cards["engines"]["poster"]
    assert poster.startswith("/images/") and client.get(poster).data == png()
    assert cards["looms"]["poster"] == "/sessions/looms/title-card.svg"
    assert client.get(cards["looms"]["poster"]).mimetype == "image/svg+xml"
    photos = {p["name"]: p["photo"] for card in cards.values() for p in card["speakers"]}
    assert photos["Ada Lovelace"] == PHOTO_URL and photos["Grace Hopper"] is None
    assert client.get(photos["Charles Babbage"]).data == png(2, 2)
    listed = client.get("/api/sessions/engines").get_json()  # the same shape everywhere
    assert (
        listed["poster"] == poster and listed["speakers"][1]["photo"] == photos["Charles Babbage"]
    )

    page = client.get("/search", query_string={"q": "trust"}).get_data(as_text=True)
    for src in (poster, "/sessions/looms/title-card.svg"):
        assert f'<img class="result-poster" src="{src}" alt="" width="160" height="90"' in page
    assert f'<img class="speaker-photo" src="{PHOTO_URL}" alt="" width="28" height="28"' in page
    assert page.count(f'src="{PHOTO_URL}"') == 2  # Ada is on both cards
