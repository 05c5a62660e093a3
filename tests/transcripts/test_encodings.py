"""Byte order marks, UTF-16, the Windows-1252 fallback, NUL and every line ending."""

from __future__ import annotations

import codecs

import pytest

from festival.transcripts import parse_transcript

TEXT = "WEBVTT\n\n00:01.000 --> 00:02.000\n<v Zoë>Café — naïve\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
        (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "utf-16-le"),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16-be"),
    ],
)
def test_unicode_encodings(data, encoding):
    parsed = parse_transcript(data, "t.vtt")
    assert parsed.encoding == encoding
    assert [(c.speaker, c.text) for c in parsed.cues] == [("Zoë", "Café — naïve")]
    assert parsed.warnings == []


def test_windows_1252_is_a_fallback_with_a_warning_naming_the_line():
    parsed = parse_transcript(TEXT.encode("windows-1252"), "t.vtt")
    assert parsed.encoding == "windows-1252"
    assert parsed.cues[0].text == "Café — naïve"
    assert [(w.line, "Windows-1252" in w.message) for w in parsed.warnings] == [(4, True)]


@pytest.mark.parametrize("newline", [b"\n", b"\r\n", b"\r"])
def test_line_endings(newline):
    data = TEXT.encode().replace(b"\n", newline)
    assert parse_transcript(data, "t.vtt").cues[0].text == "Café — naïve"


def test_nul_becomes_replacement_character():
    data = b"WEBVTT\n\n00:01.000 --> 00:02.000\nnul\x00here\n"
    assert parse_transcript(data, "t.vtt").cues[0].text == "nul\ufffdhere"


def test_damaged_utf16_is_read_with_a_warning():
    data = codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le") + b"\x00"
    parsed = parse_transcript(data, "t.vtt")
    assert parsed.cues[0].text == "Café — naïve \ufffd"
    assert any("U+FFFD" in w.message for w in parsed.warnings)


def test_utf8_lines_stay_utf8_when_other_lines_are_windows_1252():
    data = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Zoë>Good UTF-8 first.\n\n".encode()
    data += "00:00:02.000 --> 00:00:03.000\n<v Zoë>Then a caf\xe9 line.\n".encode("windows-1252")
    parsed = parse_transcript(data, "mixed.vtt")
    assert [(c.speaker, c.text) for c in parsed.cues] == [
        ("Zoë", "Good UTF-8 first."),
        ("Zoë", "Then a café line."),
    ]
    (warning,) = parsed.warnings
    assert warning.line == 7 and "Windows-1252" in warning.message
