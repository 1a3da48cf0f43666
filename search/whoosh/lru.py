"""A least-recently-used map bounded by the total size of what it holds.

The one eviction policy of the Whoosh backend's bounded caches: scored terms and filters per
index version (search/whoosh/scoring.py) and raw postings per segment across versions
(search/whoosh/postings.py). Thread-safe; values are computed outside the lock.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from typing import Any

__all__ = ["BoundedLru"]


class BoundedLru:
    """A least-recently-used map bounded by the total ``size`` of what it holds."""

    def __init__(self, limit: int, size: Callable[[Any], int],
                 counted: Callable[[bool], None] | None = None) -> None:
        self.limit = limit
        self.size = size
        self.held = 0
        self._counted = counted
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        """The value of ``key``, computed (outside the lock) on first use."""
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
        if self._counted is not None:
            self._counted(found is not None)
        if found is not None:
            return found
        found = compute()
        size = self.size(found)
        if size > 1 and size > self.limit // 4:
            return found  # too big to keep: it would push out everything else
        with self._lock:
            if key not in self._entries:
                self._entries[key] = found
                self.held += size
                while self.held > self.limit:
                    _, old = self._entries.popitem(last=False)
                    self.held -= self.size(old)
        return found

    def replace(self, key: Hashable, value: Any) -> None:
        """Hold ``value`` for ``key`` from now on (a newer form of what it held)."""
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self.held -= self.size(old)
            self._entries[key] = value
            self.held += self.size(value)

    def keep_segments(self, segments: Iterable[Hashable]) -> None:
        """Forget every entry whose key (a tuple) does not start with one of ``segments``:
        the per-segment caches forget the segments that left the live index."""
        live = set(segments)
        self.drop(lambda key: key[0] not in live)

    def drop(self, unwanted: Callable[[Hashable], bool]) -> None:
        """Forget every entry whose key is ``unwanted``."""
        with self._lock:
            for key in [key for key in self._entries if unwanted(key)]:
                self.held -= self.size(self._entries.pop(key))
