"""What every format reader yields: cues as written in the file, before normalising."""

from __future__ import annotations

from dataclasses import dataclass, field

from festival.errors import Problem


@dataclass
class SourceCue:
    """One cue as the file has it: raw text with its tags, and the line of its timing."""

    identifier: str
    start_ms: int
    end_ms: int
    text: str
    line: int


@dataclass
class SourceParse:
    """A reader's result: the cues a browser would show, and what it would silently drop."""

    cues: list[SourceCue]
    dropped: list[Problem] = field(default_factory=list)

    def drop_damaged_timing(self, name: str, line: int, text: str, expected: str) -> None:
        """Record a timing line that cannot be read, so its cue is lost."""
        self.dropped.append(
            Problem(
                name,
                line,
                f"damaged cue timing line {text.strip()!r} (expected {expected}); "
                "this cue would be dropped",
            )
        )

    def drop_stray_text(self, name: str, line: int, text: str) -> None:
        """Record text that belongs to no cue, which players never show."""
        self.dropped.append(
            Problem(
                name,
                line,
                f"text outside any cue ({text.strip()[:40]!r}) would be dropped "
                "(a blank line inside a cue, or a missing timing line?)",
            )
        )
