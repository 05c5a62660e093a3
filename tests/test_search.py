"""The search language, filters, facets, grouping, moments and refusals, on a real index."""

from __future__ import annotations

import pytest
from archive_files import TWO_SPEAKERS, open_archive, session, vtt, write_festival

pytestmark = pytest.mark.both_databases


@pytest.fixture
def archive(app, runner, tmp_path):
    """A small archive whose every word we know: two festivals, four sessions."""
    first = write_festival(
        tmp_path / "one",
        [
            session(
                "engines",
                title="Analytical Engines",
                format="talk",
                themes=["Computing"],
                speakers=["Ada Lovelace", "Charles Babbage"],
                starts_at="2021-05-04T10:00:00+00:00",
            ),
            session(
                "looms",
                title="Jacquard Looms",
                format="panel",
                themes=["Craft", "Computing"],
                speakers=["Ada Lovelace"],
                starts_at="2021-05-05T10:00:00+00:00",
            ),
            session(
                "markup",
                title="Markup in transcripts",
                speakers=["Mallory"],
                starts_at="2021-05-06T10:00:00+00:00",
            ),
        ],
        {
            "engines.vtt": TWO_SPEAKERS,
            "looms.vtt": vtt(
                (0, 5, "Ada Lovelace", "Looms weave patterns from punched cards."),
                (40, 45, "Ada Lovelace", "Innovation in weaving came before computing."),
                (80, 85, "Ada Lovelace", "Public trust in machines grows slowly."),
            ),
            "markup.vtt": vtt(
                (
                    0,
                    5,
                    "Mallory",
                    "I typed &lt;script&gt;alert(1)&lt;/script&gt; into the chat &amp; left.",
                ),
            ),
        },
    )
    second = write_festival(
        tmp_path / "two",
        [
            session(
                "civic-data",
                title="Civic Data",
                format="panel",
                themes=["Data governance"],
                speakers=["Grace Hopper"],
                starts_at="2022-03-01T09:00:00+00:00",
            )
        ],
        {"civic-data.vtt": vtt((2, 6, "Grace Hopper", "Data governance builds public trust."))},
        festival={"slug": "later-fest", "name": "Later Festival", "starts": "2022-03-01"},
    )
    for manifest in (first, second):
        result = runner.invoke(args=["import", str(manifest)])
        assert result.exit_code == 0, result.output
    return app.test_client()


def search(client, **params):
    response = client.get("/api/search", query_string=params)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def slugs(body):
    return [r["session"]["slug"] for r in body["results"]]


def starts(body, slug):
    return [
        m["start"] for r in body["results"] if r["session"]["slug"] == slug for m in r["moments"]
    ]


def test_all_words_must_match_by_default(archive):
    assert slugs(search(archive, q="public trust data")) == ["civic-data"]


def test_stemming_finds_other_forms(archive):
    body = search(archive, q="cluster")
    assert slugs(body) == ["engines"]
    assert "<mark>clustering</mark>" in body["results"][0]["moments"][0]["highlight"]


def test_a_moment_starts_at_the_cue_holding_the_words_not_the_window(archive):
    # Ada's first two cues (1.0 s and 4.5 s) are one indexed window; the words are in the second.
    assert starts(search(archive, q="clustering"), "engines") == [4.5]
    assert starts(search(archive, q='"public trust"'), "engines") == [4.5]
    assert starts(search(archive, q="welcome analytical"), "engines") == [1.0]


def test_exact_phrases_need_the_words_together(archive):
    assert set(slugs(search(archive, q='"public trust"'))) == {"engines", "looms", "civic-data"}
    assert slugs(search(archive, q='"trust public"')) == []


def test_or_not_minus_and_parentheses(archive):
    assert set(slugs(search(archive, q="looms OR governance"))) == {
        "engines",
        "looms",
        "civic-data",
    }
    assert set(slugs(search(archive, q="trust -data"))) == {"engines", "looms"}
    assert set(slugs(search(archive, q="trust NOT data"))) == {"engines", "looms"}
    assert set(slugs(search(archive, q="(looms OR governance) trust"))) == {"civic-data"}


def test_trailing_wildcard(archive):
    body = search(archive, q="innov*")
    assert slugs(body) == ["looms"]
    assert "<mark>Innovation</mark>" in body["results"][0]["moments"][0]["highlight"]


def test_case_and_accent_folding(archive):
    assert slugs(search(archive, q="LOOMS")) == ["looms"]
    assert slugs(search(archive, q="lóoms")) == ["looms"]


