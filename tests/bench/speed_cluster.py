"""The Sphinx cluster beside the Whoosh folder in tests/bench/speed.py (``--backend both``).

A 2-node local cluster (fahras-cluster) is started in the work folder; the same build (a
fresh process), query set (cold and warm pass) and HTTP load as the Whoosh sections run
against it, and one table puts the figures side by side. Then a node is stopped under load
(errors and non-2xx answers counted, the partial flag checked) and started again. The
cluster is stopped at the end.
"""

from __future__ import annotations

import json
import shutil
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(REPO))

from speed_http import Server, run_load  # noqa: E402

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
        corpus.results["node_down"] = load_with_a_node_down(cluster, address, workdir, args)
        return corpus.results
    finally:
        cluster.stop()
        corpus.results = {**whoosh_results, "cluster": corpus.results}


def load_with_a_node_down(cluster: Cluster, address: str, workdir: Path, args) -> dict:
    """``/api/search`` under load while the last node is stopped (2 s in) and started again
    (after the load): the load's figures, and whether a search during the outage said it
    was partial."""
    paths = workdir / "paths-api-search.txt"
    with Server(address, args.threads, workdir) as server:
        found: dict = {}
        load = threading.Thread(target=lambda: found.update(
            run_load(server.port, paths, args.clients, 8)))
        load.start()
        time.sleep(2)
        cluster.stop(len(cluster.nodes()) - 1)
        load.join()
        query = urllib.parse.urlencode({"q": "الحكومة"})
        with urllib.request.urlopen(f"http://127.0.0.1:{server.port}/api/search?{query}") as r:
            found["partial"] = json.load(r)["partial"]
        cluster.start()
    print(f"  a node stopped under load: {found['requests']} requests, "
          f"{found['errors'] + found['non_2xx']} errors or non-2xx, partial flagged: "
          f"{found['partial']}", flush=True)
    return found


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
