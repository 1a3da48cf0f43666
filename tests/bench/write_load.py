"""Searching while the write API takes articles: 16 clients search while a newsroom writes
10 articles a second for 60 s, against the same load without writes, in one run.

    python tests/bench/write_load.py [--articles 5000] [--clients 16] [--seconds 60]
                                     [--rate 10] [--threads 2]

Builds an index of the first ``--articles`` ANT articles (../shared/data or
$FAHRAS_DATA_DIR; the run stops with a clear message when the corpus is absent), starts
``fahras-web`` with a key file (tests/bench/speed_http.py: the production server in a process
of its own), and runs the search load twice with the same paths: once alone, once while a
writer thread PUTs held-out ANT articles at ``--rate`` a second. Each written article carries
a word of its own; right after its PUT returns, the writer searches for that word and checks
that the article is the hit. Printed side by side: requests, errors, non-2xx answers, search
p50/p99 with and without writes; the writes made, their p50/p99, write errors, and how many
written articles were not searchable when their call returned (must be 0).
"""

from __future__ import annotations

import argparse
import gzip
import http.client
import itertools
import json
import os
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from speed_http import HOST, Server, run_load  # noqa: E402
from speed_tasks import percentile  # noqa: E402

from indexer import build_index  # noqa: E402
from web.keys import KeyRing  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
WRITERS = 16  # calls in flight at most
WRITE_WAIT = "30"  # FAHRAS_WRITE_WAIT of the server: a call waits its turn, never a 503

#: Letters that are no prefix or suffix of the analysis, so no two markers share a stem.
_LETTERS = "جحخدذرزشصضطظعغق"


def corpus_path() -> Path:
    data = Path(os.environ.get("FAHRAS_DATA_DIR") or ROOT.parent / "shared" / "data")
    path = data / "ant_news" / "ant_news.jsonl.gz"
    if not path.is_file():
        sys.exit(f"the ANT corpus is not at {path}: set FAHRAS_DATA_DIR to the data root")
    return path


def split_corpus(path: Path, indexed: int, held: int, folder: Path) -> tuple[Path, list[dict]]:
    """The first ``indexed`` articles as a JSONL file, and the next ``held`` as records."""
    out = folder / "indexed.jsonl"
    held_out: list[dict] = []
    with gzip.open(path, "rt", encoding="utf-8") as source, open(out, "w",
                                                                  encoding="utf-8") as sink:
        for n, line in enumerate(source):
            if n < indexed:
                sink.write(line)
            elif len(held_out) < held:
                held_out.append(json.loads(line))
            else:
                break
    return out, held_out


def marker(n: int) -> str:
    """A made-up Arabic word of its own for written article ``n`` (found by no other)."""
    digits = []
    for _ in range(5):
        n, rest = divmod(n, len(_LETTERS))
        digits.append(_LETTERS[rest])
    return "قزمر" + "".join(digits)


def search_paths(records: list[dict], count: int = 400) -> list[str]:
    """Queries of one or two title words of indexed articles, as API search paths."""
    from urllib.parse import quote

    paths = []
    for record in itertools.islice(itertools.cycle(records), count):
        words = [w for w in (record.get("title") or "").split() if len(w) > 3][:2]
        if words:
            paths.append("/api/search?q=" + quote(" ".join(words)))
    return paths


