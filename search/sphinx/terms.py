"""The terms of a Fahras index in Sphinx, looked up in its dictionary table.

Sits under the query compiler (search/sphinx/compiler.py: ``word*`` and ``word~``
expansions, relaxed words) and the lexicon (search/sphinx/lexicon.py: completions, "did you
mean"). The dictionary (``NAME_dict_SLOT``, written by indexer/sphinx/build.py, a full copy on
every node) holds each term of kinds ``exact`` (normal forms), ``stem`` and ``title`` (stems)
with its number of articles; a look-up asks the first node that answers. The rules that
choose candidates are the Whoosh backend's (search/whoosh/vocabulary.py): the most frequent
expansions, close spellings with their first letters fixed.
"""

from __future__ import annotations

import heapq
import threading
from collections.abc import Callable, Hashable
from typing import Any

from rapidfuzz.distance import OSA

from indexer.sphinx.client import Nodes, Row
from indexer.sphinx.schema import TERM_KINDS, Tables, term_key, token
from search.whoosh.vocabulary import (
    MAX_EXPANSIONS,
    MAX_SCAN,
    fixed_prefix_length,
    one_edit_away,
    typo_distance,
)

__all__ = ["Terms", "BoundedCache"]

Counted = list[tuple[str, int]]


class BoundedCache:
    """A map of computed values that empties itself when ``size`` is reached; thread-safe."""

    def __init__(self, size: int = 4096) -> None:
        self.size = size
        self._values: dict[Hashable, Any] = {}
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        try:
            value = self._values[key]
        except KeyError:
            self.misses += 1
        else:
            self.hits += 1
            return value
        value = compute()
        with self._lock:
            if len(self._values) >= self.size:
                self._values.clear()
            self._values[key] = value
        return value


def _best(pairs: Counted, limit: int = MAX_EXPANSIONS) -> Counted:
    return heapq.nsmallest(limit, pairs, key=lambda item: (-item[1], item[0]))


class Terms:
    """Dictionary look-ups of slot ``slot`` of index ``tables``."""

    def __init__(self, nodes: Nodes, tables: Tables, slot: str, cache: BoundedCache) -> None:
        self.nodes = nodes
        self.table = tables.dictionary(slot)
        self.cache = cache

    def _query(self, sql: str) -> list[Row]:
        return self.nodes.query_any(sql)

    def _cached(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        return self.cache.get((self.table, *key) if isinstance(key, tuple) else key, compute)

    def frequencies(self, kind: str, terms: list[str]) -> dict[str, int]:
        """``term -> articles`` of those of ``terms`` the index holds."""
        if not terms:
            return {}
        keys = {term_key(kind, term): term for term in terms}
        found: dict[str, int] = {}
        batch = list(keys)
        for start in range(0, len(batch), 8000):
            part = batch[start:start + 8000]
            rows = self._query(f"SELECT key, df FROM {self.table} WHERE key IN "
                               f"({', '.join(map(str, part))}) LIMIT {len(part)} "
                               f"OPTION max_matches={len(part)}")
            found.update((keys[int(key)], int(df)) for key, df in rows if int(key) in keys)
        return found

    def frequency(self, kind: str, term: str) -> int:
        return self._cached(("df", kind, term),
                            lambda: self.frequencies(kind, [term]).get(term, 0))

    def prefix_terms(self, kind: str, prefix: str, limit: int,
                     scan: int | None = None) -> Counted:
        """``(term, articles)`` of the ``limit`` most frequent terms starting with ``prefix``."""
        def look() -> Counted:
            count = scan or limit
            rows = self._query(
                f"SELECT term, df FROM {self.table} WHERE MATCH('{token(prefix)}*') "
                f"AND kind = {TERM_KINDS[kind]} ORDER BY df DESC LIMIT {count} "
                f"OPTION max_matches={count}")
            return _best([(str(t), int(df)) for t, df in rows if str(t).startswith(prefix)],
                         limit if scan is None else count)
        return self._cached(("prefix", kind, prefix, limit, scan), look)

    def close_terms(self, kind: str, word: str, maxdist: int) -> Counted:
        """``(term, articles)`` within ``maxdist`` edits of ``word`` (itself included), the
        most frequent first."""
        def look() -> Counted:
            fixed = fixed_prefix_length(word)
            if maxdist == 1:
                found = self.frequencies(kind, sorted(one_edit_away(word, fixed)))
                return _best(list(found.items()))
            near = [(term, df) for term, df in
                    self.prefix_terms(kind, word[:fixed], MAX_SCAN, scan=MAX_SCAN)
                    if abs(len(term) - len(word)) <= maxdist
                    and OSA.distance(term, word, score_cutoff=maxdist) <= maxdist]
            return _best(near)
        return self._cached(("close", kind, word, maxdist), look)

    def near_terms(self, word: str) -> Counted:
        """Exact terms a typo away from ``word``, also once its first letter is dropped."""
        distance = typo_distance(word)
        found = dict(self.close_terms("exact", word, distance))
        if len(word) >= 4:
            found.update(self.close_terms("exact", word[1:], distance))
        return _best(list(found.items()))
