"""Build Whoosh queries from what a researcher types, refusing what we cannot answer well.

Language: words (all must match), "exact phrases", OR, NOT / -word, parentheses, trailing
wildcards (`innov*`, three letters at least), and the fields speaker:, said:, theme:,
festival:, year:, title:, format:. Names in speaker:/said:/theme:/festival: are matched
against the archive's own names and slugs, so `said:mulgan` means Geoff Mulgan said it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from whoosh import qparser, query
from whoosh.analysis import CharsetFilter, LowercaseFilter, RegexTokenizer
from whoosh.fields import ID, TEXT, Schema
from whoosh.support.charset import accent_map

from festival.errors import BadQuery
from festival.index.schema import MOMENT_TEXT_FIELDS, SESSION_TEXT_FIELDS, WORDS
from festival.slugs import slugify

MAX_QUERY_CHARS = 500
MAX_NESTING = 8
MIN_PREFIX = 3
MAX_PREFIX_EXPANSIONS = 40
PUBLIC_FIELDS = ("speaker", "said", "theme", "festival", "year", "title", "format")
FIELD_HELP = "use one of " + ", ".join(f"{name}:" for name in PUBLIC_FIELDS)
# public field -> (index field, kind of archive entity its values name)
ENTITY_FIELDS = {
    "speaker": ("speakers", "speakers"),
    "said": ("said_by", "speakers"),
    "theme": ("themes", "themes"),
    "festival": ("festival", "festivals"),
}

_NAMES = RegexTokenizer(r"[\w']+") | LowercaseFilter() | CharsetFilter(accent_map)
_FIELD_PATTERN = re.compile(r"(?:^|[\s(+-])([A-Za-z_][\w-]*):(?=[^\s/])")
_QUOTED = re.compile(r'"[^"]*"')


def _parse_schema() -> Schema:
    fields = {
        name: TEXT(analyzer=WORDS, phrase=True)
        for name in (*MOMENT_TEXT_FIELDS, *SESSION_TEXT_FIELDS)
    }
    fields.update({name: TEXT(analyzer=_NAMES, phrase=True) for name in ENTITY_FIELDS})
    fields.update(year=ID, format=ID)
    return Schema(**fields)


_PARSER = qparser.MultifieldParser(
    list(MOMENT_TEXT_FIELDS + SESSION_TEXT_FIELDS), _parse_schema(), group=qparser.AndGroup
)
_PARSER.add_plugin(qparser.PlusMinusPlugin())
_PARSER.remove_plugin_class(qparser.BoostPlugin)
_PARSER.remove_plugin_class(qparser.RangePlugin)


class Vocabulary:
    """Names in the archive that fielded queries are matched against: slug -> display name.

    `load(kind)` reads one kind (`speakers`, `themes`, `festivals`) when a query first
    names it, so a plain-words search reads none.
    """

    def __init__(self, load: Callable[[str], dict[str, str]]):
        self._load = load
        self._names: dict[str, dict[str, str]] = {}

    def matching(self, kind: str, words: list[str]) -> list[str]:
        """Slugs whose name holds every word (whole words, accents and case ignored)."""
        if kind not in self._names:
            self._names[kind] = self._load(kind)
        wanted = [slugify(word) for word in words if slugify(word)]
        found = []
        for slug, name in self._names[kind].items():
            parts = set(slug.split("-")) | set(slugify(name).split("-"))
            if wanted and (all(word in parts for word in wanted) or "-".join(wanted) == slug):
                found.append(slug)
        return found


def refuse_unusable(text: str) -> None:
    """Raise `BadQuery` for what we do not search: too long, unknown fields, bad wildcards."""
    if len(text) > MAX_QUERY_CHARS:
        raise BadQuery(
            f"the query is {len(text)} characters long; shorten it to {MAX_QUERY_CHARS} or fewer"
        )
    unquoted = _QUOTED.sub(" ", text)
    for name in _FIELD_PATTERN.findall(unquoted):
        if name.lower() not in PUBLIC_FIELDS:
            raise BadQuery(f"'{name}:' is not a field you can search; {FIELD_HELP}")
    depth = deepest = 0
    for char in unquoted:
        depth += char == "("
        depth -= char == ")"
        deepest = max(deepest, depth)
    if deepest > MAX_NESTING:
        raise BadQuery(f"parentheses nest {deepest} deep; use at most {MAX_NESTING} levels")
    for token in re.split(r"[\s()\"]+", unquoted):
        word = token.split(":", 1)[-1].lstrip("+-")
        if "*" not in word and "?" not in word:
            continue
        stem = word.rstrip("*")
        if "?" in word or "*" in stem:
            raise BadQuery(f"'{word}': only a trailing * is supported, as in innov*")
        if len(re.sub(r"\W", "", stem)) < MIN_PREFIX:
            raise BadQuery(
                f"'{word}': put at least {MIN_PREFIX} letters before the *, as in innov*"
            )


def build_query(text: str, vocabulary: Vocabulary, reader) -> query.Query | None:
    """The Whoosh query for a researcher's text, or None when it holds no searchable words."""
    refuse_unusable(text)
    parsed = _PARSER.parse(text)
    if parsed is query.NullQuery:
        return None
    rewritten = _rewrite(parsed, vocabulary, reader)
    return None if rewritten is query.NullQuery else rewritten.normalize()