def test_said_by_finds_only_words_that_speaker_spoke(archive):
    body = search(archive, q="said:babbage governance")
    assert slugs(body) == ["engines"]
    assert {m["speaker"] for m in body["results"][0]["moments"]} == {"Charles Babbage"}
    assert slugs(search(archive, q="said:lovelace governance")) == []
    assert slugs(search(archive, q="governance", said_by="ada-lovelace")) == []


def test_fields_speaker_theme_festival_year_title_format(archive):
    assert set(slugs(search(archive, q="speaker:lovelace trust"))) == {"engines", "looms"}
    assert set(slugs(search(archive, q='theme:"data governance"'))) == {"civic-data"}
    assert set(slugs(search(archive, q="festival:later trust"))) == {"civic-data"}
    assert set(slugs(search(archive, q="year:2022 trust"))) == {"civic-data"}
    assert slugs(search(archive, q="title:jacquard")) == ["looms"]
    assert set(slugs(search(archive, q="format:panel trust"))) == {"looms", "civic-data"}


def test_a_colon_in_ordinary_words_is_not_a_field(archive):
    assert slugs(search(archive, q="looms: weave")) == ["looms"]


def test_session_title_or_speaker_name_finds_the_session_without_a_transcript_match(archive):
    body = search(archive, q="Jacquard")
    assert slugs(body) == ["looms"]
    assert body["results"][0]["moments"] == []
    assert slugs(search(archive, q="Grace Hopper")) == ["civic-data"]


@pytest.mark.parametrize(
    ("param", "value", "expected"),
    [
        ("festival", "later-fest", {"civic-data"}),
        ("theme", "computing", {"engines", "looms"}),
        ("speaker", "grace-hopper", {"civic-data"}),
        ("said_by", "charles-babbage", {"engines"}),
        ("session", "looms", {"looms"}),
        ("year", "2021", {"engines", "looms"}),
        ("format", "panel", {"looms", "civic-data"}),
    ],
)
def test_each_filter(archive, param, value, expected):
    assert set(slugs(search(archive, q="trust OR governance", **{param: value}))) == expected


def test_filters_alone_list_what_they_match_by_date(archive):
    body = search(archive, theme="computing")
    assert slugs(body) == ["engines", "looms"]
    assert body["total_sessions"] == 2


def test_facets_count_matching_sessions(archive):
    facets = search(archive, q="trust")["facets"]
    assert {f["value"]: f["count"] for f in facets["festival"]} == {"test-fest": 2, "later-fest": 1}
    assert {f["value"]: f["count"] for f in facets["theme"]}["computing"] == 2
    assert {f["value"]: f["count"] for f in facets["year"]} == {"2021": 2, "2022": 1}
    assert facets["speaker"][0] == {"value": "ada-lovelace", "label": "Ada Lovelace", "count": 2}


def test_grouping_more_moments_and_pagination(archive, app):
    app.config["MOMENTS_PER_SESSION"] = 1
    body = search(archive, q="ada OR looms OR trust OR governance OR weaving OR cards")
    looms = next(r for r in body["results"] if r["session"]["slug"] == "looms")
    assert len(looms["moments"]) == 1 and looms["more_moments"] == 2
    page_one = search(archive, q="trust", per_page=2, page=1)
    page_two = search(archive, q="trust", per_page=2, page=2)
    assert len(page_one["results"]) == 2 and len(page_two["results"]) == 1
    assert set(slugs(page_one)).isdisjoint(slugs(page_two))
    assert page_one["total_sessions"] == page_two["total_sessions"] == 3


def test_sort_by_date(archive):
    assert slugs(search(archive, q="trust", sort="date")) == ["engines", "looms", "civic-data"]


def test_did_you_mean_uses_the_archives_own_words(archive):
    body = search(archive, q="goverance")
    assert body["total_sessions"] == 0
    assert body["suggestion"] == "governance"
    assert search(archive, q="governance")["suggestion"] is None


def test_highlights_escape_transcript_markup_and_only_mark_is_markup(archive):
    moment = search(archive, q="alert")["results"][0]["moments"][0]
    assert moment["text"] == "I typed <script>alert(1)</script> into the chat & left."
    assert moment["highlight"] == (
        "I typed &lt;script&gt;<mark>alert</mark>(1)&lt;/script&gt; into the chat &amp; left."
    )
    html = archive.get("/search?q=alert").get_data(as_text=True)
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;<mark>alert</mark>" in html


