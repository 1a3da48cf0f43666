"""What each kind of query clause costs on a real index: the figures behind search/cost.py.

For words drawn from the titles of an index (ANT by default), times a results page for a
one-clause query of each kind — a plain word, a two-word phrase, a prefix (``word*``), a
typo-tolerant word at one and two edits (``word~``, ``word~2``) — each word used once, so
every expansion and every term is met for the first time (the cost the gate must bound).
Prints the median and p95 milliseconds per kind beside the cost search/cost.py gives it,
and the milliseconds one unit of cost stands for.

    python tests/bench/cost.py --index-dir /tmp/fahras-bench/full/ant/index-build-ours-2
    python tests/bench/cost.py            # builds ANT into --work-dir first (a few minutes)
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from indexer import build_index  # noqa: E402
from indexer.normalize import normalize  # noqa: E402
from search import Searcher  # noqa: E402
from search.cost import query_cost  # noqa: E402
from search.query import parse_query  # noqa: E402

ANT = ROOT.parent / "shared" / "data" / "ant_news" / "ant_news.jsonl.gz"
KINDS = {
    "word": "{0}",
    "phrase": '"{0} {1}"',
    "prefix": "{0:.3}*",
    "fuzzy": "{0}~",
    "fuzzy2": "{0}~2",
}


def sample_words(index_dir: Path, count: int, seed: int) -> list[str]:
    with Searcher(index_dir) as searcher:
        words: list[str] = []
        for page in range(1, 60):
            for category in searcher.categories():
                hits = searcher.search("", category=category.value, page=page, per_page=50).hits
                words += [w for hit in hits for w in hit.title.split() if len(normalize(w)) >= 4]
            if len(set(words)) > count * 3:
                break
    rng = random.Random(seed)
    distinct = sorted(set(words))
    rng.shuffle(distinct)
    return distinct[: count * 2]


def measure(index_dir: Path, words: list[str], per_kind: int) -> dict[str, tuple[list, list]]:
    """``kind -> (milliseconds, costs)`` of ``per_kind`` queries of each kind."""
    found: dict[str, tuple[list, list]] = {kind: ([], []) for kind in KINDS}
    with Searcher(index_dir, time_limit=30, costly_searches=1) as searcher:
        for kind, template in KINDS.items():
            for n in range(per_kind):
                query = template.format(words[2 * n], words[2 * n + 1])
                started = time.perf_counter()
                searcher.search(query)
                found[kind][0].append((time.perf_counter() - started) * 1000)
                found[kind][1].append(query_cost(parse_query(query)))
            words = words[2 * per_kind:] + words[: 2 * per_kind]  # fresh words for each kind
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index-dir", type=Path, help="an index to measure (else ANT is built)")
    parser.add_argument("--work-dir", type=Path, default=Path("/tmp/fahras-bench/cost"))
    parser.add_argument("--per-kind", type=int, default=40)
    parser.add_argument("--seed", type=int, default=20261201)
    args = parser.parse_args()
    index_dir = args.index_dir
    if index_dir is None:
        if not ANT.exists():
            sys.exit(f"no index given and no ANT corpus at {ANT}")
        index_dir = args.work_dir / "ant"
        print(f"building ANT into {index_dir} ...", flush=True)
        build_index([ANT], index_dir, procs=2)
    words = sample_words(index_dir, args.per_kind * len(KINDS), args.seed)
    found = measure(index_dir, words, args.per_kind)
    print(f"index {index_dir}: {args.per_kind} queries per kind, each word once")
    print(f"  {'kind':<8} {'cost':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'ms/unit':>8}")
    for kind in KINDS:
        values, costs = sorted(found[kind][0]), found[kind][1]
        cost = statistics.mean(costs)
        p95 = values[int(0.95 * (len(values) - 1))]
        print(f"  {kind:<8} {cost:>6.1f} {statistics.median(values):>8.1f} {p95:>8.1f} "
              f"{values[-1]:>8.1f} {p95 / cost:>8.2f}")


if __name__ == "__main__":
    main()
