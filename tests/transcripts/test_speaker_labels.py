"""Speakers as captioners label them in SRT: `[Ada Lovelace] words` and `ADA LOVELACE: words`."""

from __future__ import annotations

import pytest

from festival.transcripts import parse_transcript


@pytest.fixture
def parse(fixture_path):
    return lambda name: parse_transcript(fixture_path(name).read_bytes(), name)


def _said(parsed) -> list[tuple[str | None, str, bool]]:
    return [(cue.speaker, cue.text, cue.sound) for cue in parsed.cues]


def test_bracketed_names_are_speakers_and_carry_on_until_the_next_name(parse):
    assert _said(parse("bracketed-speakers.srt")) == [
        ("Ada Lovelace", "The engine weaves algebraic patterns", False),
        ("Ada Lovelace", "just as the Jacquard loom weaves flowers and leaves.", False),
        (None, "[Applause]", True),
        ("Charles Babbage", "And it will compute any table we need.", False),
        ("Ada Lovelace", "Provided we give it the cards.", False),
        (None, "[Laughter]", True),
    ]


def test_names_in_capitals_are_speakers_written_as_names(parse):
    parsed = parse("capitals-speakers.srt")
    assert [cue.speaker for cue in parsed.cues] == [
        "Ada Lovelace",
        "Ada Lovelace",
        "Charles Babbage",
        "Charles Babbage",  # `Note:` is not in capitals: words, not a speaker
        "Ada Lovelace",
    ]
    assert parsed.cues[3].text == "Note: the cards come first."
    assert parsed.cues[4].text == "Provided we give it the cards."


@pytest.mark.parametrize(
    "body",
    [
        "[Music] so today we begin\n\n2\n00:00:05,000 --> 00:00:06,000\n[Laughter] right",
        "NOTE: the audio drops here\n\n2\n00:00:05,000 --> 00:00:06,000\nand comes back",
    ],
    ids=["sounds", "a single capitals label"],
)
def test_sounds_and_a_lone_label_are_not_speakers(body):
    data = f"1\n00:00:01,000 --> 00:00:04,000\n{body}\n".encode()
    assert all(cue.speaker is None for cue in parse_transcript(data, "t.srt").cues)
