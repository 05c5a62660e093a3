"""Where transcripts are parsed: WebVTT, SRT and SBV bytes in, normalised cues out.

`parse_transcript` is the one entry point for import, organiser uploads and the CLI;
`parse_webvtt_raw` gives what a browser's WebVTT parser sees; `writers` turns cues back
into VTT, SRT and plain text.
"""

from festival.transcripts.limits import DEFAULT_LIMITS, Limits
from festival.transcripts.model import Cue, ParsedTranscript, TranscriptError
from festival.transcripts.parse import parse_transcript, parse_webvtt_raw

__all__ = [
    "DEFAULT_LIMITS",
    "Cue",
    "Limits",
    "ParsedTranscript",
    "TranscriptError",
    "parse_transcript",
    "parse_webvtt_raw",
]
