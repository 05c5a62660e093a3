"""Cue text to plain text, voices to speakers, sound events, Zoom prefixes."""

from __future__ import annotations

import pytest

from festival.transcripts import Cue, parse_transcript


def _vtt(*cue_texts: str) -> bytes:
    blocks = [
        f"00:00:{i:02d}.000 --> 00:00:{i:02d}.900\n{text}" for i, text in enumerate(cue_texts)
    ]
    return ("WEBVTT\n\n" + "\n\n".join(blocks) + "\n").encode()


def _cues(*cue_texts: str) -> list[Cue]:
    return parse_transcript(_vtt(*cue_texts), "t.vtt").cues


@pytest.mark.parametrize(
    ("raw", "plain"),
    [
        ("<b>bold</b> and <i.loud>italic</i> words", "bold and italic words"),
        ("fish &amp; chips &lt;b&gt; &gt; 3", "fish & chips <b> > 3"),
        ("when<00:00:00.199><c> I</c><00:00:00.280><c> started</c>", "when I started"),
        ("a {\\pos(1,2)\\b1}styled\\Nline\\nbreak", "a styled line break"),
        ("  lots \t of\u00a0 space \n here  ", "lots of space here"),
        ("<c.colorCCCCCC>coloured</c> text", "coloured text"),
        ("x < y and y > z", "x < y and y > z"),
        ("<ruby>漢<rt>kan</rt></ruby>", "漢kan"),
    ],
)
def test_text_is_cleaned(raw, plain):
    assert [cue.text for cue in _cues(raw)] == [plain]


def test_two_voices_become_two_cues_with_the_same_timing():
    cues = _cues("<v Ana>Hello there.</v> <v.loud Ben Okri>Hi Ana!")
    assert [(c.start_ms, c.end_ms, c.speaker, c.text) for c in cues] == [
        (0, 900, "Ana", "Hello there."),
        (0, 900, "Ben Okri", "Hi Ana!"),
    ]


def test_voice_names_decode_entities():
    assert _cues("<v Fish &amp; Chips>yes")[0].speaker == "Fish & Chips"


@pytest.mark.parametrize(
    ("raw", "text"),
    [("[Music]", "[Music]"), ("(laughter)", "(laughter)"), ("<i>Laughter</i>", "Laughter")],
)
def test_sound_events_are_kept_without_speaker(raw, text):
    cues = _cues(f"<v Ana>{raw}")
    assert [(c.text, c.speaker, c.sound) for c in cues] == [(text, None, True)]


def test_long_italic_or_parenthesised_text_is_speech():
    cues = _cues("<i>this whole line is in italics</i>", "(and this is an aside of seven words)")
    assert [c.sound for c in cues] == [False, False]


def test_leading_sound_event_is_split_from_speech():
    cues = _cues("<v Ana>[Applause] Thank you all.")
    assert [(c.text, c.speaker, c.sound) for c in cues] == [
        ("[Applause]", None, True),
        ("Thank you all.", "Ana", False),
    ]


def test_empty_cues_are_dropped():
    assert [c.text for c in _cues("<b> </b>", "kept", "&nbsp;")] == ["kept"]


def test_zoom_prefixes_become_speakers_when_most_cues_have_one():
    cues = _cues("Ana Lima: Welcome.", "Ben: Thanks.", "and more from Ben", "Ana Lima: Bye.")
    assert [(c.speaker, c.text) for c in cues] == [
        ("Ana Lima", "Welcome."),
        ("Ben", "Thanks."),
        ("Ben", "and more from Ben"),
        ("Ana Lima", "Bye."),
    ]


def test_note_is_not_a_speaker_in_an_unprefixed_file():
    cues = _cues("Welcome everyone.", "Note: the slides are online.", "Let us begin.")
    assert [c.speaker for c in cues] == [None, None, None]
    assert cues[1].text == "Note: the slides are online."


def test_voice_tags_win_over_prefixes():
    cues = _cues("<v Ana>Note: this is Ana", "<v Ana>Ben: said that")
    assert [(c.speaker, c.text) for c in cues] == [
        ("Ana", "Note: this is Ana"),
        ("Ana", "Ben: said that"),
    ]


def test_cues_are_ordered_by_start_and_overlaps_kept():
    data = b"WEBVTT\n\n00:05.000 --> 00:09.000\nlater\n\n00:01.000 --> 00:06.000\nearlier\n"
    cues = parse_transcript(data, "t.vtt").cues
    assert [(c.start_ms, c.end_ms, c.text) for c in cues] == [
        (1000, 6000, "earlier"),
        (5000, 9000, "later"),
    ]


def test_tags_that_merely_start_with_v_do_not_change_the_speaker():
    cues = _cues("<v Ana>one <video>two</video> three")
    assert [(c.speaker, c.text) for c in cues] == [("Ana", "one two three")]
