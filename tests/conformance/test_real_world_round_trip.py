"""Every real-world sample written back as our WebVTT download parses to the same cues."""

from __future__ import annotations

from festival.transcripts import parse_transcript
from festival.transcripts.writers import to_vtt


def test_vtt_round_trip_of_every_sample(real_world, sample):
    path = real_world / sample
    cues = parse_transcript(path.read_bytes(), path.name, strict=False).cues
    again = parse_transcript(to_vtt(cues, title=path.stem).encode(), "download.vtt")
    assert again.cues == cues
    assert again.warnings == []
