"""Our own transcript fixtures through the whole path: import, storage, search, the CLI.

The project's counterpart of the conformance run's real-world import tests, on files in
tests/fixtures/transcripts/, so it runs on a fresh clone with nothing beside it.
"""

from __future__ import annotations

import json
from collections import Counter

from archive_files import session, write_festival

from festival.transcripts import parse_webvtt_raw


def _import(runner, tmp_path, source, *extra: str, speakers: list[str] | None = None):
    """Import a one-session festival whose transcript is a copy of `source`."""
    transcript = f"transcripts/talk{source.suffix}"
    entry = session("talk", transcript=transcript, **({"speakers": speakers} if speakers else {}))
    manifest = write_festival(tmp_path / "fest", [entry], {})
    (tmp_path / "fest" / transcript).write_bytes(source.read_bytes())
    return runner.invoke(args=["import", str(manifest), *extra])


def _session_cues(client) -> list[dict]:
    response = client.get("/api/sessions/talk")
    assert response.status_code == 200
    return response.get_json()["transcript"]["cues"]


def _moment_speakers(client, q: str) -> list[str | None]:
    body = client.get("/api/search", query_string={"q": q}).get_json()
    return [moment["speaker"] for result in body["results"] for moment in result["moments"]]


def test_zoom_transcript_imports_with_its_speakers(runner, app, tmp_path, fixture_path):
    result = _import(runner, tmp_path, fixture_path("zoom-panel.vtt"))
    assert result.exit_code == 0, result.output
    cues = _session_cues(app.test_client())
    assert len(cues) == 11
    assert Counter(cue["speaker"] for cue in cues) == {
        "Marta Quill": 4,
        "Tomasz Brandt": 4,
        "Aoife O'Brien-Lutz": 3,
    }
    assert not any(cue["text"].startswith(("Marta", "Tomasz", "Aoife O")) for cue in cues)
    assert cues[4] == {
        "start": 16.1,
        "end": 18.0,
        "speaker": "Tomasz Brandt",
        "text": "And a lot of glue.",
    }


ZOOM_PANEL = ["Marta Quill", "Tomasz Brandt", "Aoife O'Brien-Lutz"]


def test_said_search_finds_only_that_speakers_moments(runner, app, tmp_path, fixture_path):
    result = _import(runner, tmp_path, fixture_path("zoom-panel.vtt"), speakers=ZOOM_PANEL)
    assert result.exit_code == 0, result.output
    client = app.test_client()
    assert set(_moment_speakers(client, "willow")) == {"Tomasz Brandt", "Aoife O'Brien-Lutz"}
    assert _moment_speakers(client, "said:brandt willow") == ["Tomasz Brandt"] * 2
    assert _moment_speakers(client, "said:aoife willow") == ["Aoife O'Brien-Lutz"]
    assert _moment_speakers(client, "said:quill willow") == []
    assert set(_moment_speakers(client, "said:quill")) == {"Marta Quill"}


def test_said_by_finds_speakers_named_only_in_the_transcript(runner, app, tmp_path, fixture_path):
    assert _import(runner, tmp_path, fixture_path("zoom-panel.vtt")).exit_code == 0
    client = app.test_client()
    said_by = {"said_by": "aoife-o-brien-lutz"}
    everything = client.get("/api/search", query_string=said_by).get_json()
    assert everything["total_moments"] == 2  # her cues either side of Marta's question
    body = client.get("/api/search", query_string=said_by | {"q": "willow"}).get_json()
    moments = [moment for result in body["results"] for moment in result["moments"]]
    assert [(m["speaker"], m["start"]) for m in moments] == [("Aoife O'Brien-Lutz", 25.7)]


def test_said_search_for_speakers_named_only_in_the_transcript(runner, app, tmp_path, fixture_path):
    assert _import(runner, tmp_path, fixture_path("zoom-panel.vtt")).exit_code == 0
    assert _moment_speakers(app.test_client(), "said:brandt willow") == ["Tomasz Brandt"] * 2


def test_said_search_for_a_name_nobody_has_shows_no_ones_moments(
    runner, app, tmp_path, fixture_path
):
    result = _import(runner, tmp_path, fixture_path("zoom-panel.vtt"), speakers=ZOOM_PANEL)
    assert result.exit_code == 0, result.output
    response = app.test_client().get("/api/search", query_string={"q": "said:nobody willow"})
    assert response.status_code == 400  # refused, naming the value, rather than widened
    assert "no speaker matches 'nobody'" in response.get_json()["error"]["message"]


def test_youtube_phrases_are_found_once_at_the_cue_that_says_them(
    runner, app, tmp_path, fixture_path
):
    assert _import(runner, tmp_path, fixture_path("youtube-auto-captions.vtt")).exit_code == 0
    client = app.test_client()
    cues = _session_cues(client)
    assert len(cues) == 8
    for cue in cues:
        phrase = " ".join(cue["text"].split()[:3])
        found = client.get("/api/search/export", query_string={"q": f'"{phrase}"', "as": "json"})
        assert found.status_code == 200
        assert [m["start"] for m in found.get_json()["moments"]] == [cue["start"]], phrase


def test_damaged_transcript_is_refused_by_line_unless_lenient(runner, app, tmp_path, fixture_path):
    source = fixture_path("damaged-timings.vtt")
    refused = _import(runner, tmp_path, source)
    assert refused.exit_code == 1
    for line in (6, 9, 15, 18):
        assert f"talk.vtt:{line}: damaged cue timing line" in refused.output
    assert app.test_client().get("/api/sessions/talk").status_code == 404, "nothing half-written"
    assert _import(runner, tmp_path, source, "--lenient").exit_code == 0
    texts = [cue["text"] for cue in _session_cues(app.test_client())]
    assert texts == [
        "The tide tables are pinned by the door.",
        "Low water is at ten past four.",
        "High water is at twenty to eleven.",
    ]


def test_cli_raw_output_is_the_browsers_cue_list(runner, fixture_path):
    path = fixture_path("voices-poetry-tent.vtt")
    result = runner.invoke(args=["transcript", str(path), "--raw"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["cues"] == parse_webvtt_raw(path.read_bytes(), path.name)
    assert json.loads(result.stdout)["cues"][1]["text"] == (
        "<v.loud Idris Fenn>It is now!</v> <v Rosa Lind>Good, thank you.</v> <i>Laughter</i>"
    )


def test_cli_raw_refuses_what_a_browser_refuses(runner, fixture_path):
    path = fixture_path("styled-walk.srt")
    result = runner.invoke(args=["transcript", str(path), "--raw"])
    assert result.exit_code == 1
    assert "styled-walk.srt" in result.stderr and "not a WebVTT file" in result.stderr
