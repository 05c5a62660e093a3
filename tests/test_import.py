"""Importing a festival: what lands in the archive, and how every kind of bad input is refused."""

from __future__ import annotations

import pytest
from archive_files import (
    TWO_SPEAKERS,
    get,
    open_archive,
    rows,
    session,
    snapshot,
    vtt,
    write_festival,
)

pytestmark = pytest.mark.both_databases


def good_festival(folder):
    return write_festival(
        folder,
        [
            session(
                "engines",
                format="talk",
                themes=["Computing", "public trust"],
                speakers=[
                    "Ada Lovelace",
                    {"name": "Charles Babbage", "role": "moderator", "affiliation": "Cambridge"},
                ],
                chapters=[
                    {"at": "00:00:00", "title": "Welcome"},
                    {"at": "00:00:09", "title": "Governance"},
                ],
                recording={"url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ"},
            ),
            session("second-talk", transcript="transcripts/second.vtt", speakers=["Ada Lovelace"]),
        ],
        {
            "engines.vtt": TWO_SPEAKERS,
            "second.vtt": vtt((0, 3, "Ada Lovelace", "A second talk about looms.")),
        },
    )


def test_import_stores_festival_sessions_speakers_and_cues(runner, app, dialect, tmp_path):
    manifest = good_festival(tmp_path / "fest")
    result = runner.invoke(args=["import", str(manifest)])
    assert result.exit_code == 0, result.output
    assert "2 sessions, 5 cues" in result.output
    db = open_archive(app)
    assert get(db, "sessions", "engines")["title"] == "Engines"
    assert [
        r["speaker"] for r in rows(db, "session_speakers", "session = 'engines'", "position")
    ] == [
        "ada-lovelace",
        "charles-babbage",
    ]
    assert get(db, "speakers", "charles-babbage")["affiliation"] == "Cambridge"
    cues = rows(db, "cues", "session = 'engines'", "position")
    assert [(c["start_ms"], c["end_ms"], c["speaker_slug"]) for c in cues] == [
        (1000, 4500, "ada-lovelace"),
        (4500, 9000, "ada-lovelace"),
        (9000, 14250, "charles-babbage"),
        (14250, 20000, "charles-babbage"),
    ]
    assert get(db, "transcripts", "engines")["original"] == TWO_SPEAKERS.encode()
    assert get(db, "recordings", "engines")["kind"] == "youtube"
    chapters = rows(db, "chapters", "session = 'engines'", "position")
    assert [c["start_ms"] for c in chapters] == [0, 9000]
    assert dialect == "postgresql" or db.journal_mode == "wal"


def test_importing_the_same_manifest_twice_changes_nothing(runner, app, tmp_path):
    manifest = good_festival(tmp_path / "fest")
    assert runner.invoke(args=["import", str(manifest)]).exit_code == 0
    before = snapshot(app)
    assert runner.invoke(args=["import", str(manifest)]).exit_code == 0
    after = snapshot(app)
    assert after["rows"] == before["rows"]
    assert runner.invoke(args=["check"]).exit_code == 0


def test_import_accepts_a_folder_holding_festival_yaml(runner, tmp_path):
    good_festival(tmp_path / "fest")
    result = runner.invoke(args=["import", str(tmp_path / "fest")])
    assert result.exit_code == 0, result.output


def test_damaged_timing_line_in_second_transcript_names_file_and_line_and_stores_nothing(
    runner, app, tmp_path
):
    assert runner.invoke(args=["import", str(good_festival(tmp_path / "first"))]).exit_code == 0
    before = snapshot(app)
    damaged = (
        "WEBVTT\n"  # 1
        "\n"  # 2
        "00:00:01.000 --> 00:00:03.000\n"  # 3
        "<v A>Fine.\n"  # 4
        "\n"  # 5
        "00:00:04.000 --> 00:0x:06.000\n"  # 6: the damaged timing line
        "<v A>Broken.\n"
    )
    manifest = write_festival(
        tmp_path / "bad",
        [session("good-one", title="Good"), session("bad-one", title="Bad")],
        {"good-one.vtt": TWO_SPEAKERS, "bad-one.vtt": damaged},
        festival={"slug": "test-fest", "name": "Renamed Festival"},
    )
    result = runner.invoke(args=["import", str(manifest)])
    assert result.exit_code == 1
    assert "bad-one.vtt:6:" in result.stderr
    assert snapshot(app) == before


