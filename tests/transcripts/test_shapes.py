"""Every transcript shape the archive reads, on our own files in tests/fixtures/transcripts/.

They stand in for the third-party samples of the conformance run, so a fresh clone with
nothing beside it still tests YouTube rolling captions, Zoom prefixes, voice spans, styled
SRT, SBV, Windows-1252 and UTF-16 files, and strict against lenient import.
"""

from __future__ import annotations

import codecs
import re
from collections import Counter
from itertools import pairwise

import pytest

from festival.transcripts import TranscriptError, parse_transcript, parse_webvtt_raw
from festival.transcripts.normalise import clean_text
from festival.transcripts.writers import to_vtt

# What the speaker of youtube-auto-captions.vtt says, one line per caption window.
YOUTUBE_LINES = [
    "good morning and welcome to harbourlight",
    "today I want to talk about seed libraries",
    "the first one opened in a village hall",
    "neighbours brought beans squash and tomatoes",
    "every packet carried a handwritten story",
    "borrowers return seeds after each harvest",
    "so the collection grows without any budget",
    "thank you for listening this morning",
]


def _parse(fixture_path, name: str, strict: bool = True):
    path = fixture_path(name)
    return parse_transcript(path.read_bytes(), path.name, strict=strict)


def _speech_words(cues) -> list[str]:
    return " ".join(cue.text for cue in cues if not cue.sound).split()


def _repeated_phrases(words: list[str], size: int) -> list[tuple[str, ...]]:
    counts = Counter(tuple(words[i : i + size]) for i in range(len(words) - size + 1))
    return [phrase for phrase, count in counts.items() if count > 1]


def test_youtube_rolling_captions_store_each_spoken_word_once(fixture_path):
    path = fixture_path("youtube-auto-captions.vtt")
    raw = parse_webvtt_raw(path.read_bytes(), path.name)
    raw_words = sum(len(clean_text(cue["text"]).split()) for cue in raw)
    spoken = " ".join(YOUTUBE_LINES).split()
    assert len(raw) == 17
    assert sum(1 for cue in raw if round((cue["end"] - cue["start"]) * 1000) == 10) == 8
    assert raw_words > 2 * len(spoken), "the file repeats every line, as YouTube does"

    parsed = _parse(fixture_path, "youtube-auto-captions.vtt")
    assert [cue.text for cue in parsed.cues] == YOUTUBE_LINES
    assert _speech_words(parsed.cues) == spoken
    assert _repeated_phrases(_speech_words(parsed.cues), size=3) == []
    assert all(cue.end_ms - cue.start_ms > 10 for cue in parsed.cues)
    assert {cue.speaker for cue in parsed.cues} == {None}
    assert parsed.warnings == []


def test_youtube_cue_starts_at_its_first_new_word(fixture_path):
    parsed = _parse(fixture_path, "youtube-auto-captions.vtt")
    assert [(cue.start_ms, cue.end_ms) for cue in parsed.cues] == [
        (80, 2100),
        (2110, 4770),
        (4780, 7440),
        (7450, 9470),
        (10080, 12100),  # the window opens at 9.48 s; "every" is said at 10.08 s
        (12110, 14130),
        (14140, 16480),
        (16490, 18510),
    ]
    path = fixture_path("youtube-auto-captions.vtt")
    raw_starts = [cue["start"] for cue in parse_webvtt_raw(path.read_bytes(), path.name)]
    assert 9.48 in raw_starts


def test_zoom_name_prefixes_become_speakers(fixture_path):
    parsed = _parse(fixture_path, "zoom-panel.vtt")
    assert parsed.format == "vtt"
    assert Counter(cue.speaker for cue in parsed.cues) == {
        "Marta Quill": 4,
        "Tomasz Brandt": 4,
        "Aoife O'Brien-Lutz": 3,
    }
    assert parsed.cues[0].text == "Good evening, and welcome to the lantern makers panel."
    assert not any(re.match(r"[A-Z][\w'-]+ [A-Z][\w'-]+:", cue.text) for cue in parsed.cues)
    rain = next(cue for cue in parsed.cues if "rain" in cue.text)
    assert rain.speaker == "Aoife O'Brien-Lutz"
    assert rain.text == "It has to survive rain: the willow frame flexes, the paper doesn't."
    assert parsed.warnings == []