def _rewrite(node: query.Query, vocabulary: Vocabulary, reader) -> query.Query:
    if isinstance(node, query.Term | query.Phrase) and node.fieldname in ENTITY_FIELDS:
        target, kind = ENTITY_FIELDS[node.fieldname]
        words = [node.text] if isinstance(node, query.Term) else list(node.words)
        slugs = vocabulary.matching(kind, words)
        return query.Or([query.Term(target, slug) for slug in slugs]) if slugs else query.NullQuery
    if isinstance(node, query.Prefix):
        return _capped_prefix(node, reader)
    if isinstance(node, query.AndNot):
        # Whoosh 2.7's AndNot matcher lets documents through when both sides are ORs over
        # several fields; the equivalent And/Not form is matched correctly.
        positive = _rewrite(node.a, vocabulary, reader)
        return query.And([positive, query.Not(_rewrite(node.b, vocabulary, reader))])
    if isinstance(node, query.Wildcard | query.FuzzyTerm | query.Regex):
        raise BadQuery("only a trailing * is supported, as in innov*")
    if node.is_leaf():
        return node
    return node.apply(lambda child: _rewrite(child, vocabulary, reader))


def _capped_prefix(node: query.Prefix, reader) -> query.Query:
    """A prefix as an OR of its most common expansions, so `innov*` stays fast."""
    expansions = [
        (reader.doc_frequency(node.fieldname, term), term)
        for term in reader.expand_prefix(node.fieldname, node.text)
    ]
    expansions.sort(key=lambda pair: (-pair[0], pair[1]))
    terms = [query.Term(node.fieldname, term) for _, term in expansions[:MAX_PREFIX_EXPANSIONS]]
    return query.Or(terms) if terms else query.NullQuery


def phrase_words(node: query.Query, fieldname: str = "text") -> list[list[str]]:
    """Every phrase in the query as its analysed words, for finding where a phrase begins."""
    found = []
    if isinstance(node, query.Phrase) and node.fieldname == fieldname:
        found.append(list(node.words))
    for child in node.children():
        found.extend(phrase_words(child, fieldname))
    return found


def text_terms(node: query.Query, fieldname: str = "text") -> set[str]:
    """The analysed words a moment's text can match, excluding those under NOT."""
    if isinstance(node, query.Not):
        return set()
    found = set()
    if isinstance(node, query.Term) and node.fieldname == fieldname:
        found.add(node.text)
    elif isinstance(node, query.Phrase) and node.fieldname == fieldname:
        found.update(node.words)
    for child in node.children():
        found |= text_terms(child, fieldname)
    return found
