"""Hostile manifests: whatever arrives, the importer answers with its own report, never a crash."""

from __future__ import annotations

import yaml
from archive_files import TWO_SPEAKERS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from festival.errors import ImportProblem
from festival.ingest.manifest import read_manifest

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False),
    st.text(max_size=30),
    st.sampled_from(
        ["2020-06-10", "2020-06-10T14:00:00+01:00", "t.vtt", "../t.vtt", "/etc/passwd"]
    ),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=12,
)
SESSION_KEYS = ["slug", "title", "starts_at", "duration", "format", "summary", "themes", "speakers",
                "recording", "transcript", "language", "chapters"]  # fmt: skip
SESSIONS = st.lists(st.dictionaries(st.sampled_from(SESSION_KEYS), VALUES, max_size=8), max_size=3)
MANIFESTS = st.fixed_dictionaries(
    {
        "festival": st.dictionaries(
            st.sampled_from(["slug", "name", "starts", "ends", "url", "description", "notice"]),
            VALUES,
            max_size=7,
        ),
        "sessions": st.one_of(SESSIONS, VALUES),
    }
)


def _check(folder, text: str) -> None:
    path = folder / "festival.yaml"
    path.write_text(text)
    try:
        read_manifest(path)
    except ImportProblem as problem:
        assert problem.problems
        assert all(p.file and p.message for p in problem.problems)


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(manifest=MANIFESTS)
def test_any_manifest_shape_gives_a_plan_or_a_report(tmp_path, manifest):
    (tmp_path / "t.vtt").write_text(TWO_SPEAKERS)
    _check(tmp_path, yaml.safe_dump(manifest))


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(max_size=300))
def test_any_text_gives_a_plan_or_a_report(tmp_path, text):
    _check(tmp_path, text)


def test_a_yaml_alias_bomb_is_refused_quickly(tmp_path):
    rows = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    rows += [
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]"
        for i in range(9)
    ]
    path = tmp_path / "festival.yaml"
    path.write_text("\n".join(rows) + "\n")
    try:
        read_manifest(path)
    except ImportProblem as problem:
        assert "aliases" in str(problem)
    else:
        raise AssertionError("an alias bomb must be refused")