class Writer:
    """PUTs articles at a steady rate and checks each is searchable when its call returns."""

    def __init__(self, port: int, key: str, articles: list[dict], rate: float) -> None:
        self.port, self.key, self.articles, self.rate = port, key, articles, rate
        self.latencies: list[float] = []
        self.errors: list[str] = []
        self.not_searchable: list[str] = []
        self.stop = threading.Event()

    def _call(self, connection, method: str, path: str, body: bytes | None = None) -> tuple:
        headers = {"Authorization": f"Bearer {self.key}", "Content-Type": "application/json"}
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, json.loads(response.read() or b"{}")

    def _write_one(self, connection, n: int, record: dict) -> None:
        from urllib.parse import quote

        word = marker(n)
        article = {**record, "id": f"bench-{n}", "body": f"{record.get('body', '')}\n{word}"}
        started = time.perf_counter()
        status, answer = self._call(connection, "PUT", f"/api/articles/bench-{n}",
                                    json.dumps(article, ensure_ascii=False).encode("utf-8"))
        self.latencies.append((time.perf_counter() - started) * 1000)
        if status not in (200, 201):
            self.errors.append(f"PUT bench-{n}: {status} {answer.get('error')}")
            return
        status, found = self._call(connection, "GET", "/api/search?q=" + quote(word))
        if status != 200 or [hit["id"] for hit in found["hits"]][:1] != [f"bench-{n}"]:
            self.not_searchable.append(f"bench-{n}")

    def _task(self, n: int, record: dict) -> None:
        connection = http.client.HTTPConnection(HOST, self.port, timeout=60)
        try:
            self._write_one(connection, n, record)
        except (OSError, http.client.HTTPException, ValueError) as exc:
            self.errors.append(f"bench-{n}: {type(exc).__name__}: {exc}")
        finally:
            connection.close()

    def run(self) -> None:
        """One call every 1/rate s, each from a worker of its own (a call waits in the
        server's queue behind the searches, so calls overlap; the server's lock, with
        FAHRAS_WRITE_WAIT, puts them in turn)."""
        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=WRITERS) as pool:
            for n, record in enumerate(self.articles):
                if self.stop.is_set():
                    break
                delay = started + n / self.rate - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
                pool.submit(self._task, n, record)


def row(label: str, load: dict) -> str:
    return (f"{label:<22} {load['requests']:>8} {load['rps']:>8.1f} {load['errors']:>7} "
            f"{load['non_2xx']:>8} {load['p50_ms']:>9.1f} {load['p99_ms']:>9.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--rate", type=float, default=10.0)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    writes = int(args.rate * args.seconds)
    with tempfile.TemporaryDirectory(prefix="fahras-write-load-") as tmp:
        folder = Path(tmp)
        source, held_out = split_corpus(corpus_path(), args.articles, writes, folder)
        report = build_index([source], folder / "index")
        print(f"index: {report.indexed} ANT articles in {report.seconds:.1f} s; "
              f"{len(held_out)} held out to write")
        key, _ = KeyRing(folder / "keys.json").add("admin", "bench")
        with open(source, encoding="utf-8") as lines:
            records = [json.loads(line) for line in itertools.islice(lines, 2000)]
        paths_file = folder / "paths.txt"
        paths_file.write_text("\n".join(search_paths(records)), encoding="utf-8")
        os.environ["FAHRAS_KEY_FILE"] = str(folder / "keys.json")
        os.environ["FAHRAS_WRITE_WAIT"] = WRITE_WAIT
        with Server(folder / "index", args.threads, ROOT) as server:
            run_load(server.port, paths_file, args.clients, 5)  # warm up
            alone = run_load(server.port, paths_file, args.clients, args.seconds)
            writer = Writer(server.port, key, held_out, args.rate)
            thread = threading.Thread(target=writer.run)
            thread.start()
            loaded = run_load(server.port, paths_file, args.clients, args.seconds)
            writer.stop.set()
            thread.join()
            memory = server.memory()
    print(f"\n{args.clients} search clients for {args.seconds:g} s each, fahras-web "
          f"--threads {args.threads}, load by {alone['tool']}")
    print(f"{'':<22} {'requests':>8} {'req/s':>8} {'errors':>7} {'non-2xx':>8} "
          f"{'p50 ms':>9} {'p99 ms':>9}")
    print(row("search alone", alone))
    print(row(f"search + {args.rate:g} writes/s", loaded))
    ratio = loaded["p50_ms"] / alone["p50_ms"] if alone["p50_ms"] else float("nan")
    print(f"p50 with writes / without: {ratio:.2f}; "
          f"p99: {loaded['p99_ms'] / alone['p99_ms'] if alone['p99_ms'] else float('nan'):.2f}")
    made = len(writer.latencies)
    print(f"\nwrites: {made} PUTs ({made / args.seconds:.1f}/s), p50 "
          f"{percentile(writer.latencies, 50):.1f} ms, p99 {percentile(writer.latencies, 99):.1f}"
          f" ms; write errors {len(writer.errors)}; not searchable when the call returned "
          f"{len(writer.not_searchable)}")
    print(f"server memory: {memory['rss_mb']:.0f} MiB (peak {memory['peak_rss_mb']:.0f} MiB)")
    for line in (writer.errors + writer.not_searchable)[:10]:
        print(f"  - {line}")
    failed = writer.errors or writer.not_searchable or alone["errors"] or loaded["errors"] \
        or alone["non_2xx"] or loaded["non_2xx"]
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
