"""/metrics (web/metrics.py): the Prometheus text format, read back with prometheus_client's
own parser; each app counts in a registry of its own."""

from __future__ import annotations

from conftest import web_articles
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

from indexer import IndexStore
from web import close_searcher, create_app


def scrape(client) -> dict:
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/plain")
    families = text_string_to_metric_families(response.get_data(as_text=True))
    return {family.name: family for family in families}


def sample(families, name, suffix="", **labels):
    for s in families[name].samples:
        if s.name == name + suffix and all(s.labels.get(k) == v for k, v in labels.items()):
            return s.value
    return None


def test_requests_by_route_and_status_and_latency(web_client):
    for _ in range(3):
        web_client.get("/api/search?q=الحكومة")
    web_client.get("/api/articles/a01")
    web_client.get("/api/articles/no-such-article")
    web_client.get("/api/search?page=0")
    families = scrape(web_client)
    requests = "fahras_http_requests"
    assert sample(families, requests, "_total", route="/api/search", status="200") == 3
    assert sample(families, requests, "_total", route="/api/search", status="400") == 1
    route = "/api/articles/<article_id>"  # the rule, never the raw path
    assert sample(families, requests, "_total", route=route, status="200") == 1
    assert sample(families, requests, "_total", route=route, status="404") == 1
    latency = "fahras_http_request_duration_seconds"
    assert families[latency].type == "histogram"
    assert sample(families, latency, "_count", route="/api/search") == 4
    assert sample(families, latency, "_bucket", route="/api/search", le="+Inf") == 4


def test_index_documents_and_generation(web_client, web_index):
    families = scrape(web_client)
    assert sample(families, "fahras_index_documents") == len(web_articles())
    generation = IndexStore(web_index).current().name
    assert sample(families, "fahras_index_generation_info", generation=generation) == 1


def test_cache_hits_and_ratio(web_client):
    web_client.get("/api/search?q=الحكومة")  # first time: the terms are scored
    before = scrape(web_client)
    lookups = sample(before, "fahras_cache_lookups", "_total", cache="scored_terms")
    hits = sample(before, "fahras_cache_hits", "_total", cache="scored_terms")
    assert lookups and lookups >= 1 and hits is not None
    web_client.get("/api/search?q=الحكومة")  # the same terms again: from the cache
    after = scrape(web_client)
    assert sample(after, "fahras_cache_hits", "_total", cache="scored_terms") > hits
    assert sample(after, "fahras_cache_lookups", "_total", cache="scored_terms") > lookups
    ratio = sample(after, "fahras_cache_hit_ratio", cache="scored_terms")
    assert 0 < ratio <= 1 and after["fahras_cache_hit_ratio"].type == "gauge"
    assert sample(after, "fahras_cache_lookups", "_total", cache="vocabulary") >= 1


def test_no_index_leaves_the_index_gauges_out(missing_index_app):
    families = scrape(missing_index_app.test_client())
    assert "fahras_index_documents" not in families
    assert "fahras_http_requests" in families


def test_two_apps_count_apart_and_not_in_the_global_registry(web_index):
    first = create_app({"TESTING": True, "FAHRAS_INDEX_DIR": str(web_index)})
    second = create_app({"TESTING": True, "FAHRAS_INDEX_DIR": str(web_index)})
    try:
        first.test_client().get("/healthz")
        first.test_client().get("/healthz")
        second.test_client().get("/healthz")
        counted = [sample(scrape(app.test_client()), "fahras_http_requests", "_total",
                          route="/healthz") for app in (first, second)]
        assert counted == [2, 1]
        assert REGISTRY.get_sample_value("fahras_http_requests_total",
                                         {"route": "/healthz", "method": "GET",
                                          "status": "200"}) is None
    finally:
        close_searcher(first)
        close_searcher(second)