def test_zoom_unprefixed_cues_continue_the_previous_speaker(fixture_path):
    cues = _parse(fixture_path, "zoom-panel.vtt").cues
    for text, speaker in (("And a lot of glue.", "Tomasz Brandt"), ("Yes.", "Aoife O'Brien-Lutz")):
        index = next(i for i, cue in enumerate(cues) if cue.text == text)
        assert cues[index].speaker == cues[index - 1].speaker == speaker


def test_voice_spans_in_one_cue_become_one_cue_each(fixture_path):
    cues = _parse(fixture_path, "voices-poetry-tent.vtt").cues
    same_timing = [c for c in cues if (c.start_ms, c.end_ms) == (4000, 6500)]
    assert [(c.speaker, c.text, c.sound) for c in same_timing] == [
        ("Idris Fenn", "It is now!", False),  # <v.loud Idris Fenn>: the class is not the name
        ("Rosa Lind", "Good, thank you.", False),
        (None, "Laughter", True),
    ]
    assert cues[-1].speaker == "Idris Fenn"  # <v.quiet.aside Idris Fenn>
    assert Counter(c.speaker for c in cues) == {"Rosa Lind": 5, "Idris Fenn": 3, None: 2}


def test_voice_cues_keep_overlaps_sounds_and_italic_speech(fixture_path):
    parsed = _parse(fixture_path, "voices-poetry-tent.vtt")
    cues = parsed.cues
    sounds = [(c.start_ms, c.text) for c in cues if c.sound]
    assert sounds == [(4000, "Laughter"), (15000, "[Music]")]
    assert all(c.speaker is None for c in cues if c.sound)
    overlapping = [
        (a.start_ms, b.start_ms) for a, b in pairwise(cues) if a.start_ms < b.start_ms < a.end_ms
    ]
    assert overlapping == [(6500, 10200), (10200, 11500), (18000, 22500)]
    poem = next(c for c in cues if c.start_ms == 18000)
    assert (poem.speaker, poem.sound) == ("Rosa Lind", False), "a long italic line is speech"
    two_lines = next(c for c in cues if c.start_ms == 6500)
    assert two_lines.text == "My first poem tonight is about the ferry that stopped running."
    assert not any("NOTE" in c.text or "Poetry tent" in c.text for c in cues)
    assert parsed.warnings == []


def test_srt_html_tags_and_ssa_overrides_are_removed(fixture_path):
    parsed = _parse(fixture_path, "styled-walk.srt")
    assert parsed.format == "srt"
    assert [c.text for c in parsed.cues] == [
        "[Bird noises]",
        "Welcome to the dawn chorus walk.",
        "We stop at three places: the reed bed, the old orchard and the weir.",
        "Listen for the wren: it is tiny but very loud.",
        "Arrows on the map point left (<) to the weir, and more birds than people (3 > 2) "
        "makes a good morning.",
        "Mind the roots on the path by the stile.",
        "That is the end of our walk.",
        "[Applause]",
    ]
    assert {c.speaker for c in parsed.cues} == {None}, "'places:' is not a speaker"
    assert parsed.warnings == []


def test_srt_mixed_separators_and_sound_events(fixture_path):
    cues = _parse(fixture_path, "styled-walk.srt").cues
    assert [(c.start_ms, c.end_ms, c.sound) for c in cues] == [
        (500, 3200, True),
        (3600, 7150, False),
        (7400, 11900, False),  # `.` before the milliseconds
        (12250, 16000, False),
        (16300, 20480, False),  # `.` then `,` on one timing line
        (21000, 24000, False),
        (24500, 28000, False),
        (24500, 28000, True),  # a trailing [Applause] is its own sound at the same time
    ]


def test_sbv_multiline_text_and_a_cue_that_ends_before_it_starts(fixture_path):
    for strict in (True, False):
        parsed = _parse(fixture_path, "clay-workshop.sbv", strict=strict)
        assert parsed.format == "sbv"
        assert [(c.start_ms, c.end_ms, c.text) for c in parsed.cues] == [
            (400, 3100, "Welcome to the clay workshop."),
            (3500, 7900, "Today we throw bowls on the wheel, then we glaze them tomorrow."),
            (8200, 11000, "Keep your hands wet and your elbows on your knees."),
            (12600, 12600, "Centre the clay before you open it."),
            (13000, 16250, "Slowly now. Let the wheel do the work."),
        ]
        (warning,) = parsed.warnings
        assert (warning.file, warning.line) == ("clay-workshop.sbv", 12)
        assert "before it starts" in warning.message


