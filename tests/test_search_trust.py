"""Search never says something wrong without a sign: refusals that say what to type, every
matching cue in an export, why a session matched, honest highlights and suggestions."""

from __future__ import annotations

import csv
import io
import json
import threading

import pytest
from archive_files import open_archive, session, vtt, write_festival

pytestmark = pytest.mark.both_databases
PREFIXED = [f"pre{a}{b}" for a in "bcdfg" for b in "aeiou" + "lmnr"][:45]  # 45 words in pre*


@pytest.fixture
def small(app, runner, tmp_path):
    """A festival whose every cue we know: one talk, one panel."""
    manifest = write_festival(
        tmp_path / "small",
        [
            session(
                "trust-talk",
                title="=1+2 On trust",
                summary="Why institutions lose the confidence of citizens.",
                format="talk",
                themes=["Institutions"],
                speakers=["Ada Lovelace"],
                starts_at="2021-05-04T10:00:00+00:00",
            ),
            session(
                "panel",
                title="A panel",
                format="panel",
                themes=["Health"],
                speakers=["Grace Hopper"],
                starts_at="2021-05-05T10:00:00+00:00",
            ),
        ],
        {
            # One speaker's turn within 30 s: one indexed window of four cues.
            "trust-talk.vtt": vtt(
                (0, 4, "Ada Lovelace", "Trust matters here."),
                (5, 9, "Ada Lovelace", "We earn trust slowly."),
                (10, 14, "Ada Lovelace", "Trust the public: public trust grows."),
                (15, 19, "Ada Lovelace", "Nothing to see."),
                (3700, 3704, "Ada Lovelace", "@SUM(A1) and trust at the end."),
            ),
            "panel.vtt": vtt(
                (0, 4, "Grace Hopper", "COVID-19 changed public health."),
                (5, 9, "Grace Hopper", "Public money."),
                (10, 14, "Grace Hopper", "Earned trust."),
                (40, 44, "Grace Hopper", " ".join(PREFIXED)),
                (80, 84, "Grace Hopper", "The government spoke. Governments listened."),
            ),
        },
    )
    result = runner.invoke(args=["import", str(manifest)])
    assert result.exit_code == 0, result.output
    return app.test_client()


def ok(client, **params) -> dict:
    response = client.get("/api/search", query_string=params)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def refused(client, **params) -> str:
    """The 400 message of the API; the search page says the same with a 400."""
    response = client.get("/api/search", query_string=params)
    assert response.status_code == 400, response.get_json()
    error = response.get_json()["error"]
    assert error["code"] == "bad_query"
    page = client.get("/search", query_string=params)
    assert page.status_code == 400
    assert error["message"].replace("'", "&#39;") in page.get_data(as_text=True)
    return error["message"]


def result(body: dict, slug: str) -> dict:
    return next(r for r in body["results"] if r["session"]["slug"] == slug)


@pytest.mark.parametrize(
    ("q", "message"),
    [
        ("said:mulgn trust", "no speaker matches 'mulgn'; did you mean Geoff Mulgan?"),
        ("speaker:landri", "no speaker matches 'landri'; did you mean Charles Landry?"),
        ("theme:futurs data", "no theme matches 'futurs'; did you mean futures?"),
        ("festival:nope", "no festival matches 'nope'; did you mean States of Change"),
        ("format:lecture trust", "no format matches 'lecture'; did you mean"),
    ],
)
def test_a_field_naming_nothing_is_refused_with_the_closest_names(demo_client, q, message):
    assert message in refused(demo_client, q=q)


def test_speaker_nobody_says_no_speaker_not_no_words(demo_client):
    message = refused(demo_client, q="speaker:nobody")
    assert message.startswith("no speaker matches 'nobody'")
    assert "no words" not in message


@pytest.mark.parametrize(
    ("param", "value", "closest"),
    [
        ("said_by", "geoff-mulgn", "Geoff Mulgan (geoff-mulgan)"),
        ("speaker", "charles-landri", "Charles Landry (charles-landry)"),
        ("theme", "futurs", "futures (futures)"),
        ("festival", "nope", "(states-of-change-2020)"),
        ("format", "lecture", "?"),
    ],
)
def test_a_filter_naming_nothing_is_refused_with_the_closest_names(
    demo_client, param, value, closest
):
    message = refused(demo_client, q="trust", **{param: value})
    assert f"'{value}' ({param}={value})" in message and closest in message


def test_names_are_checked_in_a_small_archive_too(small):
    assert "did you mean Ada Lovelace?" in refused(small, q="said:lovelac trust")
    assert "did you mean Institutions (institutions)?" in refused(small, theme="institution")
    assert ok(small, q="said:lovelace trust")["total_sessions"] == 1


