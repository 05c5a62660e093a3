"""Which documents a query matches, read from posting lists as sets where that is faster.

Whoosh's union and intersection matchers weigh every document against every word in
Python; for words, ORs of words (what a prefix becomes) and ANDs of those, sets of
document numbers built from each word's postings give the same documents much sooner.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from whoosh import query
from whoosh.searching import Searcher

from festival.index.schema import MOMENT_TEXT_FIELDS, PAIR_FIELD, indexed_pairs, pair


def matching_docnums(searcher: Searcher, kind_query: query.Query) -> Iterator[int]:
    """The documents a query matches, in order.

    A phrase of common words said in a moment is matched as its adjacent word pairs
    (`AdjacentPairs`), so two words are one posting list. Words, ORs of words (what a
    prefix becomes) and ANDs of those are read straight from their posting lists as sets:
    Whoosh's union and intersection matchers weigh every document against every word in
    Python. Anything else (other phrases, NOT) goes to Whoosh.
    """
    common = indexed_pairs(searcher.schema)
    if common:
        kind_query = _as_pairs(kind_query, common)
    if not _plain(kind_query):
        return searcher.docs_for_query(kind_query)
    return iter(sorted(_docset(searcher.reader(), kind_query)))


def _as_pairs(node: query.Query, common: frozenset[str]) -> query.Query:
    """The query with each exact phrase of common words in moments as one of word pairs."""
    if not isinstance(node, query.Phrase):
        return node.apply(lambda child: _as_pairs(child, common))
    words = node.words
    if (
        node.fieldname not in MOMENT_TEXT_FIELDS
        or node.slop != 1
        or len(words) < 2
        or not common.issuperset(words)
    ):
        return node
    pairs = [pair(first, second) for first, second in itertools.pairwise(words)]
    if len(pairs) == 1:
        return query.Term(PAIR_FIELD, pairs[0])
    return query.Phrase(PAIR_FIELD, pairs)


def _plain(node: query.Query) -> bool:
    if isinstance(node, query.Term):
        return True
    if isinstance(node, query.Or):
        return all(isinstance(child, query.Term) for child in node.children())
    return isinstance(node, query.And) and all(_plain(child) for child in node.children())


def _terms(node: query.Query) -> list[query.Term]:
    return [node] if isinstance(node, query.Term) else list(node.children())


def _size(reader, node: query.Query) -> int:
    return sum(
        reader.doc_frequency(term.fieldname, term.text)
        for term in _terms(node)
        if not isinstance(term, query.And)
    )


def _docset(reader, node: query.Query) -> set[int]:
    if isinstance(node, query.And):
        parts = sorted(node.children(), key=lambda child: _size(reader, child))
        found = _docset(reader, parts[0])
        for part in parts[1:]:
            if not found:
                break
            if _size(reader, part) > 8 * len(found) and not isinstance(part, query.And):
                found = _within(reader, part, sorted(found))
            else:
                found &= _docset(reader, part)
        return found
    found: set[int] = set()
    for term in _terms(node):
        if (term.fieldname, term.text) in reader:
            found.update(reader.postings(term.fieldname, term.text).all_ids())
    return found


def _within(reader, node: query.Query, candidates: list[int]) -> set[int]:
    """Those of the (sorted) candidates in a word's, or an OR of words', postings: one
    matcher per word skips forward to each, reading a block rather than the whole list."""
    found: set[int] = set()
    for term in _terms(node):
        if (term.fieldname, term.text) not in reader:
            continue
        postings = reader.postings(term.fieldname, term.text)
        for docnum in candidates:
            if postings.id() < docnum:
                postings.skip_to(docnum)
            if not postings.is_active():
                break
            if postings.id() == docnum:
                found.add(docnum)
    return found