def test_every_manifest_problem_is_reported_in_one_run(runner, tmp_path):
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "t.vtt").write_text(vtt((0, 2, "A", "Hello there.")))
    (folder / "festival.yaml").write_text(
        "festival:\n"                      # 1
        "  slug: Bad Slug\n"               # 2
        "  starts: 2020-13-45\n"           # 3
        "  colour: blue\n"                 # 4
        "sessions:\n"                      # 5
        "  - slug: one\n"                  # 6
        "    starts_at: 2020-06-01\n"      # 7
        "    transcript: t.vtt\n"          # 8
        "  - slug: one\n"                  # 9
        "    title: Again\n"               # 10
        "    starts_at: yesterday\n"       # 11
        "    transcript: missing.vtt\n"    # 12
        "    format: lecture\n"            # 13
    )  # fmt: skip
    result = runner.invoke(args=["import", str(folder / "festival.yaml")])
    assert result.exit_code == 1
    errors = result.stderr
    manifest = str(folder / "festival.yaml")
    expected = [
        f"{manifest}:2: festival slug 'Bad Slug'",
        f"{manifest}:2: 'name' is required",
        f"{manifest}:9: duplicate session slug 'one' (first used on line 6)",
        f"{manifest}:3: 'starts' is not a valid ISO date",
        f"{manifest}:6: 'title' is required",
        f"{manifest}:11: 'starts_at' is not a valid ISO date",
        f"{manifest}:13: 'format' must be one of",
        "missing.vtt",
    ]
    for fragment in expected:
        assert fragment in errors, fragment
    assert "colour" in errors  # unknown keys are warned about
    assert "Traceback" not in result.output


def test_duplicate_slugs_in_one_manifest_are_refused_with_both_lines(runner, tmp_path):
    manifest = write_festival(
        tmp_path / "dup",
        [session("same"), session("same", transcript="transcripts/same.vtt")],
        {"same.vtt": TWO_SPEAKERS},
    )
    result = runner.invoke(args=["import", str(manifest)])
    assert result.exit_code == 1
    assert "duplicate session slug 'same' (first used on line" in result.stderr


def test_unknown_keys_warn_but_import(runner, tmp_path):
    manifest = write_festival(
        tmp_path / "f", [session("talk", mood="sunny")], {"talk.vtt": TWO_SPEAKERS}
    )
    result = runner.invoke(args=["import", str(manifest)])
    assert result.exit_code == 0
    assert "warning: unknown key 'mood'" in result.stderr


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("festival: [\n", "not valid YAML"),
        ("a: &x [1]\nb: *x\n", "aliases"),
        ("festival: !!python/object:os.system x\nsessions: []\n", "tag"),
        ("- just\n- a list\n", "must be a mapping"),
    ],
)
def test_unusable_yaml_is_refused_with_a_line(runner, tmp_path, text, message):
    path = tmp_path / "festival.yaml"
    path.write_text(text)
    result = runner.invoke(args=["import", str(path)])
    assert result.exit_code == 1
    assert message in result.stderr
    assert f"{path}:" in result.stderr


def test_session_slug_belonging_to_another_festival_is_refused(runner, tmp_path):
    assert runner.invoke(args=["import", str(good_festival(tmp_path / "a"))]).exit_code == 0
    other = write_festival(
        tmp_path / "b",
        [session("engines")],
        {"engines.vtt": TWO_SPEAKERS},
        festival={"slug": "other-fest", "name": "Other"},
    )
    result = runner.invoke(args=["import", str(other)])
    assert result.exit_code == 1
    assert "already belongs to festival 'test-fest'" in result.stderr


