"""``/metrics``: the app's numbers in the Prometheus text format, via ``prometheus_client``.

Registered by web/newsroom.py on every app. Each app owns its :class:`CollectorRegistry`
(never the library's global default), so two apps in one process (tests, an embedding
site) count apart. What is counted:

* ``fahras_http_requests_total{route,method,status}`` and the latency histogram
  ``fahras_http_request_duration_seconds{route}``; ``route`` is the URL rule
  (``/api/articles/<article_id>``), never the raw path, so ids do not explode the labels;
* ``fahras_index_documents`` and ``fahras_index_generation_info{generation}`` read from
  the live index when scraped;
* ``fahras_writes_total{action,outcome}`` for the write API (web/write_api.py).

The route is open (like ``/healthz``): it shows counts, no articles, queries or keys.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

from flask import Blueprint, Flask, Response, current_app, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from indexer import FahrasError

__all__ = ["bp", "AppMetrics", "init_app", "app_metrics"]

bp = Blueprint("metrics", __name__)
_KEY = "fahras.metrics"
_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class IndexCollector(Collector):
    """The live index's size and generation, read at scrape time."""

    def __init__(self, app: Flask) -> None:
        self.app = app

    def collect(self) -> Iterator[Metric]:
        from web import get_searcher

        documents = GaugeMetricFamily("fahras_index_documents", "Articles in the live index.")
        generation = GaugeMetricFamily("fahras_index_generation_info",
                                       "The live index generation (1 for its name).",
                                       labels=["generation"])
        try:
            searcher = get_searcher(self.app)
            info = searcher.info()
        except FahrasError:  # no usable index: the gauge is absent rather than a false 0
            return
        documents.add_metric([], info.documents)
        generation.add_metric([info.generation], 1)
        yield documents
        yield generation
        yield from _cache_metrics(searcher.cache_stats())


def _cache_metrics(stats: dict[str, tuple[int, int]]) -> Iterator[Metric]:
    """Hits and look-ups of the searcher's caches (counters), and their hit ratio (a gauge)."""
    hits = CounterMetricFamily("fahras_cache_hits", "Cache look-ups answered from the cache.",
                               labels=["cache"])
    lookups = CounterMetricFamily("fahras_cache_lookups", "Cache look-ups.", labels=["cache"])
    ratio = GaugeMetricFamily("fahras_cache_hit_ratio",
                              "Share of look-ups answered from the cache since start.",
                              labels=["cache"])
    for name, (hit, miss) in sorted(stats.items()):
        hits.add_metric([name], hit)
        lookups.add_metric([name], hit + miss)
        ratio.add_metric([name], hit / (hit + miss) if hit + miss else 0.0)
    yield hits
    yield lookups
    yield ratio


class AppMetrics:
    """The metrics of one app, in a registry of its own."""

    def __init__(self, app: Flask) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter("fahras_http_requests", "HTTP requests answered.",
                                ["route", "method", "status"], registry=self.registry)
        self.latency = Histogram("fahras_http_request_duration_seconds",
                                 "Time to answer a request.", ["route"],
                                 buckets=_LATENCY_BUCKETS, registry=self.registry)
        self.writes = Counter("fahras_writes", "Write API calls.", ["action", "outcome"],
                              registry=self.registry)
        self.registry.register(IndexCollector(app))

    def render(self) -> bytes:
        return generate_latest(self.registry)


def app_metrics(app: Flask | None = None) -> AppMetrics:
    return (app or current_app).extensions[_KEY]


def _start_clock() -> None:
    g.fahras_started = time.perf_counter()


def _count(response: Response) -> Response:
    started = g.pop("fahras_started", None)
    if started is None:
        return response
    route = request.url_rule.rule if request.url_rule is not None else "unmatched"
    metrics = app_metrics()
    metrics.requests.labels(route, request.method, str(response.status_code)).inc()
    metrics.latency.labels(route).observe(time.perf_counter() - started)
    return response


@bp.get("/metrics")
def metrics():
    return Response(app_metrics().render(), mimetype=CONTENT_TYPE_LATEST)


def init_app(app: Flask) -> None:
    app.extensions[_KEY] = AppMetrics(app)
    app.before_request(_start_clock)
    app.after_request(_count)
    app.register_blueprint(bp)