def test_windows_1252_file_names_its_first_non_utf8_line(fixture_path):
    data = fixture_path("cp1252-night-market.srt").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # the fixture really is Windows-1252
    parsed = _parse(fixture_path, "cp1252-night-market.srt")
    assert (parsed.format, parsed.encoding) == ("srt", "windows-1252")
    assert [c.text for c in parsed.cues] == [
        "Good afternoon from the night market.",
        "The crêpe stall sells out by nine – come early.",
        "Tokens cost €2; they’re valid all weekend.",
    ]
    (warning,) = parsed.warnings
    assert (warning.file, warning.line) == ("cp1252-night-market.srt", 7)
    assert "Windows-1252" in warning.message


def test_utf16_file_with_a_byte_order_mark(fixture_path):
    data = fixture_path("utf16-welcome.vtt").read_bytes()
    assert data.startswith(codecs.BOM_UTF16_LE) and "\r\n".encode("utf-16-le") in data
    parsed = _parse(fixture_path, "utf16-welcome.vtt")
    assert (parsed.format, parsed.encoding) == ("vtt", "utf-16-le")
    assert [(c.speaker, c.text) for c in parsed.cues] == [
        ("Søren Ødegård", "Velkommen, and welcome to Kyoto: 歓迎."),
        ("Zoë Ní Bhriain", "Fáilte — our stage is the old tram depot."),
    ]
    assert parsed.warnings == []
    with pytest.raises(TranscriptError):
        parse_webvtt_raw(data, "utf16-welcome.vtt")  # browsers read text tracks as UTF-8 only


DAMAGED_LINES = [6, 9, 15, 18]  # short fraction, 61 minutes, `->`, SRT commas


def test_strict_import_names_the_file_and_line_of_each_damaged_timing(fixture_path):
    with pytest.raises(TranscriptError) as caught:
        _parse(fixture_path, "damaged-timings.vtt")
    problems = caught.value.problems
    assert [(p.file, p.line) for p in problems] == [
        ("damaged-timings.vtt", line) for line in DAMAGED_LINES
    ]
    assert all("damaged cue timing line" in p.message for p in problems)
    assert str(problems[1]).startswith("damaged-timings.vtt:9: damaged cue timing line '00:61:")


def test_lenient_import_keeps_what_a_browser_shows_and_warns_with_lines(fixture_path):
    path = fixture_path("damaged-timings.vtt")
    shown = [clean_text(cue["text"]) for cue in parse_webvtt_raw(path.read_bytes(), path.name)]
    parsed = _parse(fixture_path, "damaged-timings.vtt", strict=False)
    assert (
        [c.text for c in parsed.cues]
        == shown
        == [
            "The tide tables are pinned by the door.",
            "Low water is at ten past four.",
            "High water is at twenty to eleven.",
        ]
    )
    assert [(w.file, w.line) for w in parsed.warnings] == [
        ("damaged-timings.vtt", line) for line in DAMAGED_LINES
    ]


def test_every_fixture_gives_clean_cues_each_once(fixture_path, transcript_fixture):
    cues = _parse(fixture_path, transcript_fixture, strict=False).cues
    assert cues
    keys = [(c.start_ms, c.speaker, c.text) for c in cues]
    assert len(keys) == len(set(keys))
    assert all(a.text != b.text for a, b in pairwise(cues) if not a.sound)
    assert all(c.text and c.text == " ".join(c.text.split()) for c in cues)
    assert all(0 <= c.start_ms <= c.end_ms and not (c.sound and c.speaker) for c in cues)
    assert [c.start_ms for c in cues] == sorted(c.start_ms for c in cues)


def test_every_fixture_written_as_vtt_parses_to_the_same_cues(fixture_path, transcript_fixture):
    path = fixture_path(transcript_fixture)
    cues = parse_transcript(path.read_bytes(), path.name, strict=False).cues
    again = parse_transcript(to_vtt(cues, title=path.stem).encode(), "download.vtt")
    assert again.cues == cues
    assert again.warnings == []
