"""Security headers on every response: a Content-Security-Policy that allows only what the
pages and the embedded players need, and the usual hardening headers."""

from __future__ import annotations

from flask import Flask, Response

YOUTUBE = "https://www.youtube.com https://www.youtube-nocookie.com"
VIMEO = "https://player.vimeo.com"

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        f"script-src 'self' {YOUTUBE} https://s.ytimg.com {VIMEO}",
        "style-src 'self'",
        "img-src 'self' data: https:",  # posters and speaker photos may live elsewhere
        "media-src 'self' https:",
        f"frame-src {YOUTUBE} {VIMEO}",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'self'",
    ]
)

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "SAMEORIGIN",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}


def add_security_headers(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def init_app(app: Flask) -> None:
    app.after_request(add_security_headers)
