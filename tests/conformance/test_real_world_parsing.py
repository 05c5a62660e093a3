"""Every real-world sample: the speakers, cues and words an organiser would expect stored."""

from __future__ import annotations

import re
from collections import Counter
from itertools import pairwise

from festival.transcripts import parse_transcript, parse_webvtt_raw


def _parse(real_world, relative: str, strict: bool = True):
    path = real_world / relative
    return parse_transcript(path.read_bytes(), path.name, strict=strict)


def _speech_words(cues) -> list[str]:
    return " ".join(cue.text for cue in cues if not cue.sound).split()


def _repeated_phrases(words: list[str], size: int = 5) -> list[tuple]:
    counts = Counter(tuple(words[i : i + size]) for i in range(len(words) - size + 1))
    return [phrase for phrase, count in counts.items() if count > 1]


def test_zoom_speakers_come_from_name_prefixes(real_world):
    parsed = _parse(real_world, "zoom/zoomgroupstats-meeting001.transcript.vtt")
    assert parsed.format == "vtt"
    assert len(parsed.cues) == 113
    assert Counter(cue.speaker for cue in parsed.cues) == {
        "Paul McCartney": 63,
        "Andrew Knight": 39,
        "John Lennon": 7,
        "George Harrison": 3,
        "Ringo Starr": 1,
    }
    assert parsed.cues[0].text == "Okay, so we're recording. We're streaming"
    assert not any(re.match(r"[A-Z][a-z]+ [A-Z][a-z]+: ", cue.text) for cue in parsed.cues)
    assert len(_speech_words(parsed.cues)) == 2493
    assert parsed.warnings == []


def test_zoom_unprefixed_cues_continue_the_previous_speaker(real_world):
    cues = _parse(real_world, "zoom/zoomgroupstats-meeting001.transcript.vtt").cues
    for text in ("And that", "Yes. Okay."):
        index = next(i for i, cue in enumerate(cues) if cue.text == text)
        assert cues[index].speaker == cues[index - 1].speaker == "Andrew Knight"


def test_youtube_current_auto_captions_store_each_word_once(real_world):
    relative = "youtube-auto/teamdman-vtt-test.en.vtt"
    raw = parse_webvtt_raw((real_world / relative).read_bytes(), "t.vtt")
    raw_words = sum(len(re.sub(r"<[^>]*>", "", cue["text"]).split()) for cue in raw)
    assert (len(raw), raw_words) == (26, 218)

    parsed = _parse(real_world, relative)
    words = _speech_words(parsed.cues)
    assert len(parsed.cues) == 13
    assert len(words) == 80
    assert _repeated_phrases(words, size=3) == []
    assert all(cue.end_ms - cue.start_ms > 10 for cue in parsed.cues)
    assert [(c.start_ms, c.text) for c in parsed.cues[:2]] == [
        (80, "when I started working on embedded"),
        (1319, "systems over 10 years ago the developer"),
    ]
    assert parsed.cues[-1].text == "degrees even though you're saying that's"
    assert {cue.speaker for cue in parsed.cues} == {None}


def test_youtube_dl_auto_captions_keep_new_words_only(real_world):
    parsed = _parse(real_world, "youtube-auto/webvtt-py-youtube_dl.vtt")
    assert [(c.start_ms, c.end_ms, c.text) for c in parsed.cues] == [
        (286070, 286470, "yeah"),
        (286470, 304080, "what"),
        (304080, 305069, "this will happen is I'm telling"),
    ]
    assert parsed.warnings == []


