"""Costly queries cannot starve the server: /healthz and cheap searches under 16 costly clients.

Starts ``fahras-web`` (tests/bench/speed_http.py's :class:`Server`) on an index (ANT by
default, built into ``--work-dir`` when none is given), then for ``--seconds``:

* 16 threads send costly searches (five words, each typo-tolerant at two edits: one at a
  time is let through, the rest get 429 with Retry-After, search/cost.py);
* one thread asks ``/healthz`` and a cheap search (one plain word) in turn, every 0.2 s.

Prints the latencies of the health checks and cheap searches (p50, p99, max), the answers
the costly clients got by status, and whether every health check and cheap search was
answered 200 within 1 s. Loopback only; every loop is bounded in time.

    python tests/bench/costly_load.py --index-dir /tmp/ant-index
"""

from __future__ import annotations

import argparse
import http.client
import random
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))
sys.path.insert(0, str(HERE))

from speed_http import HOST, Server  # noqa: E402
from speed_tasks import percentile  # noqa: E402

ANT = HERE.parents[2] / "shared" / "data" / "ant_news" / "ant_news.jsonl.gz"
WORDS_TEXT = ("الحكومة الوزير الانتخابات المدينة الاقتصاد الرئيس المباراة الشركة الأسعار "
              "المنطقة الجيش البرلمان الطاقة المستشفى الجامعة الشرطة")
WORDS = WORDS_TEXT.split()
CHEAP = ("النفط", "الطقس", "الانتخابات", "الرياضة", "القدس")
MAX_REQUESTS = 100_000


def get(port: int, path: str, timeout: float = 30) -> tuple[int, float]:
    started = time.perf_counter()
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        return response.status, time.perf_counter() - started
    finally:
        conn.close()


def costly_client(port: int, seed: int, deadline: float, statuses: Counter,
                  lock: threading.Lock) -> None:
    rng = random.Random(seed)
    for _ in range(MAX_REQUESTS):
        if time.monotonic() >= deadline:
            return
        query = " ".join(f"{word}~2" for word in rng.sample(WORDS, 5))
        status, _ = get(port, "/api/search?" + urlencode({"q": query}))
        with lock:
            statuses[status] += 1
        if status == 429:
            time.sleep(0.05)  # a client that retries at once, almost


def watcher(port: int, deadline: float, health: list, cheap: list) -> None:
    rng = random.Random(1)
    for _ in range(MAX_REQUESTS):
        if time.monotonic() >= deadline:
            return
        health.append(get(port, "/healthz", timeout=10))
        cheap.append(get(port, "/api/search?" + urlencode({"q": rng.choice(CHEAP)}), 10))
        time.sleep(0.2)


def summary(name: str, answers: list[tuple[int, float]]) -> bool:
    seconds = [s for _, s in answers]
    ok = all(status == 200 for status, _ in answers) and max(seconds, default=0) < 1.0
    print(f"  {name:<14} {len(answers):>5} answered  p50 {percentile(seconds, 50) * 1000:7.1f} ms"
          f"  p99 {percentile(seconds, 99) * 1000:7.1f} ms  max {max(seconds) * 1000:7.1f} ms"
          f"  statuses {dict(Counter(s for s, _ in answers))}  "
          f"{'all 200 within 1 s' if ok else 'NOT all 200 within 1 s'}")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index-dir", type=Path, help="an index to serve (else ANT is built)")
    parser.add_argument("--work-dir", type=Path, default=Path("/tmp/fahras-bench/costly"))
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=30)
    args = parser.parse_args()
    index_dir = args.index_dir
    if index_dir is None:
        from indexer import build_index

        if not ANT.exists():
            print(f"no index given and no ANT corpus at {ANT}", file=sys.stderr)
            return 2
        index_dir = args.work_dir / "ant"
        print(f"building ANT into {index_dir} ...", flush=True)
        build_index([ANT], index_dir, procs=2)
    statuses: Counter = Counter()
    lock = threading.Lock()
    health: list = []
    cheap: list = []
    args.work_dir.mkdir(parents=True, exist_ok=True)
    with Server(index_dir, 2, args.work_dir, workers=1) as server:  # one cost gate
        get(server.port, "/api/search?" + urlencode({"q": CHEAP[0]}))  # opens the index
        deadline = time.monotonic() + args.seconds
        threads = [threading.Thread(target=costly_client, daemon=True,
                                    args=(server.port, i, deadline, statuses, lock))
                   for i in range(args.clients)]
        threads.append(threading.Thread(target=watcher, daemon=True,
                                        args=(server.port, deadline, health, cheap)))
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=args.seconds + 60)
    print(f"{args.clients} costly clients for {args.seconds:g} s on {index_dir}")
    print(f"  costly answers by status: {dict(statuses)}")
    met = summary("/healthz", health) & summary("cheap search", cheap)
    print("PASS" if met else "FAIL")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
