"""The measured work of tests/bench/speed.py, each run in a process of its own.

``python tests/bench/speed_tasks.py TASK JSON`` runs one task and prints one line
``RESULT {...}`` (JSON) with its figures, so every build starts from a fresh
interpreter (cold caches, its own peak memory) and the benchmark's own process
stays small. Tasks:

- ``build-ours``: ``indexer.build_index`` with ``procs`` processes;
- ``build-naive``: the plain Whoosh baseline of tests/bench/speed_naive.py;
- ``update``: ``indexer.update_index`` on the live index;
- ``query``: a fresh ``search.Searcher`` runs every query for a full results page,
  twice (cold, then warm), timing each call; optionally profiles the warm pass; with
  ``changes``, then updates articles (then deletes some) in place and times the next
  queries on the same Searcher against the same queries just before (the cold cliff),
  in a few rounds;
- ``first-query``: what a fresh process pays for its first results page: the import of
  ``search``, opening the Searcher and the first search (run by speed.py in several fresh
  processes).

Memory: the task's own peak RSS (``RUSAGE_SELF``) and the largest peak of the
processes it started (``RUSAGE_CHILDREN``: Whoosh's index workers), in KiB; CPU: the
seconds of the task and its workers together (steadier than wall time on a busy machine).
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile of ``values`` (0 for none)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, min(len(ordered), int(-(-pct * len(ordered) // 100))))
    return ordered[rank - 1]


def summary(latencies_ms: list[float]) -> dict:
    return {
        "n": len(latencies_ms),
        "p50": percentile(latencies_ms, 50),
        "p95": percentile(latencies_ms, 95),
        "p99": percentile(latencies_ms, 99),
        "max": max(latencies_ms, default=0.0),
        "mean": sum(latencies_ms) / len(latencies_ms) if latencies_ms else 0.0,
    }


def _memory() -> dict:
    own, children = (resource.getrusage(who)
                     for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    return {
        "self_maxrss_kb": own.ru_maxrss,
        "children_maxrss_kb": children.ru_maxrss,
        "cpu_seconds": own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime,
    }


def build_ours(args: dict) -> dict:
    from indexer import build_index

    started = time.monotonic()
    report = build_index(args["sources"], args["index_dir"], procs=args["procs"])
    seconds = time.monotonic() - started
    return {"indexed": report.indexed, "skipped": len(report.skipped), "seconds": seconds}


def build_naive(args: dict) -> dict:
    from speed_naive import build_naive_index

    return build_naive_index(args["sources"], args["index_dir"])


def update(args: dict) -> dict:
    from indexer import update_index

    started = time.monotonic()
    report = update_index(args["sources"], args["index_dir"])
    return {"seconds": time.monotonic() - started, "indexed": report.indexed,
            "updated": report.updated, "unchanged": report.unchanged}


def query(args: dict) -> dict:
    from search import Searcher

    queries = Path(args["queries_file"]).read_text(encoding="utf-8").splitlines()
    passes = []
    started = time.monotonic()
    searcher = Searcher(args["index_dir"], time_limit=args.get("time_limit", 2.0))
    open_ms = (time.monotonic() - started) * 1000
    for number in range(args.get("passes", 2)):
        profiler = None
        if args.get("profile") and number == args.get("passes", 2) - 1:
            import cProfile

            profiler = cProfile.Profile()
        passes.append(_one_pass(searcher, queries, profiler))
        if profiler is not None:
            profiler.dump_stats(args["profile"])
    changes = _after_changes(searcher, queries, args["index_dir"], args["changes"]) \
        if args.get("changes") else None
    searcher.close()
    return {"open_ms": open_ms, "passes": passes, "changes": changes}


def _after_changes(searcher, queries: list[str], index_dir: str, changes: dict) -> dict:
    """The next ``after`` queries once an update (then a delete) is committed, beside the same
    queries run just before it on the warm Searcher; in several rounds (twenty queries take
    about 200 ms, which a burst of the host's other work moves either way): each round
    updates the articles with text of its own, deletes the others, and the next round first
    puts those back and runs the queries once, so that its "before" is warm again."""
    from indexer import delete_articles, update_index

    probe = queries[: changes["after"]]
    rows: dict[str, list[dict]] = {"update": [], "delete": []}
    for number, updated in enumerate(changes["update"]):
        if number:
            update_index([changes["restore"]], index_dir)
            _one_pass(searcher, probe, None)
        for what in ("update", "delete"):
            before = _one_pass(searcher, probe, None)
            started = time.monotonic()
            if what == "update":
                update_index([updated], index_dir)
            else:
                delete_articles(changes["delete"], index_dir)
            write_s = time.monotonic() - started
            articles = len(changes["delete"]) if what == "delete" else len(
                Path(updated).read_text(encoding="utf-8").splitlines())
            rows[what].append({"before": before, "after": _one_pass(searcher, probe, None),
                               "write_s": write_s, "articles": articles})
    return rows


def first_query(args: dict) -> dict:
    """Import, open and the first results page, timed inside this fresh process."""
    started = time.perf_counter()
    from search import Searcher

    imported = time.perf_counter()
    searcher = Searcher(args["index_dir"])
    opened = time.perf_counter()
    searcher.search(args["query"], page=1, per_page=10)
    done = time.perf_counter()
    searcher.close()
    return {"import_ms": (imported - started) * 1000, "open_ms": (opened - imported) * 1000,
            "search_ms": (done - opened) * 1000, "total_ms": (done - started) * 1000,
            "bytecode_cached": _bytecode_cached()}


def _bytecode_cached() -> bool:
    """Whether this process read the project's modules from cached bytecode (an installed
    package) rather than compiling each one (an editable install under
    ``PYTHONDONTWRITEBYTECODE``, which costs the import and the open tens of ms)."""
    import importlib.util

    import search.searcher

    return Path(importlib.util.cache_from_source(search.searcher.__file__)).is_file()


def _one_pass(searcher, queries: list[str], profiler) -> dict:
    latencies, errors, timed_out, totals = [], [], 0, 0
    for text in queries:
        if profiler is not None:
            profiler.enable()
        started = time.perf_counter()
        try:
            page = searcher.search(text, page=1, per_page=10)
        except Exception as exc:  # counted and shown: a benchmark must not stop on one query
            errors.append(f"{text!r}: {type(exc).__name__}: {exc}")
            continue
        finally:
            latencies.append((time.perf_counter() - started) * 1000)
            if profiler is not None:
                profiler.disable()
        timed_out += page.timed_out
        totals += page.total > 0
    return {**summary(latencies), "first": latencies[0] if latencies else 0.0, "errors": errors,
            "timed_out": timed_out, "with_hits": totals}


TASKS = {"build-ours": build_ours, "build-naive": build_naive, "update": update, "query": query,
         "first-query": first_query}


def main(argv: list[str]) -> int:
    if len(argv) != 3 or argv[1] not in TASKS:
        print(f"usage: {argv[0]} {{{','.join(TASKS)}}} JSON", file=sys.stderr)
        return 2
    args = json.loads(argv[2])
    result = TASKS[argv[1]](args)
    result.update(_memory())
    print("RESULT " + json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
