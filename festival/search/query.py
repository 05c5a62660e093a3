"""Build Whoosh queries from what a researcher types, refusing what we cannot answer well.

Language: words (all must match), "exact phrases", OR, NOT / -word, parentheses, trailing
wildcards (`innov*`, three letters at least), and the fields speaker:, said:, theme:,
festival:, year:, title:, format:. Names in speaker:/said:/theme:/festival: are matched
against the archive's own names and slugs, so `said:mulgan` means Geoff Mulgan said it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from whoosh import qparser, query
from whoosh.analysis import CharsetFilter, LowercaseFilter, RegexTokenizer
from whoosh.fields import ID, TEXT, Schema
from whoosh.support.charset import accent_map

from festival.errors import BadQuery
from festival.index.schema import MOMENT_TEXT_FIELDS, SESSION_TEXT_FIELDS, WORDS
from festival.search.vocabulary import Vocabulary

MAX_QUERY_CHARS = 500
MAX_NESTING = 8
MIN_PREFIX = 3
MAX_PREFIX_EXPANSIONS = 40
PUBLIC_FIELDS = ("speaker", "said", "theme", "festival", "year", "title", "format")
FIELD_HELP = "use one of " + ", ".join(f"{name}:" for name in PUBLIC_FIELDS)
# public field -> (index field, kind of archive entity its values name)
ENTITY_FIELDS = {
    "speaker": ("speakers", "speakers"),
    "said": ("said_by", "voices"),
    "theme": ("themes", "themes"),
    "festival": ("festival", "festivals"),
    "format": ("format", "formats"),
}
BINARY_OPERATORS = ("AND", "OR", "ANDNOT", "ANDMAYBE")

_NAMES = RegexTokenizer(r"[\w']+") | LowercaseFilter() | CharsetFilter(accent_map)
_FIELD_PATTERN = re.compile(r"(?:^|[\s(+-])([A-Za-z_][\w-]*):(?=[^\s/])")
_QUOTED = re.compile(r'"[^"]*"')
_TOKENS = re.compile(r'"[^"]*"?|\(|\)|[^\s()"]+')


def _parse_schema() -> Schema:
    fields = {
        name: TEXT(analyzer=WORDS, phrase=True)
        for name in (*MOMENT_TEXT_FIELDS, *SESSION_TEXT_FIELDS)
    }
    fields.update({name: TEXT(analyzer=_NAMES, phrase=True) for name in ENTITY_FIELDS})
    fields.update(year=ID)
    return Schema(**fields)


_PARSER = qparser.MultifieldParser(
    list(MOMENT_TEXT_FIELDS + SESSION_TEXT_FIELDS), _parse_schema(), group=qparser.AndGroup
)
_PARSER.add_plugin(qparser.PlusMinusPlugin())
_PARSER.remove_plugin_class(qparser.BoostPlugin)
_PARSER.remove_plugin_class(qparser.RangePlugin)


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


def refuse_dangling_operators(text: str) -> None:
    """Raise `BadQuery` for `trust OR`, `AND data`, a lone `NOT` or `()`: say what to type."""
    tokens = _TOKENS.findall(text)
    for position, token in enumerate(tokens):
        before = tokens[position - 1] if position else None
        after = tokens[position + 1] if position + 1 < len(tokens) else None
        if token == "(" and after == ")":
            raise BadQuery(
                "'()' holds nothing: put words inside, as in (pilots OR experiments),"
                " or leave it out"
            )
        if token in BINARY_OPERATORS:
            if before is None or before == "(" or before in BINARY_OPERATORS + ("NOT",):
                raise BadQuery(f"'{token}' needs a word before it, as in trust {token} data")
            if after is None or after == ")" or after in BINARY_OPERATORS:
                raise BadQuery(f"'{token}' needs a word after it, as in trust {token} data")
        if token == "NOT" and (after is None or after == ")" or after in BINARY_OPERATORS):
            raise BadQuery("'NOT' needs a word after it, as in trust NOT data")


@dataclass
class ParsedQuery:
    """A researcher's query as Whoosh runs it, and what was narrowed on the way.

    `narrowed`: each prefix with more expansions than are searched, as
    `{"prefix": "cor*", "searched": 40, "words": 523}`.
    """

    query: query.Query
    narrowed: list[dict] = field(default_factory=list)


def build_query(text: str, vocabulary: Vocabulary, reader) -> ParsedQuery | None:
    """The query for a researcher's text, or None when it holds no searchable words.

    Raise `BadQuery` for what we refuse (see `refuse_unusable`), dangling operators and
    field values that name nothing in the archive.
    """
    refuse_unusable(text)
    refuse_dangling_operators(_QUOTED.sub(" x ", text))
    parsed = _PARSER.parse(text)
    if parsed is query.NullQuery:
        return None
    narrowed: list[dict] = []
    rewritten = _rewrite(parsed, vocabulary, reader, narrowed)
    if rewritten is query.NullQuery:
        return None
    return ParsedQuery(rewritten.normalize(), narrowed)


def _rewrite(node: query.Query, vocabulary: Vocabulary, reader, narrowed: list) -> query.Query:
    if isinstance(node, query.Term | query.Phrase) and node.fieldname in ENTITY_FIELDS:
        target, kind = ENTITY_FIELDS[node.fieldname]
        words = [node.text] if isinstance(node, query.Term) else list(node.words)
        slugs = vocabulary.matching(kind, words)
        return query.Or([query.Term(target, slug) for slug in slugs])
    if isinstance(node, query.Prefix):
        return _capped_prefix(node, reader, narrowed)
    if isinstance(node, query.AndNot):
        # Whoosh 2.7's AndNot matcher lets documents through when both sides are ORs over
        # several fields; the equivalent And/Not form is matched correctly.
        positive = _rewrite(node.a, vocabulary, reader, narrowed)
        return query.And([positive, query.Not(_rewrite(node.b, vocabulary, reader, narrowed))])
    if isinstance(node, query.Wildcard | query.FuzzyTerm | query.Regex):
        raise BadQuery("only a trailing * is supported, as in innov*")
    if node.is_leaf():
        return node
    return node.apply(lambda child: _rewrite(child, vocabulary, reader, narrowed))


def _capped_prefix(node: query.Prefix, reader, narrowed: list) -> query.Query:
    """A prefix as an OR of its most common expansions, so `innov*` stays fast."""
    expansions = [
        (reader.doc_frequency(node.fieldname, term), term.decode("utf-8"))
        for term in reader.expand_prefix(node.fieldname, node.text)
    ]
    expansions.sort(key=lambda pair: (-pair[0], pair[1]))
    if len(expansions) > MAX_PREFIX_EXPANSIONS and node.fieldname == "text":
        narrowed.append(
            {"prefix": f"{node.text}*", "searched": MAX_PREFIX_EXPANSIONS, "words": len(expansions)}
        )
    terms = [query.Term(node.fieldname, term) for _, term in expansions[:MAX_PREFIX_EXPANSIONS]]
    return query.Or(terms) if terms else query.NullQuery


def phrase_words(node: query.Query, fieldname: str = "text") -> list[list[str]]:
    """Every phrase in the query as its analysed words, excluding those under NOT."""
    if isinstance(node, query.Not):
        return []
    found = []
    if isinstance(node, query.Phrase) and node.fieldname == fieldname:
        found.append(list(node.words))
    for child in node.children():
        found.extend(phrase_words(child, fieldname))
    return found


def loose_terms(node: query.Query, fieldname: str = "text") -> set[str]:
    """The analysed single words (not phrases) a field can match, excluding those under NOT."""
    if isinstance(node, query.Not):
        return set()
    found = set()
    if isinstance(node, query.Term) and node.fieldname == fieldname:
        found.add(node.text)
    for child in node.children():
        found |= loose_terms(child, fieldname)
    return found


def satisfied_by(node: query.Query, words: list[str]) -> bool:
    """Whether one cue, as its analysed `words`, satisfies the query on its own.

    Only the moment's text is judged: filters and fielded names (`said:`, `theme:`, ...)
    already hold for the whole window the cue belongs to.
    """
    return _satisfied(node, words, set(words)) is not False


def _satisfied(node: query.Query, words: list[str], present: set[str]) -> bool | None:
    """True or False for the text; None where the window's fields, not the words, decide."""
    if isinstance(node, query.Term | query.Phrase):
        if node.fieldname in SESSION_TEXT_FIELDS:
            return False  # a moment holds no title, summary or names of its own
        if node.fieldname not in MOMENT_TEXT_FIELDS:
            return None
        if isinstance(node, query.Term):
            return node.text in present
        size = len(node.words)
        return any(words[i : i + size] == list(node.words) for i in range(len(words) - size + 1))
    if isinstance(node, query.Not):
        inner = _satisfied(node.query, words, present)
        return None if inner is None else not inner
    if node is query.NullQuery:
        return False
    if isinstance(node, query.Or | query.DisjunctionMax):
        answers = [_satisfied(child, words, present) for child in node.children()]
        return True if True in answers else (None if None in answers else False)
    if isinstance(node, query.And | query.Require):
        answers = [_satisfied(child, words, present) for child in node.children()]
        return False if False in answers else (None if None in answers else True)
    if isinstance(node, query.AndMaybe):
        return _satisfied(node.a, words, present)
    return None