@pytest.mark.parametrize(
    ("q", "hint"),
    [
        ("*ing", "only a trailing *"),
        ("*", "at least 3 letters"),
        ("in*", "at least 3 letters"),
        ("wo*rd", "only a trailing *"),
        ("x" * 501, "500 or fewer"),
        ("kind:session", "not a field you can search"),
        ("text:trust", "not a field you can search"),
        ("(" * 12 + "trust" + ")" * 12, "at most 8"),
        ('"', "no words"),
    ],
)
def test_refused_queries_are_400_bad_query_with_advice(archive, q, hint):
    response = archive.get("/api/search", query_string={"q": q})
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "bad_query"
    assert hint in error["message"]
    page = archive.get("/search", query_string={"q": q})
    assert page.status_code == 400 and hint in page.get_data(as_text=True)


@pytest.mark.parametrize(
    "params",
    [{"page": "0"}, {"page": "x"}, {"per_page": "1000"}, {"sort": "best"}, {"theme": "Not a slug"}],
)
def test_bad_parameters_are_400(archive, params):
    response = archive.get("/api/search", query_string={"q": "trust", **params})
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "bad_query"


def test_export_returns_every_moment_with_deep_links(archive, app):
    app.config["PER_PAGE"] = 1
    as_json = archive.get("/api/search/export?q=trust&as=json").get_json()
    moments = as_json["moments"]
    assert len(moments) == 3
    assert {m["session"] for m in moments} == {"engines", "looms", "civic-data"}
    looms = next(m for m in moments if m["session"] == "looms")
    assert looms["start"] == 80.0 and looms["url"].endswith("/sessions/looms?t=80")
    assert looms["festival"] == "test-fest" and looms["speaker"] == "Ada Lovelace"
    assert looms["highlight"] == "Public <mark>trust</mark> in machines grows slowly."
    as_csv = archive.get("/api/search/export?q=trust&as=csv")
    assert as_csv.mimetype == "text/csv"
    lines = as_csv.get_data(as_text=True).strip().splitlines()
    assert lines[0] == "session,title,festival,date,speaker,start,start_hms,end,end_hms,text,url"
    assert len(lines) == 4
    assert archive.get("/api/search/export?q=trust&as=xml").status_code == 400


def test_a_new_import_is_searchable_without_a_restart(archive, runner, tmp_path):
    assert search(archive, q="zeppelin")["total_sessions"] == 0
    manifest = write_festival(
        tmp_path / "three",
        [session("airships", speakers=["Hugo Eckener"])],
        {"airships.vtt": vtt((0, 4, "Hugo Eckener", "The zeppelin crossed the ocean."))},
        festival={"slug": "air-fest", "name": "Air"},
    )
    assert runner.invoke(args=["import", str(manifest)]).exit_code == 0
    assert slugs(search(archive, q="zeppelin")) == ["airships"]


def test_an_archive_whose_only_session_is_a_draft_searches_to_nothing(runner, app, tmp_path):
    from festival.storage import transaction

    manifest = write_festival(tmp_path / "f", [session("only")], {"only.vtt": TWO_SPEAKERS})
    assert runner.invoke(args=["import", str(manifest)]).exit_code == 0
    db = open_archive(app)
    with transaction(db):
        db.execute("update sessions set status = 'draft'")
    assert runner.invoke(args=["reindex"]).exit_code == 0
    client = app.test_client()
    assert search(client, q="trust")["total_sessions"] == 0
    # Her words are all in the draft: as far as the public archive knows, she said nothing.
    refused = client.get("/api/search", query_string={"said_by": "ada-lovelace"})
    assert refused.status_code == 400 and "only" not in refused.get_data(as_text=True)
    assert client.get("/search?q=trust").status_code == 200


def test_a_repeated_filter_matches_any_of_its_values(archive):
    body = search(archive, q="trust OR governance", theme=["craft", "data-governance"])
    assert set(slugs(body)) == {"looms", "civic-data"}
    both = archive.get("/search?q=trust&theme=craft&theme=data-governance").get_data(as_text=True)
    assert (
        "theme <strong>craft</strong>" in both and "theme <strong>data-governance</strong>" in both
    )
    # Removing one value keeps the other.
    assert 'href="/search?q=trust&amp;theme=data-governance">remove</a>' in both


def test_from_and_to_filter_by_session_date(archive):
    assert set(slugs(search(archive, q="trust", **{"from": "2021-05-05"}))) == {
        "looms",
        "civic-data",
    }
    assert slugs(search(archive, q="trust", to="2021-05-04")) == ["engines"]
    assert slugs(search(archive, **{"from": "2021-05-05", "to": "2021-05-06"})) == [
        "looms",
        "markup",
    ]


