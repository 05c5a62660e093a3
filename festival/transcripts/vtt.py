"""WebVTT read exactly as a browser reads it (the spec's parser algorithm), line numbers kept.

The spec decides which lines form a cue and whether its timing line is valid; webvtt-py
(`WebVTTCueBlock`) then splits each validated block into identifier and payload. webvtt-py
alone is more lenient than browsers about timing lines, so it never sees an invalid one.
"""

from __future__ import annotations

import re

from webvtt.vtt import WebVTTCueBlock

from festival.errors import Problem
from festival.transcripts.model import TranscriptError
from festival.transcripts.source import SourceCue, SourceParse
from festival.transcripts.timecode import LOOKS_LIKE_CUE_TIMING, MAX_HOUR_DIGITS, milliseconds

# The spec's timestamp: digits are ASCII only, whitespace is space, tab and form feed only.
_TIMESTAMP = r"([0-9]+):([0-9]+)(?::([0-9]+))?\.([0-9]+)"
_TIMINGS = re.compile(rf"[ \t\f]*{_TIMESTAMP}[ \t\f]*-->[ \t\f]*{_TIMESTAMP}")
# The usual shape, which the spec accepts as it stands; anything else takes the full rules.
_USUAL_STAMP = r"(?:([0-9]{2,12}):)?([0-5][0-9]):([0-5][0-9])\.([0-9]{3})(?![0-9])"
_USUAL_TIMINGS = re.compile(rf"[ \t\f]*{_USUAL_STAMP}[ \t\f]*-->[ \t\f]*{_USUAL_STAMP}")
_NOT_CUE_BLOCKS = ("NOTE", "STYLE", "REGION")
TIMING_HELP = "[hh:]mm:ss.ttt --> [hh:]mm:ss.ttt"


def _timestamp_ms(first: str, second: str, third: str | None, fraction: str) -> int | None:
    """Apply the spec's rules for one collected timestamp; None when it is invalid."""
    if len(first) != 2 or int(first) > 59:
        if third is None or len(first) > MAX_HOUR_DIGITS:
            return None
        hours, minutes, seconds = int(first), second, third
    elif third is not None:
        hours, minutes, seconds = int(first), second, third
    else:
        hours, minutes, seconds = 0, first, second
    if len(minutes) != 2 or len(seconds) != 2 or len(fraction) != 3:
        return None
    if int(minutes) > 59 or int(seconds) > 59:
        return None
    return milliseconds(hours, int(minutes), int(seconds), fraction)


def parse_timing_line(line: str) -> tuple[int, int] | None:
    """Return (start_ms, end_ms) of a cue timing line, or None where a browser rejects it."""
    usual = _USUAL_TIMINGS.match(line)
    if usual:
        hours, minutes, seconds, millis, *end = usual.groups("0")
        start_ms = ((int(hours) * 60 + int(minutes)) * 60 + int(seconds)) * 1000 + int(millis)
        hours, minutes, seconds, millis = end
        end_ms = ((int(hours) * 60 + int(minutes)) * 60 + int(seconds)) * 1000 + int(millis)
        return start_ms, end_ms
    match = _TIMINGS.match(line)
    if not match:
        return None
    start = _timestamp_ms(*match.group(1, 2, 3, 4))
    end = _timestamp_ms(*match.group(5, 6, 7, 8))
    if start is None or end is None:
        return None
    return start, end


def has_signature(text: str) -> bool:
    """Tell whether decoded text starts with the WebVTT signature a browser requires."""
    return text.startswith("WEBVTT") and (len(text) == 6 or text[6] in " \t\n")


class _BlockReader:
    """Walks the text block by block, as the spec's "collect a WebVTT block" does."""

    def __init__(self, text: str, name: str):
        self.text = text
        self.name = name
        self.position = 0
        self.line_number = 1
        self.result = SourceParse(cues=[])

    def _next_line(self) -> tuple[str, int, bool]:
        """Consume one line; return it, its number and whether the file ended with it."""
        end = self.text.find("\n", self.position)
        number = self.line_number
        if end == -1:
            line = self.text[self.position :]
            self.position = len(self.text)
            return line, number, True
        line = self.text[self.position : end]
        self.position = end + 1
        self.line_number += 1
        return line, number, False

    def skip_blank_lines(self) -> None:
        while self.position < len(self.text) and self.text[self.position] == "\n":
            self.position += 1
            self.line_number += 1

    def collect_block(self, in_header: bool) -> None:
        """Read one block; keep it as a cue, or note what a browser would drop from it."""
        rewind = (self.position, self.line_number)
        lines: list[str] = []  # the block's lines from its identifier on, for webvtt-py
        buffer_count = 0
        timings: tuple[int, int] | None = None
        timing_line = 0
        seen_arrow = False
        first_line = ""
        first_number = self.line_number
        line_count = 0
        while True:
            line, number, at_end = self._next_line()
            line_count += 1
            if line_count == 1:
                first_line = line
            if "-->" in line:
                if in_header or not (line_count == 1 or (line_count == 2 and not seen_arrow)):
                    self.position, self.line_number = rewind
                    break
                seen_arrow = True
                rewind = (self.position, self.line_number)
                timing_line = number
                timings = parse_timing_line(line)
                if timings is None:
                    self.result.drop_damaged_timing(self.name, number, line, TIMING_HELP)
                else:
                    lines = lines[-buffer_count:] if buffer_count else []
                    lines.append(line)
                    buffer_count = 0
            elif not line:
                break
            else:
                lines.append(line)
                buffer_count += 1
                rewind = (self.position, self.line_number)
            if at_end:
                break
        if timings is not None:
            self._keep_cue(lines, timings, timing_line)
        elif not seen_arrow and not in_header and not first_line.startswith(_NOT_CUE_BLOCKS):
            if LOOKS_LIKE_CUE_TIMING.match(first_line.strip()):
                self.result.drop_damaged_timing(self.name, first_number, first_line, TIMING_HELP)
            else:
                self.result.drop_stray_text(self.name, first_number, first_line)

    def _keep_cue(self, lines: list[str], timings: tuple[int, int], timing_line: int) -> None:
        block = WebVTTCueBlock.from_lines(lines)
        self.result.cues.append(
            SourceCue(
                identifier=block.identifier or "",
                start_ms=timings[0],
                end_ms=timings[1],
                text="\n".join(block.payload),
                line=timing_line,
            )
        )


def read_webvtt(text: str, name: str) -> SourceParse:
    """Parse decoded WebVTT text (LF line ends, no NUL) into the cues a browser shows.

    Raises TranscriptError when a browser rejects the file (no `WEBVTT` signature).
    """
    if not has_signature(text):
        raise TranscriptError(
            [
                Problem(
                    name,
                    1,
                    "not a WebVTT file: the first line must start with 'WEBVTT' followed by "
                    "a space, a tab or the line end (browsers reject anything else)",
                )
            ]
        )
    reader = _BlockReader(text, name)
    reader._next_line()
    if reader.position >= len(text):
        return reader.result
    if text[reader.position] != "\n":
        reader.collect_block(in_header=True)
    reader.skip_blank_lines()
    while reader.position < len(text):
        reader.collect_block(in_header=False)
        reader.skip_blank_lines()
    return reader.result
