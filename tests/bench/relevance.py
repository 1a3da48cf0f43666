"""Relevance benchmark: Fahras against Lucene's Arabic analyzer on every test collection.

``python tests/bench/relevance.py [--sets arcd,quran-qa] [--work-dir DIR] [--rebuild]
[--procs 2] [--json FILE] [--backend whoosh|sphinx|both] [--nodes 2]`` indexes each
collection of ``DATA/eval`` (reusing an index while its documents and the schema version
are unchanged), runs its queries through :meth:`search.Searcher.rank` (the ranking of the
web page and the API) and prints one table: nDCG@10, MRR@10, Recall@10 and Recall@100,
each beside Lucene's number and the difference. ``--backend sphinx`` builds each
collection into a local Sphinx cluster of ``--nodes`` nodes (fahras-cluster, started in
the work folder and stopped afterwards);
``both`` runs Whoosh and the cluster in one go and adds a table of their differences;
``--reuse-clusters`` searches the clusters a previous run left instead of building again.

``DATA`` is ``$FAHRAS_DATA_DIR`` or ``../shared/data`` next to the repository; without
it the script says so and exits with status 2. The sets:

* ``arcd``, ``xquad-ar``, ``quran-qa``: their own ``docs.jsonl``;
* ``news-known-item``: its own ``docs.jsonl.gz`` (the ANT articles WITHOUT titles: the
  queries are the headlines, so the corpus with titles must never be used here);
* ``arcd+distractors``: arcd + xquad-ar + ``ant_news/ant_news.jsonl.gz`` (41,218
  documents, title and body) with the arcd queries and judgements.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from search.evaluation import Scores, read_qrels, read_queries  # noqa: E402
from search.relevance import ensure_index, run_queries, score_run  # noqa: E402
from search.searcher import Searcher  # noqa: E402

#: Lucene 9.5 ArabicAnalyzer + BM25 (k1=0.9, b=0.4), title and body in one field, top 100:
#: nDCG@10, MRR@10, R@10, R@100 (from the data README).
LUCENE: dict[str, tuple[float, float, float, float]] = {
    "arcd": (0.804, 0.754, 0.955, 0.986),
    "arcd+distractors": (0.612, 0.562, 0.765, 0.893),
    "xquad-ar": (0.938, 0.924, 0.982, 0.989),
    "news-known-item": (0.722, 0.673, 0.876, 0.962),
    "quran-qa": (0.289, 0.348, 0.324, 0.527),
}


@dataclass(frozen=True)
class Collection:
    """One test: the documents to index, and the queries and judgements to run."""

    name: str
    docs: tuple[Path, ...]
    queries: Path
    qrels: Path


def collections(data: Path) -> list[Collection]:
    """The five tests, in table order."""
    ev = data / "eval"

    def own(name: str, docs: str = "docs.jsonl") -> Collection:
        return Collection(name, (ev / name / docs,), ev / name / "queries.tsv",
                          ev / name / "qrels.tsv")

    distractors = (ev / "arcd" / "docs.jsonl", ev / "xquad-ar" / "docs.jsonl",
                   data / "ant_news" / "ant_news.jsonl.gz")
    return [
        own("arcd"),
        Collection("arcd+distractors", distractors, ev / "arcd" / "queries.tsv",
                   ev / "arcd" / "qrels.tsv"),
        own("xquad-ar"),
        own("news-known-item", "docs.jsonl.gz"),
        own("quran-qa"),
    ]


def data_dir() -> Path:
    """``$FAHRAS_DATA_DIR`` or ``../shared/data`` beside the repository."""
    return Path(os.environ.get("FAHRAS_DATA_DIR") or REPO.parent / "shared" / "data")


def run_collection(c: Collection, work: Path, rebuild: bool, procs: int,
                   index: str | None = None) -> tuple[Scores, float]:
    """Index (or reuse), rank and score one collection; the scores and the seconds taken.
    ``index``: a cluster address to build into instead of the folder ``work/NAME``."""
    started = time.monotonic()
    where = index or str(work / c.name)
    built = ensure_index(c.docs, where, rebuild=rebuild, procs=procs)
    print(f"{c.name}: {'built' if built else 'reused'} index {where} in "
          f"{time.monotonic() - started:.0f} s", file=sys.stderr)
    started = time.monotonic()
    with Searcher(where, time_limit=60) as searcher:
        results = run_queries(searcher, read_queries(c.queries), limit=100)
    return score_run(results, read_qrels(c.qrels)), time.monotonic() - started


def run_on_cluster(c: Collection, work: Path, nodes: int,
                   reuse: bool = False) -> tuple[Scores, float]:
    """:func:`run_collection` on a fresh local cluster of ``nodes`` nodes, stopped after;
    ``reuse``: on the cluster a previous run left in the work folder, not built again."""
    from indexer.sphinx.cluster import Cluster

    folder = work / f"{c.name}-cluster"
    if reuse and Cluster(folder).exists():
        cluster = Cluster(folder)
        try:
            address = cluster.start()
            print(f"{c.name}: reused the cluster {address}", file=sys.stderr)
            started = time.monotonic()
            with Searcher(address, time_limit=60) as searcher:
                results = run_queries(searcher, read_queries(c.queries), limit=100)
            return score_run(results, read_qrels(c.qrels)), time.monotonic() - started
        finally:
            cluster.stop()
    if folder.exists():
        if Cluster(folder).exists():
            Cluster(folder).stop()
        shutil.rmtree(folder)
    cluster = Cluster(folder)
    cluster.create(nodes)
    try:
        return run_collection(c, work, True, 1, cluster.start())
    finally:
        cluster.stop()


def differences(first: list[tuple[str, Scores]], second: list[tuple[str, Scores]]) -> str:
    """The second backend's scores minus the first's, set by set."""
    head = f"{'set':<18}" + "".join(f"{m:>10}" for m in ("nDCG@10", "MRR@10", "R@10", "R@100"))
    lines = [head, "-" * len(head)]
    for (name, a), (_, b) in zip(first, second, strict=True):
        pairs = ((b.ndcg10, a.ndcg10), (b.mrr10, a.mrr10), (b.recall10, a.recall10),
                 (b.recall100, a.recall100))
        lines.append(f"{name:<18}" + "".join(f"{x - y:>+10.3f}" for x, y in pairs))
    return "\n".join(lines)


def table(rows: list[tuple[str, Scores]]) -> str:
    """The results beside Lucene's: ``ours (lucene, difference)`` for each metric."""
    head = f"{'set':<18}{'queries':>8}  " + "".join(
        f"{m:<24}" for m in ("nDCG@10", "MRR@10", "R@10", "R@100"))
    lines = [head, "-" * len(head)]
    for name, s in rows:
        ref = LUCENE[name]
        ours = (s.ndcg10, s.mrr10, s.recall10, s.recall100)
        pairs = zip(ours, ref, strict=True)
        cells = "".join(f"{o:.3f} ({r:.3f} {o - r:+.3f})    " for o, r in pairs)
        lines.append(f"{name:<18}{s.queries:>8}  {cells.rstrip()}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    names = [c for c in LUCENE]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default=",".join(names), help="comma-separated subset")
    parser.add_argument("--work-dir", default="/tmp/fahras-bench", type=Path)
    parser.add_argument("--rebuild", action="store_true", help="rebuild every index")
    parser.add_argument("--procs", type=int, default=2, help="processes for index builds")
    parser.add_argument("--json", type=Path, help="also write the scores here as JSON")
    parser.add_argument("--backend", choices=("whoosh", "sphinx", "both"), default="whoosh",
                        help="where the index is kept (both: side by side)")
    parser.add_argument("--nodes", type=int, default=2, help="nodes of the Sphinx cluster")
    parser.add_argument("--reuse-clusters", action="store_true",
                        help="search the clusters a previous run left in --work-dir (built "
                             "from the same documents) instead of building them again")
    args = parser.parse_args(argv)
    data = data_dir()
    if not (data / "eval").is_dir():
        print(f"no test collections at {data / 'eval'}: set FAHRAS_DATA_DIR", file=sys.stderr)
        return 2
    wanted = [n.strip() for n in args.sets.split(",") if n.strip()]
    unknown = set(wanted) - set(names)
    if unknown:
        parser.error(f"unknown set(s): {', '.join(sorted(unknown))}; known: {', '.join(names)}")
    args.work_dir.mkdir(parents=True, exist_ok=True)
    backends = ["whoosh", "sphinx"] if args.backend == "both" else [args.backend]
    results: dict[str, list[tuple[str, Scores]]] = {}
    for backend in backends:
        rows = results.setdefault(backend, [])
        for c in collections(data):
            if c.name not in wanted:
                continue
            if backend == "sphinx":
                scores, seconds = run_on_cluster(c, args.work_dir, args.nodes,
                                                 args.reuse_clusters)
            else:
                scores, seconds = run_collection(c, args.work_dir, args.rebuild, args.procs)
            print(f"{c.name} ({backend}): {scores.queries} queries in {seconds:.0f} s",
                  file=sys.stderr)
            rows.append((c.name, scores))
    for backend, rows in results.items():
        print(f"{backend}:\n{table(rows)}\n")
    if len(results) == 2:
        print(f"sphinx - whoosh:\n{differences(results['whoosh'], results['sphinx'])}")
    if args.json:
        args.json.write_text(json.dumps(
            {b: {n: s.to_dict() for n, s in rows} for b, rows in results.items()}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
