"""Under a bounded load with four gunicorn workers, an import and a correction, nothing fails."""

from __future__ import annotations

from bench.load import run


def test_mixed_load_with_an_import_and_a_correction_has_no_5xx_and_search_follows_both():
    figures = run(requests=400, concurrency=8, workers=4, seconds=60)
    assert figures["requests"] >= 300
    assert figures["server_errors"] == 0, figures
    assert figures["import_exit"] == 0
    assert figures["new_session_searchable_at_once"], figures
    assert figures["correction_status"] == 200, figures
    assert figures["correction_searchable_at_once"], figures
    assert set(figures["statuses"]) <= {200, 400}
