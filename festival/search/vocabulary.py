"""The archive's own names that fields and filters are checked against, and the closest ones.

`said:mulgan` means a speaker whose name holds *mulgan*; `said:mulgn`, which names nobody,
is refused with the names it most resembles rather than silently dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from difflib import SequenceMatcher

from festival.errors import BadQuery
from festival.slugs import slugify

# kind of name -> the word a message uses for one of them
KINDS = {
    "speakers": "speaker",
    "voices": "speaker",
    "themes": "theme",
    "festivals": "festival",
    "formats": "format",
}
CLOSEST = 3
ALIKE = 0.6  # a name this like the value (difflib's ratio) is offered; else only the likest


class Vocabulary:
    """Names in the archive that fielded queries are matched against: slug -> display name.

    `load(kind)` reads one kind (`speakers`, `themes`, `festivals`, `formats`) when a query
    first names it, so a plain-words search reads none.
    """

    def __init__(self, load: Callable[[str], dict[str, str]]):
        self._load = load
        self._names: dict[str, dict[str, str]] = {}

    def names(self, kind: str) -> dict[str, str]:
        if kind not in self._names:
            self._names[kind] = self._load(kind)
        return self._names[kind]

    def matching(self, kind: str, words: list[str]) -> list[str]:
        """Slugs whose name holds every word (whole words, accents and case ignored).

        Raise `BadQuery` naming the closest names when there are none.
        """
        wanted = [slugify(word) for word in words if slugify(word)]
        found = []
        for slug, name in self.names(kind).items():
            parts = set(slug.split("-")) | set(slugify(name).split("-"))
            if wanted and (all(word in parts for word in wanted) or "-".join(wanted) == slug):
                found.append(slug)
        if not found:
            value = " ".join(words)
            raise BadQuery(f"no {KINDS[kind]} matches '{value}'{self._did_you_mean(kind, value)}")
        return found

    def require_slug(self, kind: str, slug: str, parameter: str) -> None:
        """Raise `BadQuery` when a filter parameter names a slug the archive does not hold."""
        if slug not in self.names(kind):
            raise BadQuery(
                f"no {KINDS[kind]} has the slug '{slug}' ({parameter}={slug})"
                + self._did_you_mean(kind, slug, with_slugs=True)
            )

    def closest(self, kind: str, value: str) -> list[str]:
        """The slugs whose names (or any word of them) look most like `value`, best first:
        those alike enough, up to CLOSEST, or else the likest one."""
        wanted = slugify(value)

        def likeness(slug: str) -> float:
            candidates = {slug, slugify(self.names(kind)[slug]), *slug.split("-")}
            return max(SequenceMatcher(None, wanted, other).ratio() for other in candidates)

        ranked = sorted(
            ((likeness(slug), slug) for slug in self.names(kind)),
            key=lambda pair: (-pair[0], pair[1]),
        )
        alike = [slug for score, slug in ranked[:CLOSEST] if score >= ALIKE]
        return alike or [slug for _, slug in ranked[:1]]

    def _did_you_mean(self, kind: str, value: str, with_slugs: bool = False) -> str:
        options = [
            f"{self.names(kind)[slug]} ({slug})" if with_slugs else self.names(kind)[slug]
            for slug in self.closest(kind, value)
        ]
        if not options:
            return f"; the archive has no {KINDS[kind]}s yet"
        listed = options[0] if len(options) == 1 else ", ".join(options[:-1]) + " or " + options[-1]
        return f"; did you mean {listed}?"
