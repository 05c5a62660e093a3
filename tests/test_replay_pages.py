"""What visitors and crawlers read: pages, Atom feed, sitemap, JSON-LD, transcript downloads."""

from __future__ import annotations

import json
import re
import sqlite3
from xml.etree import ElementTree

import pytest

from festival.web.datetimes import time_of_day

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
SESSION = "creativity-at-system-scale"


def json_ld(html: str) -> dict:
    found = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(found) == 1
    return json.loads(found[0])


@pytest.fixture
def draft(demo_app):
    """One demo session turned back into a draft: public views must not show it."""
    with sqlite3.connect(f"{demo_app.instance_path}/archive.db") as db:
        db.execute("update sessions set status = 'draft' where slug = 'how-governments-think'")
    return "how-governments-think"


def test_feed_is_atom_listing_published_sessions(demo_client, draft):
    response = demo_client.get("/feed.atom")
    assert response.mimetype == "application/atom+xml"
    feed = ElementTree.fromstring(response.data)
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated", "author"):
        assert feed.find(f"{ATOM}{required}") is not None, required
    entries = feed.findall(f"{ATOM}entry")
    links = [e.find(f"{ATOM}link").get("href") for e in entries]
    assert f"http://localhost/sessions/{SESSION}" in links
    assert not any(draft in link for link in links)
    assert len(entries) == 5
    landry = next(e for e in entries if e.find(f"{ATOM}id").text.endswith(SESSION))
    assert (
        landry.find(f"{ATOM}title").text == "Charles Landry: Being Creative Across a Whole System"
    )
    assert "Charles Landry" in [a.find(f"{ATOM}name").text for a in landry.findall(f"{ATOM}author")]
    assert all(e.find(f"{ATOM}updated") is not None for e in entries)


def test_sitemap_lists_every_published_session_and_page(demo_client, draft):
    response = demo_client.get("/sitemap.xml")
    assert response.mimetype == "application/xml"
    urls = [loc.text for loc in ElementTree.fromstring(response.data).iter(f"{SITEMAP}loc")]
    sessions = {u.rsplit("/", 1)[1] for u in urls if "/sessions/" in u}
    assert SESSION in sessions and draft not in sessions and len(sessions) == 5
    assert "http://localhost/festivals/states-of-change-2020" in urls
    assert "http://localhost/speakers/charles-landry" in urls
    assert "http://localhost/themes/creativity" in urls


def test_festival_page_describes_the_festival_as_an_event_series(demo_client, draft):
    data = json_ld(demo_client.get("/festivals/states-of-change-2020").get_data(as_text=True))
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "EventSeries"
    assert data["name"] == "States of Change Learning Festival 2020"
    assert data["organizer"] == {"@type": "Organization", "name": "States of Change"}
    names = [event["name"] for event in data["subEvent"]]
    assert len(names) == 5 and all(e["@type"] == "Event" for e in data["subEvent"])


def test_session_page_describes_an_event_with_its_recording_and_chapters(demo_client):
    data = json_ld(demo_client.get(f"/sessions/{SESSION}").get_data(as_text=True))
    assert data["@type"] == "Event"
    assert data["superEvent"]["@type"] == "EventSeries"
    assert data["superEvent"]["url"] == "http://localhost/festivals/states-of-change-2020"
    assert {"@type": "Person", "name": "Charles Landry"}.items() <= data["performer"][1].items()
    video = data["recordedIn"]
    assert video["@type"] == "VideoObject"
    assert video["contentUrl"] == f"http://localhost/sessions/{SESSION}/media"
    clips = video["hasPart"]
    assert [c["@type"] for c in clips] == ["Clip"] * 5
    assert clips[1]["name"] == "Urgency from the pandemic"
    assert clips[1]["startOffset"] == 53 and clips[1]["endOffset"] == 98
    assert clips[1]["url"] == f"http://localhost/sessions/{SESSION}?t=53"
    action = video["potentialAction"]
    assert action["@type"] == "SeekToAction"
    assert action["target"] == f"http://localhost/sessions/{SESSION}?t={{seek_to_second_number}}"


def test_a_session_without_recording_has_no_video(demo_client):
    html = demo_client.get("/sessions/futures-and-storytelling-for-the-recovery").get_data(
        as_text=True
    )
    data = json_ld(html)
    assert data["@type"] == "Event" and "recordedIn" not in data
    assert "No recording is available" in html


@pytest.mark.parametrize(
    ("kind", "speaker_line"),
    [("vtt", "<v Charles Landry>"), ("srt", "Charles Landry: "), ("txt", "] Charles Landry: ")],
)
def test_transcript_downloads_keep_the_speakers(demo_client, kind, speaker_line):
    response = demo_client.get(f"/sessions/{SESSION}/transcript.{kind}")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert speaker_line in body and "Festival host" in body


def test_session_page_works_without_javascript(demo_client):
    html = demo_client.get(f"/sessions/{SESSION}?t=60&q=pilots").get_data(as_text=True)
    assert re.search(r'<li id="cue-\d+" class="cue" aria-current="true"', html)
    assert 'href="?t=' in html and 'src="/sessions/creativity-at-system-scale/media#t=60.0"' in html
    assert 'value="pilots"' in html
    assert "<script>" not in html  # only external scripts and data blocks: CSP-ready


def test_a_clip_link_sets_the_media_fragment_and_end(demo_client):
    html = demo_client.get(f"/sessions/{SESSION}?t=10,14").get_data(as_text=True)
    assert "#t=10.0,14.0" in html and 'data-clip-end="14.0"' in html


