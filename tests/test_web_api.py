"""The JSON API (web/api.py) through Flask's test client: every route, parameter and error,
the one envelope, the OpenAPI description, the headers."""

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from web import get_searcher
from web.security import SECURITY_HEADERS

API_ROUTES = ["/api/search?q=الحكومة", "/api/suggest?q=الحك", "/api/articles/a01",
              "/api/articles/a01/similar", "/healthz", "/api/openapi.json"]


def ok_json(response, status=200):
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    data = response.get_json()
    assert data["ok"] is True
    return data


def error_json(response, status, code):
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    data = response.get_json()
    assert data["ok"] is False and set(data) == {"ok", "error"}
    assert data["error"]["code"] == code
    assert isinstance(data["error"]["message"], str) and data["error"]["message"]
    return data["error"]


# ------------------------------------------------------------------------------ search


def test_search_envelope_and_page(web_client):
    data = ok_json(web_client.get("/api/search?q=الحكومة"))
    for key in ("query", "total", "page", "per_page", "pages", "hits", "facets", "suggestion",
                "elapsed_ms", "timed_out", "sort", "filters"):
        assert key in data
    assert data["query"] == "الحكومة" and data["total"] > 10 and data["page"] == 1
    assert len(data["hits"]) == 10 and data["pages"] >= 2
    hit = data["hits"][0]
    assert {"id", "title", "date", "category", "source", "url", "score", "rank"} <= set(hit)
    assert "<mark>" in hit["title_highlight"]["html"] + hit["snippet"]["html"]
    assert set(data["facets"]) >= {"category", "source", "year"}


def test_arabic_is_not_escaped_in_json(web_client):
    raw = web_client.get("/api/search?q=الحكومة").get_data(as_text=True)
    assert "الحكومة" in raw and "\\u06" not in raw


def test_search_pages_and_per_page(web_client):
    first = ok_json(web_client.get("/api/search?q=الحكومة&per_page=5"))
    second = ok_json(web_client.get("/api/search?q=الحكومة&per_page=5&page=2"))
    assert len(first["hits"]) == 5 and second["page"] == 2
    assert not {h["id"] for h in first["hits"]} & {h["id"] for h in second["hits"]}
    assert second["hits"][0]["rank"] == 6


def test_search_filters(web_client):
    data = ok_json(web_client.get("/api/search?q=الحكومة&category=صحة"))
    assert data["total"] > 0 and {h["category"] for h in data["hits"]} == {"صحة"}
    data = ok_json(web_client.get("/api/search?q=الحكومة&source=موقع المساء"))
    assert data["total"] > 0 and {h["source"] for h in data["hits"]} == {"موقع المساء"}
    data = ok_json(web_client.get("/api/search?q=الحكومة&year=2016"))
    assert data["total"] > 0 and {h["date"][:4] for h in data["hits"]} == {"2016"}
    data = ok_json(web_client.get("/api/search?q=الحكومة&from=2017-01-01&to=2018-12-31"))
    assert data["total"] > 0
    assert all("2017-01-01" <= h["date"][:10] <= "2018-12-31" for h in data["hits"])


def test_search_sorts(web_client):
    newest = ok_json(web_client.get("/api/search?q=الحكومة&sort=newest&per_page=50"))
    oldest = ok_json(web_client.get("/api/search?q=الحكومة&sort=oldest&per_page=50"))
    dates = [h["date"] for h in newest["hits"] if h["date"]]
    assert dates == sorted(dates, reverse=True) and newest["sort"] == "newest"
    dates = [h["date"] for h in oldest["hits"] if h["date"]]
    assert dates == sorted(dates) and oldest["sort"] == "oldest"
    ok_json(web_client.get("/api/search?q=الحكومة&sort=relevance"))


def test_empty_query_and_no_results(web_client):
    assert ok_json(web_client.get("/api/search"))["hits"] == []
    data = ok_json(web_client.get("/api/search?q=زرافةمجهولة"))
    assert data["total"] == 0 and data["hits"] == []


