"""A machine cue's confidence kept in its WebVTT cue identifier (`12 confidence 0.873`):
players show no identifier, so an exported machine transcript plays as any other, and an
import reads the confidences back, so its low-confidence cues stay flagged."""

from __future__ import annotations

import math
import re

_IDENTIFIER = re.compile(r"[0-9]+ confidence ([0-9]+(?:\.[0-9]+)?(?:e-[0-9]+)?)\Z")


def confidence_identifier(number: int, confidence: float) -> str:
    """The identifier of cue `number` (unique, as WebVTT asks) carrying its confidence."""
    return f"{number} confidence {confidence!r}"


def confidence_in(identifier: str) -> float | None:
    """The confidence an identifier carries (0 to 1), or None when it carries none."""
    match = _IDENTIFIER.match(identifier)
    if match is None:
        return None
    value = float(match.group(1))
    return value if math.isfinite(value) and value <= 1 else None
