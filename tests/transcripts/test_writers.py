"""Downloads: VTT that parses back to the same cues, SRT with name prefixes, readable text."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from festival.transcripts import Cue, TranscriptError, parse_transcript
from festival.transcripts.writers import to_srt, to_txt, to_vtt

CUES = [
    Cue(0, 1500, "Welcome & hello <everyone> --> now", "Ana & Bo"),
    Cue(1500, 2000, "Laughter", None, True),
    Cue(2000, 3000, "[Music]", None, True),
    Cue(3000, 4000, "No speaker here."),
    Cue(95000, 97250, "Much later.", "Ana & Bo"),
    Cue(97250, 98000, "And more.", "Ana & Bo"),
]


def test_vtt_round_trip_keeps_speakers_sounds_and_escapes():
    vtt = to_vtt(CUES, title="A title")
    assert vtt.startswith("WEBVTT - A title\n\n00:00:00.000 --> 00:00:01.500\n")
    assert "<v Ana &amp; Bo>Welcome &amp; hello &lt;everyone&gt; --&gt; now</v>" in vtt
    assert "\n<i>Laughter</i>\n" in vtt
    assert parse_transcript(vtt.encode(), "t.vtt").cues == CUES


def test_srt():
    srt = to_srt(CUES[:2])
    assert srt == (
        "1\n00:00:00,000 --> 00:00:01,500\nAna & Bo: Welcome & hello <everyone> --> now\n\n"
        "2\n00:00:01,500 --> 00:00:02,000\n<i>Laughter</i>\n"
    )


def test_txt_groups_a_speakers_consecutive_cues():
    assert to_txt(CUES) == (
        "[00:00:00] Ana & Bo: Welcome & hello <everyone> --> now\n\n"
        "[00:00:01] (Laughter)\n\n"
        "[00:00:02] [Music]\n\n"
        "[00:00:03] No speaker here.\n\n"
        "[00:01:35] Ana & Bo: Much later. And more.\n"
    )


def test_empty():
    assert parse_transcript(to_vtt([]).encode(), "e.vtt").cues == []
    assert (to_srt([]), to_txt([])) == ("", "")


words = st.text(
    alphabet=st.characters(blacklist_categories=["Cs", "Cc"]), min_size=1, max_size=30
).map(lambda text: " ".join(text.split()))


@settings(max_examples=200, deadline=None)
@given(st.lists(words, max_size=8), st.lists(st.sampled_from([None, "Ana", "Bo <&> Li"])))
def test_vtt_round_trip_of_parsed_cues(texts, speakers):
    """Whatever text and speakers cues carry, writing them and parsing again changes nothing."""
    source = "WEBVTT\n\n" + "".join(
        f"00:00:{i:02d}.000 --> 00:00:{i:02d}.500\n{text}\n\n" for i, text in enumerate(texts)
    )
    try:
        parsed = parse_transcript(source.encode(), "t.vtt", strict=False).cues
    except TranscriptError:
        return
    speakers = speakers or [None]
    cues = [
        replace(cue, speaker=None if cue.sound else speakers[i % len(speakers)])
        for i, cue in enumerate(parsed)
    ]
    assert parse_transcript(to_vtt(cues).encode(), "t.vtt").cues == cues
