"""The WebVTT parsing rules browsers follow, on small cases of our own.

`parse_webvtt_raw` must yield exactly the cues (id, start, end, raw text) a browser's
parser yields for each file, and reject the files a browser rejects. Strict import then
names the line of every timing a browser would drop; lenient import keeps what it shows.
"""

from __future__ import annotations

import pytest

from festival.transcripts import TranscriptError, parse_transcript, parse_webvtt_raw

CUE = b"00:01.000 --> 00:02.000\nhello\n"
HELLO = [("", 1000, 2000, "hello")]


def _rows(data: bytes) -> list[tuple[str, int, int, str]]:
    cues = parse_webvtt_raw(data, "rules.vtt")
    assert all(set(cue) == {"id", "start", "end", "text"} for cue in cues)
    assert all(isinstance(cue["start"], float) for cue in cues)
    return [(c["id"], round(c["start"] * 1000), round(c["end"] * 1000), c["text"]) for c in cues]


@pytest.mark.parametrize(
    "data",
    [
        b"WEBVTT\n\n" + CUE,
        b"WEBVTT Lantern parade captions\n\n" + CUE,
        b"WEBVTT\tLantern parade captions\n\n" + CUE,
        b"\xef\xbb\xbfWEBVTT\n\n" + CUE,  # one UTF-8 byte order mark is skipped
        b"WEBVTT\nKind: captions\nLanguage: en\n\n" + CUE,  # header lines are not cues
        b"WEBVTT\n" + CUE,  # a timing line ends the header and starts the first cue
        b"WEBVTT\nKind: captions\n" + CUE,
    ],
    ids=["newline", "space", "tab", "bom", "header-lines", "header-then-cue", "header-lines-cue"],
)
def test_signature_and_header_variants_browsers_accept(data):
    assert _rows(data) == HELLO


@pytest.mark.parametrize("data", [b"WEBVTT", b"WEBVTT\n", b"WEBVTT\n\n\n"])
def test_a_bare_signature_is_a_file_without_cues(data):
    assert _rows(data) == []


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"WEBVT",
        b"WEBVTTX\n\n" + CUE,
        b"WEBVTT\x0c\n\n" + CUE,  # only a space, a tab or the line end may follow
        b"webvtt\n\n" + CUE,
        b" WEBVTT\n\n" + CUE,
        b"\nWEBVTT\n\n" + CUE,
        b"Lantern parade captions\nWEBVTT\n\n" + CUE,
    ],
    ids=[
        "empty",
        "short",
        "WEBVTTX",
        "form-feed",
        "lower-case",
        "space-first",
        "blank-first",
        "garbage-header",
    ],
)
def test_files_browsers_reject(data):
    with pytest.raises(TranscriptError) as caught:
        parse_webvtt_raw(data, "rejected.vtt")
    (problem,) = caught.value.problems
    assert (problem.file, problem.line) == ("rejected.vtt", 1)
    assert "not a WebVTT file" in problem.message


def test_note_style_and_region_blocks_are_not_cues():
    data = (
        b"WEBVTT\n\nREGION\nid:stage width:40%\n\nSTYLE\n::cue { color: gold }\n\n"
        b"NOTE one line\n\nNOTE\nseveral\nlines\n\n" + CUE + b"\nNOTE after the cue\n"
    )
    assert _rows(data) == HELLO
    assert parse_transcript(data, "rules.vtt").warnings == []


def test_a_timing_line_inside_a_note_is_read_as_browsers_do():
    # On the second line, the timing makes a cue whose identifier is "NOTE";
    # on a later line, it ends the note and starts a cue of its own.
    assert _rows(b"WEBVTT\n\nNOTE\n" + CUE) == [("NOTE", 1000, 2000, "hello")]
    assert _rows(b"WEBVTT\n\nNOTE\na comment\n" + CUE) == HELLO


@pytest.mark.parametrize(
    ("timing", "start", "end"),
    [
        ("00:01.000 --> 00:02.000", 1000, 2000),
        ("59:59.999 --> 01:00:00.000", 3599999, 3600000),
        ("01:02:03.004 --> 01:02:04.000", 3723004, 3724000),
        ("1:00:00.000 --> 1:00:01.000", 3600000, 3601000),  # one hour digit is enough
        ("100:00:00.000 --> 100:00:01.000", 360000000, 360001000),
        ("60:00:00.000 --> 60:00:01.000", 216000000, 216001000),  # 60 before two colons is hours
        ("00:05.000 --> 00:04.000", 5000, 4000),  # browsers keep a cue that ends first
    ],
)
def test_valid_timings(timing, start, end):
    assert _rows(f"WEBVTT\n\n{timing}\nhello\n".encode()) == [("", start, end, "hello")]


@pytest.mark.parametrize(
    "timing",
    [
        "00:01.000-->00:02.000",
        "00:01.000\t-->\t00:02.000",
        "00:01.000 \x0c-->\x0c 00:02.000",
        "   00:01.000 --> 00:02.000   ",
    ],
    ids=["no-spaces", "tabs", "form-feeds", "padded"],
)
def test_whitespace_around_the_arrow_is_optional(timing):
    assert _rows(f"WEBVTT\n\n{timing}\nhello\n".encode()) == HELLO


