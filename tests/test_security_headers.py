"""Every response carries the hardening headers: pages, API answers, redirects, static files,
and every kind of error, down to a 500 from a damaged database."""

from __future__ import annotations

from pathlib import Path

import pytest

from festival.storage import DATABASE_NAME
from festival.web.security import HEADERS

EXPECTED = {
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    "X-Content-Type-Options": "nosniff",
}


def assert_hardened(response) -> None:
    for name, value in HEADERS.items():
        assert response.headers.get(name) == value, name
    for name, value in EXPECTED.items():
        assert response.headers.get(name) == value, name
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]


@pytest.mark.parametrize(
    "method, url, status",
    [
        ("GET", "/", 200),
        ("GET", "/sessions/how-singapore-learns", 200),
        ("GET", "/api/search?q=trust", 200),
        ("GET", "/static/style.css", 200),
        ("GET", "/static/no-such-file.css", 404),
        ("GET", "/speakers/no-such-speaker", 404),
        ("GET", "/api/sessions/no-such-session", 404),
        ("GET", "/api/search?q=*bad", 400),
        ("GET", "/organise/", 302),
        ("POST", "/feed.atom", 405),
        ("POST", "/organise/login", 400),  # no CSRF token
    ],
)
def test_every_kind_of_response_carries_the_hardening_headers(demo_client, method, url, status):
    response = demo_client.open(url, method=method)
    assert response.status_code == status
    assert_hardened(response)


def test_a_500_carries_them_too(app):
    instance = Path(app.instance_path)
    for name in (DATABASE_NAME, f"{DATABASE_NAME}-wal", f"{DATABASE_NAME}-shm"):
        (instance / name).unlink(missing_ok=True)
    (instance / DATABASE_NAME).write_bytes(b"this is not a database" * 100)
    response = app.test_client().get("/")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.get_data(as_text=True)
    assert_hardened(response)
