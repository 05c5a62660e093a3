"""Strict import names every cue a browser would drop; lenient keeps what a browser shows."""

from __future__ import annotations

import pytest

from festival.transcripts import TranscriptError, parse_transcript

DAMAGED_ON_LINE_6 = b"""WEBVTT

00:00:01.000 --> 00:00:02.000
first

00:00:03.000 -> 00:00:04.000
damaged arrow

00:00:05.000 --> 00:00:06.000
third
"""


def test_damaged_timing_line_is_an_error_naming_file_and_line():
    with pytest.raises(TranscriptError) as caught:
        parse_transcript(DAMAGED_ON_LINE_6, "talk.vtt")
    (problem,) = caught.value.problems
    assert str(problem).startswith("talk.vtt:6: damaged cue timing line '00:00:03.000 -> ")


def test_damaged_timing_line_is_a_warning_when_lenient():
    parsed = parse_transcript(DAMAGED_ON_LINE_6, "talk.vtt", strict=False)
    assert [c.text for c in parsed.cues] == ["first", "third"]
    assert [(w.file, w.line) for w in parsed.warnings] == [("talk.vtt", 6)]


def test_every_problem_is_reported_not_just_the_first():
    data = b"WEBVTT\n\n00:01.000 --> 00:02.00\na\n\n00:03.000 --> 00:04.000\nb\n\n99:99 --> 1\nc\n"
    with pytest.raises(TranscriptError) as caught:
        parse_transcript(data, "t.vtt")
    assert [p.line for p in caught.value.problems] == [3, 9]


def test_text_after_a_blank_line_inside_a_cue_is_reported():
    data = b"WEBVTT\n\n00:01.000 --> 00:02.000\nfirst half\n\nsecond half\n"
    with pytest.raises(TranscriptError) as caught:
        parse_transcript(data, "t.vtt")
    assert caught.value.problems[0].line == 6
    assert "outside any cue" in caught.value.problems[0].message
    lenient = parse_transcript(data, "t.vtt", strict=False)
    assert [c.text for c in lenient.cues] == ["first half"]


def test_notes_styles_and_header_metadata_are_not_problems():
    data = (
        b"WEBVTT\nKind: captions\n\nSTYLE\n::cue { color: red }\n\nNOTE a comment\n\n"
        b"00:01.000 --> 00:02.000\nhi\n"
    )
    parsed = parse_transcript(data, "t.vtt")
    assert ([c.text for c in parsed.cues], parsed.warnings) == (["hi"], [])


def test_srt_damaged_timing_line_is_an_error():
    data = b"1\n00:00:01,000 --> 00:00:02,000\nok\n\n2\n00:00:03,000 --> 00:00:0x,000\nbad\n"
    with pytest.raises(TranscriptError) as caught:
        parse_transcript(data, "t.srt")
    assert [p.line for p in caught.value.problems] == [6]
    assert [c.text for c in parse_transcript(data, "t.srt", strict=False).cues] == ["ok"]


def test_srt_timing_line_with_a_short_arrow_is_damaged_not_stray():
    data = b"1\n00:00:01,000 --> 00:00:02,000\nok\n\n2\n00:00:03,000 -> 00:00:04,000\nbad\n"
    with pytest.raises(TranscriptError) as caught:
        parse_transcript(data, "t.srt")
    assert [(p.line, p.message[:20]) for p in caught.value.problems] == [
        (6, "damaged cue timing l")
    ]


def test_srt_cue_without_blank_line_before_the_next_number():
    data = b"1\n00:00:01,000 --> 00:00:02,000\none\n2\n00:00:03,000 --> 00:00:04,000\ntwo\n"
    parsed = parse_transcript(data, "t.srt")
    assert [(c.start_ms, c.text) for c in parsed.cues] == [(1000, "one"), (3000, "two")]


def test_sbv_damaged_timing_line_is_an_error():
    data = b"0:00:01.000,0:00:02.000\nok\n\n0:00:03.000,0:00:0x.000\nbad\n"
    with pytest.raises(TranscriptError) as caught:
        parse_transcript(data, "t.sbv")
    assert [p.line for p in caught.value.problems] == [4]


def test_cue_ending_before_it_starts_is_a_warning_and_kept_at_zero_length():
    data = b"WEBVTT\n\n00:05.000 --> 00:04.000\nbackwards\n"
    parsed = parse_transcript(data, "t.vtt")
    assert [(c.start_ms, c.end_ms) for c in parsed.cues] == [(5000, 5000)]
    assert parsed.warnings[0].line == 3
    assert "before it starts" in parsed.warnings[0].message


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"\n\n  \n", "no text"),
        (b"WEBVTTX\n\n00:01.000 --> 00:02.000\nhi\n", "not a WebVTT file"),
        (b"Hello, this is a letter.\n", "not a transcript"),
        (b"\n\nWEBVTT\n\n00:01.000 --> 00:02.000\nhi\n", "not a WebVTT file"),
    ],
)
def test_unusable_files_are_errors_in_both_modes(data, message):
    for strict in (True, False):
        with pytest.raises(TranscriptError) as caught:
            parse_transcript(data, "x.txt", strict=strict)
        assert message in str(caught.value)
        assert str(caught.value).startswith("x.txt")


def test_format_is_detected_by_content_not_name():
    srt = b"1\n00:00:01,000 --> 00:00:02,000\nhi\n"
    sbv = b"0:00:01.000,0:00:02.000\nhi\n"
    assert parse_transcript(srt, "misnamed.vtt").format == "srt"
    assert parse_transcript(sbv, "misnamed.srt").format == "sbv"
    assert parse_transcript(b"WEBVTT\n\n00:01.000 --> 00:02.000\nhi", "a.srt").format == "vtt"
