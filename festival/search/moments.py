"""From a matching window of cues to the moment: the cue where the query is best satisfied.

That cue holds the most matched words, or, for a phrase, is where the phrase begins; its
start is the moment's start, so a link never lands seconds before the words.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from html import escape

from festival.index.schema import WORDS


@dataclass
class Moment:
    start_ms: int
    end_ms: int
    text: str
    highlight: str


def _tokens(text: str) -> list[tuple[str, int, int]]:
    """(analysed word, start char, end char) for each word of `text`."""
    return [
        (token.text, token.startchar, token.endchar)
        for token in WORDS(text, chars=True, positions=True, mode="index")
    ]


def best_moment(
    text: str, cues: list[list[int]], terms: set[str], phrases: list[list[str]]
) -> Moment:
    """Resolve a window (its text and `[start_ms, end_ms, offset]` per cue) to one cue."""
    offsets = [offset for _, _, offset in cues]
    tokens = _tokens(text)
    cue_of = [bisect_right(offsets, start) - 1 for _, start, _ in tokens]
    chosen = _phrase_start(tokens, cue_of, phrases)
    if chosen is None:
        matched: dict[int, set[str]] = {}
        for (word, _, _), cue in zip(tokens, cue_of, strict=True):
            if word in terms:
                matched.setdefault(cue, set()).add(word)
        chosen = max(matched, key=lambda cue: (len(matched[cue]), -cue)) if matched else 0
    start_ms, end_ms, offset = cues[chosen]
    end_offset = offsets[chosen + 1] - 1 if chosen + 1 < len(offsets) else len(text)
    cue_text = text[offset:end_offset]
    marks = [
        (start - offset, end - offset)
        for (word, start, end), cue in zip(tokens, cue_of, strict=True)
        if cue == chosen and word in terms
    ]
    return Moment(start_ms, end_ms, cue_text, highlight_html(cue_text, marks))


def _phrase_start(tokens, cue_of, phrases: list[list[str]]) -> int | None:
    words = [word for word, _, _ in tokens]
    starts = []
    for phrase in phrases:
        size = len(phrase)
        for index in range(len(words) - size + 1):
            if words[index : index + size] == phrase:
                starts.append(index)
                break
    return cue_of[min(starts)] if starts else None


def highlight_html(text: str, marks: list[tuple[int, int]]) -> str:
    """Escaped text with `<mark>` around each (start, end) span: the only markup it holds."""
    pieces, position = [], 0
    for start, end in sorted(marks):
        if start < position:
            continue
        pieces.append(escape(text[position:start], quote=False))
        pieces.append(f"<mark>{escape(text[start:end], quote=False)}</mark>")
        position = end
    pieces.append(escape(text[position:], quote=False))
    return "".join(pieces)
