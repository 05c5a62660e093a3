"""Under a bounded load with four gunicorn workers and an import running, nothing fails."""

from __future__ import annotations

from bench.load import run


def test_mixed_load_with_an_import_has_no_server_errors_and_finds_the_new_session_at_once():
    figures = run(requests=400, concurrency=8, workers=4, seconds=60)
    assert figures["requests"] >= 300
    assert figures["server_errors"] == 0, figures
    assert figures["import_exit"] == 0
    assert figures["new_session_searchable_at_once"], figures
    assert set(figures["statuses"]) <= {200, 400}