@pytest.mark.parametrize("query, param", [
    ("page=0", "page"),
    ("page=-1", "page"),
    ("page=abc", "page"),
    ("page=1.5", "page"),
    ("page=99999999", "page"),
    ("per_page=10000", "per_page"),
    ("per_page=0", "per_page"),
    ("per_page=x", "per_page"),
    ("sort=popular", "sort"),
    ("from=2020-13-01", "from"),
    ("from=yesterday", "from"),
    ("to=2021-02-30", "to"),
    ("from=2020-05-01&to=2020-01-01", "from"),
    ("year=abc", "year"),
    ("year=0", "year"),
])
def test_bad_search_parameters_are_400(web_client, query, param):
    error = error_json(web_client.get(f"/api/search?q=الحكومة&{query}"), 400, "bad_parameter")
    assert param in error["message"]


def test_query_length_limit(web_client, web_app):
    limit = web_app.config["MAX_QUERY_LENGTH"]
    ok_json(web_client.get("/api/search", query_string={"q": "ب" * limit}))
    error = error_json(
        web_client.get("/api/search", query_string={"q": "ب" * (limit + 1)}), 400, "bad_parameter"
    )
    assert str(limit) in error["message"]


def test_per_page_limit_follows_config(web_index):
    from web import close_searcher, create_app

    app = create_app({"TESTING": True, "FAHRAS_INDEX_DIR": str(web_index), "MAX_PER_PAGE": 20})
    try:
        client = app.test_client()
        ok_json(client.get("/api/search?q=الحكومة&per_page=20"))
        error_json(client.get("/api/search?q=الحكومة&per_page=21"), 400, "bad_parameter")
    finally:
        close_searcher(app)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=st.text(max_size=80), page=st.text(max_size=6), sort=st.text(max_size=8),
       date=st.text(max_size=12))
def test_any_input_is_answered_200_or_400(web_client, q, page, sort, date):
    response = web_client.get("/api/search", query_string={
        "q": q, "page": page, "sort": sort, "from": date})
    assert response.status_code in (200, 400)
    assert response.get_json()["ok"] is (response.status_code == 200)


# ------------------------------------------------------------------- suggest, articles


def test_suggest(web_client):
    data = ok_json(web_client.get("/api/suggest?q=الحك"))
    assert data["query"] == "الحك"
    assert isinstance(data["suggestions"], list) and data["suggestions"]
    assert all(isinstance(s, str) for s in data["suggestions"])
    assert len(ok_json(web_client.get("/api/suggest?q=ال&n=2"))["suggestions"]) <= 2
    assert ok_json(web_client.get("/api/suggest?q="))["suggestions"] == []
    assert ok_json(web_client.get("/api/suggest"))["suggestions"] == []


def test_suggest_bad_parameters(web_client, web_app):
    error_json(web_client.get("/api/suggest?q=ال&n=0"), 400, "bad_parameter")
    error_json(web_client.get("/api/suggest?q=ال&n=many"), 400, "bad_parameter")
    long = "ب" * (web_app.config["MAX_QUERY_LENGTH"] + 1)
    error_json(web_client.get("/api/suggest", query_string={"q": long}), 400, "bad_parameter")


def test_article(web_client):
    article = ok_json(web_client.get("/api/articles/a02"))["article"]
    assert article["id"] == "a02" and article["title"] == "ارتفاع أسعار القمح في الأسواق المحلية"
    assert article["category"] == "اقتصاد" and article["date"].startswith("2016")
    assert "<mark>" not in article["body_html"]
    marked = ok_json(web_client.get("/api/articles/a02?q=القمح"))["article"]
    assert "<mark>القمح</mark>" in marked["body_html"]


def test_unknown_article_is_404(web_client):
    error = error_json(web_client.get("/api/articles/no-such-id"), 404, "article_not_found")
    assert "no-such-id" in error["message"]
    error_json(web_client.get("/api/articles/no-such-id/similar"), 404, "article_not_found")


def test_similar(web_client):
    data = ok_json(web_client.get("/api/articles/a09/similar?n=3"))
    assert data["id"] == "a09" and 0 < len(data["hits"]) <= 3
    assert "a09" not in {h["id"] for h in data["hits"]}
    error_json(web_client.get("/api/articles/a09/similar?n=100"), 400, "bad_parameter")


def test_hostile_article_is_data_in_json(web_client):
    article = ok_json(web_client.get("/api/articles/hostile-1"))["article"]
    assert article["title"].startswith("<script>")
    assert "<script>" not in article["title_html"] and "&lt;script&gt;" in article["title_html"]


