"""Fahras on the web: the Flask application factory.

The last stage of the flow (``web → search → indexer``). :func:`create_app` builds the app
with two blueprints, ``ui`` (the RTL search and article pages, web/views.py) and ``api`` (the
JSON API, web/api.py), security headers (web/security.py) and one shared
:class:`search.Searcher` kept in ``app.extensions["fahras"]``. The searcher is opened on the
first request that needs it, so the app starts even before an index exists, and a page asking
for a missing index gets a clear 503 until one is built. Importing this module opens nothing.

Production: ``fahras-web`` (waitress, web/cli.py). Development: ``flask --app web run``.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping
from typing import Any

from flask import Flask, current_app
from flask.json.provider import DefaultJSONProvider

from indexer.address import resolve_address

__all__ = ["create_app", "get_searcher", "DEFAULT_CONFIG"]

#: Settings and their defaults; ``create_app(config)`` and ``FAHRAS_*`` env vars override them.
DEFAULT_CONFIG: dict[str, Any] = {
    # the index: a folder or sphinx://… ($FAHRAS_INDEX, else $FAHRAS_INDEX_DIR, else ./index;
    # indexer/address.py)
    "FAHRAS_INDEX_DIR": None,
    "FAHRAS_SEEDS_DIR": None,  # $FAHRAS_SEEDS_DIR, else ./seeds (what fahras-web builds from)
    "FAHRAS_LABELS": None,  # $FAHRAS_LABELS: a JSON file of display names for codes
    "FAHRAS_SYNONYMS": None,  # $FAHRAS_SYNONYMS: a synonym file, one rule a line
    "FAHRAS_TIME_LIMIT": 2.0,  # seconds a search may run before partial results are returned
    "FAHRAS_COSTLY_SEARCHES": 1,  # costly searches (~ or * words) at once; more get 429
    "MAX_QUERY_LENGTH": 500,  # characters; longer: 400 from the API, truncated on the page
    "MAX_PER_PAGE": 100,  # largest per_page the API accepts
    "MAX_PAGE": 10_000,  # deepest page either surface serves
    "PER_PAGE": 10,  # results per page on the search page
    "MAX_CONTENT_LENGTH": 64 * 1024,  # nothing here takes a request body
}

_SEARCHER_KEY = "fahras"
_LOCK_KEY = "fahras.lock"


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """A new Fahras web app; ``config`` overrides :data:`DEFAULT_CONFIG` (tests pass one)."""
    app = Flask(__name__)
    app.config.from_mapping(DEFAULT_CONFIG)
    app.config["FAHRAS_SEEDS_DIR"] = os.environ.get("FAHRAS_SEEDS_DIR") or "seeds"
    app.config["FAHRAS_LABELS"] = os.environ.get("FAHRAS_LABELS") or None
    app.config["FAHRAS_SYNONYMS"] = os.environ.get("FAHRAS_SYNONYMS") or None
    if config:
        app.config.update(config)
    app.config["FAHRAS_INDEX_DIR"] = resolve_address(app.config["FAHRAS_INDEX_DIR"]).text
    json_provider = app.json
    assert isinstance(json_provider, DefaultJSONProvider)  # Flask's own, unless replaced
    json_provider.ensure_ascii = False  # Arabic as written in JSON, not \\u escapes
    json_provider.sort_keys = False
    # no redirects from the router: `/api/articles///similar` is not found, not a 308 to
    # another address (API clients do not follow them, and a page never needs them)
    app.url_map.merge_slashes = False

    app.extensions[_SEARCHER_KEY] = None
    app.extensions[_LOCK_KEY] = threading.Lock()

    from web import api, security, views  # the blueprints import get_searcher from here

    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
    security.init_app(app)
    views.register_error_pages(app)
    from web import newsroom  # keys, write API, admin page, metrics, analytics

    newsroom.init_app(app, dict(config or {}))
    return app


def get_searcher(app: Flask | None = None):
    """The app's one Searcher, opened on first use.

    Raises ``search.IndexNotFound``, ``search.IndexMismatch`` or ``search.IndexDamaged``
    while there is no usable index; the next call tries again, so an index built (or
    rebuilt) later is picked up without a restart.
    """
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]  # a proxy
    searcher = app.extensions.get(_SEARCHER_KEY)
    if searcher is not None:
        return searcher
    with app.extensions[_LOCK_KEY]:
        searcher = app.extensions.get(_SEARCHER_KEY)
        if searcher is None:
            from search import Searcher

            searcher = Searcher(
                app.config["FAHRAS_INDEX_DIR"], time_limit=app.config["FAHRAS_TIME_LIMIT"],
                labels=app.config["FAHRAS_LABELS"] or "",
                synonyms=app.config["FAHRAS_SYNONYMS"] or "",
                costly_searches=app.config["FAHRAS_COSTLY_SEARCHES"],
            )
            app.extensions[_SEARCHER_KEY] = searcher
    return searcher


def close_searcher(app: Flask) -> None:
    """Close the app's Searcher if one was opened (fahras-web calls this on shutdown)."""
    with app.extensions[_LOCK_KEY]:
        searcher = app.extensions.get(_SEARCHER_KEY)
        app.extensions[_SEARCHER_KEY] = None
    if searcher is not None:
        searcher.close()
