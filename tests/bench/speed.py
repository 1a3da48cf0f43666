"""Fahras speed, measured side by side: build, update, query and HTTP figures in one table.

Not a unit test (pytest does not collect it). Run from the repository::

    python tests/bench/speed.py                  # ANT corpus (40,518 articles), ~15 minutes
    python tests/bench/speed.py --scale          # ... and ANT + SaudiNewsNet (71k) as well
    python tests/bench/speed.py --only query     # one section (reuses the last index built)
    python tests/bench/speed.py --only query,http  # several
    python tests/bench/speed.py --quick          # the first 5,000 articles, while iterating
    python tests/bench/speed.py --backend both   # ... and a 2-node Sphinx cluster beside it

The corpora are read from ``../shared/data`` beside the repository (``FAHRAS_DATA_DIR``
overrides it); without them the script says so and exits with 2. Sections:

- build: ``indexer.build_index`` with 1 and 2 processes and the plain Whoosh baseline of
  tests/bench/speed_naive.py, each in a fresh process: time, articles/s, peak memory (the sum of
  the peak RSS of the process and its index workers, and the sampled peak PSS of the whole
  process tree), index size, and our/baseline ratios;
- query: p50/p95/p99 latency of a full results page (``search.Searcher.search``: 10 hits,
  snippets, facets, exact total) over a fixed set of queries drawn from the titles with a
  fixed seed, first with a fresh Searcher (cold), then again (warm);
- http: ``fahras-web`` (waitress) under 16 concurrent clients from another process, on
  127.0.0.1 only: requests/s, p50/p99, errors, and the server's RSS, for ``/api/search`` and
  the search page ``/``;
- update: ``indexer.update_index`` rewriting 100 and 1,000 articles (changed text);
- Lucene beside them (tests/bench/speed_lucene.py) when Java 17 and Anserini's jar are there
  (``--anserini-jar``, ``$FAHRAS_ANSERINI_JAR``): its build time and a warm and a cold
  results page (top 10 with stored text) over the same queries, and Fahras's ratios to it.

Every figure is measured in the same run on the same machine; the targets are checked at
the end. Work files go to ``--workdir`` (default: a folder under the system temp folder).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(HERE))

from speed_http import Server, run_load  # noqa: E402
from speed_lucene import build_lucene, lucene_missing, query_lucene  # noqa: E402
from speed_targets import check_targets, cliff_ratio, middle_round  # noqa: E402

ANT = "ant_news/ant_news.jsonl.gz"
SNN = "saudinewsnet/saudinewsnet.jsonl.gz"
SECTIONS = ("build", "query", "http", "update")
QUERY_SEED = 20240917
#: Queries timed after an update and after a delete (the cold cliff), rounds of both, and
#: fresh processes timed for a first query.
AFTER_CHANGE, CLIFF_ROUNDS, FIRST_QUERY_RUNS = 20, 5, 5


@dataclass
class Corpus:
    """The articles of one measurement: source files and what the workloads draw from."""

    name: str
    sources: list[str]
    count: int
    titles: list[str] = field(default_factory=list)
    records: list[dict] = field(default_factory=list)  # the first ones, for updates
    results: dict = field(default_factory=dict)


def data_root() -> Path:
    return Path(os.environ.get("FAHRAS_DATA_DIR") or REPO.parent / "shared" / "data")


def load_corpus(name: str, files: list[tuple[Path, int | None]], workdir: Path) -> Corpus:
    """Read titles (and the first records) of ``files``; each (path, limit or None for all).

    A limited file is copied in part to ``workdir`` so the builders read just those articles.
    """
    sources, titles, records = [], [], []
    for path, limit in files:
        part = workdir / f"{path.name.split('.')[0]}-{limit}.jsonl" if limit else None
        out = part.open("w", encoding="utf-8") if part else None
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rt", encoding="utf-8") as lines:
            for n, line in enumerate(lines):
                if limit and n >= limit:
                    break
                record = json.loads(line)
                titles.append(record.get("title") or "")
                if len(records) < 1200:
                    records.append(record)
                if out:
                    out.write(line)
        if out:
            out.close()
        sources.append(str(part or path))
    return Corpus(name, sources, len(titles), titles, records)


# ------------------------------------------------------------------ child processes


class TreeMemory(threading.Thread):
    """Samples the summed PSS of a process and its descendants, and the size of ``folder``
    (an index being built, its temporary files included); keeps the peaks (MiB)."""

    def __init__(self, pid: int, interval: float = 0.2, folder: Path | None = None) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval, self.peak_mb = pid, interval, 0.0
        self.folder, self.disk_peak_mb = folder, 0.0
        self.finished = threading.Event()

    def _tree(self, pid: int) -> list[int]:
        try:
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            return [pid]
        return [pid] + [p for child in children for p in self._tree(int(child))]

    def run(self) -> None:
        while not self.finished.wait(self.interval):
            total = 0
            for pid in self._tree(self.pid):
                try:
                    rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
                except OSError:
                    continue
                found = re.search(r"^Pss:\s+(\d+) kB", rollup, re.M)
                total += int(found.group(1)) if found else 0
            self.peak_mb = max(self.peak_mb, total / 1024)
            if self.folder is not None:
                self.disk_peak_mb = max(self.disk_peak_mb, folder_mb(self.folder))


def run_task(task: str, args: dict, folder: Path | None = None) -> dict:
    """Run one task of tests/bench/speed_tasks.py in a fresh process; its RESULT as a dict
    (with the peak size of ``folder`` while it ran, when given)."""
    command = [sys.executable, str(HERE / "speed_tasks.py"), task, json.dumps(args)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, cwd=REPO)
    sampler = TreeMemory(process.pid, folder=folder)
    sampler.start()
    out, err = process.communicate()
    sampler.finished.set()
    sampler.join()
    found = re.search(r"^RESULT (\{.*\})$", out, re.M)
    if process.returncode or not found:
        raise RuntimeError(f"task {task} failed ({process.returncode}):\n{out}\n{err[-3000:]}")
    result = json.loads(found.group(1))
    result["pss_peak_mb"] = sampler.peak_mb
    result["disk_peak_mb"] = sampler.disk_peak_mb
    return result


def folder_mb(path: Path) -> float:
    """MiB of the files under ``path`` (files that vanish while it is counted are skipped)."""
    total = 0
    for found in path.rglob("*"):
        try:
            total += found.stat().st_size if found.is_file() else 0
        except OSError:
            continue
    return total / 2**20


# ------------------------------------------------------------------ sections


BUILDERS = {"fahras2": ("fahras procs=2", "build-ours", 2),
            "fahras1": ("fahras procs=1", "build-ours", 1),
            "naive": ("naive whoosh", "build-naive", 1)}


def measure_build(corpus: Corpus, workdir: Path, builders: list[str]) -> None:
    rows = {}
    for label, task, procs in (BUILDERS[name] for name in builders):
        index_dir = workdir / f"index-{task}-{procs}"
        shutil.rmtree(index_dir, ignore_errors=True)
        print(f"  building: {label} ...", flush=True)
        result = run_task(task, {"sources": corpus.sources, "index_dir": str(index_dir),
                                 "procs": procs}, folder=index_dir)
        workers = procs if procs > 1 else 0  # Whoosh starts `procs` index workers
        result["rss_mb"] = (result["self_maxrss_kb"]
                            + workers * result["children_maxrss_kb"]) / 1024
        result["size_mb"] = folder_mb(index_dir)
        result["rate"] = result["indexed"] / result["seconds"]
        rows[label] = result
        if procs != 2:
            shutil.rmtree(index_dir, ignore_errors=True)
    corpus.results["build"] = rows


def measure_lucene_build(corpus: Corpus, workdir: Path, jar: Path) -> Path:
    print("  building: lucene (anserini) ...", flush=True)
    result, index_dir = build_lucene(corpus.sources, workdir, jar)
    corpus.results["lucene_build"] = result
    return index_dir


def percentiles(values: list[float]) -> dict:
    ordered = sorted(values)
    at = lambda share: ordered[min(len(ordered) - 1, int(share * len(ordered)))]  # noqa: E731
    return {"n": len(ordered), "p50": at(0.5), "p95": at(0.95), "p99": at(0.99),
            "max": ordered[-1], "mean": sum(ordered) / len(ordered)}


def measure_lucene_query(corpus: Corpus, workdir: Path, jar: Path) -> None:
    index_dir = workdir / "lucene-index"
    if not (index_dir / "segments_1").exists() and not list(index_dir.glob("segments_*")):
        index_dir = measure_lucene_build(corpus, workdir, jar)
    print("  lucene: the same queries, 2 passes ...", flush=True)
    found = query_lucene(index_dir, workdir / "queries.txt", workdir, jar)
    corpus.results["lucene_query"] = {name: percentiles(found[name]) for name in ("cold", "warm")}


def ensure_index(corpus: Corpus, workdir: Path) -> Path:
    """The fahras procs=2 index of the build section, built now if there is none."""
    index_dir = workdir / "index-build-ours-2"
    stamp = workdir / "index-build-ours-2.stamp"
    wanted = json.dumps({"sources": corpus.sources, "count": corpus.count})
    if (index_dir / "CURRENT").exists() and stamp.exists() and stamp.read_text() == wanted:
        print(f"  (reusing the index in {index_dir})")
        return index_dir
    print("  building the index (fahras, procs=2) ...", flush=True)
    shutil.rmtree(index_dir, ignore_errors=True)
    run_task("build-ours", {"sources": corpus.sources, "index_dir": str(index_dir), "procs": 2})
    stamp.write_text(wanted)
    return index_dir


_WORD = re.compile(r"[\u0621-\u064A\u0660-\u0669]{2,}")


def make_queries(titles: list[str], n: int, seed: int = QUERY_SEED) -> list[str]:
    """``n`` queries from the titles: 1-4 words (60%), "phrases" of 2-3 (20%), prefix* (20%)."""
    rng = random.Random(seed)
    pool = [words for words in (_WORD.findall(t) for t in titles) if len(words) >= 2]
    queries: list[str] = []
    while len(queries) < n:
        words = rng.choice(pool)
        kind = len(queries) % 10
        if kind < 6:
            size = rng.choice((1, 1, 2, 2, 2, 3, 3, 4))
        elif kind < 8:
            size = rng.choice((2, 2, 3))
        else:
            long_words = [w for w in words if len(w) >= 5]
            if not long_words:
                continue
            word = rng.choice(long_words)
            queries.append(word[: rng.randint(3, min(5, len(word) - 2))] + "*")
            continue
        start = rng.randrange(max(1, len(words) - size + 1))
        text = " ".join(words[start:start + size])
        queries.append(f'"{text}"' if kind >= 6 else text)
    return queries


def measure_query(corpus: Corpus, workdir: Path, index_dir: Path, args) -> None:
    queries = make_queries(corpus.titles, args.queries)
    queries_file = workdir / "queries.txt"
    queries_file.write_text("\n".join(queries) + "\n", encoding="utf-8")
    print(f"  {len(queries)} queries, 2 passes, then {AFTER_CHANGE} after an update of 100 "
          f"articles and after a delete of 100, {CLIFF_ROUNDS} rounds ...", flush=True)
    task_args = {"index_dir": str(index_dir), "queries_file": str(queries_file), "passes": 2,
                 "changes": change_files(corpus, workdir)}
    if args.profile:
        task_args["profile"] = str(Path(args.profile).resolve())
    corpus.results["query"] = run_task("query", task_args)
    restore = task_args["changes"]["restore"]
    run_task("update", {"sources": [restore], "index_dir": str(index_dir)})  # deleted ones back
    print(f"  the first query of {FIRST_QUERY_RUNS} fresh processes ...", flush=True)
    corpus.results["first"] = [
        run_task("first-query", {"index_dir": str(index_dir), "query": query})
        for query in queries[:FIRST_QUERY_RUNS]]


def change_files(corpus: Corpus, workdir: Path) -> dict:
    """The cold-cliff changes: for each round, 100 articles with text changed its own way (an
    update); the ids of 100 others (a delete), and those others as they were (to put them
    back before the next round and afterwards)."""
    stamp = time.strftime("%H%M%S")
    restore = workdir / "cliff-restore.jsonl"
    half = min(100, len(corpus.records) // 2)  # a small corpus (the smoke run): halves
    updates = []
    for number in range(CLIFF_ROUNDS):
        changed = workdir / f"cliff-update-{number}.jsonl"
        write_records(changed, [
            {**record, "body": f"{record.get('body') or ''}\nمراجعة {stamp} {number}"}
            for record in corpus.records[:half]])
        updates.append(str(changed))
    deleted = corpus.records[1100:1200] or corpus.records[half:2 * half]
    write_records(restore, deleted)
    return {"update": updates, "delete": [str(r["id"]) for r in deleted],
            "restore": str(restore), "after": AFTER_CHANGE}


def write_records(path: Path, records: list[dict]) -> None:
    with path.open("w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


def measure_http(corpus: Corpus, workdir: Path, index_dir: Path, args) -> None:
    """Both endpoints under load from ``fahras-web --workers 1`` (one process, as before
    several workers) and then from ``fahras-web`` as it starts by default (one per core)."""
    queries = make_queries(corpus.titles, args.queries)
    results = {}
    for setup, workers in (("1 process", 1), ("default", None)):
        rows: dict = {}
        with Server(index_dir, args.threads, workdir, workers=workers) as server:
            for label, route in (("/api/search", "/api/search"), ("/ (page)", "/")):
                paths = workdir / f"paths-{route.strip('/').replace('/', '-') or 'page'}.txt"
                paths.write_text("".join(f"{route}?{urllib.parse.urlencode({'q': q})}\n"
                                         for q in queries), encoding="utf-8")
                warm_up = min(5.0, args.seconds) * server.workers  # each worker warms its own
                print(f"  {setup}, {label}: warm-up {warm_up:g} s, then {args.seconds:g} s "
                      f"with {args.clients} clients ...", flush=True)
                run_load(server.port, paths, args.clients, warm_up)
                rows[label] = run_load(server.port, paths, args.clients, args.seconds)
            rows["memory"] = server.memory()
            rows["threads"], rows["workers"] = server.threads, server.workers
        results[setup] = rows
    corpus.results["http"] = results


def measure_update(corpus: Corpus, workdir: Path, index_dir: Path) -> None:
    rows = {}
    for size, chunk in ((100, corpus.records[:100]), (1000, corpus.records[100:1100])):
        changed = workdir / f"update-{size}.jsonl"
        stamp = time.strftime("%H%M%S")
        with changed.open("w", encoding="utf-8") as out:
            for record in chunk:
                record = {**record, "body": f"{record.get('body') or ''}\nتحديث {stamp}"}
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
        print(f"  updating {len(chunk)} articles ...", flush=True)
        rows[size] = run_task("update", {"sources": [str(changed)], "index_dir": str(index_dir)})
    corpus.results["update"] = rows


# ------------------------------------------------------------------ output


def fmt_ms(value: float) -> str:
    return f"{value:8.1f}"


def print_build(rows: dict) -> None:
    naive = rows.get("naive whoosh") or next(iter(rows.values()))
    print(f"  {'indexer':<16}{'seconds':>9}{'art/s':>8}{'CPU s':>8}{'peak RSS MB':>13}"
          f"{'peak PSS MB':>13}{'index MB':>10}{'peak disk MB':>14}{'time ratio':>12}"
          f"{'CPU ratio':>11}")
    for label, row in rows.items():
        print(f"  {label:<16}{row['seconds']:9.1f}{row['rate']:8.0f}{row['cpu_seconds']:8.1f}"
              f"{row['rss_mb']:13.0f}{row['pss_peak_mb']:13.0f}{row['size_mb']:10.0f}"
              f"{row['disk_peak_mb']:14.0f}"
              f"{row['seconds'] / naive['seconds']:12.2f}"
              f"{row['cpu_seconds'] / naive['cpu_seconds']:11.2f}")
    print("  (ratios: to the naive baseline; peak RSS: the builder's own peak plus its index "
          "workers' largest\n  peak times the number of workers; PSS: sampled sum over the "
          "process tree every 0.2 s;\n  CPU: user+system seconds of the builder and its workers; "
          "peak disk: the index folder,\n  temporary files included, sampled every 0.2 s)")


def print_query(result: dict) -> None:
    print(f"  Searcher opened in {result['open_ms']:.0f} ms; process peak RSS "
          f"{result['self_maxrss_kb'] / 1024:.0f} MB")
    print(f"  {'pass':<8}{'queries':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}"
          f"{'mean ms':>9}{'errors':>8}{'timeouts':>9}{'found':>7}")
    for label, row in zip(("cold", "warm"), result["passes"], strict=True):
        print_pass(label, row)
    for what, rounds in (result.get("changes") or {}).items():
        change = middle_round(rounds)
        ratios = " ".join(f"{cliff_ratio(row):.2f}" for row in rounds)
        print(f"  the next {change['after']['n']} after {what_of(what)} of {change['articles']} "
              f"articles, {len(rounds)} rounds (after / before, means: {ratios}); the median "
              f"round (committed in {change['write_s']:.2f} s), beside the same just before:")
        print_pass("before", change["before"])
        print_pass("after", change["after"])


def what_of(change: str) -> str:
    return {"update": "an update", "delete": "a delete"}[change]


def print_pass(label: str, row: dict) -> None:
    print(f"  {label:<8}{row['n']:8d}{fmt_ms(row['p50'])} {fmt_ms(row['p95'])} "
          f"{fmt_ms(row['p99'])} {fmt_ms(row['max'])} {fmt_ms(row['mean'])}"
          f"{len(row['errors']):8d}{row['timed_out']:9d}{row['with_hits']:7d}")
    for error in row["errors"][:5]:
        print(f"    error: {error}")


def print_first(runs: list[dict]) -> None:
    print(f"  a fresh process's first results page, {len(runs)} processes (median ms):")
    for what in ("import_ms", "open_ms", "search_ms", "total_ms"):
        print(f"    {what.removesuffix('_ms'):<8}{median([run[what] for run in runs]):8.1f}")
    if not all(run.get("bytecode_cached") for run in runs):
        print("    (the project's modules were compiled in each process: no cached bytecode, "
              "as under PYTHONDONTWRITEBYTECODE with no __pycache__)")


def median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def print_lucene(build: dict | None = None, query: dict | None = None) -> None:
    if build:
        print(f"  lucene (anserini, 2 threads): {build['seconds']:.1f} s for "
              f"{build['indexed']} articles ({build['indexed'] / build['seconds']:.0f} art/s), "
              f"index {build['size_mb']:.0f} MB")
    if query:
        print(f"  {'lucene':<8}{'queries':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
              f"{'max ms':>9}{'mean ms':>9}")
        for label in ("cold", "warm"):
            row = query[label]
            print(f"  {label:<8}{row['n']:8d}{fmt_ms(row['p50'])} {fmt_ms(row['p95'])} "
                  f"{fmt_ms(row['p99'])} {fmt_ms(row['max'])} {fmt_ms(row['mean'])}")


def print_http(results: dict) -> None:
    print(f"  {'server':<30}{'endpoint':<14}{'requests':>9}{'req/s':>8}{'p50 ms':>9}"
          f"{'p99 ms':>9}{'max ms':>9}{'errors':>8}{'peak RSS MB':>13}")
    for rows in results.values():
        memory = rows["memory"]
        setup = f"{rows['workers']} x {rows['threads']} threads"
        for label in ("/api/search", "/ (page)"):
            row = rows[label]
            errors = row["errors"] + row["non_2xx"]
            print(f"  {setup:<30}{label:<14}{row['requests']:9d}{row['rps']:8.1f}"
                  f"{fmt_ms(row['p50_ms'])} {fmt_ms(row['p99_ms'])} {fmt_ms(row['max_ms'])}"
                  f"{errors:8d}{memory['peak_rss_mb']:13.0f}")
    tool = next(iter(results.values()))["/api/search"]["tool"]
    print(f"  (fahras-web: workers x threads; load tool: {tool}; peak RSS: the largest "
          "serving process)")


def print_update(rows: dict) -> None:
    print(f"  {'articles':<10}{'seconds':>9}{'updated':>9}{'added':>7}{'unchanged':>11}"
          f"{'peak RSS MB':>13}")
    for size, row in rows.items():
        print(f"  {size:<10}{row['seconds']:9.2f}{row['updated']:9d}{row['indexed']:7d}"
              f"{row['unchanged']:11d}{row['self_maxrss_kb'] / 1024:13.0f}")


def show_section(corpus: Corpus, section: str) -> None:
    print(f"-- {section} ({corpus.name}, {corpus.count} articles)")
    show = {"build": print_build, "query": print_query, "http": print_http,
            "update": print_update}[section]
    show(corpus.results[section])
    sys.stdout.flush()


def parse_args(argv: list[str] | None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", action="store_true",
                        help="also measure ANT + SaudiNewsNet (about 71,000 articles)")
    parser.add_argument("--only", help=f"run these sections only (comma-separated, of "
                                       f"{','.join(SECTIONS)})")
    parser.add_argument("--quick", nargs="?", type=int, const=5000, default=None, metavar="N",
                        help="the first N articles (default 5,000) of each corpus")
    parser.add_argument("--workdir", type=Path,
                        default=Path(tempfile.gettempdir()) / "fahras-bench",
                        help="where corpora parts and indexes go (default: %(default)s)")
    parser.add_argument("--corpus", type=Path, default=None, metavar="FILE",
                        help="a JSON lines file (.gz or not) of articles in place of ANT "
                        "(the smoke run of tests/test_speed_bench.py)")
    parser.add_argument("--queries", type=int, default=400, help="queries in the set (400)")
    parser.add_argument("--clients", type=int, default=16, help="concurrent HTTP clients (16)")
    parser.add_argument("--seconds", type=float, default=20, help="seconds of HTTP load (20)")
    parser.add_argument("--threads", type=int, default=2,
                        help="server threads (2, fahras-web's default)")
    parser.add_argument("--profile", metavar="FILE", help="cProfile the warm query pass to FILE")
    parser.add_argument("--anserini-jar", type=Path,
                        default=os.environ.get("FAHRAS_ANSERINI_JAR") or None,
                        help="Anserini's fat jar, to run Lucene beside Fahras "
                        "(env FAHRAS_ANSERINI_JAR; tests/bench/speed_lucene.py --fetch DIR)")
    parser.add_argument("--backend", choices=("whoosh", "both"), default="whoosh",
                        help="both: also build, query and load a local Sphinx cluster "
                             "(tests/bench/speed_cluster.py) and print them side by side")
    parser.add_argument("--nodes", type=int, default=2, help="nodes of that cluster (2)")
    parser.add_argument("--builders", default=",".join(BUILDERS),
                        help=f"which builds to time, of {','.join(BUILDERS)} (default: all)")
    return parser.parse_args(argv)


def corpora_for(args, root: Path, workdir: Path) -> list[Corpus]:
    ant, snn = args.corpus or root / ANT, root / SNN
    quick = args.quick
    corpora = [load_corpus("ANT" if args.corpus is None else ant.name, [(ant, quick)],
                           workdir / "ant")]
    if args.scale:
        files = [(ant, quick), (snn, quick and quick * 3 // 4)]
        corpora.append(load_corpus("ANT + SaudiNewsNet", files, workdir / "ant-snn"))
    return corpora


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    root = data_root()
    wanted = [root / SNN] if args.scale else []
    wanted.append(args.corpus or root / ANT)
    missing = [str(path) for path in wanted if not path.is_file()]
    if missing:
        print(f"speed.py: the benchmark corpora are not there: {', '.join(missing)}"
              " (set FAHRAS_DATA_DIR to the data root that holds them)", file=sys.stderr)
        return 2
    sections = args.only.split(",") if args.only else list(SECTIONS)
    if set(sections) - set(SECTIONS):
        print(f"speed.py: unknown sections in --only {args.only}", file=sys.stderr)
        return 2
    unknown = set(args.builders.split(",")) - set(BUILDERS)
    if unknown:
        print(f"speed.py: unknown builders {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    workdir = args.workdir / (f"quick-{args.quick}" if args.quick else "full")
    for sub in ("ant", "ant-snn"):
        (workdir / sub).mkdir(parents=True, exist_ok=True)
    print(f"Fahras speed: {', '.join(sections)}; {os.cpu_count()} cores; Python "
          f"{sys.version.split()[0]}; {time.strftime('%Y-%m-%d %H:%M')}; work files in {workdir}",
          flush=True)
    corpora = corpora_for(args, root, workdir)
    jar = Path(args.anserini_jar) if args.anserini_jar else None
    lucene = lucene_missing(jar)
    print(f"Lucene beside Fahras: {'yes, ' + str(jar) if lucene is None else 'no: ' + lucene}")
    for corpus in corpora:
        folder = workdir / ("ant" if len(corpus.sources) == 1 else "ant-snn")
        print(f"\n== {corpus.name}: {corpus.count} articles", flush=True)
        if "build" in sections:
            measure_build(corpus, folder, args.builders.split(","))
            if lucene is None:
                measure_lucene_build(corpus, folder, jar)
            show_section(corpus, "build")
            print_lucene(build=corpus.results.get("lucene_build"))
            (folder / "index-build-ours-2.stamp").write_text(
                json.dumps({"sources": corpus.sources, "count": corpus.count}))
        index_dir = ensure_index(corpus, folder) if set(sections) - {"build"} else None
        if "query" in sections:
            measure_query(corpus, folder, index_dir, args)
            if lucene is None:
                measure_lucene_query(corpus, folder, jar)
            show_section(corpus, "query")
            print_first(corpus.results["first"])
            print_lucene(query=corpus.results.get("lucene_query"))
        if "http" in sections:
            measure_http(corpus, folder, index_dir, args)
            show_section(corpus, "http")
        if "update" in sections:
            measure_update(corpus, folder, index_dir)
            show_section(corpus, "update")
        if args.backend == "both":
            from speed_cluster import measure_cluster, print_side_by_side

            measure_cluster(corpus, folder, args, run_task, measure_query, measure_http)
            print(f"-- whoosh beside a {args.nodes}-node Sphinx cluster ({corpus.name})")
            print_side_by_side(corpus.results)
    print("\n== targets")
    for what, measured, met in check_targets(corpora):
        print(f"  [{'met ' if met else 'MISS'}] {what}: {measured}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
