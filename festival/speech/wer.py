"""Word error rate: how far a machine transcript is from the words really said."""

from __future__ import annotations

from festival.speech.align import spelling


def word_error_rate(reference: str, heard: str) -> float:
    """(substitutions + deletions + insertions) / words in `reference`, compared by spelling
    (case, punctuation and British or US spelling ignored)."""
    said = [spelling(word) for word in reference.split() if spelling(word)]
    got = [spelling(word) for word in heard.split() if spelling(word)]
    previous = list(range(len(got) + 1))
    for row, word in enumerate(said, start=1):
        current = [row]
        for column, other in enumerate(got, start=1):
            current.append(
                min(previous[column] + 1, current[-1] + 1, previous[column - 1] + (word != other))
            )
        previous = current
    return previous[-1] / max(len(said), 1)
