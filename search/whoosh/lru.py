"""A least-recently-used map bounded by the total size of what it holds.

The one eviction policy of the Whoosh backend's bounded caches: scored terms and filters per
layout of segments (search/whoosh/scorecache.py), and per segment across versions the raw
postings (search/whoosh/postings.py), stored fields (search/whoosh/stored.py) and term-list
answers (search/whoosh/segmentterms.py). Keys are tuples whose first item names their
group (a segment, a layout): a new version retires the groups it no longer holds at a cost
of its groups, not of the entries held (tens of thousands): a retired entry is never given
again, and is the first to go when room is needed, so the query that opens the version does
not pay for freeing what the one before held (after an update, every scored term of the old
layout: 20-30 ms on ANT). Thread-safe; values are computed outside the lock.
"""

from __future__ import annotations

import threading
from collections import OrderedDict, deque
from collections.abc import Callable, Hashable, Iterable
from typing import Any

Key = tuple[Hashable, ...]

__all__ = ["BoundedLru"]


class BoundedLru:
    """A least-recently-used map bounded by the total ``size`` of what it holds, its keys
    grouped by their first item."""

    def __init__(self, limit: int, size: Callable[[Any], int],
                 counted: Callable[[bool], None] | None = None) -> None:
        self.limit = limit
        self.size = size
        self.held = 0
        self._counted = counted
        self._entries: OrderedDict[Key, Any] = OrderedDict()
        self._groups: dict[Hashable, dict[Key, int]] = {}  # group -> its keys and sizes
        self._retired: dict[Hashable, None] = {}  # groups left, oldest first, still held
        self._lock = threading.Lock()

    def get(self, key: Key, compute: Callable[[], Any]) -> Any:
        """The value of ``key``, computed (outside the lock) on first use."""
        with self._lock:
            retired = self._is_retired(key)
            found = None if retired else self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
        if self._counted is not None:
            self._counted(found is not None)
        if found is not None:
            return found
        found = compute()
        size = self.size(found)
        if retired or size > 1 and size > self.limit // 4:
            return found  # of a layout gone, or too big to keep (it would push out the rest)
        with self._lock:
            if key not in self._entries and not self._is_retired(key):
                self._hold(key, found, size)
                self._make_room()
        return found

    def peek(self, key: Key) -> Any:
        """The value held for ``key`` (marked as just used, counted as a hit), or None:
        nothing is computed."""
        with self._lock:
            found = None if self._is_retired(key) else self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
        if found is not None and self._counted is not None:
            self._counted(True)
        return found

    def touch(self, keys: Iterable[Key]) -> None:
        """Mark the entries of ``keys`` that are held as just used (a cache above this one
        answered from what they made, and they must outlive its answer)."""
        entries = self._entries
        with self._lock:
            for key in keys:
                if key in entries:
                    entries.move_to_end(key)

    def replace(self, key: Key, value: Any) -> None:
        """Hold ``value`` for ``key`` from now on (a newer form of what it held)."""
        with self._lock:
            if self._is_retired(key):
                return  # of a layout gone: nothing of it is held again
            if key in self._entries:
                self._forget(key)
            self._hold(key, value, self.size(value))

    def keep_groups(self, groups: Iterable[Hashable]) -> None:
        """Retire every entry whose key does not start with one of ``groups`` (the segments, or
        the layout, that left the live index): none is given or held again (a search still
        reading the version before computes what it asks), and they go first when room is
        needed."""
        live = set(groups)
        with self._lock:
            for group in self._groups:
                if group not in live:
                    self._retired.setdefault(group)
            for group in live.intersection(self._retired):
                self._drop_group(group)  # back in use: what it held is not given

    def __len__(self) -> int:
        return len(self._entries)

    def _hold(self, key: Key, value: Any, size: int) -> None:
        self._entries[key] = value
        self._groups.setdefault(key[0], {})[key] = size
        self.held += size

    def _make_room(self) -> None:
        """Give up entries until what is held fits: retired ones first (any order: popped
        from the end of their group, without a scan), then the least recently used."""
        while self.held > self.limit:
            if not self._retired:
                self._forget(next(iter(self._entries)))
                continue
            group = next(iter(self._retired))
            members = self._groups.get(group)
            if members:
                key, size = members.popitem()
                del self._entries[key]
                self.held -= size
            if not members:
                self._groups.pop(group, None)
                del self._retired[group]

    def _forget(self, key: Key) -> None:
        del self._entries[key]
        members = self._groups[key[0]]
        self.held -= members.pop(key)
        if not members:
            del self._groups[key[0]]
            self._retired.pop(key[0], None)

    def _is_retired(self, key: Key) -> bool:
        return bool(self._retired) and key[0] in self._retired

    def _drop_group(self, group: Hashable) -> None:
        members = self._groups.pop(group, {})
        self.held -= sum(members.values())
        deque(map(self._entries.__delitem__, members), maxlen=0)  # no Python loop
        self._retired.pop(group, None)