TEXT_FIELDS = MOMENT_TEXT_FIELDS + SESSION_TEXT_FIELDS
_ALWAYS = query.Every()  # what NOT of a field a document kind lacks becomes


def restricted_to(node: query.Query, fields: tuple[str, ...]) -> query.Query:
    """The query as one kind of document sees it: words in the text fields it does not
    have match nothing there. Moments have only `text` and sessions only their own fields,
    so matching each kind with its own restricted query finds the same documents while
    walking one field's postings instead of a union over six."""
    return _restricted(node, fields).normalize()


def _restricted(node: query.Query, fields: tuple[str, ...]) -> query.Query:
    if node.is_leaf():
        field = getattr(node, "fieldname", None)
        return query.NullQuery if field in TEXT_FIELDS and field not in fields else node
    if isinstance(node, query.Not):
        inner = _restricted(node.query, fields).normalize()
        return _ALWAYS if inner is query.NullQuery else query.Not(inner)
    if isinstance(node, query.And):
        kept = [_restricted(child, fields) for child in node.children()]
        if any(child is query.NullQuery for child in kept):
            return query.NullQuery
        kept = [child for child in kept if child is not _ALWAYS]
        return query.And(kept) if kept else _ALWAYS
    if isinstance(node, query.Or | query.DisjunctionMax):
        kept = [_restricted(child, fields) for child in node.children()]
        if any(child is _ALWAYS for child in kept):
            return _ALWAYS
        kept = [child for child in kept if child is not query.NullQuery]
        return query.Or(kept) if kept else query.NullQuery
    return node.apply(lambda child: _restricted(child, fields))
