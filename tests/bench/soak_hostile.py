"""Hostile traffic for the soak (tests/bench/soak.py): what an attacker or a broken client
sends, mixed with the normal load, to show that the server's memory stays flat and that it
never answers 5xx or drops a well-formed request.

Each request is one of: a query of noise (markup, control characters, 400 characters of
random letters), costly queries (many ``~2`` and ``*`` words: refused with 400 or 429),
impossible parameters (page 10**9, bad dates, huge ``per_page``), raw request lines the HTTP
server refuses itself (non-ASCII bytes, 40 KB lines), and idle connections held for a few
seconds. Loopback only; every loop is bounded in time and count.
"""

from __future__ import annotations

import contextlib
import http.client
import random
import socket
import time
from urllib.parse import quote, urlencode

__all__ = ["hostile_client", "ALLOWED"]

HOST = "127.0.0.1"
#: Answers a hostile request may get; anything else (5xx, a reset) is an error.
ALLOWED = frozenset({200, 400, 404, 413, 429, 431})
_LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
_NOISE = ["<script>alert(1)</script>", "\x00\x01\x7f", "' OR 1=1 --", "%00", "{{7*7}}",
          "ﷺﷻ", "\u202e\u2066", "😀" * 20, "\\" * 50, '"' * 30, "-" * 100]
MAX_REQUESTS = 1_000_000


def _word(rng: random.Random, low: int = 3, high: int = 9) -> str:
    return "".join(rng.choices(_LETTERS, k=rng.randint(low, high)))


def hostile_path(rng: random.Random) -> tuple[str, str]:
    """``(kind, path)`` of one hostile request the app itself answers."""
    roll = rng.random()
    if roll < 0.25:
        q = " ".join(rng.choice(_NOISE) + _word(rng) for _ in range(rng.randint(1, 12)))
        return "noise", "/api/search?" + urlencode({"q": q[:480]})
    if roll < 0.5:
        ops = ("~2", "~", "*")
        q = " ".join(_word(rng, 5, 9) + rng.choice(ops) for _ in range(rng.randint(2, 30)))
        return "costly", rng.choice(("/api/search?", "/?")) + urlencode({"q": q[:480]})
    if roll < 0.7:
        args = rng.choice([{"page": 10**9}, {"from": "2020-13-45"}, {"per_page": 10**6},
                           {"sort": "x" * 300}, {"year": "-1"}, {"q": "أ" * 600}])
        return "params", "/api/search?" + urlencode({"q": _word(rng), **args})
    if roll < 0.85:
        return "suggest", "/api/suggest?" + urlencode({"q": _word(rng, 1, 3) * 40})
    return "article", f"/api/articles/{quote(_word(rng))}%00%ff/similar?n=1000"


def _raw(port: int, data: bytes) -> int:
    """Send raw bytes; the status of the answer (0 when the server answered nothing)."""
    with socket.create_connection((HOST, port), timeout=10) as sock:
        with contextlib.suppress(OSError):
            sock.sendall(data)
        head = b""
        with contextlib.suppress(OSError):
            head = sock.recv(64)
    parts = head.split(b" ", 2)
    return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0


def _raw_request(rng: random.Random) -> bytes:
    if rng.random() < 0.5:
        return ("GET /api/search?q=" + _word(rng) + " HTTP/1.1\r\nHost: x\r\n\r\n").encode()
    return b"GET /?q=" + b"a" * 40_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n"


def _idle(port: int, seconds: float) -> None:
    with socket.create_connection((HOST, port), timeout=10) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")  # never finished
        time.sleep(seconds)


def hostile_client(port: int, seed: int, deadline: float, stats) -> None:
    """Send hostile requests until ``deadline``; ``stats.ok(kind, seconds)`` for an allowed
    answer, ``stats.error(message)`` for anything else."""
    rng = random.Random(seed)
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    for _ in range(MAX_REQUESTS):
        if time.monotonic() >= deadline:
            break
        roll = rng.random()
        started = time.perf_counter()
        if roll < 0.05:
            status, kind = _raw(port, _raw_request(rng)), "raw"
        elif roll < 0.07:
            _idle(port, min(3.0, max(0.0, deadline - time.monotonic())))
            continue
        else:
            kind, path = hostile_path(rng)
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as exc:
                stats.error(f"hostile {kind} {path[:60]}: {type(exc).__name__}")
                conn.close()
                conn = http.client.HTTPConnection(HOST, port, timeout=30)
                continue
        if status in ALLOWED:
            stats.ok(f"hostile-{kind}", time.perf_counter() - started)
        else:
            stats.error(f"hostile {kind}: HTTP {status}")
    conn.close()