@pytest.mark.parametrize(
    ("params", "hint"),
    [
        ({"from": "2021-13-01"}, "'from' must be a date such as 2020-06-01"),
        ({"to": "yesterday"}, "'to' must be a date"),
        ({"from": "2022-01-01", "to": "2021-01-01"}, "swap them"),
        ({"said_by": ["ada-lovelace", "grace-hopper"]}, "give 'said_by' once"),
    ],
)
def test_bad_dates_and_repeats_are_400(archive, params, hint):
    response = archive.get("/api/search", query_string={"q": "trust", **params})
    assert response.status_code == 400 and hint in response.get_json()["error"]["message"]


@pytest.mark.parametrize(
    "q",
    [
        "trust",
        "trust OR looms",
        "public trust",
        "innov*",
        "trust said:lovelace",
        "tru* data",
        '"public trust"',
        '"public trust" said:hopper',
        '"data governance" trust',
        '"engines today we"',  # across two cues of one speaker's turn
        '"trust in machines"',
        '"public trust" -governance',
        '"public trust" OR looms',
        '"analytical engines" OR "punched cards"',
    ],
)
def test_posting_list_sets_match_what_whoosh_matches(archive, app, q):
    fast, whoosh = _fast_and_whoosh(app, q)
    assert fast == whoosh and fast


def _fast_and_whoosh(app, q):
    """The moments `q` matches, as the search reads them and as Whoosh's own matchers do."""
    from festival.search.docsets import matching_docnums
    from festival.search.matching import PreparedSearch
    from festival.search.request import SearchRequest

    db = open_archive(app)

    def both(index):
        moment_query = PreparedSearch(index.searcher, db, SearchRequest(q=q)).by_kind[0]
        fast = list(matching_docnums(index.searcher, moment_query))
        return fast, list(index.searcher.docs_for_query(moment_query))

    return app.extensions["festival.searchers"].run(both)


def test_adjacent_pairs_join_common_words_at_the_first_ones_position():
    from festival.index.schema import WORDS, AdjacentPairs

    pairs = WORDS | AdjacentPairs(frozenset({"data", "govern", "public", "trust", "build"}))
    tokens = [(t.text, t.pos) for t in pairs("Data governance builds public trust", positions=True)]
    assert tokens == [("data govern", 0), ("govern build", 1), ("build public", 2),
                      ("public trust", 3)]  # fmt: skip
    rare = WORDS | AdjacentPairs(frozenset({"data", "public", "trust"}))
    tokens = [(t.text, t.pos) for t in rare("Data governance builds public trust", positions=True)]
    assert tokens == [("public trust", 3)]


@pytest.mark.parametrize("q", ['"public trust"', '"data governance" trust', '"trust in machines"'])
def test_phrases_with_rarer_words_are_left_to_whoosh_and_match_the_same(
    archive, app, runner, monkeypatch, q
):
    """With only a few words common enough to pair, phrases mix pairs and Whoosh's own
    position checks, and still match exactly what Whoosh matches."""
    import festival.index.documents as documents
    from festival.index.schema import indexed_pairs

    monkeypatch.setattr(documents, "COMMON_WORDS", 3)
    assert runner.invoke(args=["reindex"]).exit_code == 0
    common = app.extensions["festival.searchers"].run(lambda i: indexed_pairs(i.searcher.schema))
    assert len(common) == 3
    fast, whoosh = _fast_and_whoosh(app, q)
    assert fast == whoosh and fast


def test_an_index_from_before_phrase_pairs_works_until_reindex(archive, runner, tmp_path):
    """An index built by an older version (no word-pair field) still answers phrases and
    takes new sessions; `check` asks for the `reindex` that adds the pairs."""
    import festival.index.writer as writer
    from festival.index.schema import PAIR_FIELD, build_schema

    older = build_schema()
    older.remove(PAIR_FIELD)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(writer, "build_schema", lambda common: older)
        assert runner.invoke(args=["reindex"]).exit_code == 0
    assert set(slugs(search(archive, q='"public trust"'))) == {"engines", "looms", "civic-data"}
    manifest = write_festival(
        tmp_path / "three",
        [session("airships", speakers=["Hugo Eckener"])],
        {"airships.vtt": vtt((0, 4, "Hugo Eckener", "Public trust in the zeppelin grew."))},
        festival={"slug": "air-fest", "name": "Air"},
    )
    assert runner.invoke(args=["import", str(manifest)]).exit_code == 0
    assert "airships" in slugs(search(archive, q='"public trust"'))
    checked = runner.invoke(args=["check"])
    assert checked.exit_code == 1 and "it has no pairs" in checked.output, checked.output
    assert runner.invoke(args=["reindex"]).exit_code == 0
    assert runner.invoke(args=["check"]).exit_code == 0
    assert set(slugs(search(archive, q='"public trust"'))) == {
        "engines", "looms", "civic-data", "airships"
    }  # fmt: skip
