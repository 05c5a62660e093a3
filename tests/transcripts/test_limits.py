"""Limits refuse oversized transcripts with a message naming the limit."""

from __future__ import annotations

import pytest

from festival.transcripts import DEFAULT_LIMITS, Limits, TranscriptError, parse_transcript


def _vtt(cues: int, text: str = "words") -> bytes:
    blocks = [
        f"00:{i // 60 % 60:02d}:{i % 60:02d}.000 --> 00:{i // 60 % 60:02d}:{i % 60:02d}.500\n{text}"
        for i in range(cues)
    ]
    return ("WEBVTT\n\n" + "\n\n".join(blocks) + "\n").encode()


def test_defaults():
    assert DEFAULT_LIMITS.max_bytes == 20 * 1024 * 1024
    assert DEFAULT_LIMITS.max_cues >= 50_000


def test_file_size_limit():
    with pytest.raises(TranscriptError) as caught:
        parse_transcript(_vtt(10), "big.vtt", limits=Limits(max_bytes=100))
    assert "max_bytes" in str(caught.value)
    assert str(caught.value).startswith("big.vtt: file is ")


def test_cue_count_limit():
    with pytest.raises(TranscriptError) as caught:
        parse_transcript(_vtt(11), "many.vtt", limits=Limits(max_cues=10))
    assert "11 cues" in str(caught.value) and "max_cues" in str(caught.value)
    assert len(parse_transcript(_vtt(10), "ok.vtt", limits=Limits(max_cues=10)).cues) == 10


def test_cue_length_limit_names_the_cue_line():
    with pytest.raises(TranscriptError) as caught:
        parse_transcript(
            _vtt(2, "x" * 51), "long.vtt", limits=Limits(max_cue_chars=50), strict=False
        )
    assert [p.line for p in caught.value.problems] == [3, 6]
    assert "max_cue_chars" in caught.value.problems[0].message
