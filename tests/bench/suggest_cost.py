"""What "did you mean" costs a search: this checkout's against another checkout's, in one run.

Not a unit test. Runs the first ``--queries`` titles of ``eval/news-known-item`` (correctly
spelled news titles) through ``Searcher.search`` on an ANT index, then times, warm, each
search and its suggestion step (``Searcher._suggestion``) alone, and counts the titles that
get a suggestion (false alarms, mostly). The two trees take turns (old, new, old, new) so the
load of a shared machine falls on both alike; each runs in a fresh interpreter whose
``PYTHONPATH`` is that tree, on an index of its own schema::

    git archive COMMIT | tar -x -C /tmp/old-tree
    python tests/bench/suggest_cost.py --old /tmp/old-tree --old-index OLD_INDEX \\
        --index NEW_INDEX [--rounds 2] [--queries 300]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

_RUN = """
import json, statistics, sys, time
from search import Searcher
from search.backend import Filters
from search.query import parse_query
searcher = Searcher(sys.argv[1])
lines = open(sys.argv[2], encoding="utf-8").read().splitlines()[:int(sys.argv[3])]
queries = [line.split("\\t", 1)[1].strip() for line in lines]
pages = {q: searcher.search(q) for q in queries}
totals = {q: page.total for q, page in pages.items()}
suggested = sum(1 for page in pages.values()
                if page.suggestion or getattr(page, "results_for", None))
search_ms, step_ms = [], []
for q in queries:
    started = time.perf_counter()
    searcher.search(q)
    search_ms.append((time.perf_counter() - started) * 1000)
    started = time.perf_counter()
    searcher._suggestion(parse_query(q), Filters(), totals[q])
    step_ms.append((time.perf_counter() - started) * 1000)
print(json.dumps({"search": statistics.median(search_ms), "step": statistics.median(step_ms),
                  "suggested": suggested}))
"""


def run(tree: Path, index: Path, queries: Path, count: int) -> dict:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    out = subprocess.run([sys.executable, "-c", _RUN, str(index), str(queries), str(count)],
                         env=env, cwd=tree, check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old", type=Path, required=True, help="the tree to compare with")
    parser.add_argument("--old-index", type=Path, required=True, help="an index of its schema")
    parser.add_argument("--index", type=Path, required=True, help="an index of this schema")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--queries", type=int, default=300)
    args = parser.parse_args(argv)
    data = Path(os.environ.get("FAHRAS_DATA_DIR") or REPO.parent / "shared" / "data")
    queries = data / "eval" / "news-known-item" / "queries.tsv"
    if not queries.exists():
        print(f"no known-item queries at {queries}: set FAHRAS_DATA_DIR", file=sys.stderr)
        return 2
    runs: dict[str, list[dict]] = {"old": [], "new": []}
    for round_ in range(args.rounds):
        for name, tree, index in (("old", args.old.resolve(), args.old_index),
                                  ("new", REPO, args.index)):
            result = run(tree, index.resolve(), queries, args.queries)
            runs[name].append(result)
            print(f"  {name} round {round_ + 1}: search {result['search']:.1f} ms, suggestion "
                  f"step {result['step']:.2f} ms, {result['suggested']} suggested", flush=True)
    for name, results in runs.items():
        print(f"{name:>4}: median search {statistics.median(r['search'] for r in results):.1f} ms,"
              f" suggestion step {statistics.median(r['step'] for r in results):.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