def test_transcript_command_prints_normalised_cues(runner, tmp_path):
    path = tmp_path / "talk.vtt"
    path.write_text(TWO_SPEAKERS)
    result = runner.invoke(args=["transcript", str(path)])
    assert result.exit_code == 0
    import json

    parsed = json.loads(result.stdout)
    assert parsed["format"] == "vtt"
    assert parsed["cues"][2] == {
        "start": 9.0,
        "end": 14.25,
        "speaker": "Charles Babbage",
        "text": "Thank you. Data governance matters for every city.",
    }


@pytest.mark.parametrize(
    "given", ["../../secret.vtt", "/etc/passwd.vtt", "transcripts/../../../x.vtt"]
)
def test_manifest_paths_cannot_leave_the_festival_folder(runner, tmp_path, given):
    (tmp_path / "secret.vtt").write_text(TWO_SPEAKERS)
    manifest = write_festival(tmp_path / "a" / "fest", [session("talk", transcript=given)], {})
    result = runner.invoke(args=["import", str(manifest)])
    assert result.exit_code == 1
    assert f"transcript path '{given}' leads outside the festival's folder" in result.stderr


def test_the_sessions_beside_transcripts_layout_is_allowed(runner, tmp_path):
    (tmp_path / "transcripts").mkdir()
    (tmp_path / "transcripts" / "talk.vtt").write_text(TWO_SPEAKERS)
    manifest = write_festival(
        tmp_path / "sessions", [session("talk", transcript="../transcripts/talk.vtt")], {}
    )
    assert runner.invoke(args=["import", str(manifest)]).exit_code == 0


def test_a_bad_transcript_source_or_reviewed_mark_names_the_file_line_and_field(
    runner, app, tmp_path
):
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "t.vtt").write_text(vtt((0, 2, "A", "Hello there.")))
    (folder / "festival.yaml").write_text(
        "festival: {slug: fest, name: Fest}\n"  # 1
        "sessions:\n"                          # 2
        "  - slug: one\n"                      # 3
        "    title: One\n"                     # 4
        "    starts_at: 2020-06-01\n"          # 5
        "    transcript: t.vtt\n"              # 6
        "    transcript_source: robot\n"       # 7
        "  - slug: two\n"                      # 8
        "    title: Two\n"                     # 9
        "    starts_at: 2020-06-01\n"          # 10
        "    transcript: t.vtt\n"              # 11
        "    transcript_source: machine\n"     # 12
        "    transcript_reviewed: not yet\n"   # 13
        "  - slug: three\n"                    # 14
        "    title: Three\n"                   # 15
        "    starts_at: 2020-06-01\n"          # 16
        "    transcript_source: machine\n"     # 17
        "  - slug: four\n"                     # 18
        "    title: Four\n"                    # 19
        "    starts_at: 2020-06-01\n"          # 20
        "    transcript: t.vtt\n"              # 21
        "    transcript_reviewed: false\n"     # 22
    )  # fmt: skip
    before = snapshot(app)
    result = runner.invoke(args=["import", str(folder)])
    assert result.exit_code == 1
    manifest = str(folder / "festival.yaml")
    assert result.stderr.splitlines() == [
        f"{manifest}:7: 'transcript_source' must be one of human, machine, aligned; got 'robot'",
        f"{manifest}:13: 'transcript_reviewed' must be true or false, not 'not yet'",
        f"{manifest}:17: 'transcript_source' only describes a timed transcript file (.vtt, "
        ".srt or .sbv) named in 'transcript'",
        f"{manifest}:22: 'transcript_reviewed: false' is for a transcript a machine made or "
        "timed: add 'transcript_source: machine' or 'aligned'",
    ]
    assert snapshot(app) == before
