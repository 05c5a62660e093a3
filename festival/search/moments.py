"""From a matching window of cues to its moments: the cues where the query is satisfied.

A results page shows one moment per window, the cue holding the most matched words or,
for a phrase, where the phrase begins; an export lists every cue of the window that
satisfies the query by itself. Either way a moment starts at its cue's start, so a link
never lands seconds before the words.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from html import escape

from whoosh import query
from whoosh.analysis.tokenizers import default_pattern

from festival.index.schema import WORDS
from festival.search.query import loose_terms, phrase_words, satisfied_by

# The tokenizer of `WORDS` (Whoosh's default pattern): a window is split here and each
# distinct word analysed once, which is what analysing the whole text would give, faster.
TOKEN = default_pattern


@lru_cache(maxsize=200_000)
def analysed(token: str) -> str:
    """One token as the index holds it: lower-cased, stemmed, accents folded."""
    return next(iter(WORDS(token))).text


@dataclass
class Moment:
    start_ms: int
    end_ms: int
    text: str
    highlight: str


class Window:
    """A matching window's text, analysed once: its words, their cues, and those to mark."""

    def __init__(
        self, text: str, cues: list[list[int]], user: query.Query, fieldname: str = "text"
    ):
        self.text, self.cues = text, cues
        self.offsets = [offset for _, _, offset in cues]
        matches = list(TOKEN.finditer(text))
        self.words = [analysed(match.group()) for match in matches]
        self.spans = [match.span() for match in matches]
        self.cue_of = [bisect_right(self.offsets, start) - 1 for start, _ in self.spans]
        self.user = user
        terms = loose_terms(user, fieldname)
        # (first, last) word of each stretch to mark: a single word, or a whole phrase
        self.marked = [(index, index) for index, word in enumerate(self.words) if word in terms]
        self.phrase_starts = []
        for phrase in phrase_words(user, fieldname):
            size = len(phrase)
            for index in range(len(self.words) - size + 1):
                if self.words[index : index + size] == phrase:
                    self.phrase_starts.append(index)
                    self.marked.append((index, index + size - 1))

    def best(self) -> Moment:
        """The cue where the query is best satisfied: a phrase's first cue, else most words."""
        if self.phrase_starts:
            return self.moment(self.cue_of[min(self.phrase_starts)])
        matched: dict[int, set[str]] = {}
        for index, _ in self.marked:
            matched.setdefault(self.cue_of[index], set()).add(self.words[index])
        chosen = max(matched, key=lambda cue: (len(matched[cue]), -cue)) if matched else 0
        return self.moment(chosen)

    def satisfying(self) -> list[Moment]:
        """Every cue that satisfies the query on its own, or the best one when none does
        (its words are spread over several cues of the window)."""
        chosen = [
            cue
            for cue in range(len(self.cues))
            if satisfied_by(
                self.user,
                [word for word, of in zip(self.words, self.cue_of, strict=True) if of == cue],
            )
        ]
        return [self.moment(cue) for cue in chosen] if chosen else [self.best()]

    def moment(self, cue: int) -> Moment:
        start_ms, end_ms, offset = self.cues[cue]
        end_offset = self.offsets[cue + 1] - 1 if cue + 1 < len(self.offsets) else len(self.text)
        cue_text = self.text[offset:end_offset]
        marks = []
        for first, last in self.marked:
            inside = [i for i in range(first, last + 1) if self.cue_of[i] == cue]
            if inside:
                start, end = self.spans[inside[0]][0], self.spans[inside[-1]][1]
                marks.append((start - offset, end - offset))
        return Moment(start_ms, end_ms, cue_text, highlight_html(cue_text, marks))


def highlight_html(text: str, marks: list[tuple[int, int]]) -> str:
    """Escaped text with `<mark>` around each (start, end) span: the only markup it holds."""
    pieces, position = [], 0
    for start, end in sorted(marks, key=lambda mark: (mark[0], -mark[1])):
        if start < position:
            continue
        pieces.append(escape(text[position:start], quote=False))
        pieces.append(f"<mark>{escape(text[start:end], quote=False)}</mark>")
        position = end
    pieces.append(escape(text[position:], quote=False))
    return "".join(pieces)
