"""How big a transcript may be before the parser refuses it, and the checks that say so."""

from __future__ import annotations

from dataclasses import dataclass

from festival.errors import Problem
from festival.transcripts.model import TranscriptError


@dataclass(frozen=True)
class Limits:
    """Upper bounds on one transcript; every refusal names the limit it hit."""

    max_bytes: int = 20 * 1024 * 1024
    max_cues: int = 200_000
    max_cue_chars: int = 20_000


DEFAULT_LIMITS = Limits()


def check_size(data: bytes, name: str, limits: Limits) -> None:
    """Raise TranscriptError when the file is larger than `limits.max_bytes`."""
    if len(data) > limits.max_bytes:
        raise TranscriptError(
            [
                Problem(
                    name,
                    None,
                    f"file is {len(data):,} bytes, over the limit of {limits.max_bytes:,} bytes "
                    "(max_bytes)",
                )
            ]
        )


def cue_limit_problems(cues: list, name: str, limits: Limits) -> list[Problem]:
    """Return a problem for too many cues and one for every cue whose text is too long."""
    problems = []
    if len(cues) > limits.max_cues:
        problems.append(
            Problem(
                name,
                None,
                f"transcript has {len(cues):,} cues, over the limit of {limits.max_cues:,} "
                "(max_cues)",
            )
        )
    for cue in cues:
        if len(cue.text) > limits.max_cue_chars:
            problems.append(
                Problem(
                    name,
                    cue.line,
                    f"cue text is {len(cue.text):,} characters, over the limit of "
                    f"{limits.max_cue_chars:,} (max_cue_chars)",
                )
            )
    return problems
