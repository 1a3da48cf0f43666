"""Security headers on every response.

The pages load only their own static files: one stylesheet and one script, no inline script
or style, nothing from another site. The Content-Security-Policy says exactly that, so even a
hostile article that slipped past escaping could not run a script or load anything.
"""

from __future__ import annotations

from flask import Flask, Response, abort, current_app, request

__all__ = ["CONTENT_SECURITY_POLICY", "SECURITY_HEADERS", "init_app"]

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


def _add_headers(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def _refuse_big_bodies() -> None:
    """413 for a request that announces a body over ``MAX_CONTENT_LENGTH``, whether or not
    its route reads the body (only the write API does; Flask checks only when one is read)."""
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    if limit is not None and (request.content_length or 0) > limit:
        abort(413)


def init_app(app: Flask) -> None:
    """Add the headers to every response of ``app`` (errors and static files too), and refuse
    request bodies over the size limit."""
    app.before_request(_refuse_big_bodies)
    app.after_request(_add_headers)
