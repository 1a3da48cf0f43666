"""The OpenAPI 3.1 description of the JSON API, served at ``/api/openapi.json``.

Kept as Python data beside the routes (web/api.py); tests check that every API route of the
app is described here and that the documented limits are the configured ones.
"""

from __future__ import annotations

from flask import Flask

from web.openapi_write import extend_document

__all__ = ["openapi_document"]


def _param(name: str, description: str, schema: dict, required: bool = False, where="query"):
    return {
        "name": name,
        "in": where,
        "required": required,
        "description": description,
        "schema": schema,
    }


def _ok(description: str, schema_ref: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema_ref}"}}},
    }


def _errors(*statuses: int) -> dict:
    reasons = {
        400: "A bad parameter (error.code `bad_parameter`).",
        404: "No such article (error.code `article_not_found`).",
        429: "Too many costly searches (`~` or `*` words) are running (error.code `busy`); "
        "try again after the `Retry-After` seconds.",
        500: "An unexpected error (error.code `internal_error`); no details are exposed.",
        503: "No usable index (error.code `index_not_found`, `index_mismatch` or "
        "`index_damaged`).",
    }
    return {
        str(status): {
            "description": reasons[status],
            "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
            },
        }
        for status in statuses
    }


def _search_parameters(config) -> list[dict]:
    text = {"type": "string"}
    return [
        _param("q", "The query (Arabic or Latin; diacritics, prefixes and spelling variants "
               "are matched). Empty: no hits.",
               {"type": "string", "maxLength": config["MAX_QUERY_LENGTH"]}),
        _param("page", "1-based page number.",
               {"type": "integer", "minimum": 1, "maximum": config["MAX_PAGE"], "default": 1}),
        _param("per_page", "Hits per page.",
               {"type": "integer", "minimum": 1, "maximum": config["MAX_PER_PAGE"],
                "default": config["PER_PAGE"]}),
        _param("category", "Only articles of this category (exact value, see facets).", text),
        _param("source", "Only articles from this source (exact value, see facets).", text),
        _param("year", "Only articles of this year.",
               {"type": "integer", "minimum": 1, "maximum": 9999}),
        _param("from", "Only articles dated on or after this day.",
               {"type": "string", "format": "date"}),
        _param("to", "Only articles dated on or before this day.",
               {"type": "string", "format": "date"}),
        _param("sort", "Result order.",
               {"type": "string", "enum": ["relevance", "newest", "oldest"],
                "default": "relevance"}),
        _param("exact", "1: the results of q as typed, never those of a correction.",
               {"type": "integer", "enum": [0, 1], "default": 0}),
    ]


