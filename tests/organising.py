"""Steps an organiser takes in the browser, as test-client calls shared by the organiser tests."""

from __future__ import annotations

import io
import re

from archive_files import TWO_SPEAKERS, open_archive

PASSWORD = "correct horse battery"
EMAIL = "ada@example.org"
DEMO_SESSION = "how-singapore-learns"
DEMO_FESTIVAL = "states-of-change-2020"


def make_organiser(app, email: str = EMAIL) -> None:
    result = app.test_cli_runner().invoke(
        args=["create-organiser", email, "--password-stdin"], input=PASSWORD + "\n"
    )
    assert result.exit_code == 0, result.output


def sign_in(client, email: str = EMAIL, password: str = PASSWORD, **kwargs):
    return client.post("/organise/login", data={"email": email, "password": password}, **kwargs)


def database(app):
    return open_archive(app)


def add_festival(client, slug: str = "test-fest", name: str = "Test Festival"):
    return client.post(
        "/organise/festivals/new",
        data={"slug": slug, "name": name, "starts": "2021-05-01", "url": "https://example.org/"},
    )


def add_session(client, slug: str = "engines", festival: str = "test-fest", **fields):
    data = {
        "slug": slug,
        "title": "Engines of Trust",
        "starts_at": "2021-05-04T10:00:00+00:00",
        "format": "talk",
        "language": "en",
        "summary": "About analytical engines.",
        "speaker_name": ["Ada Lovelace", "Charles Babbage", ""],
        "speaker_affiliation": ["", "Cambridge", ""],
        "speaker_role": ["speaker", "moderator", "speaker"],
        "theme": ["Computing", "public trust", ""],
        "chapters": "00:00:00 Welcome\n00:00:09 Governance",
        "recording_url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "status": "draft",
    } | fields
    return client.post(f"/organise/festivals/{festival}/sessions/new", data=data)


def upload_transcript(client, slug: str, body: bytes, name: str = "talk.vtt", **fields):
    return client.post(
        f"/organise/sessions/{slug}/transcript",
        data={"transcript": (io.BytesIO(body), name)} | fields,
        content_type="multipart/form-data",
    )


def confirm_transcript(client, slug: str, preview_html: str):
    token = re.search(r'name="token" value="([^"]+)"', preview_html).group(1)
    return client.post(f"/organise/sessions/{slug}/transcript/confirm", data={"token": token})


def add_session_with_transcript(client, slug: str = "engines", body: str = TWO_SPEAKERS):
    assert add_session(client, slug).status_code == 302
    preview = upload_transcript(client, slug, body.encode()).get_data(as_text=True)
    assert confirm_transcript(client, slug, preview).status_code == 302


def search_total(client, q: str) -> int:
    return client.get("/api/search", query_string={"q": q}).get_json()["total_sessions"]


def save_speakers(client, path: str, names: list[str], photos: dict | None = None, **fields):
    """Post a session form (`path`) with these speaker rows ("" for an empty one); `photos`
    maps a row's index to an uploaded file's (bytes, name), other fields as given."""
    data = {
        "title": "Engines",
        "starts_at": "2021-05-04",
        "status": "published",
        "speaker_name": names,
        "speaker_affiliation": [""] * len(names),
        "speaker_role": ["speaker"] * len(names),
    }
    for row, (body, name) in (photos or {}).items():
        data[f"speaker_photo_{row}"] = (io.BytesIO(body), name)
    return client.post(path, data=data | fields, content_type="multipart/form-data")


def sign_in_browser(page, server: str) -> None:
    """Sign in through the real form, as the organiser `make_organiser` created."""
    page.goto(f"{server}/organise/login")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def add_recorded_session_in_browser(
    page, server: str, festival: tuple[str, str], session: tuple[str, str, str], media
) -> None:
    """Sign in, add a festival (slug, name) and a published session (slug, title, start)
    with an uploaded recording, all through the organiser's forms."""
    sign_in_browser(page, server)
    page.get_by_role("link", name="New festival").click()
    page.get_by_label("Slug").fill(festival[0])
    page.get_by_label("Name", exact=True).fill(festival[1])
    page.get_by_role("button", name="Save festival").click()
    page.get_by_role("link", name=f"Add a session to {festival[1]}").click()
    page.get_by_label("Slug").fill(session[0])
    page.get_by_label("Title", exact=True).fill(session[1])
    page.get_by_label("Starts at").fill(session[2])
    page.get_by_label("Or upload a media file").set_input_files(media)
    page.get_by_label("Status").select_option("published")
    page.get_by_role("button", name="Save session").click()


def signed_in_client(app):
    """A test client signed in as a new organiser of `app`."""
    make_organiser(app)
    client = app.test_client()
    sign_in(client)
    return client


def flagged_cues(cues_page: str) -> str:
    """The low-confidence cues of an organiser's corrections page, as HTML."""
    return cues_page.split('class="low-confidence"')[1].split("</li>")[0]
