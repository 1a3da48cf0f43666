"""The Sphinx cluster beside the Whoosh folder in tests/bench/speed.py (``--backend both``).

A 2-node local cluster (fahras-cluster) is started in the work folder; the same build (a
fresh process), query set (cold and warm pass) and HTTP load as the Whoosh sections run
against it, and one table puts the figures side by side. The cluster is stopped at the end.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(REPO))

from indexer.backend import index_backend  # noqa: E402
from indexer.sphinx.cluster import Cluster  # noqa: E402

__all__ = ["measure_cluster", "print_side_by_side"]


def measure_cluster(corpus, workdir: Path, args, run_task, measure_query, measure_http) -> dict:
    """Build, query and load the cluster; its results in the shape of ``corpus.results``."""
    folder = workdir / "cluster"
    if Cluster(folder).exists():
        Cluster(folder).stop()
    shutil.rmtree(folder, ignore_errors=True)
    cluster = Cluster(folder)
    cluster.create(args.nodes)
    whoosh_results = corpus.results
    corpus.results = {}
    try:
        address = cluster.start()
        print(f"  cluster: {address}\n  building: fahras into the cluster ...", flush=True)
        build = run_task("build-ours", {"sources": corpus.sources, "index_dir": address,
                                        "procs": 1})
        corpus.results["build"] = {"cluster": {**build, "rate": build["indexed"] /
                                               build["seconds"]}}
        shards = index_backend(address).shard_counts()
        print(f"  articles per shard: {shards} (sum {sum(shards)}, "
              f"indexed {build['indexed']}, skipped {build['skipped']})", flush=True)
        corpus.results["shards"] = shards
        measure_query(corpus, workdir, address, args)
        measure_http(corpus, workdir, address, args)
        return corpus.results
    finally:
        cluster.stop()
        corpus.results = {**whoosh_results, "cluster": corpus.results}


def print_side_by_side(results: dict) -> None:
    """Whoosh (procs=2 build) and the cluster: build, warm query latency, HTTP req/s."""
    cluster = results["cluster"]
    rows = []
    whoosh_build = results.get("build", {}).get("fahras procs=2")
    for label, got in (("whoosh", results), ("cluster", cluster)):
        build = whoosh_build if label == "whoosh" else got["build"]["cluster"]
        warm = got["query"]["passes"][-1] if "query" in got else None
        http = got.get("http", {})
        rows.append((label, build, warm, http))
    print(f"  {'backend':<10}{'build s':>9}{'art/s':>8}{'p50 ms':>9}{'p95 ms':>9}"
          f"{'api req/s':>11}{'page req/s':>12}{'errors':>8}")
    for label, build, warm, http in rows:
        seconds = f"{build['seconds']:9.1f}{build['indexed'] / build['seconds']:8.0f}" \
            if build else f"{'-':>9}{'-':>8}"
        latency = f"{warm['p50']:9.1f}{warm['p95']:9.1f}" if warm else f"{'-':>9}{'-':>9}"
        api, page = http.get("/api/search"), http.get("/ (page)")
        errors = sum(r["errors"] + r["non_2xx"] for r in (api, page) if r)
        rates = (f"{api['rps']:11.1f}{page['rps']:12.1f}" if api and page
                 else f"{'-':>11}{'-':>12}")
        print(f"  {label:<10}{seconds}{latency}{rates}{errors:8d}")
