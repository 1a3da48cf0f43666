"""The stored fields of the articles results pages show, kept per segment of the index.

Sits beside the raw postings (search/whoosh/postings.py): one :class:`StoredFieldCache`
belongs to an index directory (search/whoosh/handle.py), and the backend
(search/whoosh/backend.py) reads a page's hits through it. Whoosh reads an article's stored
fields from disk and unpickles them each time (tens of microseconds an article); the
articles of the first pages of frequent queries come back again and again, so they are
kept, least recently used first out once ``max_chars`` characters of text are held. A
segment's stored fields never change, so they are kept across versions of the index (an
update does not make the next pages read them again) and forgotten with their segment.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Hashable, Iterable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from whoosh.searching import Searcher as WhooshSearcher

from search.whoosh.counters import CacheCounters
from search.whoosh.lru import BoundedLru
from search.whoosh.segments import segment_key

__all__ = ["StoredFieldCache"]


def _chars(fields: Mapping[str, Any]) -> int:
    return 1 + sum(len(value) for value in fields.values() if isinstance(value, str))


class StoredFieldCache:
    """``(segment, document number in it) -> stored fields`` (read only); thread-safe. Four
    million characters (8 MB of Arabic text) hold about a thousand articles of a news
    archive."""

    def __init__(self, max_chars: int = 4_000_000, counters: CacheCounters | None = None) -> None:
        counters = counters if counters is not None else CacheCounters()
        self._entries = BoundedLru(max_chars, _chars,
                                   lambda hit: counters.count("stored", hit))

    def fields(self, path: Path, searcher: WhooshSearcher, docnum: int) -> Mapping[str, Any]:
        """The stored fields of article ``docnum`` of ``searcher`` (on generation ``path``)."""
        leaves = searcher.leaf_searchers()
        at = bisect_right([offset for _, offset in leaves], docnum) - 1
        sub, offset = leaves[at]
        reader, local = sub.reader(), docnum - offset
        return self._entries.get((segment_key(path, reader), local),
                                 lambda: MappingProxyType(reader.stored_fields(local)))

    def keep_only(self, segments: Iterable[Hashable]) -> None:
        """Forget the fields of every segment not in ``segments``."""
        self._entries.keep_groups(segments)

    @property
    def held(self) -> int:
        """How many characters of text are held."""
        return self._entries.held
