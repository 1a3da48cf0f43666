"""Warm query latency of this checkout against another checkout's, side by side in one run.

Not a unit test. Searches one index (built once, of a schema both trees read) with the code
of ``--old`` (a checkout or an exported tree) and with this checkout's, alternating (old,
new, old, new, …) so that the load of a shared machine falls on both alike. Each round is a
fresh interpreter whose ``PYTHONPATH`` is that tree: it runs the query set of
tests/bench/speed.py (drawn from the ANT titles with its seed) once cold and twice warm, as
``Searcher.search`` pages, and reports the p50 and p95 of the last pass (wall time) and its
p50 of CPU time (the process's own, steadier on a loaded machine). Prints each round, the
medians and the ratios new/old, and the median of the rounds' own ratios (each round's two
runs are neighbours in time, so they met about the same load)::

    git archive main | tar -x -C /tmp/old-tree
    python tests/bench/query_ratio.py --old /tmp/old-tree --index-dir /tmp/ant-index
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests" / "bench"))

from speed import make_queries  # noqa: E402

_PASS = """
import json, sys, time
from search import Searcher
queries = open(sys.argv[2], encoding="utf-8").read().splitlines()
with Searcher(sys.argv[1]) as searcher:
    for _ in range(3):
        wall, cpu = [], []
        for query in queries:
            started, used = time.perf_counter(), time.process_time()
            searcher.search(query, page=1, per_page=10)
            wall.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - used) * 1000)
wall.sort()
cpu.sort()
print(json.dumps({"p50": wall[len(wall) // 2], "p95": wall[int(len(wall) * 0.95)],
                  "cpu p50": cpu[len(cpu) // 2]}))
"""


def _titles(path: Path) -> list[str]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return [json.loads(line).get("title") or "" for line in fh]


def _round(tree: Path, index: str, queries: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    done = subprocess.run([sys.executable, "-c", _PASS, index, str(queries)], env=env,
                          check=True, capture_output=True, text=True, cwd=tree)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    data = Path(os.environ.get("FAHRAS_DATA_DIR") or REPO.parent / "shared/data")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old", type=Path, required=True, help="the other tree")
    parser.add_argument("--index-dir", required=True, help="an index of the ANT corpus")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--queries", type=int, default=400)
    parser.add_argument("--corpus", type=Path, default=data / "ant_news/ant_news.jsonl.gz")
    args = parser.parse_args()
    if not args.corpus.exists():
        print(f"no ANT corpus at {args.corpus}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as work:
        queries = Path(work) / "queries.txt"
        queries.write_text("\n".join(make_queries(_titles(args.corpus), args.queries)) + "\n",
                           encoding="utf-8")
        runs: dict[str, list[dict]] = {"old": [], "new": []}
        for number in range(args.rounds):
            for name, tree in (("old", args.old), ("new", REPO)):
                runs[name].append(_round(tree, args.index_dir, queries))
                last = runs[name][-1]
                print(f"round {number + 1} {name}: warm p50 {last['p50']:.1f} ms, "
                      f"p95 {last['p95']:.1f} ms, CPU p50 {last['cpu p50']:.1f} ms", flush=True)
    for figure in ("p50", "p95", "cpu p50"):
        old = statistics.median(r[figure] for r in runs["old"])
        new = statistics.median(r[figure] for r in runs["new"])
        pairs = statistics.median(n[figure] / o[figure]
                                  for o, n in zip(runs["old"], runs["new"], strict=True))
        print(f"warm {figure}: old {old:.1f} ms, new {new:.1f} ms, new/old {new / old:.2f} "
              f"(median of the rounds' ratios {pairs:.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