@pytest.mark.parametrize(
    ("q", "advice"),
    [
        ("trust OR", "'OR' needs a word after it, as in trust OR data"),
        ("AND data", "'AND' needs a word before it, as in trust AND data"),
        ("NOT", "'NOT' needs a word after it, as in trust NOT data"),
        ("()", "'()' holds nothing: put words inside"),
        ("trust (NOT) data", "'NOT' needs a word after it"),
        ("trust OR OR data", "'OR' needs a word"),
    ],
)
def test_dangling_or_empty_operators_say_what_to_type(demo_client, q, advice):
    assert advice in refused(demo_client, q=q)


def test_dangling_operators_are_refused_in_a_small_archive_too(small):
    assert "'OR' needs a word after it" in refused(small, q="trust OR")
    assert "'()' holds nothing" in refused(small, q="trust ()")


def test_operators_inside_a_phrase_are_words(small):
    assert ok(small, q='"trust OR"')["total_sessions"] == 0


def test_export_has_one_row_per_matching_cue_at_its_start(small):
    body = ok(small, q="trust")
    talk = result(body, "trust-talk")
    assert [m["start"] for m in talk["moments"]] == [0.0, 3700.0]  # windows group the page
    rows = small.get("/api/search/export?q=trust&as=json").get_json()["moments"]
    assert [(r["session"], r["start"]) for r in rows] == [
        ("trust-talk", 0.0),
        ("trust-talk", 5.0),
        ("trust-talk", 10.0),
        ("trust-talk", 3700.0),
        ("panel", 10.0),
    ]
    assert rows[1]["url"].endswith("/sessions/trust-talk?t=5")
    assert rows[1]["highlight"] == "We earn <mark>trust</mark> slowly."


def test_export_of_words_spread_over_cues_gives_the_best_cue(small):
    rows = small.get("/api/search/export?q=public money&as=json").get_json()["moments"]
    assert [(r["session"], r["start"]) for r in rows] == [("panel", 5.0)]


def test_csv_export_gives_clock_times_and_neutralises_formulas(small):
    text = small.get("/api/search/export?q=trust&as=csv").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(r["start"], r["start_hms"], r["end_hms"]) for r in rows][3] == (
        "3700.0",
        "1:01:40",
        "1:01:44",
    )
    assert rows[0]["title"] == "'=1+2 On trust"
    assert rows[3]["text"] == "'@SUM(A1) and trust at the end."
    as_json = small.get("/api/search/export?q=trust&as=json").get_json()["moments"]
    assert as_json[0]["title"] == "=1+2 On trust"  # JSON is data, not a spreadsheet
    assert as_json[3]["text"] == "@SUM(A1) and trust at the end."


def test_streamed_json_export_is_exactly_the_json_it_always_was(small):
    for q in ("trust", "zeppelin"):
        response = small.get("/api/search/export", query_string={"q": q, "as": "json"})
        assert response.is_streamed
        body = response.get_data(as_text=True)
        assert body == json.dumps(json.loads(body), ensure_ascii=False, indent=1)


def test_an_export_cut_by_its_time_limit_says_so(small, app):
    app.config["EXPORT_TIME_LIMIT"] = 0
    body = small.get("/api/search/export?q=trust&as=json").get_json()
    assert body["partial"] is True and "time limit" in body["message"]
    text = small.get("/api/search/export?q=trust&as=csv").get_data(as_text=True)
    assert "export stopped at its 0-second time limit after 0 moments" in text.splitlines()[-1]


def test_a_session_matched_by_its_summary_in_the_demo_says_why(demo_client):
    body = ok(demo_client, q="pandemic")
    creativity = result(body, "creativity-at-system-scale")
    assert creativity["matched"] == [
        {
            "field": "summary",
            "highlight": "A discussion of what being creative means at the level of an"
            " organisation or a whole system: the urgency and focus the <mark>pandemic</mark>"
            " brought to the public sector, small tweaks to bureaucracies, and innovation"
            " built on many small pilots.",
        }
    ]


def test_a_session_matched_by_its_own_fields_says_why(small):
    institutions = result(ok(small, q="institutions"), "trust-talk")
    assert institutions["moments"] == []
    assert [m["field"] for m in institutions["matched"]] == ["summary", "themes"]
    assert result(ok(small, q="grace"), "panel")["matched"] == [
        {"field": "speakers", "highlight": "<mark>Grace</mark> Hopper"}
    ]
    page = small.get("/search?q=institutions").get_data(as_text=True)
    assert "Matched in summary" in page and "<mark>institutions</mark>" in page


def test_a_phrase_is_highlighted_where_it_occurs_not_its_words_elsewhere(small):
    moment = result(ok(small, q='"public trust"'), "trust-talk")["moments"][0]
    assert moment["start"] == 10.0
    assert moment["highlight"] == "Trust the public: <mark>public trust</mark> grows."