def _schemas() -> dict:
    highlight = {
        "type": "object",
        "properties": {
            "text": {"type": "string"},
            "html": {"type": "string", "description": "Escaped HTML with <mark> around matches."},
            "matches": {"type": "array", "items": {}},
        },
    }
    hit = {
        "type": "object",
        "properties": {
            "id": {"type": "string"},
            "title": {"type": "string"},
            "date": {"type": ["string", "null"], "format": "date-time"},
            "category": {"type": ["string", "null"], "description": "The code filed under."},
            "category_label": {"type": "string", "description": "Its display name."},
            "source": {"type": ["string", "null"]},
            "source_label": {"type": "string"},
            "url": {"type": ["string", "null"]},
            "score": {"type": "number"},
            "rank": {"type": "integer"},
            "copies": {"type": "integer",
                       "description": "Copies of the article this one hit stands for."},
            "title_highlight": {"$ref": "#/components/schemas/Highlight"},
            "snippet": {"$ref": "#/components/schemas/Highlight"},
        },
        "required": ["id", "title"],
    }
    facet_values = {
        "type": "array",
        "items": {
            "type": "object",
            "properties": {"value": {}, "label": {"type": "string"},
                           "count": {"type": "integer"}},
        },
    }
    ok_flag = {"type": "boolean", "const": True}
    return {
        "Highlight": highlight,
        "Hit": hit,
        "SearchPage": {
            "type": "object",
            "properties": {
                "ok": ok_flag,
                "query": {"type": "string"},
                "total": {"type": "integer"},
                "page": {"type": "integer"},
                "per_page": {"type": "integer"},
                "pages": {"type": "integer"},
                "hits": {"type": "array", "items": {"$ref": "#/components/schemas/Hit"}},
                "facets": {
                    "type": "object",
                    "properties": {k: facet_values for k in ("category", "source", "year")},
                },
                "suggestion": {"type": ["string", "null"],
                               "description": "A corrected query (did you mean)."},
                "results_for": {"type": ["string", "null"],
                                "description": "The corrected query whose results are shown: "
                                             "q found (almost) nothing (null: the results are "
                                             "q's; exact=1 asks for them)."},
                "elapsed_ms": {"type": "number"},
                "timed_out": {"type": "boolean"},
                "partial": {"type": "boolean",
                            "description": "Nodes of a cluster did not answer: their articles "
                                           "are missing."},
                "nodes_down": {"type": "array", "items": {"type": "string"}},
                "expansions": {
                    "type": "array",
                    "description": "Words of the query searched with their other spellings "
                                   "in the index too (ترامب with ترمب).",
                    "items": {"type": "object", "properties": {
                        "word": {"type": "string"},
                        "variants": {"type": "array", "items": {"type": "string"}}}},
                },
                "keyboard": {"type": ["string", "null"],
                             "description": "The query as read on the other keyboard layout "
                                            "(hgkt' → النفط), searched instead of what was "
                                            "typed; null when searched as typed."},
                "sort": {"type": "string"},
                "filters": {"type": "object"},
            },
            "required": ["ok", "query", "total", "page", "hits"],
        },
        "Suggestions": {
            "type": "object",
            "properties": {
                "ok": ok_flag,
                "query": {"type": "string"},
                "suggestions": {"type": "array", "items": {"type": "string"}},
                "articles": {
                    "type": "array",
                    "description": "The best articles for the first suggestion (articles=N).",
                    "items": {"type": "object", "properties": {
                        "id": {"type": "string"}, "title": {"type": "string"},
                        "href": {"type": "string"}}},
                },
            },
            "required": ["ok", "suggestions"],
        },
        "Article": {
            "type": "object",
            "properties": {
                "ok": ok_flag,
                "article": {
                    "type": "object",
                    "properties": {
                        "id": {"type": "string"},
                        "title": {"type": "string"},
                        "summary": {"type": "string", "description": "The lead paragraph."},
                        "caption": {"type": "string", "description": "Photo captions."},
                        "body": {"type": "string"},
                        "headings": {"type": "array", "items": {"type": "integer"},
                                     "description": "Lines of body that are subheadings."},
                        "date": {"type": ["string", "null"], "format": "date-time"},
                        "category": {"type": ["string", "null"]},
                        "category_label": {"type": "string"},
                        "source": {"type": ["string", "null"]},
                        "source_label": {"type": "string"},
                        "url": {"type": ["string", "null"]},
                        "copies": {"type": "array", "items": {"type": "string"},
                                   "description": "Ids of the other copies."},
                        "title_html": {"type": "string"},
                        "summary_html": {"type": "string"},
                        "caption_html": {"type": "string"},
                        "body_html": {"type": "string"},
                    },
                },
            },
            "required": ["ok", "article"],
        },
        "Similar": {
            "type": "object",
            "properties": {
                "ok": ok_flag,
                "id": {"type": "string"},
                "hits": {"type": "array", "items": {"$ref": "#/components/schemas/Hit"}},
            },
            "required": ["ok", "hits"],
        },
        "Health": {
            "type": "object",
            "properties": {
                "ok": ok_flag,
                "status": {"type": "string", "enum": ["ok", "partial"],
                           "description": "partial: nodes of a cluster do not answer."},
                "nodes_down": {"type": "array", "items": {"type": "string"},
                               "description": "The nodes of a cluster that do not answer."},
                "documents": {"type": "integer"},
                "generation": {"type": ["string", "null"],
                               "description": "Changes whenever the index is rebuilt."},
                "updated_at": {"type": ["string", "null"], "format": "date-time",
                               "description": "When the index was last written."},
            },
            "required": ["ok", "documents"],
        },
        "Error": {
            "type": "object",
            "properties": {
                "ok": {"type": "boolean", "const": False},
                "error": {
                    "type": "object",
                    "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
                    "required": ["code", "message"],
                },
            },
            "required": ["ok", "error"],
        },
    }


