"""A search request: the API's and the search page's parameters, read and checked once."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date

from festival.errors import BadQuery
from festival.slugs import is_slug

# request parameter -> index field it filters on
FILTER_FIELDS = {
    "festival": "festival",
    "theme": "themes",
    "speaker": "speakers",
    "said_by": "said_by",
    "session": "session",
    "year": "year",
    "format": "format",
}
# Filters that may be repeated: a session with any of the values matches.
REPEATABLE = ("festival", "theme", "speaker", "format")
DATES = ("from", "to")
MAX_PER_PAGE = 100
# ASCII digits only: str.isdigit() also accepts superscripts such as '²', which int() refuses.
_DIGITS = re.compile(r"[0-9]+")


@dataclass(frozen=True)
class SearchRequest:
    q: str = ""
    festival: tuple[str, ...] = ()
    theme: tuple[str, ...] = ()
    speaker: tuple[str, ...] = ()
    said_by: str = ""
    session: str = ""
    year: str = ""
    format: tuple[str, ...] = ()
    from_date: str = ""
    to_date: str = ""
    sort: str = "relevance"
    page: int = 1
    per_page: int = 20

    @classmethod
    def from_args(cls, args: Mapping[str, str], default_per_page: int = 20) -> SearchRequest:
        """Read API/page parameters; raise `BadQuery` naming the parameter that is wrong."""
        values: dict[str, str | tuple[str, ...]] = {}
        for name in FILTER_FIELDS:
            given = [v.strip() for v in _all(args, name) if v.strip()]
            for value in given:
                if name == "year" and not _DIGITS.fullmatch(value):
                    raise BadQuery(f"'year' must be a year such as 2020, not '{value}'")
                if name != "year" and not is_slug(value):
                    raise BadQuery(
                        f"'{name}' must be a slug such as how-singapore-learns, not '{value}'"
                    )
            if name in REPEATABLE:
                values[name] = tuple(dict.fromkeys(given))
            elif len(given) > 1:
                raise BadQuery(f"give '{name}' once; only {', '.join(REPEATABLE)} may repeat")
            else:
                values[name] = given[0] if given else ""
        from_date, to_date = (_date(args, name) for name in DATES)
        if from_date and to_date and from_date > to_date:
            raise BadQuery(f"'from' ({from_date}) is after 'to' ({to_date}); swap them")
        sort = (args.get("sort") or "relevance").strip()
        if sort not in ("relevance", "date"):
            raise BadQuery("'sort' must be 'relevance' or 'date'")
        return cls(
            q=(args.get("q") or "").strip(),
            sort=sort,
            page=_whole(args, "page", 1, 1, 10_000),
            per_page=_whole(args, "per_page", default_per_page, 1, MAX_PER_PAGE),
            from_date=from_date,
            to_date=to_date,
            **values,
        )

    def filters(self) -> list[tuple[str, str]]:
        """(parameter, value) for every filter given, a repeated one once per value."""
        pairs = []
        for name in FILTER_FIELDS:
            value = getattr(self, name)
            pairs.extend((name, one) for one in (value if name in REPEATABLE else [value]) if one)
        return pairs

    def has_filters(self) -> bool:
        return bool(self.filters() or self.from_date or self.to_date)

    def as_params(self, **changes) -> dict[str, str | int | list[str]]:
        """The request as URL parameters (defaults left out), with `changes` applied."""
        merged = {f.name: getattr(self, f.name) for f in fields(self)} | changes
        defaults = SearchRequest()
        params: dict[str, str | int | list[str]] = {}
        for name, value in merged.items():
            if value in ("", None, ()) or value == getattr(defaults, name):
                continue
            key = {"from_date": "from", "to_date": "to"}.get(name, name)
            params[key] = list(value) if isinstance(value, tuple) else value
        return params

    def toggled(self, name: str, value: str) -> dict[str, str | int | list[str]]:
        """URL parameters with a facet value added, or removed when it is already chosen."""
        if name not in REPEATABLE:
            return self.as_params(**{name: "" if getattr(self, name) == value else value}, page=1)
        chosen = getattr(self, name)
        changed = tuple(v for v in chosen if v != value) if value in chosen else (*chosen, value)
        return self.as_params(**{name: changed}, page=1)

    def chosen(self, name: str, value: str) -> bool:
        current = getattr(self, name)
        return value in current if name in REPEATABLE else value == current


def _all(args: Mapping[str, str], name: str) -> list[str]:
    getlist = getattr(args, "getlist", None)
    if getlist is not None:
        return getlist(name)
    value = args.get(name)
    return [value] if value else []


def _date(args: Mapping[str, str], name: str) -> str:
    raw = (args.get(name) or "").strip()
    if not raw:
        return ""
    try:
        return date.fromisoformat(raw).isoformat() if len(raw) == 10 else _bad_date(name, raw)
    except ValueError:
        return _bad_date(name, raw)


def _bad_date(name: str, raw: str) -> str:
    raise BadQuery(f"'{name}' must be a date such as 2020-06-01, not '{raw}'")


def _whole(args: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = (args.get(name) or "").strip()
    if not raw:
        return default
    if not _DIGITS.fullmatch(raw) or not low <= int(raw) <= high:
        raise BadQuery(f"'{name}' must be a whole number from {low} to {high}")
    return int(raw)
