"""The one way a transcript file becomes normalised cues, whatever its format."""

from __future__ import annotations

from festival.errors import Problem
from festival.transcripts.confidence import confidence_in
from festival.transcripts.decoding import DecodedText, decode_as_browser, decode_transcript
from festival.transcripts.detection import detect_format
from festival.transcripts.limits import DEFAULT_LIMITS, Limits, check_size, cue_limit_problems
from festival.transcripts.model import Cue, ParsedTranscript, TranscriptError
from festival.transcripts.normalise import pieces_of
from festival.transcripts.sbv import read_sbv
from festival.transcripts.source import SourceCue
from festival.transcripts.speakers import assign_prefixed_speakers, label_speakers
from festival.transcripts.srt import read_srt
from festival.transcripts.timecode import format_clock
from festival.transcripts.vtt import read_webvtt
from festival.transcripts.youtube import is_youtube_auto_captions, remove_rolling_lines

_READERS = {"vtt": read_webvtt, "srt": read_srt, "sbv": read_sbv}


def _encoding_warnings(decoded: DecodedText, name: str) -> list[Problem]:
    if decoded.fallback_line is not None:
        others = decoded.fallback_lines - 1
        also = f" (and {others} more line{'s' if others != 1 else ''})" if others else ""
        return [
            Problem(
                name,
                decoded.fallback_line,
                f"not valid UTF-8{also}; such lines were read as Windows-1252, "
                "check their accented letters",
            )
        ]
    if decoded.damaged:
        return [Problem(name, None, f"bytes that are not valid {decoded.encoding} became U+FFFD")]
    return []


def _repair_timings(cues: list[SourceCue], name: str, warnings: list[Problem]) -> None:
    """Give a cue that ends before it starts a zero length, and warn: it is kept, not lost."""
    for cue in cues:
        if cue.end_ms < cue.start_ms:
            warnings.append(
                Problem(
                    name,
                    cue.line,
                    f"cue ends at {format_clock(cue.end_ms)}, before it starts at "
                    f"{format_clock(cue.start_ms)}; its end was set to its start",
                )
            )
            cue.end_ms = cue.start_ms


def _normalise(cues: list[SourceCue]) -> list[Cue]:
    label_speakers(cues)
    result = [
        Cue(
            cue.start_ms,
            cue.end_ms,
            piece.text,
            piece.speaker,
            piece.sound,
            confidence_in(cue.identifier),
            line=cue.line,
        )
        for cue in cues
        for piece in pieces_of(cue.text)
    ]
    result.sort(key=lambda cue: cue.start_ms)
    return assign_prefixed_speakers(result)


def parse_transcript(
    data: bytes, name: str, *, strict: bool = True, limits: Limits = DEFAULT_LIMITS
) -> ParsedTranscript:
    """Parse a WebVTT, SRT or SBV file's bytes into normalised cues.

    `name` is the file name every problem carries. In strict mode (import's default) any
    cue a browser would silently drop is an error; otherwise it becomes a warning and the
    cues a browser would show are kept. Limits are enforced in both modes. A cue that
    ends before it starts is a warning in both modes; it is kept with its end set to its start.

    Raises TranscriptError listing every problem when the file cannot be used.
    """
    check_size(data, name, limits)
    if not data:
        raise TranscriptError([Problem(name, None, "the file is empty")])
    decoded = decode_transcript(data)
    warnings = _encoding_warnings(decoded, name)
    file_format = detect_format(decoded.text, name)
    source = _READERS[file_format](decoded.text, name)
    too_big = cue_limit_problems(source.cues, name, limits)
    if too_big:
        raise TranscriptError(too_big)
    if source.dropped:
        if strict:
            raise TranscriptError(source.dropped)
        warnings.extend(source.dropped)
    cues = source.cues
    _repair_timings(cues, name, warnings)
    if file_format == "vtt" and is_youtube_auto_captions(cues):
        cues = remove_rolling_lines(cues)
    normalised = _normalise(cues)
    if not normalised:
        warnings.append(Problem(name, None, "no cues with text"))
    return ParsedTranscript(file_format, decoded.encoding, normalised, warnings)


def parse_webvtt_raw(data: bytes, name: str) -> list[dict]:
    """Return the cues a browser's WebVTT parser yields: id, start, end (seconds), raw text.

    Raises TranscriptError when a browser rejects the file (no WEBVTT signature).
    """
    source = read_webvtt(decode_as_browser(data), name)
    return [
        {
            "id": cue.identifier,
            "start": cue.start_ms / 1000,
            "end": cue.end_ms / 1000,
            "text": cue.text,
        }
        for cue in source.cues
    ]