def _paths(config) -> dict:
    article_id = _param(
        "article_id", "The article id.", {"type": "string"}, required=True, where="path"
    )
    return {
        "/api/search": {"get": {
            "summary": "Search articles",
            "description": "Ranked, highlighted hits with facets (category, source, year).",
            "operationId": "search",
            "parameters": _search_parameters(config),
            "responses": {"200": _ok("A page of results.", "SearchPage"),
                          **_errors(400, 429, 500, 503)},
        }},
        "/api/suggest": {"get": {
            "summary": "Complete a query as it is typed",
            "operationId": "suggest",
            "parameters": [
                _param("q", "What has been typed so far.",
                       {"type": "string", "maxLength": config["MAX_QUERY_LENGTH"]}),
                _param("n", "How many suggestions.",
                       {"type": "integer", "minimum": 1, "maximum": 20, "default": 8}),
                _param("articles", "How many of the best articles to add (instant results).",
                       {"type": "integer", "minimum": 0, "maximum": 5, "default": 0}),
            ],
            "responses": {"200": _ok("Suggestions, best first.", "Suggestions"),
                          **_errors(400, 500, 503)},
        }},
        "/api/articles/{article_id}": {"get": {
            "summary": "One article in full",
            "operationId": "article",
            "parameters": [
                article_id,
                _param("q", "A query whose words are marked in title_html and body_html.",
                       {"type": "string", "maxLength": config["MAX_QUERY_LENGTH"]}),
            ],
            "responses": {"200": _ok("The article.", "Article"), **_errors(400, 404, 500, 503)},
        }},
        "/api/articles/{article_id}/similar": {"get": {
            "summary": "Articles similar to one article",
            "operationId": "similar",
            "parameters": [
                article_id,
                _param("n", "How many articles.",
                       {"type": "integer", "minimum": 1, "maximum": 20, "default": 5}),
            ],
            "responses": {"200": _ok("Similar articles, most similar first.", "Similar"),
                          **_errors(400, 404, 500, 503)},
        }},
        "/healthz": {"get": {
            "summary": "Health check",
            "operationId": "health",
            "responses": {"200": _ok("The index was read through: it answers.", "Health"),
                          **_errors(500, 503)},
        }},
        "/api/openapi.json": {"get": {
            "summary": "This description",
            "operationId": "openapi",
            "responses": {"200": {"description": "An OpenAPI 3.1 document.",
                                  "content": {"application/json": {"schema": {
                                      "type": "object"}}}}},
        }},
    }


def openapi_document(app: Flask) -> dict:
    """The OpenAPI 3.1 document for ``app``'s API (limits taken from its config)."""
    return extend_document({
        "openapi": "3.1.0",
        "info": {
            "title": "Fahras API",
            "version": "1",
            "description": "Full-text search over Arabic news articles. Every answer is a JSON "
            'envelope: {"ok": true, ...} or {"ok": false, "error": {"code", "message"}}.',
        },
        "paths": _paths(app.config),
        "components": {"schemas": _schemas()},
    }, app)  # the write API and clicks, when the app has them (web/openapi_write.py)
