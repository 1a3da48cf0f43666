"""Who may do what: ``Authorization: Bearer <key>`` checked before every request.

Registered by the app factory (web/__init__.py) when ``FAHRAS_KEY_FILE`` is set; with no key
file nothing here runs and the app is read-only, as it always was (the write and admin
routes are not even registered). With a key file (web/keys.py):

* the write API (web/write_api.py) and the admin page (web/admin.py) need an admin key;
* when the file holds an active search key, every search page and API route needs a search
  or an admin key (a private archive); health, metrics, the OpenAPI document and static
  files never do.

No key: 401 with ``WWW-Authenticate: Bearer``; a key of the wrong kind: 403. A key in the URL
(``?key=…``) is refused with 400 rather than accepted, so it never lands in access logs. The
key is never logged or echoed: the answers name only the key's kind and id.
"""

from __future__ import annotations

from flask import Flask, Response, current_app, g, request
from werkzeug.exceptions import BadRequest, Forbidden, Unauthorized

from web.keys import ApiKey, KeyRing

__all__ = ["ADMIN_BLUEPRINTS", "OPEN_ENDPOINTS", "init_app", "key_ring", "current_key"]

_RING_KEY = "fahras.keys"
#: Blueprints whose every route needs an admin key.
ADMIN_BLUEPRINTS = frozenset({"write_api", "admin"})
#: Endpoints that never need a key.
OPEN_ENDPOINTS = frozenset({"static", "api.health", "api.openapi", "metrics.metrics",
                            "fonts.font", "fonts.licence"})
_URL_KEY_NAMES = ("key", "api_key", "apikey", "access_token", "token")


def key_ring(app: Flask | None = None) -> KeyRing | None:
    """The app's key ring, or None when no key file is configured."""
    app = app or current_app
    return app.extensions.get(_RING_KEY)


def current_key() -> ApiKey | None:
    """The key the current request was made with (after the check), if any."""
    return g.get("fahras_key")


def _needed_kind(ring: KeyRing) -> str | None:
    endpoint = request.endpoint or ""
    if request.blueprint in ADMIN_BLUEPRINTS:
        return "admin"
    if endpoint in OPEN_ENDPOINTS or not endpoint:
        return None
    return "search" if ring.has_search_keys() else None


def _article(kind: str) -> str:
    return f"an {kind}" if kind[0] in "aeiou" else f"a {kind}"


def _presented_key() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def _check() -> None:
    ring = key_ring()
    if ring is None:
        return
    if any(name in request.args for name in _URL_KEY_NAMES):
        raise BadRequest("API keys go in the Authorization header (Bearer), never in the URL")
    kind = _needed_kind(ring)
    if kind is None:
        return
    presented = _presented_key()
    if presented is None:
        raise Unauthorized(f"this needs {_article(kind)} key: send Authorization: Bearer <key>")
    key = ring.authenticate(presented)
    if key is None:
        raise Unauthorized("the key is unknown or revoked")
    if not key.allows(kind):
        raise Forbidden(f"{_article(key.kind)} key cannot do this: it needs {_article(kind)} key")
    g.fahras_key = key


def _challenge(response: Response) -> Response:
    if response.status_code == 401:
        response.headers.setdefault("WWW-Authenticate", 'Bearer realm="fahras"')
    return response


def init_app(app: Flask, ring: KeyRing) -> None:
    """Check keys on every request of ``app`` against ``ring``."""
    ring.keys()  # a broken key file stops the start, not the first request
    app.extensions[_RING_KEY] = ring
    app.before_request(_check)
    app.after_request(_challenge)
