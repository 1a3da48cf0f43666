"""Data read once per index segment: field lengths and column values.

Sits under the searcher's caches (search/whoosh/scoring.py for the lengths that BM25F needs,
search/whoosh/collect.py for the labels and dates behind facets and sorting). A Whoosh segment
never changes once written (deleting an article only marks it), so what is read from
one stays true for as long as the segment is part of the index: an update in place
adds a segment and keeps the others, and the first search after it reads only what
is new. One :class:`SegmentCache` belongs to one index directory (search/whoosh/handle.py);
it forgets the segments that left the live index whenever a new version opens.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Iterable
from pathlib import Path
from typing import Any

__all__ = ["SegmentCache", "segment_key"]


def segment_key(path: Path, leaf_reader) -> tuple[str, str]:
    """Names a segment for good: its generation folder and its segment id."""
    segment = leaf_reader.segment()
    return (str(path), segment.segment_id() if segment is not None else repr(leaf_reader))


class SegmentCache:
    """``(segment, what) -> value`` for the segments of the live index; thread-safe."""

    def __init__(self) -> None:
        self._values: dict[tuple[Hashable, Hashable], Any] = {}
        self._lock = threading.Lock()

    def get(self, segment: Hashable, what: Hashable, compute: Callable[[], Any]) -> Any:
        """The value of ``what`` for ``segment``, computed on first use."""
        key = (segment, what)
        found = self._values.get(key)
        if found is None:
            found = compute()
            with self._lock:
                found = self._values.setdefault(key, found)
        return found

    def keep_only(self, segments: Iterable[Hashable]) -> None:
        """Forget every segment not in ``segments`` (those of the version just opened)."""
        live = set(segments)
        with self._lock:
            for key in [key for key in self._values if key[0] not in live]:
                del self._values[key]

    def __len__(self) -> int:
        return len(self._values)
