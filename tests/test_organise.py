"""The organiser area: accounts, who may enter, CSRF, and adding sessions an organiser can trust."""

from __future__ import annotations

import io
import os
import re
import time
from pathlib import Path

import pytest
from archive_files import TWO_SPEAKERS, count, get, rows, vtt
from organising import (
    DEMO_FESTIVAL,
    DEMO_SESSION,
    EMAIL,
    PASSWORD,
    add_festival,
    add_session,
    add_session_with_transcript,
    confirm_transcript,
    database,
    make_organiser,
    search_total,
    sign_in,
    upload_transcript,
)

from festival import create_app
from festival.index.writer import index_lock

pytestmark = pytest.mark.both_databases


# -- accounts -------------------------------------------------------------------------------------
def test_create_organiser_asks_for_the_password_twice_and_stores_only_a_scrypt_hash(app, runner):
    result = runner.invoke(
        args=["create-organiser", "Ada@Example.org"], input="long enough pw\n" * 2
    )
    assert result.exit_code == 0, result.output
    assert "Created organiser ada@example.org" in result.output
    row = database(app).execute("select email, password_hash from organisers").fetchone()
    assert row[0] == "ada@example.org"
    assert row[1].startswith("scrypt:") and "long enough pw" not in row[1]


def test_create_organiser_refuses_a_short_password_and_a_duplicate(organiser_app):
    runner = organiser_app.test_cli_runner()
    short = runner.invoke(
        args=["create-organiser", "b@example.org", "--password-stdin"], input="x\n"
    )
    assert short.exit_code == 1 and "at least 10 characters" in short.output
    again = runner.invoke(
        args=["create-organiser", EMAIL, "--password-stdin"], input=PASSWORD + "\n"
    )
    assert again.exit_code == 1 and "already exists" in again.output


def test_sign_in_sets_an_httponly_samesite_cookie_and_sign_out_ends_it(organiser_app):
    client = organiser_app.test_client()
    response = sign_in(client)
    assert response.headers["Location"].endswith("/organise/")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Festivals and sessions" in client.get("/organise/").get_data(as_text=True)
    client.post("/organise/logout")
    assert client.get("/organise/").status_code == 302


def test_secure_cookie_can_be_required(tmp_path, monkeypatch):
    monkeypatch.setenv("FESTIVAL_SESSION_COOKIE_SECURE", "true")
    app = create_app({"INSTANCE_PATH": str(tmp_path / "i"), "WTF_CSRF_ENABLED": False})
    make_organiser(app)
    assert "Secure" in sign_in(app.test_client()).headers["Set-Cookie"]


def test_wrong_password_is_refused_without_saying_which_part_was_wrong(organiser_app):
    client = organiser_app.test_client()
    for email, password in ((EMAIL, "wrong password"), ("nobody@example.org", PASSWORD)):
        response = sign_in(client, email, password)
        assert response.status_code == 401
        assert "do not match an organiser account" in response.get_data(as_text=True)
    assert client.get("/organise/").status_code == 302


