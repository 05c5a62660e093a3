"""Facets: how many matching sessions each festival, theme, speaker, year and format holds."""

from __future__ import annotations

from collections import Counter

FACETS = ("festival", "theme", "speaker", "year", "format")


def facets(facts: dict[str, dict]) -> dict[str, list[dict]]:
    """Facet values with labels and session counts, most sessions first, then by label."""
    counts: dict[str, Counter] = {name: Counter() for name in FACETS}
    labels: dict[tuple[str, str], str] = {}
    for fact in facts.values():
        entries = {
            "festival": [(fact["festival"], fact["festival_name"])],
            "theme": [(t["slug"], t["name"]) for t in fact["themes"]],
            "speaker": [(s["slug"], s["name"]) for s in fact["speakers"]],
            "year": [(fact["year"], fact["year"])],
            "format": [(fact["format"], fact["format"].capitalize())] if fact["format"] else [],
        }
        for facet, values in entries.items():
            for value, label in values:
                counts[facet][value] += 1
                labels[(facet, value)] = label
    return {
        facet: [
            {"value": value, "label": labels[(facet, value)], "count": count}
            for value, count in sorted(
                counter.items(), key=lambda i: (-i[1], labels[(facet, i[0])])
            )
        ]
        for facet, counter in counts.items()
    }
