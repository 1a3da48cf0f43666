"""The newsroom features of the app: keys, the write API, the admin page, metrics, analytics.

Called once by the app factory (web/__init__.py) after the read-only blueprints are in
place. Reads its settings (below: each from the environment variable of the same name, and
``create_app(config)`` overrides both) and registers:

* always: the Arabic web font (web/fonts.py), ``/metrics`` (web/metrics.py) and the query
  log hooks (web/query_log.py, which do nothing unless ``FAHRAS_ANALYTICS_DIR`` is set);
* with ``FAHRAS_KEY_FILE``: the key check (web/auth.py), the write API (web/write_api.py)
  and the admin page (web/admin.py). Without it none of them exists: the app stays
  read-only, exactly as before.
"""

from __future__ import annotations

import os
from typing import Any

from flask import Flask

from web.keys import KeyRing

__all__ = ["NEWSROOM_CONFIG", "init_app"]

#: Settings and their defaults (documented in README.md).
NEWSROOM_CONFIG: dict[str, Any] = {
    "FAHRAS_KEY_FILE": None,  # $FAHRAS_KEY_FILE: the API key file; unset = read-only app
    "FAHRAS_WRITE_WAIT": 2.0,  # seconds a write waits for another writer's lock, then 503
    "FAHRAS_WRITE_RETRY_AFTER": 5,  # the Retry-After (seconds) of that 503
    "FAHRAS_MAX_BATCH_BYTES": 8 * 1024 * 1024,  # largest POST /api/articles body
    "FAHRAS_ANALYTICS_DIR": None,  # $FAHRAS_ANALYTICS_DIR: the query log folder; unset = off
    "FAHRAS_ANALYTICS_MAX_BYTES": 5 * 1024 * 1024,  # one query log file, before rotation
    "FAHRAS_ANALYTICS_BACKUPS": 3,  # rotated query log files kept
}


def _from_environment(name: str, default: Any) -> Any:
    """``$name`` as the type of its default (a path stays a string); None when unset."""
    text = os.environ.get(name)
    if not text:
        return None
    if default is None:
        return text
    try:
        return type(default)(text)
    except ValueError:
        raise ValueError(f"{name} must be a number like {default}, not {text!r}") from None


def _settings(app: Flask, overrides: dict[str, Any]) -> None:
    for name, default in NEWSROOM_CONFIG.items():
        value = overrides[name] if name in overrides else _from_environment(name, default)
        app.config[name] = value if value not in (None, "") else default


def init_app(app: Flask, overrides: dict[str, Any]) -> None:
    """Add the newsroom features to ``app``; ``overrides`` are the factory's config."""
    from web import admin, auth, fonts, metrics, query_log, write_api

    _settings(app, overrides)
    fonts.init_app(app)
    metrics.init_app(app)  # first: its clock starts before any check can refuse a request
    query_log.init_app(app)
    key_file = app.config["FAHRAS_KEY_FILE"]
    if not key_file:
        return
    auth.init_app(app, KeyRing(key_file))
    limit = app.config["FAHRAS_MAX_BATCH_BYTES"]
    app.config["MAX_CONTENT_LENGTH"] = max(app.config.get("MAX_CONTENT_LENGTH") or 0, limit)
    app.register_blueprint(write_api.bp)
    app.register_blueprint(admin.bp)
