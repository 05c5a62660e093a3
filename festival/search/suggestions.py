""" "Did you mean": each word the archive never heard, replaced by the closest word it did."""

from __future__ import annotations

import re

from whoosh.searching import Searcher
from whoosh.support.levenshtein import distance

from festival.errors import BadQuery
from festival.index.schema import MOMENT_TEXT_FIELDS, SESSION_TEXT_FIELDS, WORDS
from festival.search.query import refuse_dangling_operators, refuse_unusable
from festival.search.remembered import COLUMNS, remembered

MAX_EDITS = 2  # for words of more than SHORT letters; one edit for shorter ones
SHORT = 5  # `covid` is not a typo of `could`
SEARCHED_FIELDS = MOMENT_TEXT_FIELDS + SESSION_TEXT_FIELDS
SPOKEN_FIELD = "words"  # see festival.index.schema
# Words of three letters or more, not a field's value and not a prefix (`abc*` is no typo).
_WORD = re.compile(r"(?<![\w*-])[^\W\d_]{3,}(?![\w*-])")
_FIELD_VALUE = re.compile(r'\w+:("[^"]*"|\S+)')


def suggest(searcher: Searcher, version: str, text: str) -> str | None:
    """The query with each unknown word replaced by its closest known word, or None.

    Closest means fewest edits, then most frequent (`goverment` -> `government`, not
    `governments`). A word the archive holds in any form (`covid` in `COVID-19`) is left
    alone, and a suggestion the archive would refuse is never offered.
    """
    reader = searcher.reader()
    corrected, changed = text, False
    for word in set(_WORD.findall(_FIELD_VALUE.sub(" ", text))):
        if word.upper() in ("AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"):
            continue
        stems = [token.text for token in WORDS(word)]
        if not stems or any(reader.doc_frequency(field, stems[0]) for field in SEARCHED_FIELDS):
            continue
        closest = _closest(reader, version, word.lower())
        if closest:
            corrected = re.sub(rf"(?<![\w*-]){re.escape(word)}(?![\w*-])", closest, corrected)
            changed = True
    if not changed:
        return None
    try:
        refuse_unusable(corrected)
        refuse_dangling_operators(corrected)
    except BadQuery:
        return None
    return corrected


def _closest(reader, version: str, word: str) -> str | None:
    """The heard word fewest edits away (at most MAX_EDITS), the most frequent among equals."""
    most = MAX_EDITS if len(word) > SHORT else 1
    by_length = remembered(version, (COLUMNS, "spoken words"), lambda: _spoken_words(reader))
    best: tuple[int, float, str] | None = None
    for size in range(len(word) - most, len(word) + most + 1):
        for candidate in by_length.get(size, ()):
            if candidate[0] != word[0]:
                continue  # as Whoosh's corrector: the first letter is rarely the typo
            edits = distance(candidate, word, limit=most)
            if edits <= most:
                rank = (edits, -reader.doc_frequency(SPOKEN_FIELD, candidate), candidate)
                if best is None or rank < best:
                    best = rank
    return best[2] if best else None


def _spoken_words(reader) -> dict[int, list[str]]:
    """The words said in the archive, as spoken, grouped by length: a word more than
    MAX_EDITS letters longer or shorter cannot be within MAX_EDITS edits."""
    by_length: dict[int, list[str]] = {}
    if SPOKEN_FIELD not in reader.schema:
        return by_length  # an index built before the field existed: no suggestions
    for text in reader.lexicon(SPOKEN_FIELD):
        word = text.decode("utf-8")
        by_length.setdefault(len(word), []).append(word)
    return by_length