def test_voice_spans_each_become_a_cue_and_laughter_is_a_sound(real_world):
    parsed = _parse(real_world, "voice/vttjs-cycle-collector-talk.vtt")
    assert len(parsed.cues) == 17
    assert Counter(c.speaker for c in parsed.cues) == {"Kyle Huey": 15, "Chris Pearce": 1, None: 1}
    same_timing = [c for c in parsed.cues if (c.start_ms, c.end_ms) == (4000, 5000)]
    assert [(c.speaker, c.text, c.sound) for c in same_timing] == [
        ("Chris Pearce", "Okay, we're good now.", False),
        ("Kyle Huey", "Oh, now we're good?", False),
        (None, "Laughter", True),
    ]
    assert parsed.cues[0].text.startswith("Not ready yet?")
    assert parsed.cues[4].text.startswith("So thanks again for coming. I'm going")
    assert len(_speech_words(parsed.cues)) == 232


def test_interview_keeps_overlapping_cues_and_laughs(real_world):
    parsed = _parse(real_world, "voice/vttjs-spec-example.vtt")
    assert len(parsed.cues) == 13
    assert Counter(c.speaker for c in parsed.cues) == {
        "Roger Bingham": 11,
        "Neil deGrasse Tyson": 1,
        None: 1,
    }
    laughs = [c for c in parsed.cues if c.sound]
    assert [(c.start_ms, c.text, c.speaker) for c in laughs] == [(32500, "Laughs", None)]
    overlapping = [(a, b) for a, b in pairwise(parsed.cues) if b.start_ms < a.end_ms]
    assert len(overlapping) == 3
    assert len(_speech_words(parsed.cues)) == 89


def test_popcorn_unit_srt_is_cleaned_of_tags_and_ssa(real_world):
    parsed = _parse(real_world, "srt/popcorn-unit.srt")
    assert parsed.format == "srt"
    assert [c.text for c in parsed.cues] == [
        "[Background Music Playing]",
        "Oh my god, Watch out! It's coming!!",
        "[Bird noises]",
        "This text is RED and has not been positioned.",
        "This is a new line, as is this",
        "This contains nested bold, italic, underline and strike-through HTML tags",
        "Unclosed but supported HTML tags are left in, SSA italics aren't",
        "Unsupported HTML tags are escaped and left in, even if not closed.",
        "Multiple SSA tags are stripped",
        "Greater than (<) and less than (>) are shown",
    ]
    assert [c.sound for c in parsed.cues].count(True) == 2
    assert (parsed.cues[1].start_ms, parsed.cues[1].end_ms) == (15712, 17399)


def test_popcorn_data_srt_mixes_separators_and_keeps_comparisons(real_world):
    parsed = _parse(real_world, "srt/popcorn-data.srt")
    assert [(c.start_ms, c.end_ms, c.sound) for c in parsed.cues] == [
        (2400, 5200, True),
        (6000, 13700, False),
        (15712, 17399, False),
        (25712, 30399, True),
    ]
    assert parsed.cues[1].text == "To say that 2 is greater than three (3 > 2) would be lying"


def test_sbv_sample_reports_the_cue_that_ends_before_it_starts(real_world):
    parsed = _parse(real_world, "sbv/webvtt-py-sample.sbv")
    assert parsed.format == "sbv"
    assert len(parsed.cues) == 5
    assert parsed.cues[2].text == "Caption text #3 (line 1) Caption text #3 (line 2)"
    assert (parsed.cues[4].start_ms, parsed.cues[4].end_ms) == (17484, 17484)
    assert [(w.line, "before it starts" in w.message) for w in parsed.warnings] == [(14, True)]


def test_popcorn_sbv(real_world):
    parsed = _parse(real_world, "sbv/popcorn-data.sbv")
    assert [(c.start_ms, c.end_ms, c.text) for c in parsed.cues] == [
        (2400, 7200, "Senator, we're making our final approach into Coruscant."),
        (9712, 13399, "Very good, Lieutenant."),
        (15042, 18042, "It's a trap!"),
    ]


def test_no_cue_is_stored_twice(real_world, sample):
    cues = _parse(real_world, sample).cues
    keys = [(c.start_ms, c.speaker, c.text) for c in cues]
    assert len(keys) == len(set(keys))
    assert all(a.text != b.text for a, b in pairwise(cues) if not a.sound)
    assert all(c.text and c.text == " ".join(c.text.split()) for c in cues)