@pytest.mark.parametrize(
    "timing",
    [
        "00:60:00.000 --> 00:61:00.000",  # minutes over 59
        "00:00:60.000 --> 00:00:61.000",  # seconds over 59
        "60:00.000 --> 61:00.000",  # over 59 means hours, and then the seconds are missing
        "00:01.00 --> 00:02.000",  # two-digit fraction
        "00:01.0000 --> 00:02.000",  # four-digit fraction
        "00:01 --> 00:02",  # no fraction
        "00:01,000 --> 00:02,000",  # SRT's comma
        "00:1.000 --> 00:2.000",  # one-digit seconds
        "0:01.000 --> 0:02.000",  # one digit before a single colon
        "00:01.000 -> 00:02.000",
        "00:01.000 -- > 00:02.000",
        "00:01.000\x0b-->\x0b00:02.000",  # vertical tab is not WebVTT whitespace
        "00:01.000\u00a0-->\u00a000:02.000",  # nor is a no-break space
        "00:0\u0661.000 --> 00:02.000",  # only ASCII digits
    ],
)
def test_invalid_timings_drop_their_cue_and_strict_import_names_the_line(timing):
    data = f"WEBVTT\n\n00:00.000 --> 00:00.500\nbefore\n\n{timing}\ndropped\n\n"
    data += "00:03.000 --> 00:04.000\nafter\n"
    assert _rows(data.encode()) == [("", 0, 500, "before"), ("", 3000, 4000, "after")]
    with pytest.raises(TranscriptError) as caught:
        parse_transcript(data.encode(), "rules.vtt")
    assert [(p.file, p.line) for p in caught.value.problems] == [("rules.vtt", 6)]
    lenient = parse_transcript(data.encode(), "rules.vtt", strict=False)
    assert [c.text for c in lenient.cues] == ["before", "after"]
    assert [w.line for w in lenient.warnings] == [6]


def test_cue_settings_after_the_timing_are_ignored():
    data = (
        b"WEBVTT\n\n00:01.000 --> 00:02.000 align:start position:10% line:0 size:50%\none\n\n"
        b"00:03.000 --> 00:04.000 vertical:rl region:stage nonsense ::\ntwo\n\n"
        b"00:05.000 --> 00:06.000align:end\nthree\n"
    )
    assert _rows(data) == [
        ("", 1000, 2000, "one"),
        ("", 3000, 4000, "two"),
        ("", 5000, 6000, "three"),
    ]


def test_an_arrow_in_the_second_line_of_a_cue_ends_it():
    # The cue keeps no text; the arrow line is a timing line of its own, and a bad one.
    data = b"WEBVTT\n\n00:01.000 --> 00:02.000\nboats --> harbour\nmoored\n"
    assert _rows(data) == [("", 1000, 2000, "")]
    with pytest.raises(TranscriptError) as caught:
        parse_transcript(data, "rules.vtt")
    assert [p.line for p in caught.value.problems] == [4]


def test_a_timing_line_inside_cue_text_starts_the_next_cue():
    data = b"WEBVTT\n\n00:01.000 --> 00:02.000\nfirst\n00:03.000 --> 00:04.000\nsecond\n"
    assert _rows(data) == [("", 1000, 2000, "first"), ("", 3000, 4000, "second")]


def test_cue_identifiers():
    data = (
        b"WEBVTT\n\nintro\n00:01.000 --> 00:02.000\none\n\n"
        b"7\n00:03.000 --> 00:04.000\ntwo\n\n"
        b"chapter one \xe2\x80\x93 opening  \n00:05.000 --> 00:06.000\nthree\n\n"
        b"two lines\nbefore the timing\n00:07.000 --> 00:08.000\nfour\n\n"
        b"an --> arrow\n00:09.000 --> 00:10.000\nfive\n"
    )
    assert _rows(data) == [
        ("intro", 1000, 2000, "one"),
        ("7", 3000, 4000, "two"),
        ("chapter one – opening  ", 5000, 6000, "three"),
        ("", 7000, 8000, "four"),  # only the line right before the timing can be an id
        ("", 9000, 10000, "five"),  # a line with an arrow is a (bad) timing, never an id
    ]


def test_blank_lines_end_cues_and_lines_of_spaces_do_not():
    data = (
        b"WEBVTT\n\n\n\n00:01.000 --> 00:02.000\nline one\n \n\tline two\n\n\n\n"
        b"00:03.000 --> 00:04.000\n\n00:05.000 --> 00:06.000\nlast, no newline"
    )
    assert _rows(data) == [
        ("", 1000, 2000, "line one\n \n\tline two"),
        ("", 3000, 4000, ""),  # a cue may have no text at all
        ("", 5000, 6000, "last, no newline"),
    ]


def test_text_after_a_blank_line_belongs_to_no_cue():
    data = b"WEBVTT\n\n00:01.000 --> 00:02.000\nhello\n\nstray words\nmore\n"
    assert _rows(data) == HELLO


def test_nul_becomes_the_replacement_character_and_bad_utf8_too():
    data = b"WEBVTT\n\n00:01.000 --> 00:02.000\nrope\x00knot caf\xe9\n"
    assert _rows(data) == [("", 1000, 2000, "rope\ufffdknot caf\ufffd")]


@pytest.mark.parametrize("newline", [b"\r\n", b"\r"], ids=["crlf", "cr"])
def test_cr_and_crlf_line_ends_read_as_lf(newline):
    data = b"WEBVTT\n\nintro\n00:01.000 --> 00:02.000\nline one\nline two\n\n" + CUE
    expected = [("intro", 1000, 2000, "line one\nline two"), *HELLO]
    assert _rows(data) == expected
    assert _rows(data.replace(b"\n", newline)) == expected


def test_mixed_line_ends_in_one_file():
    data = b"WEBVTT\r\n\r00:01.000 --> 00:02.000\r\none\rtwo\n\n00:03.000 --> 00:04.000\r\r\nx"
    assert _rows(data) == [("", 1000, 2000, "one\ntwo"), ("", 3000, 4000, "")]
