"""Pages and the JSON API over the demo festival, as a visitor and another program see them."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.both_databases


def test_home_lists_the_festival_and_invites_searching(demo_client):
    html = demo_client.get("/").get_data(as_text=True)
    assert "States of Change Learning Festival 2020" in html
    assert 'role="search"' in html and 'name="q"' in html


def test_festival_programme_groups_sessions_by_day_and_filters_by_theme(demo_client):
    html = demo_client.get("/festivals/states-of-change-2020").get_data(as_text=True)
    assert html.count('class="day"') >= 3
    assert "How Singapore Learns" in html and "How Governments Think" in html
    page = demo_client.get("/festivals/states-of-change-2020?theme=data-governance")
    programme = page.get_data(as_text=True).split("<h2>Programme</h2>", 1)[1]
    assert "How Governments Think" in programme
    assert "How Singapore Learns" not in programme


def test_session_page_shows_player_at_t_and_every_cue_links_to_its_second(demo_client):
    html = demo_client.get("/sessions/how-singapore-learns?t=1m35s").get_data(as_text=True)
    assert 'src="/sessions/how-singapore-learns/media#t=95.0"' in html
    cue_links = re.findall(r'<a href="\?t=([\d.]+)" class="cue-link">', html)
    assert len(cue_links) >= 60
    assert float(cue_links[0]) < float(cue_links[-1])
    assert 'aria-current="true"' in html  # the cue playing at 95 s is marked
    assert "illustrative" in html.lower()


@pytest.mark.parametrize(
    ("t", "start"),
    [
        ("95", "95.0"),
        ("95.5", "95.5"),
        ("1m35s", "95.0"),
        ("1h2m3s", "3723.0"),
        ("01:35", "95.0"),
        ("00:01:35", "95.0"),
        ("00:01:35.250", "95.25"),
    ],
)
def test_every_documented_t_form_starts_the_player_at_its_second(demo_client, t, start):
    page = demo_client.get(f"/sessions/how-singapore-learns?t={t}")
    assert page.status_code == 200
    assert f'src="/sessions/how-singapore-learns/media#t={start}"' in page.get_data(as_text=True)


def test_a_clip_sets_both_ends_of_the_media_fragment(demo_client):
    html = demo_client.get("/sessions/how-singapore-learns?t=10,14").get_data(as_text=True)
    assert "#t=10.0,14.0" in html


def test_unknown_slugs_are_404_pages_and_json_404s(demo_client):
    page = demo_client.get("/sessions/no-such-session")
    assert page.status_code == 404 and "Not found" in page.get_data(as_text=True)
    api = demo_client.get("/api/sessions/no-such-session")
    assert api.status_code == 404
    assert api.get_json() == {
        "error": {"code": "not_found", "message": "no session 'no-such-session'"}
    }
    assert demo_client.get("/speakers/nobody").status_code == 404
    assert demo_client.get("/festivals/none").status_code == 404


def test_api_session_has_the_contract_fields(demo_client):
    body = demo_client.get("/api/sessions/how-governments-think").get_json()
    assert {"slug", "title", "festival", "starts_at", "url", "speakers", "themes", "duration",
            "format", "summary", "recording", "chapters", "transcript"} <= set(body)  # fmt: skip
    assert body["festival"] == "states-of-change-2020"
    assert {"slug": "geoff-mulgan", "name": "Geoff Mulgan"} in [
        {"slug": s["slug"], "name": s["name"]} for s in body["speakers"]
    ]
    assert body["recording"]["kind"] == "file"
    assert body["chapters"][0] == {"start": 0.0, "title": body["chapters"][0]["title"]}
    cue = body["transcript"]["cues"][0]
    assert set(cue) == {"start", "end", "speaker", "text"}
    assert body["transcript"]["language"] == "en"
    assert len(body["transcript"]["cues"]) >= 60


def test_api_sessions_lists_every_published_session(demo_client):
    sessions = demo_client.get("/api/sessions").get_json()["sessions"]
    assert len(sessions) == 6
    assert all(s["url"] == f"/sessions/{s['slug']}" for s in sessions)


def test_api_sessions_pages_through_the_sessions_by_date(demo_client):
    first = demo_client.get("/api/sessions?per_page=4").get_json()
    second = demo_client.get("/api/sessions?per_page=4&page=2").get_json()
    assert (first["total"], first["page"], first["per_page"]) == (6, 1, 4)
    assert len(first["sessions"]) == 4 and len(second["sessions"]) == 2
    everything = demo_client.get("/api/sessions").get_json()["sessions"]
    assert first["sessions"] + second["sessions"] == everything
    assert demo_client.get("/api/sessions?page=9").get_json()["sessions"] == []


@pytest.mark.parametrize(
    ("query", "slugs"),
    [
        ("festival=states-of-change-2020", 6),
        (
            "theme=creativity",
            ["creativity-at-system-scale", "futures-and-storytelling-for-the-recovery"],
        ),
        ("speaker=charles-landry", ["creativity-at-system-scale"]),
        (
            "speaker=charles-landry&speaker=geoff-mulgan",
            ["creativity-at-system-scale", "how-governments-think"],
        ),
        ("theme=futures&speaker=geoff-mulgan", ["how-governments-think"]),
    ],
)
def test_api_sessions_filters_by_festival_theme_and_speaker(demo_client, query, slugs):
    body = demo_client.get(f"/api/sessions?{query}").get_json()
    found = [s["slug"] for s in body["sessions"]]
    assert (len(found) if isinstance(slugs, int) else found) == slugs
    assert body["total"] == len(found)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("page=0", "'page' must be a whole number from 1, not '0'"),
        ("page=two", "'page' must be a whole number from 1, not 'two'"),
        ("per_page=500", "'per_page' must be a whole number from 1 up to 100"),
        ("theme=creativty", "no theme 'creativty' in the archive; did you mean creativity"),
        ("festival=nope", "no festival 'nope' in the archive"),
    ],
)
def test_api_sessions_refuses_bad_values_with_a_400_saying_why(demo_client, query, message):
    response = demo_client.get(f"/api/sessions?{query}")
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "bad_query"
    assert message in response.get_json()["error"]["message"]


def test_the_site_has_a_favicon(demo_client):
    response = demo_client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml" and b"<svg" in response.data
    assert '<link rel="icon"' in demo_client.get("/").get_data(as_text=True)


def test_search_page_shows_how_singapore_learns_with_moments_that_open_the_player(demo_client):
    html = demo_client.get("/search?q=Singapore").get_data(as_text=True)
    assert "How Singapore Learns" in html
    links = re.findall(r'href="(/sessions/how-singapore-learns\?t=[\d.]+)', html)
    assert links, "moments link to their second"
    assert "<mark>Singapore</mark>" in html


def test_api_search_has_the_contract_shape(demo_client):
    body = demo_client.get("/api/search?q=Singapore").get_json()
    assert set(body) >= {"query", "total_sessions", "total_moments", "page", "per_page",
                         "suggestion", "facets", "results"}  # fmt: skip
    assert set(body["facets"]) == {"festival", "theme", "speaker", "year", "format"}
    first = body["results"][0]
    assert set(first) == {"session", "score", "moments", "more_moments", "matched"}
    assert set(first["session"]) == {
        "slug",
        "title",
        "festival",
        "starts_at",
        "url",
        "poster",
        "speakers",
        "themes",
    }
    assert first["session"]["poster"] == f"/sessions/{first['session']['slug']}/title-card.svg"
    assert all(set(p) == {"slug", "name", "photo"} for p in first["session"]["speakers"])
    moment = first["moments"][0]
    assert set(moment) == {"start", "end", "speaker", "text", "highlight", "url"}
    assert moment["url"].startswith(f"/sessions/{first['session']['slug']}?t=")


def test_transcript_downloads_keep_speakers(demo_client):
    vtt = demo_client.get("/sessions/how-governments-think/transcript.vtt")
    assert vtt.mimetype == "text/vtt"
    assert "<v Geoff Mulgan>" in vtt.get_data(as_text=True)
    assert "Geoff Mulgan" in demo_client.get(
        "/sessions/how-governments-think/transcript.srt"
    ).get_data(as_text=True)
    assert "Geoff Mulgan" in demo_client.get(
        "/sessions/how-governments-think/transcript.txt"
    ).get_data(as_text=True)
    assert demo_client.get("/sessions/how-governments-think/transcript.doc").status_code == 404


def test_stored_media_is_served_with_ranges_for_seeking(demo_client):
    response = demo_client.get(
        "/sessions/how-singapore-learns/media", headers={"Range": "bytes=0-99"}
    )
    assert response.status_code == 206
    assert len(response.data) == 100
    assert response.mimetype == "video/webm"


def test_a_session_with_a_local_recording_takes_its_length_from_the_media(demo_client):
    sessions = {s["slug"]: s for s in demo_client.get("/api/sessions").get_json()["sessions"]}
    assert sessions["how-singapore-learns"]["duration"] == 292  # the media lasts 292.15 s
    assert sessions["how-governments-think"]["duration"] == 276  # its transcript ends at 276.87
    assert sessions["futures-and-storytelling-for-the-recovery"]["duration"] == 318  # no media
