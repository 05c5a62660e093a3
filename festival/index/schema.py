"""The one place the index's fields are declared. Changing it means a full `reindex`.

Two kinds of document share the schema: `moment` (a window of consecutive cues by one
speaker, up to about 30 s) and `session` (title, summary, speakers, themes, festival),
so a search for a title or a name finds the session even where no cue matches. One more
document, `meta` with id and session `STATE_ID`, holds the last change the index applied
(every document has a `session`, so every segment has that column).
"""

from __future__ import annotations

from whoosh.analysis import CharsetFilter, StemmingAnalyzer
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
from whoosh.support.charset import accent_map

# Lower-cased, accent-folded, English-stemmed words; `clustering` and `cluster` meet.
WORDS = StemmingAnalyzer(stoplist=None, minsize=1) | CharsetFilter(accent_map)

SCHEMA_VERSION = "1"
# Not a slug (slugs are [a-z0-9-]), so no session can ever collide with it.
STATE_ID = "~index-state"


def build_schema() -> Schema:
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
