"""What a parsed transcript is: cues in milliseconds, the detected format, and warnings."""

from __future__ import annotations

from dataclasses import dataclass, field

from festival.errors import ImportProblem, Problem


@dataclass(frozen=True)
class Cue:
    """A normalised cue: plain text, one speaker (or none), times in whole milliseconds.

    `sound` marks a non-speech event such as `[Music]` or `(laughter)`: shown in the
    transcript, never attributed to a speaker, not counted as words said. `confidence`
    (0-1) is how sure a recogniser or aligner was of a machine-made cue; None for a human's.
    """

    start_ms: int
    end_ms: int
    text: str
    speaker: str | None = None
    sound: bool = False
    confidence: float | None = None
    line: int | None = field(default=None, compare=False)  # of its timing in the file read

    @property
    def start(self) -> float:
        return self.start_ms / 1000

    @property
    def end(self) -> float:
        return self.end_ms / 1000

    def as_json(self) -> dict:
        return {"start": self.start, "end": self.end, "speaker": self.speaker, "text": self.text}


@dataclass
class ParsedTranscript:
    """The result of `parse_transcript`: normalised cues plus what was noticed on the way."""

    format: str  # "vtt" | "srt" | "sbv"
    encoding: str
    cues: list[Cue]
    warnings: list[Problem] = field(default_factory=list)

    def as_json(self) -> dict:
        return {
            "format": self.format,
            "encoding": self.encoding,
            "cues": [cue.as_json() for cue in self.cues],
            "warnings": [{"line": w.line, "message": w.message} for w in self.warnings],
        }


class TranscriptError(ImportProblem):
    """A transcript that cannot be used; `problems` name the file and line of each fault."""
