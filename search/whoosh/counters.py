"""Hits and misses of the Whoosh backend's caches, for the operator's metrics.

Owned by the index handle (search/whoosh/handle.py) for as long as the searcher lives, so the
figures add up across index versions; each version's caches (scored terms and filters in
search/whoosh/scoring.py, word look-ups in search/whoosh/vocabulary.py) count into it. The
web app exports them (web/metrics.py) through ``Searcher.cache_stats()``.
"""

from __future__ import annotations

import threading

__all__ = ["CacheCounters"]


class CacheCounters:
    """``name -> [hits, misses]``; thread-safe."""

    def __init__(self) -> None:
        self._counts: dict[str, list[int]] = {}
        self._lock = threading.Lock()

    def count(self, name: str, hit: bool) -> None:
        with self._lock:
            counts = self._counts.setdefault(name, [0, 0])
            counts[0 if hit else 1] += 1

    def snapshot(self) -> dict[str, tuple[int, int]]:
        """``name -> (hits, misses)`` so far."""
        with self._lock:
            return {name: (hits, misses) for name, (hits, misses) in self._counts.items()}
