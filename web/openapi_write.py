"""The OpenAPI description of the newsroom routes: the write API and result clicks.

web/openapi.py describes the read-only API and calls :func:`extend_document` with the app,
which adds only the routes that app has: the write API when a key file is configured
(web/write_api.py), ``/api/clicks`` when query analytics are on (web/query_log.py).
"""

from __future__ import annotations

from flask import Flask

__all__ = ["extend_document"]

_BEARER = [{"bearer": []}]
_ERROR = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


def _error(description: str) -> dict:
    return {"description": description, **_ERROR}


def _report_answer(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": {
        "type": "object", "properties": {"ok": {"const": True},
                                         "report": {"$ref": "#/components/schemas/WriteReport"}},
        "required": ["ok", "report"]}}}}


def _write_errors(*extra: int) -> dict:
    reasons = {
        400: "A body that is not an article (error.code `bad_parameter`).",
        401: "No key, or an unknown or revoked one (`Authorization: Bearer <key>`).",
        403: "A key of the wrong kind: writing needs an admin key.",
        404: "No such article (error.code `article_not_found`, with the report).",
        413: "A body over FAHRAS_MAX_BATCH_BYTES (error.code `batch_too_large`).",
        422: "No article could be read (error.code `bad_article`, with the report).",
        503: "Another writer holds the index (error.code `index_locked`, with Retry-After), "
             "or there is no usable index.",
    }
    return {str(status): _error(reasons[status]) for status in (401, 403, *extra, 503)}


_REPORT = {
    "type": "object",
    "description": "What the write did: the report of `fahras-index update` / `delete`.",
    "properties": {
        "action": {"type": "string", "enum": ["update", "delete"]},
        **{name: {"type": "integer"} for name in
           ("read", "indexed", "updated", "unchanged", "deleted")},
        "skipped": {"type": "array", "items": {"type": "string"},
                    "description": "Records not indexed, each `request:<line>: reason`."},
        "not_found": {"type": "array", "items": {"type": "string"}},
        "seconds": {"type": "number"},
        "partial": {"type": "boolean"},
    },
}


def _write_paths(article_id: dict, limit: int) -> dict:
    json_body = {"required": True, "content": {"application/json": {"schema": {
        "$ref": "#/components/schemas/ArticleIn"}}}}
    batch_body = {"required": True, "description": f"JSONL: one article a line, at most "
                  f"{limit} bytes.", "content": {"application/x-ndjson": {"schema": {
                      "type": "string", "maxLength": limit}}}}
    return {
        "/api/articles/{article_id}": {
            "put": {"summary": "Add or replace one article", "operationId": "putArticle",
                    "security": _BEARER, "parameters": [article_id], "requestBody": json_body,
                    "responses": {"200": _report_answer("Replaced, or unchanged."),
                                  "201": _report_answer("Added."),
                                  **_write_errors(400, 422)}},
            "delete": {"summary": "Delete one article", "operationId": "deleteArticle",
                       "security": _BEARER, "parameters": [article_id],
                       "responses": {"200": _report_answer("Deleted."),
                                     **_write_errors(404)}},
        },
        "/api/articles": {"post": {
            "summary": "Add or replace a batch of articles (all at once or none)",
            "operationId": "postArticles", "security": _BEARER, "requestBody": batch_body,
            "responses": {"200": _report_answer("Written; skipped records are listed."),
                          **_write_errors(400, 413, 422)}}},
    }


_CLICKS = {"/api/clicks": {"post": {
    "summary": "Record that a result was opened (query analytics)",
    "operationId": "click",
    "requestBody": {"required": True, "content": {"application/json": {"schema": {
        "type": "object", "properties": {"q": {"type": "string"},
                                         "rank": {"type": "integer", "minimum": 1}},
        "required": ["q", "rank"]}}}},
    "responses": {"200": {"description": "Not used: a recorded click answers 202."},
                  "202": {"description": "Recorded."},
                  "400": _error("No query or no rank.")},
}}}

_ARTICLE_IN = {
    "type": "object",
    "properties": {name: {"type": "string"} for name in
                   ("id", "title", "body", "text", "date", "category", "source", "url")},
    "description": "An article as `fahras-index` reads it from JSONL (`text` for `body`).",
}


def extend_document(doc: dict, app: Flask) -> dict:
    """``doc`` with the newsroom routes ``app`` has."""
    paths, components = doc["paths"], doc["components"]
    if "write_api" in app.blueprints:
        article_id = doc["paths"]["/api/articles/{article_id}"]["get"]["parameters"][0]
        for path, item in _write_paths(article_id,
                                       app.config["FAHRAS_MAX_BATCH_BYTES"]).items():
            paths.setdefault(path, {}).update(item)
        components["schemas"].update({"WriteReport": _REPORT, "ArticleIn": _ARTICLE_IN})
        components["securitySchemes"] = {"bearer": {"type": "http", "scheme": "bearer"}}
    if "query_log" in app.blueprints:
        paths.update(_CLICKS)
    return doc