def test_sign_in_is_rate_limited_per_email_and_address(organiser_app):
    client = organiser_app.test_client()
    for _ in range(5):
        assert sign_in(client, password="guess").status_code == 401
    blocked = sign_in(client)  # even the right password waits now
    assert blocked.status_code == 429
    assert "Too many sign-in attempts" in blocked.get_data(as_text=True)
    assert int(blocked.headers["Retry-After"]) > 0
    elsewhere = sign_in(client, environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert elsewhere.status_code == 302


def test_sign_in_never_redirects_to_another_site(organiser_app):
    client = organiser_app.test_client()
    response = client.post(
        "/organise/login?next=https://evil.example/organise/",
        data={"email": EMAIL, "password": PASSWORD},
    )
    assert response.headers["Location"] == "/organise/"


# -- who may enter -----------------------------------------------------------------------------
def _organiser_urls(app):
    """Every organiser route but sign-in, with a real festival, session and cue filled in."""
    values = {"slug": DEMO_SESSION, "position": 0}
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("organise.") or rule.endpoint == "organise.login":
            continue
        slug = DEMO_FESTIVAL if rule.rule.startswith("/organise/festivals/") else DEMO_SESSION
        url = rule.build(values | {"slug": slug})[1]
        for method in sorted(rule.methods & {"GET", "POST"}):
            yield method, url


def test_every_organiser_route_sends_anonymous_visitors_to_sign_in_and_changes_nothing(demo_app):
    demo_app.config["WTF_CSRF_ENABLED"] = False
    client = demo_app.test_client()
    checked = list(_organiser_urls(demo_app))
    assert len(checked) >= 18
    for method, url in checked:
        response = client.open(url, method=method, data={"status": "draft"})
        assert response.status_code == 302, (method, url)
        assert "/organise/login" in response.headers["Location"], (method, url)
    assert client.get(f"/sessions/{DEMO_SESSION}").status_code == 200
    assert client.get(f"/festivals/{DEMO_FESTIVAL}").status_code == 200


def test_csrf_is_enforced_on_organiser_forms(demo_app):
    make_organiser(demo_app)
    client = demo_app.test_client()
    assert sign_in(client).status_code == 400  # even signing in needs the form's token
    page = client.get("/organise/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = client.post(
        "/organise/login", data={"email": EMAIL, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302
    forged = client.post(f"/organise/sessions/{DEMO_SESSION}/delete")
    assert forged.status_code == 400
    assert "This form has expired" in forged.get_data(as_text=True)
    assert client.get(f"/sessions/{DEMO_SESSION}").status_code == 200
    page = client.get(f"/organise/sessions/{DEMO_SESSION}/delete").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    client.post(f"/organise/sessions/{DEMO_SESSION}/delete", data={"csrf_token": token})
    assert client.get(f"/sessions/{DEMO_SESSION}").status_code == 404


# -- festivals and sessions ------------------------------------------------------------------------
def test_a_new_session_keeps_every_field_and_is_a_draft_until_published(organiser, organiser_app):
    assert add_festival(organiser).status_code == 302
    assert add_session(organiser).status_code == 302
    card = organiser.get("/organise/sessions/engines/edit").get_data(as_text=True)
    assert "Engines of Trust" in card and "Cambridge" in card and "00:00:09 Governance" in card
    assert "https://www.youtube.com/watch?v=dQw4w9WgXcQ" in card and "Draft" in card
    db = database(organiser_app)
    assert get(db, "sessions", "engines")["status"] == "draft"
    roles = [r["role"] for r in rows(db, "session_speakers", order_by="position")]
    assert roles == ["speaker", "moderator"]
    assert [t["name"] for t in rows(db, "themes", order_by="name")] == ["Computing", "public trust"]
    publish = organiser.post("/organise/sessions/engines/status", data={"status": "published"})
    assert publish.status_code == 302
    assert organiser.get("/sessions/engines").status_code == 200


def test_session_form_reports_every_problem_by_the_manifest_rules_and_saves_nothing(
    organiser, organiser_app
):
    add_festival(organiser)
    response = add_session(
        organiser,
        slug="Bad Slug",
        starts_at="next tuesday",
        format="lecture",
        chapters="soon Welcome",
        recording_url="https://example.org/page",
        duration="an hour",
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    for message in (
        "may only hold a-z",
        "not a valid ISO date",
        "must be one of keynote",
        "is not a time like",
        "is not a YouTube or Vimeo link",
        "whole number of seconds",
    ):
        assert message in html
    assert 'value="Engines of Trust"' in html  # what was typed is kept
    assert count(database(organiser_app), "sessions") == 0


def test_a_session_slug_is_unique_in_the_whole_archive(organiser):
    add_festival(organiser)
    add_festival(organiser, "other-fest", "Other Festival")
    add_session(organiser)
    response = add_session(organiser, festival="other-fest")
    assert response.status_code == 400
    assert "a session with slug &#39;engines&#39; exists" in response.get_data(as_text=True)


def test_editing_a_session_keeps_its_transcript_and_changes_search(organiser):
    add_festival(organiser)
    add_session_with_transcript(organiser)
    organiser.post("/organise/sessions/engines/status", data={"status": "published"})
    response = organiser.post(
        "/organise/sessions/engines/edit",
        data={"title": "Looms and Ledgers", "starts_at": "2021-05-04", "status": "published"},
    )
    assert response.status_code == 302
    assert search_total(organiser, "ledgers") == 1
    assert search_total(organiser, "clustering") == 1  # the transcript is still there
    stored = organiser.get("/api/sessions/engines").get_json()
    assert stored["title"] == "Looms and Ledgers"
    assert stored["speakers"] == []  # the form sent none, so none are listed
    assert len(stored["transcript"]["cues"]) == 4


def add_session_with_media(client, name: str, content: bytes):
    return client.post(
        "/organise/festivals/test-fest/sessions/new",
        data={
            "slug": "engines",
            "title": "Engines",
            "starts_at": "2021-05-04",
            "status": "draft",
            "media": (io.BytesIO(content), name),
        },
        content_type="multipart/form-data",
    )


def test_uploaded_media_is_stored_under_a_generated_name_and_served_only_when_published(
    organiser, organiser_app
):
    add_festival(organiser)
    assert add_session_with_media(organiser, "../../my talk.webm", b"webm bytes").status_code == 302
    stored = get(database(organiser_app), "recordings", "engines")["media_file"]
    assert re.fullmatch(r"[0-9a-f]{32}\.webm", stored)
    assert organiser.get("/sessions/engines/media").status_code == 404
    organiser.post("/organise/sessions/engines/status", data={"status": "published"})
    assert organiser.get("/sessions/engines/media").data == b"webm bytes"
    assert organiser.get(f"/static/{stored}").status_code == 404


def test_a_wrong_media_type_is_refused(organiser, organiser_app):
    add_festival(organiser)
    response = add_session_with_media(organiser, "setup.exe", b"MZ")
    assert response.status_code == 400
    assert "is not a media file" in response.get_data(as_text=True)
    assert count(database(organiser_app), "sessions") == 0


def test_deleting_a_session_removes_it_from_the_site_and_from_search(organiser, organiser_app):
    add_festival(organiser)
    add_session_with_transcript(organiser)
    organiser.post("/organise/sessions/engines/status", data={"status": "published"})
    assert search_total(organiser, "clustering") == 1
    assert organiser.post("/organise/sessions/engines/delete").status_code == 302
    assert search_total(organiser, "clustering") == 0
    assert organiser.get("/sessions/engines").status_code == 404
    db = database(organiser_app)
    assert count(db, "cues") == 0 and count(db, "session_speakers") == 0


def test_a_festival_with_sessions_is_not_deleted_and_an_empty_one_is(organiser, organiser_app):
    add_festival(organiser)
    add_session(organiser)
    refused = organiser.post("/organise/festivals/test-fest/delete", follow_redirects=True)
    assert "still has sessions" in refused.get_data(as_text=True)
    organiser.post("/organise/sessions/engines/delete")
    organiser.post("/organise/festivals/test-fest/delete")
    assert count(database(organiser_app), "festivals") == 0


# -- drafts are invisible ------------------------------------------------------------------------
def test_a_draft_is_absent_from_every_public_surface_until_published(organiser):
    add_festival(organiser)
    neighbour = {"title": "Compilers", "speaker_name": ["Grace Hopper"], "theme": ["Navy"]}
    add_session(organiser, "compilers", status="published", **neighbour)
    add_session_with_transcript(organiser)  # a draft: its own speakers, theme and words
    surfaces = {
        "/sessions/engines": 404,
        "/sessions/engines/transcript.vtt": 404,
        "/api/sessions/engines": 404,
    }
    for url, status in surfaces.items():
        assert organiser.get(url).status_code == status, url
    listings = [
        "/",
        "/festivals/test-fest",
        "/speakers/ada-lovelace",
        "/themes/computing",
        "/api/sessions",
        "/search?q=clustering",
        "/feed.atom",
        "/sitemap.xml",
    ]
    for url in listings:
        assert "Engines of Trust" not in organiser.get(url).get_data(as_text=True), url
        assert "/sessions/engines" not in organiser.get(url).get_data(as_text=True), url
    found = organiser.get("/api/search", query_string={"festival": "test-fest"}).get_json()
    assert [r["session"]["slug"] for r in found["results"]] == ["compilers"]
    assert [v["value"] for v in found["facets"]["speaker"]] == ["grace-hopper"]
    assert [v["value"] for v in found["facets"]["theme"]] == ["navy"]
    assert search_total(organiser, "clustering") == 0

    organiser.post("/organise/sessions/engines/status", data={"status": "published"})
    assert search_total(organiser, "clustering") == 1
    assert "Engines of Trust" in organiser.get("/feed.atom").get_data(as_text=True)
    assert "/sessions/engines" in organiser.get("/sitemap.xml").get_data(as_text=True)
    organiser.post("/organise/sessions/engines/status", data={"status": "draft"})
    assert search_total(organiser, "clustering") == 0


def test_a_speaker_or_theme_named_only_in_drafts_is_a_404_like_an_unknown_slug(organiser):
    add_festival(organiser)
    neighbour = {"title": "Compilers", "speaker_name": ["Grace Hopper"], "theme": ["Navy"]}
    add_session(organiser, "compilers", status="published", **neighbour)
    add_session(organiser)  # a draft naming Ada Lovelace, Charles Babbage (Cambridge), Computing
    for kind, slug in (
        ("speakers", "ada-lovelace"),
        ("speakers", "charles-babbage"),
        ("themes", "computing"),
    ):
        response = organiser.get(f"/{kind}/{slug}")
        html = response.get_data(as_text=True)
        assert response.status_code == 404, slug
        assert "Cambridge" not in html and "Charles Babbage" not in html and "Computing" not in html
        unknown = organiser.get(f"/{kind}/no-such-slug").get_data(as_text=True)
        assert html.replace(slug, "SLUG") == unknown.replace("no-such-slug", "SLUG")
    assert organiser.get("/speakers/grace-hopper").status_code == 200
    assert organiser.get("/themes/navy").status_code == 200
    organiser.post("/organise/sessions/engines/status", data={"status": "published"})
    page = organiser.get("/speakers/charles-babbage")
    assert page.status_code == 200 and "Cambridge" in page.get_data(as_text=True)
    assert organiser.get("/themes/computing").status_code == 200


def test_a_festival_whose_sessions_are_all_drafts_is_not_public_until_one_is_published(
    organiser,
):
    add_festival(organiser, "quiet-fest", "Quiet Festival")
    add_session(organiser, festival="quiet-fest")  # a draft
    assert organiser.get("/festivals/quiet-fest").status_code == 404
    for url in ("/", "/sitemap.xml"):
        body = organiser.get(url).get_data(as_text=True)
        assert "Quiet Festival" not in body and "/festivals/quiet-fest" not in body, url
    assert "Quiet Festival" in organiser.get("/organise/").get_data(as_text=True)
    organiser.post("/organise/sessions/engines/status", data={"status": "published"})
    assert organiser.get("/festivals/quiet-fest").status_code == 200
    assert "Quiet Festival" in organiser.get("/").get_data(as_text=True)
    assert "/festivals/quiet-fest" in organiser.get("/sitemap.xml").get_data(as_text=True)


# -- transcripts: preview, then store --------------------------------------------------------------
def test_preview_shows_what_was_understood_and_stores_nothing_until_confirmed(
    organiser, organiser_app
):
    add_festival(organiser)
    add_session(organiser)
    preview = upload_transcript(organiser, "engines", TWO_SPEAKERS.encode())
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert '<dd class="cue-count">4</dd>' in html
    assert "Ada Lovelace, Charles Babbage" in html
    assert "Welcome to the session on analytical engines." in html
    assert "not a war machine." in html
    db = database(organiser_app)
    assert count(db, "cues") == 0 and count(db, "transcripts") == 0
    pending = list((Path(organiser_app.instance_path) / "uploads").iterdir())
    assert len(pending) == 1
    assert confirm_transcript(organiser, "engines", html).status_code == 302
    assert count(db, "cues") == 4
    assert get(db, "transcripts", "engines")["original_name"] == "talk.vtt"
    assert not any(pending[0].parent.iterdir())  # the pending upload is gone


def test_preview_reports_every_error_with_its_line_and_stores_nothing(organiser, organiser_app):
    add_festival(organiser)
    add_session(organiser)
    damaged = (
        b"WEBVTT\n\n00:00:01.000 --> 00:00:04.000\nHello\n\n00:00:05.000 -> 00:00:0x.000\nBye\n"
    )
    response = upload_transcript(organiser, "engines", damaged)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "line 6" in html and "damaged cue timing line" in html
    assert "Nothing was stored" in html and "Confirm" not in html
    assert count(database(organiser_app), "cues") == 0


def test_a_wrong_file_type_and_non_utf8_text_are_reported(organiser):
    add_festival(organiser)
    add_session(organiser)
    wrong = upload_transcript(organiser, "engines", b"%PDF-1.4", name="slides.pdf")
    assert wrong.status_code == 400
    assert "upload a .vtt, .srt or .sbv file" in wrong.get_data(as_text=True)
    latin = b"WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Ada>Caf\xe9 society\n"
    html = upload_transcript(organiser, "engines", latin).get_data(as_text=True)
    assert "line 4" in html and "not valid UTF-8" in html
    assert "Café society" in html


def test_a_confirm_token_only_works_for_its_own_session(organiser, organiser_app):
    add_festival(organiser)
    add_session(organiser)
    add_session(organiser, "second")
    html = upload_transcript(organiser, "engines", TWO_SPEAKERS.encode()).get_data(as_text=True)
    response = confirm_transcript(organiser, "second", html)
    assert response.headers["Location"].endswith("/organise/sessions/second/transcript")
    assert count(database(organiser_app), "cues") == 0


# -- corrections -----------------------------------------------------------------------------
def test_a_correction_changes_the_page_the_download_and_search_and_is_kept(
    organiser, organiser_app
):
    add_festival(organiser)
    add_session_with_transcript(organiser)
    organiser.post("/organise/sessions/engines/status", data={"status": "published"})
    assert search_total(organiser, "war") == 1
    response = organiser.post(
        "/organise/sessions/engines/cues/3",
        data={
            "speaker": "Charles  Babbage",
            "text": "A steward for future generations, a peace engine.",
        },
    )
    assert response.status_code == 302
    assert search_total(organiser, "peace") == 1
    assert search_total(organiser, "war") == 0
    hit = organiser.get("/api/search", query_string={"q": "peace"}).get_json()
    assert hit["results"][0]["moments"][0]["start"] == 14.25
    assert "a peace engine" in organiser.get("/sessions/engines").get_data(as_text=True)
    assert "a peace engine" in organiser.get("/sessions/engines/transcript.vtt").get_data(
        as_text=True
    )
    db = database(organiser_app)
    edit = rows(db, "cue_edits")[0]
    assert edit["organiser"] == EMAIL and edit["position"] == 3
    assert edit["before_text"].endswith("not a war machine.")
    assert edit["after_text"].endswith("a peace engine.")
    assert edit["after_speaker"] == "Charles Babbage"
    assert get(db, "transcripts", "engines")["edited"] == 1
    history = organiser.get("/organise/sessions/engines/cues").get_data(as_text=True)
    assert "Corrections made" in history and EMAIL in history


def test_a_correction_can_change_who_said_it(organiser):
    add_festival(organiser)
    add_session_with_transcript(organiser)
    organiser.post("/organise/sessions/engines/status", data={"status": "published"})
    organiser.post(
        "/organise/sessions/engines/cues/0",
        data={"speaker": "Grace Hopper", "text": "Welcome to the session on analytical engines."},
    )
    said = organiser.get(
        "/api/search", query_string={"q": "welcome", "said_by": "grace-hopper"}
    ).get_json()
    assert said["total_sessions"] == 1


# -- limits and a busy index --------------------------------------------------------------------
def test_an_oversized_upload_gets_a_friendly_413_page(organiser_app, organiser):
    organiser_app.config["MAX_CONTENT_LENGTH"] = 2048
    add_festival(organiser)
    add_session(organiser)
    big = vtt(*[(i, i + 1, "Ada", "word " * 20) for i in range(50)]).encode()
    response = upload_transcript(organiser, "engines", big)
    assert response.status_code == 413
    html = response.get_data(as_text=True)
    assert "That upload is too large" in html and "Nothing was stored" in html


def test_a_busy_index_asks_the_organiser_to_retry_and_saves_nothing(organiser, organiser_app):
    add_festival(organiser)
    add_session_with_transcript(organiser)
    with index_lock(Path(organiser_app.instance_path), 1):
        busy = organiser.post("/organise/sessions/engines/status", data={"status": "published"})
    assert busy.status_code == 503
    assert "Please try again in a minute" in busy.get_data(as_text=True)
    assert get(database(organiser_app), "sessions", "engines")["status"] == "draft"
    retry = organiser.post("/organise/sessions/engines/status", data={"status": "published"})
    assert retry.status_code == 302
    assert search_total(organiser, "clustering") == 1


def test_an_abandoned_preview_is_cleared_after_two_days(organiser, organiser_app):
    add_festival(organiser)
    add_session(organiser)
    upload_transcript(organiser, "engines", TWO_SPEAKERS.encode())
    uploads = Path(organiser_app.instance_path) / "uploads"
    (abandoned,) = uploads.iterdir()
    os.utime(abandoned, (time.time() - 3 * 86400,) * 2)
    upload_transcript(organiser, "engines", TWO_SPEAKERS.encode())
    assert abandoned not in list(uploads.iterdir()) and len(list(uploads.iterdir())) == 1


def test_an_uploaded_recording_gives_the_session_its_length(organiser, organiser_app):
    add_festival(organiser)
    recording = Path(__file__).parents[1] / "static" / "media" / "how-governments-think.webm"
    assert add_session_with_media(organiser, "talk.webm", recording.read_bytes()).status_code == 302
    organiser.post("/organise/sessions/engines/status", data={"status": "published"})
    assert organiser.get("/api/sessions/engines").get_json()["duration"] == 276  # 276.88 s
    assert " &middot; 4:36" in organiser.get("/sessions/engines").get_data(as_text=True)


def test_a_file_that_is_not_really_media_leaves_the_length_to_the_transcript(
    organiser, organiser_app
):
    add_festival(organiser)
    assert add_session_with_media(organiser, "talk.webm", b"not webm at all").status_code == 302
    assert get(database(organiser_app), "sessions", "engines")["duration"] is None


def test_the_preview_lists_every_cue_with_each_warning_where_it_arose(organiser, fixture_path):
    add_festival(organiser)
    assert add_session(organiser).status_code == 302
    body = fixture_path("bracketed-speakers.srt").read_text()
    damaged = body.replace("00:00:09,200 --> 00:00:12,000", "00:00:09,200 -> 00:00:12,000")
    html = upload_transcript(organiser, "engines", damaged.encode(), "talk.srt", lenient="1")
    page = html.get_data(as_text=True)
    shown = re.findall(r'<li class="preview-(cue|warning)[^"]*">(.*?)</li>', page, re.S)
    assert [kind for kind, _ in shown] == ["cue"] * 3 + ["warning"] + ["cue"] * 2
    assert "<strong>Ada Lovelace:</strong>" in shown[0][1]
    assert "line 14" in shown[3][1]
    assert "Provided we give it the cards." in shown[4][1]


def test_a_transcript_sent_with_the_new_session_form_is_previewed_then_stored(
    organiser, fixture_path
):
    add_festival(organiser)
    srt = fixture_path("capitals-speakers.srt").read_bytes()
    response = organiser.post(
        "/organise/festivals/test-fest/sessions/new",
        data={
            "slug": "engines",
            "title": "Engines",
            "starts_at": "2021-05-04",
            "status": "draft",
            "transcript": (io.BytesIO(srt), "engines.srt"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302 and "token=" in response.location
    preview = organiser.get(response.location).get_data(as_text=True)
    assert '<dd class="cue-count">5</dd>' in preview
    assert "Ada Lovelace, Charles Babbage" in preview
    assert (
        organiser.get("/organise/sessions/engines/cues").get_data(as_text=True).count("<textarea")
        == 0
    )  # nothing stored before the organiser confirms
    assert confirm_transcript(organiser, "engines", preview).status_code == 302
    organiser.post("/organise/sessions/engines/status", data={"status": "published"})
    cues = organiser.get("/api/sessions/engines").get_json()["transcript"]["cues"]
    assert [c["speaker"] for c in cues][:3] == ["Ada Lovelace", "Ada Lovelace", "Charles Babbage"]


def test_the_new_session_form_refuses_a_file_that_is_no_transcript(organiser, organiser_app):
    add_festival(organiser)
    response = organiser.post(
        "/organise/festivals/test-fest/sessions/new",
        data={
            "slug": "engines",
            "title": "Engines",
            "starts_at": "2021-05-04",
            "transcript": (io.BytesIO(b"%PDF"), "notes.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert "&#39;notes.pdf&#39; is not a .vtt, .srt or .sbv transcript" in response.get_data(
        as_text=True
    )
    assert count(database(organiser_app), "sessions") == 0


def test_a_correction_can_move_a_cue_and_the_history_keeps_both_timings(organiser, organiser_app):
    add_festival(organiser)
    add_session_with_transcript(organiser)
    organiser.post("/organise/sessions/engines/status", data={"status": "published"})
    words = "A steward for future generations, not a war machine."
    response = organiser.post(
        "/organise/sessions/engines/cues/3",
        data={"speaker": "Charles Babbage", "text": words, "start": "0:15.5", "end": "21"},
    )
    assert response.status_code == 302
    hit = organiser.get("/api/search", query_string={"q": "steward"}).get_json()
    assert hit["results"][0]["moments"][0]["start"] == 15.5
    cue = organiser.get("/api/sessions/engines").get_json()["transcript"]["cues"][3]
    assert (cue["start"], cue["end"], cue["text"]) == (15.5, 21.0, words)
    edit = rows(database(organiser_app), "cue_edits")[0]
    assert (edit["before_start_ms"], edit["before_end_ms"]) == (14250, 20000)
    assert (edit["after_start_ms"], edit["after_end_ms"]) == (15500, 21000)
    history = organiser.get("/organise/sessions/engines/cues").get_data(as_text=True)
    assert "00:00:14.250 to 00:00:20" in history and "00:00:15.500 to 00:00:21" in history


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("soon", "21", "Write the start and end as seconds"),
        ("18", "17", "cannot end (0:17) before it starts (0:18)"),
        ("8", "21", "only start between the starts of the cues before and after it"),
    ],
)
def test_a_timing_that_cannot_be_is_refused_and_nothing_changes(
    organiser, organiser_app, start, end, message
):
    add_festival(organiser)
    add_session_with_transcript(organiser)
    response = organiser.post(
        "/organise/sessions/engines/cues/3",
        data={"speaker": "Charles Babbage", "text": "Changed.", "start": start, "end": end},
    )
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert count(database(organiser_app), "cue_edits") == 0


def test_organisers_hear_a_draft_recording_the_public_cannot(organiser, organiser_app):
    add_festival(organiser)
    assert add_session_with_media(organiser, "talk.webm", b"webm bytes").status_code == 302
    assert organiser.get("/sessions/engines/media").status_code == 404
    assert organiser.get("/organise/sessions/engines/media").data == b"webm bytes"
    page = organiser.get("/organise/sessions/engines/cues").get_data(as_text=True)
    assert "There is no transcript yet" in page
    organiser.post("/organise/logout")
    assert organiser.get("/organise/sessions/engines/media").status_code in (302, 401)
