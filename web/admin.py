"""The admin page (blueprint ``admin``, admin key only): what the index holds and what
readers look for.

``GET /admin`` shows the index statistics (:func:`indexer.index_stats`), the last builds,
updates and deletes with their reports (the history indexer/whoosh/history.py keeps in the index
metadata, whichever process wrote), the query analytics when they are on
(:mod:`search.analytics`), and the synonym file in use. Fahras has no synonym support yet,
so the page says "none configured" rather than pretend. Registered by web/newsroom.py only
when a key file is configured; web/auth.py checks the key first.
"""

from __future__ import annotations

from flask import Blueprint, current_app, render_template

from indexer import IndexStore, index_stats
from indexer.address import parse_address
from indexer.whoosh.history import history
from search.analytics import read_events, summarise
from web.query_log import query_log

__all__ = ["bp"]

bp = Blueprint("admin", __name__)
_SHOWN_LABELS = 10


def _analytics():
    log = query_log()
    if log is None:
        return None
    return summarise(read_events(log.files()))


@bp.app_template_filter("moment")
def moment(stamp: str | None) -> str:
    """``2026-12-01 09:44 UTC`` from an ISO time stamp in UTC; a dash for none."""
    if not stamp:
        return "—"
    return stamp[:16].replace("T", " ") + " UTC"


@bp.get("/admin")
def admin_page():
    index_dir = current_app.config["FAHRAS_INDEX_DIR"]
    stats = index_stats(index_dir)
    folder = parse_address(index_dir).folder
    meta: dict = {}  # a cluster keeps no write history
    if folder is not None:
        store = IndexStore(folder)
        meta = store.read_meta(store.require_current())
    categories = sorted(stats.categories.items(), key=lambda item: -item[1])[:_SHOWN_LABELS]
    sources = sorted(stats.sources.items(), key=lambda item: -item[1])[:_SHOWN_LABELS]
    return render_template(
        "admin.html", stats=stats, categories=categories, sources=sources,
        history=history(meta), analytics=_analytics(), synonyms=None,
    ), 200, {"Cache-Control": "no-store"}
