"""Any bytes at all give cues or the archive's own TranscriptError, never another exception."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from festival.transcripts import TranscriptError, parse_transcript

FRAGMENTS = [
    "WEBVTT",
    "WEBVTT\n",
    "\n",
    "\r\n",
    "\r",
    " ",
    "\t",
    "\x0b",
    "\x00",
    "-->",
    " --> ",
    "00:00:01.000",
    "00:01.000",
    "0:00:02,5",
    "99:99:99.999",
    "1",
    ",",
    "NOTE",
    "STYLE",
    "<v Ana>",
    "</v>",
    "<i>",
    "<c.red>",
    "<00:00:01.500>",
    "&amp;",
    "&",
    "{\\i1}",
    "\\N",
    "Ana: ",
    "[Music]",
    "(laughter)",
    "word",
    "é",
    "\ufeff",
]

structured = st.lists(st.sampled_from(FRAGMENTS), max_size=60).map(
    lambda parts: "".join(parts).encode("utf-8")
)
fuzz_settings = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def _parse_or_refuse(data: bytes, strict: bool) -> None:
    try:
        result = parse_transcript(data, "fuzz.vtt", strict=strict)
    except TranscriptError as error:
        assert error.problems
        assert all(problem.file == "fuzz.vtt" for problem in error.problems)
        return
    assert result.format in ("vtt", "srt", "sbv")
    assert all(w.file == "fuzz.vtt" and (w.line is None or w.line >= 1) for w in result.warnings)
    for cue in result.cues:
        assert cue.text and cue.text == " ".join(cue.text.split())
        assert 0 <= cue.start_ms <= cue.end_ms
        assert not (cue.sound and cue.speaker)


@fuzz_settings
@given(st.binary(max_size=400), st.booleans())
def test_any_bytes(data, strict):
    _parse_or_refuse(data, strict)


@fuzz_settings
@given(structured, st.booleans())
def test_transcript_shaped_bytes(data, strict):
    _parse_or_refuse(data, strict)


@fuzz_settings
@given(structured)
def test_lenient_keeps_at_least_what_strict_accepts(data):
    try:
        strict = parse_transcript(data, "fuzz.vtt")
    except TranscriptError:
        return
    assert parse_transcript(data, "fuzz.vtt", strict=False).cues == strict.cues
