"""Manifests and forms written to break the importer: deep nesting, numbers SQLite cannot hold,
text that is not UTF-8. Each gets `FILE:LINE: message` (or a form problem naming the field),
exit 1 or a 400, and nothing written; never a traceback or a 500."""

from __future__ import annotations

import pytest
from organising import add_festival, add_session, database

HEAD = """festival:
  slug: hostile
  name: Hostile Festival
sessions:
  - slug: engines
    title: Engines
    starts_at: 2021-05-04
"""


def import_text(app, tmp_path, text: str | bytes):
    """Run `flask import` on a manifest holding `text`; return (result, manifest path)."""
    manifest = tmp_path / "festival.yaml"
    if isinstance(text, str):
        text = text.encode()
    manifest.write_bytes(text)
    return app.test_cli_runner().invoke(args=["import", str(manifest)]), manifest


def assert_refused(app, result, expected: str) -> None:
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit), result.exception  # not a crash
    assert expected in result.output, result.output
    assert "Traceback" not in result.output
    assert database(app)["sessions"].count == 0


@pytest.mark.parametrize(
    "nesting, line",
    [
        ("    summary: " + "[" * 500 + "]" * 500 + "\n", 8),
        ("    summary: " + "{a: " * 500 + "1" + "}" * 500 + "\n", 8),
        ("    summary:\n" + "".join("  " * (n + 3) + "- \n" for n in range(500)), 26),
    ],
    ids=["flow-lists", "flow-mappings", "block-lists"],
)
def test_yaml_nested_500_deep_is_one_line_numbered_problem(app, tmp_path, nesting, line):
    result, manifest = import_text(app, tmp_path, HEAD + nesting)
    assert_refused(app, result, f"{manifest}:{line}: lists or mappings are nested more than 20")
    assert len(result.output.splitlines()) == 1


def test_an_ordinary_manifest_is_well_inside_the_nesting_limit(app, tmp_path):
    speakers = "    speakers:\n      - name: Ada Lovelace\n        affiliation: Analytical\n"
    result, _manifest = import_text(app, tmp_path, HEAD + speakers)
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    "field, line, expected",
    [
        (
            "    duration: 99999999999999999999999\n",
            8,
            "'duration' 99999999999999999999999 is longer than 1,000 hours",
        ),
        ("    duration: " + "9" * 5000 + "\n", 8, "a number of 5,000 digits is too long"),
        (
            "    chapters:\n      - at: '99999999999999999999999:00:00'\n        title: Late\n",
            9,
            "chapter 'at' '99999999999999999999999:00:00' is past 1,000 hours",
        ),
        (
            "    chapters:\n      - at: 99999999999999999999999\n        title: Late\n",
            9,
            "chapter 'at' 99999999999999999999999 is past 1,000 hours",
        ),
        ("    chapters:\n      - at: .inf\n        title: Never\n", 9, "chapter 'at' inf is not a"),
        ("    chapters:\n      - at: -5\n        title: Before\n", 9, "chapter 'at' -5 is not a"),
    ],
    ids=["duration", "duration-digits", "chapter-hours", "chapter-seconds", "inf", "negative"],
)
def test_a_number_sqlite_cannot_hold_is_a_problem_naming_the_field(
    app, tmp_path, field, line, expected
):
    result, manifest = import_text(app, tmp_path, HEAD + field)
    assert_refused(app, result, f"{manifest}:{line}: {expected}")


def test_a_manifest_that_is_not_utf8_names_the_line(app, tmp_path):
    text = (HEAD + "    summary: Caf\u00e9 society\n").encode("latin-1")
    result, manifest = import_text(app, tmp_path, text)
    assert_refused(app, result, f"{manifest}:8: not UTF-8 text: invalid continuation byte")
    bom, manifest = import_text(app, tmp_path, b"\xef\xbb\xbf" + text)
    assert f"{manifest}:8: not UTF-8 text" in bom.output


@pytest.mark.parametrize(
    "fields, expected",
    [
        ({"duration": "99999999999999999999999"}, "&#39;duration&#39; 99999999999999999999999 is"),
        ({"duration": "9" * 400}, "&#39;duration&#39; must be a whole number of seconds"),
        ({"duration": "\u00b2"}, "&#39;duration&#39; must be a whole number of seconds"),
        (
            {"chapters": "99999999999999999999999:00:00 Late"},
            "chapter &#39;at&#39; &#39;99999999999999999999999:00:00&#39; is past 1,000 hours",
        ),
        ({"chapters": "99999999999999999999999h Late"}, "is past 1,000 hours"),
    ],
    ids=["duration", "duration-400-digits", "superscript", "chapter-clock", "chapter-hours"],
)
def test_the_session_form_refuses_an_impossible_number_and_saves_nothing(
    organiser, organiser_app, fields, expected
):
    add_festival(organiser)
    response = add_session(organiser, **fields)
    assert response.status_code == 400
    assert expected in response.get_data(as_text=True)
    assert database(organiser_app)["sessions"].count == 0


def test_a_cue_position_sqlite_cannot_hold_is_a_404(organiser, organiser_app):
    add_festival(organiser)
    add_session(organiser)
    response = organiser.post(
        "/organise/sessions/engines/cues/99999999999999999999999", data={"text": "x"}
    )
    assert response.status_code == 404


def test_a_start_time_of_thousands_of_digits_is_ignored(demo_client):
    response = demo_client.get("/sessions/how-singapore-learns", query_string={"t": "9" * 5000})
    assert response.status_code == 200
    clock = demo_client.get("/sessions/how-singapore-learns?t=" + "9" * 5000 + ":00:00")
    assert clock.status_code == 200