# ------------------------------------------------------------------------ health, errors


def test_healthz(web_client, web_app):
    data = ok_json(web_client.get("/healthz"))
    assert data["status"] == "ok"
    assert data["documents"] == get_searcher(web_app).doc_count() > 0
    assert data["generation"].startswith("gen-")


def test_index_missing_is_503_everywhere(missing_index_app, tmp_path):
    client = missing_index_app.test_client()
    for url in API_ROUTES[:-1]:
        error = error_json(client.get(url), 503, "index_not_found")
        assert "fahras-index build" in error["message"]
        assert str(tmp_path) not in error["message"]
    assert client.get("/api/openapi.json").status_code == 200  # needs no index


def test_index_built_later_is_picked_up(missing_index_app, web_corpus):
    from indexer import build_index

    client = missing_index_app.test_client()
    error_json(client.get("/healthz"), 503, "index_not_found")
    build_index([web_corpus], missing_index_app.config["FAHRAS_INDEX_DIR"])
    assert ok_json(client.get("/healthz"))["documents"] > 0


def test_unknown_api_route_and_method(web_client):
    error_json(web_client.get("/api/nothing-here"), 404, "not_found")
    error_json(web_client.post("/api/search?q=x"), 405, "method_not_allowed")
    error_json(web_client.delete("/api/articles/a01"), 405, "method_not_allowed")


def test_unexpected_error_is_500_without_details(web_client, web_app, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("secret failure in /srv/private/path.py")

    monkeypatch.setattr(get_searcher(web_app), "search", boom)
    response = web_client.get("/api/search?q=الحكومة")
    error = error_json(response, 500, "internal_error")
    body = response.get_data(as_text=True)
    assert "secret" not in body and "/srv" not in body and "Traceback" not in body
    assert error["message"] == "an unexpected error occurred"
    for name in SECURITY_HEADERS:
        assert name in response.headers


def test_security_headers_on_api(web_client):
    for url in API_ROUTES + ["/api/nothing-here"]:
        response = web_client.get(url)
        for name, value in SECURITY_HEADERS.items():
            assert response.headers[name] == value, (url, name)


# -------------------------------------------------------------------------------- OpenAPI


def test_openapi_document(web_client):
    doc = web_client.get("/api/openapi.json").get_json()
    assert doc["openapi"].startswith("3.1")
    assert doc["info"]["title"] and doc["paths"]


def _flask_to_openapi(rule: str) -> str:
    return re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule)


def test_every_api_route_is_described(web_client, web_app):
    doc = web_client.get("/api/openapi.json").get_json()
    routes = {
        _flask_to_openapi(rule.rule): rule.methods - {"HEAD", "OPTIONS"}
        for rule in web_app.url_map.iter_rules()
        if rule.rule.startswith("/api") or rule.rule == "/healthz"
    }
    assert set(routes) == set(doc["paths"])
    for path, methods in routes.items():
        assert {m.lower() for m in methods} == set(doc["paths"][path]), path
        for operation in doc["paths"][path].values():
            assert "200" in operation["responses"]
            for name in re.findall(r"{(\w+)}", path):
                assert any(p["name"] == name and p["in"] == "path"
                           for p in operation["parameters"]), (path, name)


def test_openapi_search_parameters_match_the_code(web_client, web_app):
    doc = web_client.get("/api/openapi.json").get_json()
    params = {p["name"]: p for p in doc["paths"]["/api/search"]["get"]["parameters"]}
    assert set(params) == {"q", "page", "per_page", "category", "source", "year", "from",
                           "to", "sort", "exact"}
    assert params["per_page"]["schema"]["maximum"] == web_app.config["MAX_PER_PAGE"]
    assert params["q"]["schema"]["maxLength"] == web_app.config["MAX_QUERY_LENGTH"]
    assert params["sort"]["schema"]["enum"] == ["relevance", "newest", "oldest"]
    schemas = doc["components"]["schemas"]
    refs = re.findall(r'"\$ref": "#/components/schemas/(\w+)"', str(doc).replace("'", '"'))
    assert refs and all(ref in schemas for ref in refs)
