"""The stored fields of the articles a results page shows, kept for one version of the index.

Sits beside the score cache (search/whoosh/scoring.py) in a version of the index
(search/whoosh/handle.py); the backend (search/whoosh/backend.py) reads a page's hits
through it. Whoosh reads an article's stored fields from disk and unpickles them each time
(tens of microseconds an article); the articles of the first pages of frequent queries come
back again and again, so they are kept, least recently used first out once
``max_chars`` characters of text are held.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from whoosh.searching import Searcher as WhooshSearcher

from search.whoosh.counters import CacheCounters
from search.whoosh.lru import BoundedLru

__all__ = ["StoredFieldCache"]


def _chars(fields: Mapping[str, Any]) -> int:
    return 1 + sum(len(value) for value in fields.values() if isinstance(value, str))


class StoredFieldCache:
    """``(generation, document number) -> stored fields`` (read only); thread-safe. Four
    million characters (8 MB of Arabic text) hold about a thousand articles of a news
    archive."""

    def __init__(self, max_chars: int = 4_000_000, counters: CacheCounters | None = None) -> None:
        counters = counters if counters is not None else CacheCounters()
        self._entries = BoundedLru(max_chars, _chars,
                                   lambda hit: counters.count("stored", hit))

    def fields(self, searcher: WhooshSearcher, docnum: int) -> Mapping[str, Any]:
        """The stored fields of article ``docnum`` of ``searcher``'s generation."""
        key = (searcher.reader().generation(), docnum)
        return self._entries.get(key, lambda: MappingProxyType(searcher.stored_fields(docnum)))