@pytest.mark.parametrize(
    ("q", "suggestion"),
    [
        ("goverment", "government"),  # one edit, not `governments` (two) however frequent
        ("covid", None),
        ("COVID-19", None),
        ("abc*", None),  # never `a*`, which is refused
        ("trust goverment", "trust government"),
    ],
)
def test_did_you_mean_prefers_the_closest_word_and_leaves_known_words(small, q, suggestion):
    assert ok(small, q=q)["suggestion"] == suggestion


def test_did_you_mean_in_the_demo(demo_client):
    assert ok(demo_client, q="goverment")["suggestion"] == "government"
    assert ok(demo_client, q="covid")["suggestion"] is None  # not `could`


def test_a_prefix_searched_by_its_commonest_words_says_so(small):
    body = ok(small, q="pre*")
    assert body["narrowed_prefixes"] == [{"prefix": "pre*", "searched": 40, "words": 45}]
    page = small.get("/search?q=pre*").get_data(as_text=True)
    assert "only its 40 commonest were searched" in page
    assert ok(small, q="gov*")["narrowed_prefixes"] == []


@pytest.mark.parametrize("params", [{"page": "²"}, {"per_page": "³"}, {"year": "²⁰²⁰"}])
def test_superscript_digits_are_not_numbers(small, params):
    refused(small, q="trust", **params)


def test_totals_say_they_are_exact(small):
    body = ok(small, q="trust")
    assert body["total_moments_relation"] == body["total_sessions_relation"] == "eq"


def test_clicking_a_chosen_facet_removes_it(small):
    page = small.get("/search?q=trust&format=talk").get_data(as_text=True)
    assert 'href="/search?q=trust" aria-current="true"' in page


def test_searchers_outlive_the_thread_of_their_request(app, small):
    """werkzeug serves each request on a new thread: the searcher must not die with it."""
    pool = app.extensions["festival.searchers"]
    lent = []

    def search_once():
        lent.append(pool.run(lambda index: id(index.searcher)))

    for _ in range(3):
        thread = threading.Thread(target=search_once)
        thread.start()
        thread.join()
    assert len(set(lent)) == 1


def test_searches_racing_commits_never_answer_503(app, small, tmp_path):
    from festival.index.writer import archive_write

    done = threading.Event()

    def keep_committing():
        db = open_archive(app)
        while not done.is_set():
            with archive_write(db, tmp_path / "instance", timeout=10) as write:
                write.touch("trust-talk", "panel")  # their documents are rewritten: a commit

    writer = threading.Thread(target=keep_committing)
    writer.start()
    statuses = []
    try:
        for _ in range(60):
            statuses.append(small.get("/api/search?q=trust").status_code)
    finally:
        done.set()
        writer.join()
    assert set(statuses) == {200}


def test_a_search_has_an_atom_feed_of_its_newest_sessions(small):
    from xml.etree import ElementTree

    page = small.get("/search?q=trust").get_data(as_text=True)
    assert 'href="/search.atom?q=trust"' in page
    response = small.get("/search.atom?q=trust")
    assert response.status_code == 200 and response.mimetype == "application/atom+xml"
    atom = "{http://www.w3.org/2005/Atom}"
    feed = ElementTree.fromstring(response.data)
    entries = feed.findall(f"{atom}entry")
    assert [e.find(f"{atom}title").text for e in entries] == ["A panel", "=1+2 On trust"]
    assert entries[0].find(f"{atom}link").get("href").endswith("/sessions/panel?q=trust")
    filtered = ElementTree.fromstring(small.get("/search.atom?q=trust&format=talk").data)
    assert [e.find(f"{atom}title").text for e in filtered.findall(f"{atom}entry")] == [
        "=1+2 On trust"
    ]
    assert small.get("/search.atom?q=said:nobody").status_code == 400
    assert small.get("/search.atom").status_code == 400


def test_names_only_drafts_hold_are_never_suggested(small, app):
    from pathlib import Path

    from festival.index.writer import archive_write

    db = open_archive(app)
    with archive_write(db, Path(app.instance_path), timeout=10) as write:
        write.db.execute("update sessions set status = 'draft' where slug = 'panel'")
        write.touch("panel")
    message = refused(small, q="said:hoper trust")
    assert "Grace Hopper" not in message and "Health" not in refused(small, theme="healt")


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-1+1", "@SUM(A1)", "\tcmd", "\rcmd"])
def test_every_formula_lead_is_neutralised_in_csv(app, cell):
    from festival.web.searching import EXPORT_COLUMNS, _csv_lines

    row = dict.fromkeys(EXPORT_COLUMNS, "") | {"text": cell, "start": 1.0, "end": 2.0}
    with app.test_request_context():
        header, line = list(_csv_lines(iter([row])))
    text = next(csv.DictReader(io.StringIO(header + line)))["text"]
    assert text.startswith("'") and text.lstrip("'").replace("\\|", "|") == cell
