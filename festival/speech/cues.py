"""Machine cues from recognised words: short caption lines, each with its confidence.

A search lands on the start of the cue holding the words, so a cue is cut whenever its
next word would start more than `MAX_LEAD` seconds after the cue does, as well as at the
end of a sentence and at a pause.
"""

from __future__ import annotations

from festival.speech.words import Word
from festival.transcripts.model import Cue

MAX_LEAD = 1.0  # seconds from a cue's start to the start of any of its words
PAUSE = 0.5  # seconds of silence that end a cue
SENTENCE_END = (".", "?", "!")
# Cues whose words the recogniser was less sure of than this are flagged for checking.
LOW_CONFIDENCE = 0.6


def cues_from_words(words: list[Word]) -> list[Cue]:
    """Group words into cues; a cue's confidence is the mean probability of its words."""
    groups: list[list[Word]] = []
    for word in words:
        current = groups[-1] if groups else None
        if (
            current
            and word.start - current[0].start <= MAX_LEAD
            and word.start - current[-1].end < PAUSE
            and not current[-1].text.endswith(SENTENCE_END)
        ):
            current.append(word)
        else:
            groups.append([word])
    return [
        Cue(
            round(group[0].start * 1000),
            max(round(group[-1].end * 1000), round(group[0].start * 1000) + 1),
            " ".join(word.text for word in group),
            confidence=round(sum(word.probability for word in group) / len(group), 3),
        )
        for group in groups
    ]
