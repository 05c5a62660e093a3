"""Real-world transcripts go through the whole path: import, storage, search by who said it."""

from __future__ import annotations

import pytest
from archive_files import session, write_festival

from festival.storage import DATABASE_NAME, open_database

# sample -> (cues stored, {speaker slug: cues}); the counts are the parser tests' own.
SAMPLES = {
    "zoom/zoomgroupstats-meeting001.transcript.vtt": (
        113,
        {
            "paul-mccartney": 63,
            "andrew-knight": 39,
            "john-lennon": 7,
            "george-harrison": 3,
            "ringo-starr": 1,
        },
    ),
    "youtube-auto/teamdman-vtt-test.en.vtt": (13, {}),
    "voice/vttjs-cycle-collector-talk.vtt": (17, {"kyle-huey": 15, "chris-pearce": 1}),
    "srt/popcorn-unit.srt": (10, {}),
    "sbv/popcorn-data.sbv": (3, {}),
    "youtube-auto/webvtt-py-youtube_dl.vtt": (3, {}),
    "voice/vttjs-spec-example.vtt": (13, {"roger-bingham": 11, "neil-degrasse-tyson": 1}),
    "srt/popcorn-data.srt": (4, {}),
    "sbv/webvtt-py-sample.sbv": (5, {}),
}


def import_sample(runner, tmp_path, source, *extra: str):
    manifest = write_festival(
        tmp_path / "real",
        [session("sample", transcript=f"transcripts/sample{source.suffix}")],
        {},
    )
    (tmp_path / "real" / "transcripts" / f"sample{source.suffix}").write_bytes(source.read_bytes())
    return runner.invoke(args=["import", str(manifest), *extra])


@pytest.mark.parametrize("relative", sorted(SAMPLES))
def test_real_world_sample_imports_with_its_speakers_and_no_repeated_cue(
    runner, app, tmp_path, real_world, relative
):
    result = import_sample(runner, tmp_path, real_world / relative, "--lenient")
    assert result.exit_code == 0, result.output
    cue_count, speakers = SAMPLES[relative]
    db = open_database(f"{app.instance_path}/{DATABASE_NAME}")
    rows = list(db.query("select speaker_slug, text from cues where session = 'sample'"))
    assert len(rows) == cue_count
    by_speaker = {}
    for row in rows:
        if row["speaker_slug"]:
            by_speaker[row["speaker_slug"]] = by_speaker.get(row["speaker_slug"], 0) + 1
    assert by_speaker == speakers
    texts = [row["text"] for row in rows if len(row["text"].split()) >= 4]
    assert len(texts) == len(set(texts)), "a phrase said once is stored once"


def test_zoom_speakers_make_said_by_search_work(runner, app, tmp_path, real_world):
    assert (
        import_sample(
            runner, tmp_path, real_world / "zoom/zoomgroupstats-meeting001.transcript.vtt"
        ).exit_code
        == 0
    )
    client = app.test_client()
    everything = client.get("/api/search?said_by=andrew-knight").get_json()
    assert everything["total_moments"] >= 1
    body = client.get("/api/search?q=said:knight okay").get_json()
    speakers = {m["speaker"] for r in body["results"] for m in r["moments"]}
    assert speakers == {"Andrew Knight"}


def test_youtube_rolling_captions_are_found_once_at_the_cue_that_says_them(
    runner, app, tmp_path, real_world
):
    assert (
        import_sample(
            runner, tmp_path, real_world / "youtube-auto/teamdman-vtt-test.en.vtt"
        ).exit_code
        == 0
    )
    db = open_database(f"{app.instance_path}/{DATABASE_NAME}")
    cues = list(
        db.query("select start_ms, text from cues where session = 'sample' order by position")
    )
    checked = 0
    for cue in cues:
        words = cue["text"].split()
        if len(words) < 3:
            continue
        phrase = " ".join(words[:3])
        found = app.test_client().get(
            "/api/search/export", query_string={"q": f'"{phrase}"', "as": "json"}
        )
        moments = found.get_json()["moments"]
        assert [m["start"] for m in moments] == [cue["start_ms"] / 1000], phrase
        checked += 1
    assert checked >= 5