def test_festival_programme_filters_by_theme_and_format(demo_client):
    page = demo_client.get("/festivals/states-of-change-2020?theme=creativity&format=panel")
    html = page.get_data(as_text=True)
    assert ">Charles Landry: Being Creative Across a Whole System</a>" in html
    assert ">How Singapore Learns</a>" not in html


def test_home_page_invites_a_search(demo_client):
    html = demo_client.get("/").get_data(as_text=True)
    assert 'role="search"' in html and 'action="/search"' in html
    assert "States of Change Learning Festival 2020" in html


def test_speaker_and_theme_pages_list_sessions(demo_client):
    speaker = demo_client.get("/speakers/charles-landry").get_data(as_text=True)
    assert "Being Creative Across a Whole System" in speaker and "What they said" in speaker
    theme = demo_client.get("/themes/creativity").get_data(as_text=True)
    assert "Being Creative Across a Whole System" in theme


@pytest.mark.parametrize(
    ("t", "line_at"),
    [
        ("152", "2:32"),  # the chapter "Storytelling for change": in the pause before its line
        ("151", "2:24"),  # still inside the line before
        ("144.88", "2:24"),
        ("0", "0:01"),  # before the first line: the first line
        ("9999", "5:16"),  # past the end: the last line
    ],
)
def test_t_opens_on_the_line_said_then_or_next(demo_client, t, line_at):
    html = demo_client.get(f"/sessions/futures-and-storytelling-for-the-recovery?t={t}").get_data(
        as_text=True
    )
    current = re.search(r'aria-current="true".*?<span class="time">([^<]+)</span>', html, re.S)
    assert current and current.group(1).startswith(line_at)


def test_every_chapter_link_opens_on_the_line_its_title_names(demo_client):
    html = demo_client.get("/sessions/futures-and-storytelling-for-the-recovery").get_data(
        as_text=True
    )
    chapters = re.findall(r'<a href="\?t=([\d.]+)" data-seek=', html)
    assert len(chapters) == 6
    for t in chapters:
        page = demo_client.get(f"/sessions/futures-and-storytelling-for-the-recovery?t={t}")
        current = re.search(r'aria-current="true" data-start="(\d+)"', page.get_data(as_text=True))
        assert 0 <= int(current.group(1)) - float(t) * 1000 < 1000, t


def test_programme_and_session_times_say_their_offset_from_utc(demo_client):
    programme = demo_client.get("/festivals/states-of-change-2020").get_data(as_text=True)
    assert '<time datetime="2020-06-09T14:00:00+01:00">14:00 UTC+01:00</time>' in programme
    session = demo_client.get("/sessions/how-singapore-learns").get_data(as_text=True)
    assert ">Tuesday 9 June 2020, 14:00 UTC+01:00</time>" in session


@pytest.mark.parametrize(
    ("starts_at", "shown"),
    [
        ("2021-03-01T09:30:00-05:30", "09:30 UTC-05:30"),
        ("2021-03-01T09:30:00Z", "09:30 UTC"),
        ("2021-03-01T09:30:00", "09:30"),  # written without an offset: none is invented
        ("2021-03-01", ""),
    ],
)
def test_a_time_of_day_keeps_the_offset_as_written(starts_at, shown):
    assert time_of_day(starts_at) == shown


def test_a_speaker_page_quoting_illustrative_words_says_they_are_illustrative(demo_client):
    page = demo_client.get("/speakers/charles-landry").get_data(as_text=True)
    said = page.split("What they said", 1)[1]
    assert '<p class="notice" role="note">Illustrative transcript:' in said


def test_a_session_notice_shows_on_its_page_and_where_its_words_are_quoted(demo_app, demo_client):
    with sqlite3.connect(f"{demo_app.instance_path}/archive.db") as db:
        db.execute(
            "update sessions set notice = 'Recorded before the speakers revised their talk.'"
            " where slug = ?",
            [SESSION],
        )
    for path in (f"/sessions/{SESSION}", "/speakers/charles-landry"):
        html = demo_client.get(path).get_data(as_text=True)
        assert "Recorded before the speakers revised their talk.</p>" in html, path
        assert "Illustrative transcript:" in html, path  # the festival's, too
    other = demo_client.get("/sessions/how-singapore-learns").get_data(as_text=True)
    assert "Recorded before the speakers revised" not in other


def test_a_session_without_a_poster_has_a_title_card(demo_client):
    response = demo_client.get("/sessions/how-governments-think/title-card.svg")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    card = ElementTree.fromstring(response.data)
    words = " ".join(text.text for text in card.iter("{http://www.w3.org/2000/svg}text"))
    assert "States of Change Learning Festival 2020" in words
    assert "How Governments Think" in words and "Geoff Mulgan" in words
    page = demo_client.get("/sessions/how-governments-think").get_data(as_text=True)
    assert 'poster="/sessions/how-governments-think/title-card.svg"' in page
    assert demo_client.get("/sessions/no-such-session/title-card.svg").status_code == 404


def test_a_long_festival_description_opens_on_its_first_paragraph(demo_client):
    html = demo_client.get("/festivals/states-of-change-2020").get_data(as_text=True)
    first, more = html.split("<summary>More about this festival</summary>", 1)
    assert "An online festival held in June 2020" in first
    assert "This demo archive is illustrative." in more.split("</details>", 1)[0]
