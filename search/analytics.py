"""Query analytics (opt-in): a bounded, rotated log of searches, and what it says.

Beside the searcher, not inside it: the web app (web/newsroom.py) records each search page
and API search, and each click on a result, when ``FAHRAS_ANALYTICS_DIR`` is set;
``fahras-search analytics`` and the admin page (web/admin.py) read the log back.

One JSON object a line in ``queries.log``: the time, the query *as normalised*
(:func:`indexer.normalize`, so spellings that search alike count as one), the result count,
the zero-result flag, the page and the time taken; a click adds the rank of the result that
was opened. Nothing about the reader is written: no IP address, no user agent, no key. The
log is bounded: ``max_bytes`` a file (a file rotates once past it, so it may end one line
over), ``backups`` older files, then the oldest goes. fahras-web's
serving processes (web/workers.py) all write the one log, so the rotation is
``concurrent_log_handler``'s, which takes a file lock (``.__queries.lock`` beside the log)
around every write and rotation: the standard library's ``RotatingFileHandler`` rotates per
process and, with several, loses lines and lets files outgrow their bound.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from concurrent_log_handler import ConcurrentRotatingFileHandler

from indexer.normalize import normalize

__all__ = ["QueryLog", "Summary", "normalised_query", "summarise", "read_events"]

LOG_NAME = "queries.log"
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
DEFAULT_BACKUPS = 3
_MAX_QUERY_CHARS = 200


def normalised_query(text: str) -> str:
    """The query as the log keeps it: normalised, spaces squeezed, at most 200 characters."""
    return " ".join(normalize(text or "").split())[:_MAX_QUERY_CHARS]


class QueryLog:
    """The log of one folder; safe to share between threads and processes (the handler locks)."""

    def __init__(self, folder: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_BYTES,
                 backups: int = DEFAULT_BACKUPS) -> None:
        if max_bytes < 1024 or backups < 1:
            raise ValueError("the query log needs max_bytes >= 1024 and backups >= 1")
        self.folder = Path(folder)
        self.max_bytes = max_bytes
        self.backups = backups
        self._lock = threading.Lock()
        self._handler: ConcurrentRotatingFileHandler | None = None

    @property
    def path(self) -> Path:
        return self.folder / LOG_NAME

    def _open(self) -> ConcurrentRotatingFileHandler:
        with self._lock:
            if self._handler is None:
                self.folder.mkdir(parents=True, exist_ok=True)
                handler = ConcurrentRotatingFileHandler(
                    self.path, maxBytes=self.max_bytes, backupCount=self.backups,
                    encoding="utf-8")
                handler.setFormatter(logging.Formatter("%(message)s"))
                self._handler = handler
            return self._handler

    def _write(self, event: dict) -> None:
        line = json.dumps(event, ensure_ascii=False)
        record = logging.LogRecord("fahras.analytics", logging.INFO, "", 0, line, None, None)
        self._open().handle(record)

    def search(self, query: str, total: int, page: int, elapsed_ms: float) -> None:
        """Log one search (the query is normalised here)."""
        self._write({"t": round(time.time(), 3), "q": normalised_query(query), "n": int(total),
                     "zero": total == 0, "page": int(page), "ms": round(float(elapsed_ms), 2)})

    def click(self, query: str, rank: int) -> None:
        """Log that the result at ``rank`` (1-based) of ``query`` was opened."""
        self._write({"t": round(time.time(), 3), "q": normalised_query(query),
                     "click": int(rank)})

    def files(self) -> list[Path]:
        """The log files, oldest first."""
        backups = [self.folder / f"{LOG_NAME}.{i}" for i in range(self.backups, 0, -1)]
        return [path for path in (*backups, self.path) if path.is_file()]

    def close(self) -> None:
        with self._lock:
            if self._handler is not None:
                self._handler.close()
                self._handler = None


def read_events(paths: Iterable[Path]) -> Iterator[dict]:
    """The events of the log files; a line that is not a JSON object is passed over."""
    for path in paths:
        with open(path, encoding="utf-8", errors="replace") as fh:
            for line in fh:
                try:
                    event = json.loads(line)
                except ValueError:
                    continue
                if isinstance(event, dict) and isinstance(event.get("q"), str):
                    yield event


@dataclass
class Summary:
    """What the log says: the top, zero-result and slowest queries, and clicks by rank."""

    searches: int = 0
    zero_results: int = 0
    clicks: int = 0
    top: list[tuple[str, int]] = field(default_factory=list)
    zero: list[tuple[str, int]] = field(default_factory=list)
    slowest: list[tuple[str, float]] = field(default_factory=list)
    click_ranks: list[tuple[int, int]] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "searches": self.searches, "zero_results": self.zero_results,
            "clicks": self.clicks,
            "top": [{"query": q, "count": n} for q, n in self.top],
            "zero": [{"query": q, "count": n} for q, n in self.zero],
            "slowest": [{"query": q, "ms": ms} for q, ms in self.slowest],
            "click_ranks": [{"rank": r, "count": n} for r, n in self.click_ranks],
        }


def summarise(events: Iterable[dict], limit: int = 10) -> Summary:
    """The ``limit`` top, zero-result and slowest queries of ``events`` (empty queries,
    filter-only listings, are left out of the rankings)."""
    summary = Summary()
    top: Counter[str] = Counter()
    zero: Counter[str] = Counter()
    slowest: dict[str, float] = {}
    ranks: Counter[int] = Counter()
    for event in events:
        query = event["q"]
        if "click" in event:
            summary.clicks += 1
            ranks[int(event["click"])] += 1
            continue
        summary.searches += 1
        summary.zero_results += bool(event.get("zero"))
        if not query:
            continue
        top[query] += 1
        if event.get("zero"):
            zero[query] += 1
        slowest[query] = max(slowest.get(query, 0.0), float(event.get("ms") or 0.0))
    summary.top = top.most_common(limit)
    summary.zero = zero.most_common(limit)
    summary.slowest = sorted(slowest.items(), key=lambda item: -item[1])[:limit]
    summary.click_ranks = sorted(ranks.items())[:limit]
    return summary
