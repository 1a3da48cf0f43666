"""The JSON API (blueprint ``api``): search, suggestions, articles, similar articles, health.

Every answer has one envelope: ``{"ok": true, ...}`` on success and
``{"ok": false, "error": {"code": ..., "message": ...}}`` with the matching status on failure
(400 bad parameter, 404 unknown article or route, 503 no usable index, 500 anything else,
never with a stack trace or a server path). The routes are described by
``/api/openapi.json`` (web/openapi.py); a test checks that every route is.
"""

from __future__ import annotations

from dataclasses import asdict, is_dataclass
from datetime import date, datetime

from flask import Blueprint, current_app, jsonify, request, url_for

from web import get_searcher
from web.openapi import openapi_document
from web.params import BadParameter, parse_int, parse_search_args
from web.query_log import record_search

__all__ = ["bp", "ok", "error_response", "is_api_request", "to_jsonable"]

bp = Blueprint("api", __name__)

MAX_SUGGESTIONS = 20
MAX_SIMILAR = 20
#: The most articles a suggestion answer shows as the reader types.
MAX_INSTANT = 5


def ok(payload: dict | None = None, status: int = 200):
    """The success envelope."""
    return jsonify({"ok": True, **(payload or {})}), status


def error_response(status: int, code: str, message: str):
    """The error envelope; ``message`` is for people and never holds a path or a trace."""
    response = jsonify({"ok": False, "error": {"code": code, "message": message}})
    response.status_code = status
    return response


def is_api_request() -> bool:
    """True when the current request should be answered in JSON (API routes, also unknown)."""
    path = request.path
    return path == "/healthz" or path == "/api" or path.startswith("/api/")


def to_jsonable(value):
    """A result object as JSON-ready data (its own ``to_dict`` when it has one)."""
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if is_dataclass(value) and not isinstance(value, type):
        return to_jsonable(asdict(value))
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


def _limits() -> dict:
    config = current_app.config
    return {
        "max_query_length": config["MAX_QUERY_LENGTH"],
        "max_per_page": config["MAX_PER_PAGE"],
        "max_page": config["MAX_PAGE"],
        "default_per_page": config["PER_PAGE"],
    }


@bp.get("/api/search")
def search():
    params = parse_search_args(request.args, **_limits())
    page = get_searcher().search(params.q, **params.searcher_kwargs())
    record_search(page)  # the query log (web/query_log.py), when analytics are on
    return ok(to_jsonable(page))


def _short_text(name: str) -> str:
    text = " ".join((request.args.get(name) or "").split())
    limit = current_app.config["MAX_QUERY_LENGTH"]
    if len(text) > limit:
        raise BadParameter(
            name, f"{name} is longer than {limit} characters", f"النص أطول من {limit} حرف."
        )
    return text


@bp.get("/api/suggest")
def suggest():
    prefix = _short_text("q")
    n = parse_int(request.args.get("n"), "n", 1, MAX_SUGGESTIONS, 8)
    shown = parse_int(request.args.get("articles"), "articles", 0, MAX_INSTANT, 0)
    searcher = get_searcher()
    suggestions = list(searcher.suggest(prefix, n=n)) if prefix else []
    payload: dict = {"query": prefix, "suggestions": suggestions}
    if shown:
        payload["articles"] = _instant_results(suggestions[0] if suggestions else prefix, shown)
    return ok(payload)


def _instant_results(query: str, n: int) -> list[dict]:
    """The ``n`` best articles for ``query`` as typed (a half-typed word is no typo to
    correct), as the search box shows them while the reader types."""
    if not query.strip():
        return []
    page = get_searcher().search(query, per_page=n, correct=False)
    return [{"id": hit.id, "title": hit.title,
             "href": url_for("ui.article_page", article_id=hit.id, q=query)}
            for hit in page.hits]


@bp.get("/api/articles/<article_id>")
def article(article_id: str):
    query = _short_text("q")
    view = get_searcher().get(article_id, query=query or None)
    return ok({"article": to_jsonable(view)})


@bp.get("/api/articles/<article_id>/similar")
def similar(article_id: str):
    n = parse_int(request.args.get("n"), "n", 1, MAX_SIMILAR, 5)
    hits = get_searcher().similar(article_id, n=n)
    return ok({"id": article_id, "hits": to_jsonable(list(hits))})


@bp.get("/healthz")
def health():
    searcher = get_searcher()
    searcher.check()  # reads the index through: 503 when it cannot
    info = searcher.info()
    return ok({"status": "partial" if info.down else "ok", "documents": info.documents,
               "generation": info.generation, "updated_at": info.updated_at,
               "nodes_down": list(info.down)})


@bp.get("/api/openapi.json")
def openapi():
    return jsonify(openapi_document(current_app))
