"""The reader shared by SRT and SBV: blank-line-separated blocks of a timing line and text."""

from __future__ import annotations

import re
from dataclasses import dataclass

from festival.transcripts.source import SourceCue, SourceParse
from festival.transcripts.timecode import timings_from_groups


@dataclass(frozen=True)
class BlockFormat:
    """What distinguishes one blank-line-separated format from another."""

    timing: re.Pattern  # a valid timing line: (hours, minutes, seconds, fraction) twice
    looks_like_timing: re.Pattern  # a line meant as timing, even when damaged
    timing_help: str
    identifier_line: bool  # SRT numbers its cues on the line before the timing


def read_blocks(text: str, name: str, form: BlockFormat) -> SourceParse:
    """Read cues; a damaged timing line or stray text is recorded in `dropped` with its line."""
    result = SourceParse(cues=[])
    stray: list[tuple[int, str]] = []
    cue: SourceCue | None = None
    text_lines: list[str] = []
    damaged = False

    def finish_cue() -> None:
        nonlocal cue, text_lines
        if cue is not None:
            cue.text = "\n".join(text_lines)
            result.cues.append(cue)
        cue, text_lines = None, []

    def report_stray() -> None:
        if stray and not damaged:
            result.drop_stray_text(name, *stray[0])
        stray.clear()

    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            finish_cue()
            report_stray()
            damaged = False
            continue
        match = form.timing.match(line)
        timings = timings_from_groups(match.groups()) if match else None
        if timings is not None:
            identifier = ""
            if form.identifier_line and cue is None and len(stray) == 1:
                identifier = stray.pop()[1].strip()
            elif form.identifier_line and text_lines and text_lines[-1].strip().isdigit():
                identifier = text_lines.pop().strip()
            finish_cue()
            report_stray()
            damaged = False
            cue = SourceCue(identifier, timings[0], timings[1], "", number)
        elif cue is None and not damaged and form.looks_like_timing.search(line):
            result.drop_damaged_timing(name, number, line, form.timing_help)
            stray.clear()
            damaged = True
        elif cue is not None:
            text_lines.append(line)
        elif not damaged:
            stray.append((number, line))
    finish_cue()
    report_stray()
    return result
