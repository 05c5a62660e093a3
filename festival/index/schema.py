"""The one place the index's fields are declared. Changing it means a full `reindex`.

Two kinds of document share the schema: `moment` (a window of consecutive cues by one
speaker, up to about 30 s) and `session` (title, summary, speakers, themes, festival),
so a search for a title or a name finds the session even where no cue matches. One more
document, `meta` with id and session `STATE_ID`, holds the last change the index applied
(every document has a `session`, so every segment has that column).
"""

from __future__ import annotations

from whoosh.analysis import CharsetFilter, Filter, StemmingAnalyzer
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
from whoosh.support.charset import accent_map

# Lower-cased, accent-folded, English-stemmed words; `clustering` and `cluster` meet.
WORDS = StemmingAnalyzer(stoplist=None, minsize=1) | CharsetFilter(accent_map)
PAIR_FIELD = "pairs"


class AdjacentPairs(Filter):
    """Each common word joined to the common word after it (`data governance` gives
    `data govern`), at the first word's position.

    Checking word positions in every document holding two common words is what makes a
    phrase of them slow; as a pair it is one posting list. Pairs with a rarer word are left
    out: Whoosh checks those phrases only where the rarer word is, and all pairs would make
    the index several times larger. The words are the archive's commonest when the index
    was built (`common_words`); they are kept with the index's schema, so every later write
    and every search of that index uses the same ones.
    """

    def __init__(self, common: frozenset[str]):
        self.common = common

    def __call__(self, tokens):
        common, previous = self.common, None
        for token in tokens:
            word = token.text
            if previous is not None and word in common:
                token.text = pair(previous, word)
                if token.positions:
                    token.pos -= 1
                yield token
            previous = word if word in common else None


def pair(first: str, second: str) -> str:
    """How two adjacent analysed words are kept in the pair field."""
    return f"{first} {second}"


def indexed_pairs(schema: Schema) -> frozenset[str] | None:
    """The words whose adjacent pairs this index holds; None for an index built before
    pairs existed."""
    if PAIR_FIELD not in schema:
        return None
    return schema[PAIR_FIELD].analyzer.items[-1].common


# Not a slug (slugs are [a-z0-9-]), so no session can ever collide with it.
STATE_ID = "~index-state"


def build_schema(common: frozenset[str] = frozenset()) -> Schema:
    """The schema of a new index; `common` are the words whose adjacent pairs it keeps."""
    return Schema(
        id=ID(unique=True, stored=True),
        kind=ID(stored=True, sortable=True),
        session=ID(stored=True, sortable=True),
        festival=ID,
        themes=KEYWORD(commas=True),
        speakers=KEYWORD(commas=True),
        said_by=ID(stored=True),
        year=ID,
        format=ID,
        date=ID(sortable=True),
        text=TEXT(analyzer=WORDS, phrase=True, stored=True),
        # A moment's text again, as adjacent word pairs: what phrases are matched with.
        pairs=TEXT(analyzer=WORDS | AdjacentPairs(common), phrase=True),
        cues=STORED,
        speaker_name=STORED,
        digest=STORED,
        applied=STORED,
        title=TEXT(analyzer=WORDS, phrase=True, field_boost=3.0),
        summary=TEXT(analyzer=WORDS, phrase=True),
        people=TEXT(analyzer=WORDS, phrase=True, field_boost=2.0),
        topics=TEXT(analyzer=WORDS, phrase=True, field_boost=2.0),
        festival_name=TEXT(analyzer=WORDS, phrase=True),
        # On session documents: each distinct word said in the session or its title, as
        # spoken (unstemmed), for "did you mean". Kept apart so each moment's words are
        # analysed once, not again unstemmed for a spelling field.
        words=KEYWORD(lowercase=True),
    )


# Fields a moment's words are searched in, and those of a session document.
MOMENT_TEXT_FIELDS = ("text",)
SESSION_TEXT_FIELDS = ("title", "summary", "people", "topics", "festival_name")
