"""Soak test: the production server under steady mixed load while updates commit.

Not a unit test: a script to run by hand (or in a nightly job)::

    python tests/bench/soak.py                    # 10 minutes over the ANT corpus
    python tests/bench/soak.py --minutes 0.5      # a quick smoke run
    python tests/bench/soak.py --index-dir /tmp/ant-index   # reuse (or keep) a built index

It builds an index of the ANT news corpus (``../shared/data/ant_news/ant_news.jsonl.gz``, or
``--docs``) unless ``--index-dir`` already holds one, starts ``fahras-web`` (waitress) on
127.0.0.1 with a free port, and for ``--minutes`` runs several client threads over loopback
only: searches with words drawn from the corpus's titles (some with a category, a sort or a
later page, some through the JSON API), article pages and suggestions; beside them,
``--hostile-clients`` threads send hostile requests (tests/bench/soak_hostile.py), which
must all be answered 200/4xx. Meanwhile, every
``--update-every`` seconds another process (``fahras-index update``) rewrites 100 articles,
alternating a marker word in their bodies; after each update the script checks through the API
that exactly those articles carry the new marker and none the old one.

At the end it prints the requests served, the errors (any non-200 answer, an API answer without
``"ok": true``, a dropped connection, a failed update or a wrong marker count), latency p50/p99
and the server's resident memory after warm-up and at the end. Exit code: 0 when there were no
errors and memory grew by at most ``--max-rss-growth`` (10%), 1 otherwise, 2 when the corpus is
missing. Every loop is bounded in time and count; the script stops the server itself.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote, urlencode

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from soak_hostile import hostile_client  # noqa: E402 - beside this script

HOST = "127.0.0.1"
MARKERS = ("zqsoakalpha", "zqsoakbeta")
UPDATE_SIZE = 100
SAMPLE_SIZE = 3000
MAX_REQUESTS_PER_CLIENT = 5_000_000
_WORD = re.compile(r"[\u0621-\u064a]{4,}")


def default_docs() -> Path:
    data = os.environ.get("FAHRAS_DATA_DIR")
    root = Path(data) if data else REPO.parent / "shared" / "data"
    return root / "ant_news" / "ant_news.jsonl.gz"


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Soak the production server (fahras-web) with mixed search load over "
        "127.0.0.1 while updates of 100 articles commit in another process.",
    )
    parser.add_argument("--minutes", type=float, default=10.0,
                        help="how long to run the load (default 10)")
    parser.add_argument("--docs", type=Path, default=None,
                        help=f"corpus to index (default {default_docs()})")
    parser.add_argument("--index-dir", type=Path, default=None,
                        help="index folder: used as is when it holds an index, else built "
                        "there and kept (default: a temporary folder, removed at the end)")
    parser.add_argument("--clients", type=int, default=4, help="client threads (default 4)")
    parser.add_argument("--hostile-clients", type=int, default=2,
                        help="threads sending hostile requests beside them "
                        "(tests/bench/soak_hostile.py; default 2)")
    parser.add_argument("--server-threads", type=int, default=2,
                        help="waitress worker threads (default 2, fahras-web's default)")
    parser.add_argument("--update-every", type=float, default=30.0,
                        help="seconds between updates (default 30)")
    parser.add_argument("--max-rss-growth", type=float, default=0.10,
                        help="allowed growth of the server's memory, as a share (default 0.10)")
    parser.add_argument("--seed", type=int, default=1234, help="random seed (default 1234)")
    return parser.parse_args(argv)


# ------------------------------------------------------------------------- the corpus


def sample_corpus(docs: Path, seed: int):
    """(sampled articles, 100 articles to update) from the corpus, by reservoir sampling."""
    from indexer import Article, read_articles

    rng = random.Random(seed)
    sample: list = []
    first: list = []
    seen = 0
    for record in read_articles([docs]):
        if not isinstance(record, Article):
            continue
        if len(first) < UPDATE_SIZE:
            first.append(record)
        seen += 1
        if len(sample) < SAMPLE_SIZE:
            sample.append(record)
        elif (slot := rng.randrange(seen)) < SAMPLE_SIZE:
            sample[slot] = record
    return sample, first


def update_files(articles, folder: Path) -> list[Path]:
    """One JSONL file per marker: the same articles, the marker word added to each body."""
    files = []
    for marker in MARKERS:
        path = folder / f"update-{marker}.jsonl"
        with open(path, "w", encoding="utf-8") as fh:
            for a in articles:
                record = {"id": a.id, "title": a.title, "body": f"{a.body}\n{marker}",
                          "date": a.date.isoformat() if a.date else None,
                          "category": a.category, "source": a.source, "url": a.url}
                fh.write(json.dumps(record, ensure_ascii=False) + "\n")
        files.append(path)
    return files


class Workload:
    """Realistic requests: words of titles, article ids, categories, prefixes."""

    def __init__(self, articles, seed: int) -> None:
        self.rng = random.Random(seed)
        self.words = sorted({w for a in articles for w in _WORD.findall(a.title)})
        self.ids = [a.id for a in articles]
        self.categories = sorted({a.category for a in articles if a.category})
        if not self.words or not self.ids:
            raise SystemExit("the corpus sample has no usable titles")

    def query(self, rng: random.Random) -> str:
        words = rng.sample(self.words, k=min(len(self.words), rng.choice((1, 1, 2, 2, 3))))
        if len(words) > 1 and rng.random() < 0.15:
            return f'"{" ".join(words[:2])}"'
        if len(words) > 1 and rng.random() < 0.1:
            return f"{words[0]} -{words[1]}"
        return " ".join(words)

    def path(self, rng: random.Random) -> tuple[str, str]:
        """(kind, path) of one request."""
        roll = rng.random()
        if roll < 0.55:
            args = {"q": self.query(rng)}
            if rng.random() < 0.2 and self.categories:
                args["category"] = rng.choice(self.categories)
            if rng.random() < 0.2:
                args["sort"] = rng.choice(("newest", "oldest"))
            if rng.random() < 0.15:
                args["page"] = rng.choice((2, 3))
            return "page", "/?" + urlencode(args)
        if roll < 0.7:
            return "api", "/api/search?" + urlencode({"q": self.query(rng), "per_page": 20})
        if roll < 0.85:
            article_id = quote(rng.choice(self.ids), safe="")
            q = rng.choice(self.words)
            return "article", f"/articles/{article_id}?" + urlencode({"q": q})
        word = rng.choice(self.words)
        return "suggest", "/api/suggest?" + urlencode({"q": word[: rng.randint(2, 4)]})


# ------------------------------------------------------------------------- the server


def rss_kb(pid: int) -> dict[str, int]:
    """Resident memory of a process in KiB: ``rss`` (psutil when installed, else /proc), and
    from /proc its ``anon`` (heap) and ``file`` (mapped index files) parts when Linux has them.
    """
    status = {}
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("VmRSS", "RssAnon", "RssFile"):
                status[key] = int(value.split()[0])
    try:
        import psutil
    except ImportError:
        if "VmRSS" not in status:
            raise RuntimeError(f"cannot read the memory of process {pid}") from None
        rss = status["VmRSS"]
    else:
        rss = psutil.Process(pid).memory_info().rss // 1024
    return {"rss": rss, "anon": status.get("RssAnon", 0), "file": status.get("RssFile", 0)}


def mib(sample: dict[str, int]) -> str:
    return (f"{sample['rss'] / 1024:.0f} MiB (anon {sample['anon'] / 1024:.0f}, "
            f"file {sample['file'] / 1024:.0f})")


def tool(name: str) -> str:
    """A console script of the project, next to this Python."""
    found = Path(sys.executable).with_name(name)
    return str(found) if found.exists() else (shutil.which(name) or name)


def start_server(index_dir: Path, threads: int, log: Path) -> tuple[subprocess.Popen, int]:
    out = open(log, "w", encoding="utf-8")  # noqa: SIM115 (closed with the process)
    proc = subprocess.Popen(
        [tool("fahras-web"), "--host", HOST, "--port", "0", "--index-dir", str(index_dir),
         "--threads", str(threads), "--workers", "1"],  # one process: its memory is watched
        stdout=out, stderr=subprocess.STDOUT, cwd=index_dir.parent,
    )
    out.close()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        found = re.search(r"Open http://127\.0\.0\.1:(\d+)/", log.read_text(encoding="utf-8"))
        if found:
            return proc, int(found.group(1))
        if proc.poll() is not None:
            break
        time.sleep(0.2)
    proc.kill()
    raise SystemExit(f"the server did not start:\n{log.read_text(encoding='utf-8')}")


def stop_server(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def get_json(port: int, path: str) -> dict:
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return json.loads(response.read())
    finally:
        conn.close()


# ------------------------------------------------------------------------- the load


class Stats:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.by_kind: dict[str, int] = {}
        self.errors: list[str] = []

    def ok(self, kind: str, seconds: float) -> None:
        with self.lock:
            self.latencies.append(seconds)
            self.by_kind[kind] = self.by_kind.get(kind, 0) + 1

    def error(self, message: str) -> None:
        with self.lock:
            self.errors.append(message)


def client(port: int, workload: Workload, seed: int, deadline: float, stats: Stats) -> None:
    rng = random.Random(seed)
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    for _ in range(MAX_REQUESTS_PER_CLIENT):
        if time.monotonic() >= deadline:
            break
        kind, path = workload.path(rng)
        started = time.perf_counter()
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            body = response.read()
            elapsed = time.perf_counter() - started
        except (OSError, http.client.HTTPException) as exc:
            stats.error(f"{kind} {path[:80]}: {type(exc).__name__}: {exc}")
            conn.close()
            conn = http.client.HTTPConnection(HOST, port, timeout=30)
            continue
        if response.status != 200:
            stats.error(f"{kind} {path[:80]}: HTTP {response.status}")
        elif kind in ("api", "suggest") and json.loads(body).get("ok") is not True:
            stats.error(f"{kind} {path[:80]}: envelope not ok")
        else:
            stats.ok(kind, elapsed)
    conn.close()


def marker_count(port: int, marker: str) -> int:
    return get_json(port, "/api/search?" + urlencode({"q": marker}))["total"]


def updater(index_dir: Path, files: list[Path], port: int, first: float, every: float,
            deadline: float, stats: Stats, log: list[str], server_pid: int) -> None:
    """Run ``fahras-index update`` on schedule, alternating markers; check each through HTTP."""
    next_at = first
    # start with the marker the index does not carry yet, so every update changes articles
    offset = int(marker_count(port, MARKERS[0]) == UPDATE_SIZE)
    for round_no in range(10_000):
        if next_at >= deadline:
            break
        time.sleep(max(0.0, next_at - time.monotonic()))
        which = (round_no + offset) % 2
        marker, other = MARKERS[which], MARKERS[1 - which]
        started = time.monotonic()
        done = subprocess.run(
            [tool("fahras-index"), "update", str(files[which]), "--index-dir",
             str(index_dir), "--wait", "60", "--json"],
            capture_output=True, text=True, timeout=300,
        )
        seconds = time.monotonic() - started
        try:
            report = json.loads(done.stdout)
        except json.JSONDecodeError:
            report = {}
        changed = report.get("updated", 0) + report.get("indexed", 0)
        touched = changed + report.get("unchanged", 0)
        if done.returncode != 0 or touched != UPDATE_SIZE:
            stats.error(f"update {round_no + 1}: exit {done.returncode}, {report or done.stderr}")
        counts = {m: marker_count(port, m) for m in (marker, other)}
        if counts != {marker: UPDATE_SIZE, other: 0}:
            stats.error(f"update {round_no + 1}: marker counts {counts}")
        log.append(f"update {round_no + 1}: {changed} changed in {seconds:.1f} s, "
                   f"marker counts {counts}; server {mib(rss_kb(server_pid))}")
        next_at += every


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


# ------------------------------------------------------------------------- main


def prepare_index(args, docs: Path, workdir: Path) -> Path:
    from indexer import IndexStore

    index_dir = args.index_dir or workdir / "index"
    if IndexStore(index_dir).current() is not None:
        print(f"index: reusing {index_dir}")
        return index_dir
    print(f"index: building {index_dir} from {docs} (a few minutes for the ANT corpus) ...")
    started = time.monotonic()
    done = subprocess.run(
        [tool("fahras-index"), "build", str(docs), "--index-dir", str(index_dir),
         "--procs", "2", "--json"], capture_output=True, text=True,
    )
    if done.returncode not in (0, 3):
        raise SystemExit(f"build failed ({done.returncode}): {done.stderr or done.stdout}")
    print(f"index: built in {time.monotonic() - started:.0f} s")
    return index_dir


def run(args) -> int:
    docs = args.docs or default_docs()
    if not docs.exists():
        print(f"corpus not found: {docs} (pass --docs or set FAHRAS_DATA_DIR); nothing to soak")
        return 2
    workdir = Path(tempfile.mkdtemp(prefix="fahras-soak-"))
    try:
        return soak(args, docs, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


class Memory:
    """The server's memory, sampled every 2 s while the load runs (bounded by the deadline).

    Single readings swing by hundreds of MB: each Whoosh searcher of the pool holds its own
    copy of the index's postings, and after every update the searcher opens a new set and
    closes the old one as requests finish. So growth is judged on the trend, a least-squares
    line through the samples from the end of the warm-up to the end of the load, whose values
    at both ends are compared; the raw readings at both ends are printed too.
    """

    EVERY = 2.0

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.samples: list[tuple[float, dict[str, int]]] = []

    def run(self, deadline: float) -> None:
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError, RuntimeError):
                self.samples.append((time.monotonic(), rss_kb(self.pid)))
            time.sleep(self.EVERY)

    def nearest(self, when: float) -> dict[str, int]:
        return min(self.samples, key=lambda sample: abs(sample[0] - when))[1]

    def trend(self, start: float, end: float) -> tuple[float, float]:
        """RSS (KiB) at ``start`` and ``end`` on the least-squares line of the samples."""
        points = [(t, m["rss"]) for t, m in self.samples if start <= t <= end]
        if len(points) < 2:
            return float(self.nearest(start)["rss"]), float(self.nearest(end)["rss"])
        mean_t = sum(t for t, _ in points) / len(points)
        mean_r = sum(r for _, r in points) / len(points)
        spread = sum((t - mean_t) ** 2 for t, _ in points)
        slope = sum((t - mean_t) * (r - mean_r) for t, r in points) / spread
        return mean_r + slope * (start - mean_t), mean_r + slope * (end - mean_t)

    def per_minute(self, start: float) -> list[int]:
        """Median RSS (KiB) of each minute of the load."""
        minutes: dict[int, list[int]] = {}
        for t, m in self.samples:
            minutes.setdefault(int((t - start) // 60), []).append(m["rss"])
        return [sorted(v)[len(v) // 2] for _, v in sorted(minutes.items())]


def soak(args, docs: Path, workdir: Path) -> int:
    index_dir = prepare_index(args, docs, workdir)
    sample, to_update = sample_corpus(docs, args.seed)
    workload = Workload(sample, args.seed)
    files = update_files(to_update, workdir)
    print(f"workload: {len(workload.words)} title words, {len(workload.ids)} article ids, "
          f"{len(workload.categories)} categories; {len(to_update)} articles per update")
    proc, port = start_server(index_dir, args.server_threads, workdir / "server.log")
    print(f"server: pid {proc.pid} on http://{HOST}:{port}/, "
          f"{get_json(port, '/healthz')['documents']} articles")
    stats, hostile, update_log, memory = Stats(), Stats(), [], Memory(proc.pid)
    try:
        rss_idle = rss_kb(proc.pid)
        duration = args.minutes * 60
        start = time.monotonic()
        deadline = start + duration
        threads = [threading.Thread(target=client, daemon=True,
                                    args=(port, workload, args.seed + i, deadline, stats))
                   for i in range(args.clients)]
        threads += [threading.Thread(target=hostile_client, daemon=True,
                                     args=(port, args.seed + 1000 + i, deadline, hostile))
                    for i in range(args.hostile_clients)]
        threads.append(threading.Thread(
            target=updater, daemon=True,
            args=(index_dir, files, port, start + min(args.update_every, duration / 2),
                  args.update_every, deadline, stats, update_log, proc.pid)))
        threads.append(threading.Thread(target=memory.run, args=(deadline,), daemon=True))
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=max(1.0, deadline - time.monotonic() + 360))
        elapsed = time.monotonic() - start
    finally:
        stop_server(proc)
    warmup = min(60.0, max(5.0, duration * 0.1))
    trend = memory.trend(start + warmup, deadline)
    rss = {"idle": rss_idle, "start": memory.nearest(start + warmup),
           "end": memory.nearest(deadline), "trend": trend,
           "minutes": memory.per_minute(start),
           "low": min((m for _, m in memory.samples), key=lambda m: m["rss"]),
           "high": max((m for _, m in memory.samples), key=lambda m: m["rss"])}
    return report(args, stats, hostile, update_log, elapsed, warmup, rss)


def report(args, stats, hostile, update_log, elapsed, warmup, rss) -> int:
    served = len(stats.latencies)
    print(f"\nran {elapsed:.0f} s with {args.clients} client threads, "
          f"{args.server_threads} server threads")
    for line in update_log:
        print("  " + line)
    print(f"requests served: {served} ({served / elapsed:.1f}/s): "
          + ", ".join(f"{kind} {n}" for kind, n in sorted(stats.by_kind.items())))
    print(f"errors: {len(stats.errors)}")
    for line in stats.errors[:20]:
        print("  - " + line)
    print(f"latency: p50 {percentile(stats.latencies, 0.5) * 1000:.1f} ms, "
          f"p99 {percentile(stats.latencies, 0.99) * 1000:.1f} ms, "
          f"max {max(stats.latencies, default=0) * 1000:.1f} ms")
    print(f"hostile requests answered as allowed: {len(hostile.latencies)} ("
          + ", ".join(f"{kind} {n}" for kind, n in sorted(hostile.by_kind.items()))
          + f"); errors: {len(hostile.errors)}")
    for line in hostile.errors[:20]:
        print("  - " + line)
    start, end = rss["start"]["rss"], rss["end"]["rss"]
    print(f"server RSS idle before the load: {mib(rss['idle'])}")
    print(f"server RSS at start (after {warmup:.0f} s warm-up): {mib(rss['start'])}")
    print(f"server RSS at end: {mib(rss['end'])} ({(end - start) / start:+.1%} reading to "
          "reading)")
    print(f"server RSS range over the run: {mib(rss['low'])} to {mib(rss['high'])}")
    print("server RSS median of each minute (MiB): "
          + " ".join(f"{kib / 1024:.0f}" for kib in rss["minutes"]))
    first, last = rss["trend"]
    growth = (last - first) / first
    print(f"server RSS trend after warm-up: {first / 1024:.0f} MiB to {last / 1024:.0f} MiB, "
          f"growth {growth:+.1%} (allowed {args.max_rss_growth:+.0%})")
    passed = (not stats.errors and not hostile.errors and growth <= args.max_rss_growth
              and served > 0)
    print("PASS" if passed else "FAIL")
    return 0 if passed else 1


def main(argv=None) -> int:
    return run(parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
