"""Query analytics on the web side: record searches and result clicks in the query log.

The log itself (bounded, rotated, no IP addresses) is :class:`search.analytics.QueryLog`;
web/newsroom.py opens one when ``FAHRAS_ANALYTICS_DIR`` is set. The search page
(web/views.py) and ``/api/search`` (web/api.py) call :func:`record_search` with the page they
answer; ``POST /api/clicks`` (``{"q": …, "rank": …}``, sent by web/static/fahras.js with
``navigator.sendBeacon`` when a result is opened) records the rank of the clicked result.
Without the setting nothing is recorded and the click route does not exist.
"""

from __future__ import annotations

from flask import Blueprint, Flask, current_app, jsonify, request

from search.analytics import QueryLog
from web.params import BadParameter, parse_int

__all__ = ["bp", "query_log", "record_search", "init_app"]

bp = Blueprint("query_log", __name__)
_KEY = "fahras.query_log"


def query_log(app: Flask | None = None) -> QueryLog | None:
    return (app or current_app).extensions.get(_KEY)


def record_search(page) -> None:
    """Log one answered search (a :class:`search.SearchPage`) if analytics are on."""
    log = query_log()
    if log is not None:
        log.search(page.query, page.total, page.page, page.elapsed_ms)


@bp.post("/api/clicks")
def click():
    log = query_log()
    assert log is not None  # the route is registered only with the log
    data = request.get_json(force=True, silent=True)
    if not isinstance(data, dict) or not isinstance(data.get("q"), str):
        raise BadParameter("q", "send {\"q\": the query, \"rank\": the result's rank}",
                           "الطلب لا يحمل نص البحث.")
    top_rank = current_app.config["MAX_PAGE"] * current_app.config["MAX_PER_PAGE"]
    rank = parse_int(str(data.get("rank", "missing")), "rank", 1, top_rank, 0)
    log.click(data["q"], rank)
    return jsonify({"ok": True}), 202


def init_app(app: Flask) -> None:
    folder = app.config.get("FAHRAS_ANALYTICS_DIR")
    if folder:
        app.extensions[_KEY] = QueryLog(
            folder, max_bytes=int(app.config["FAHRAS_ANALYTICS_MAX_BYTES"]),
            backups=int(app.config["FAHRAS_ANALYTICS_BACKUPS"]))
        app.register_blueprint(bp)
        app.jinja_env.globals["query_log_on"] = True  # base.html: data-clicks-url
