"""Every web-platform-tests WebVTT parsing case: our raw cues equal what browsers yield."""

from __future__ import annotations

import json

import pytest

from festival.transcripts import TranscriptError, parse_transcript, parse_webvtt_raw


def _expected(wpt_dir, case: dict) -> dict:
    return json.loads((wpt_dir / case["expected_json"]).read_text(encoding="utf-8"))


def _as_rows(cues: list[dict]) -> list[tuple]:
    return [(c["id"], round(c["start"] * 1000), round(c["end"] * 1000), c["text"]) for c in cues]


def test_all_41_cases_are_present(wpt_dir):
    cases = json.loads((wpt_dir / "cases.json").read_text(encoding="utf-8"))
    assert len(cases) == 41


def test_wpt_case(wpt_dir, wpt_case):
    expected = _expected(wpt_dir, wpt_case)
    data = (wpt_dir / wpt_case["vtt"]).read_bytes()
    if expected["expected"] == "rejected":
        with pytest.raises(TranscriptError):
            parse_webvtt_raw(data, wpt_case["case"] + ".vtt")
        return
    cues = parse_webvtt_raw(data, wpt_case["case"] + ".vtt")
    assert len(cues) == expected["cue_count"]
    assert _as_rows(cues) == _as_rows(expected["cues"])
    assert all(set(cue) == {"id", "start", "end", "text"} for cue in cues)


def test_raw_cue_times_are_float_seconds(wpt_dir):
    cues = parse_webvtt_raw((wpt_dir / "vtt" / "timings-60.vtt").read_bytes(), "t.vtt")
    assert all(isinstance(cue["start"], float) for cue in cues)


@pytest.mark.parametrize(
    ("case", "first_bad_line"),
    [("timings-garbage", 3), ("timings-too-short", 6), ("nulls", 27), ("whitespace-chars", 16)],
)
def test_strict_import_names_the_timing_lines_browsers_drop(wpt_dir, case, first_bad_line):
    data = (wpt_dir / "vtt" / f"{case}.vtt").read_bytes()
    with pytest.raises(TranscriptError) as caught:
        parse_transcript(data, f"{case}.vtt")
    first = caught.value.problems[0]
    assert (first.file, first.line) == (f"{case}.vtt", first_bad_line)
    assert "damaged cue timing line" in first.message


def test_lenient_import_keeps_what_browsers_show(wpt_dir):
    data = (wpt_dir / "vtt" / "timings-too-short.vtt").read_bytes()
    parsed = parse_transcript(data, "short.vtt", strict=False)
    assert [cue.text for cue in parsed.cues] == ["text0", "text1"]
    assert [w.line for w in parsed.warnings][:3] == [6, 9, 12]
    assert len(parsed.warnings) == 30
    assert all(w.file == "short.vtt" and w.line for w in parsed.warnings)
