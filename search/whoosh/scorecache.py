"""The cache of scored terms and filter sets for one version of the index.

Sits under the query scorer (search/whoosh/scoring.py), owned by a version of the index
(search/whoosh/handle.py): what a term scores and which articles a filter lets through are
kept for the version, while the raw postings and field lengths it scores from are kept per
segment across versions (search/whoosh/postings.py, search/whoosh/segments.py).
"""

from __future__ import annotations

import os
from array import array
from collections.abc import Callable, Hashable
from pathlib import Path

from search.whoosh.counters import CacheCounters
from search.whoosh.lengths import segment_lengths
from search.whoosh.lru import BoundedLru
from search.whoosh.postings import ENTRY_POSTINGS, PostingCache
from search.whoosh.segments import SegmentCache, segment_key

__all__ = ["ScoreCache", "score_epoch"]


def score_epoch(reader) -> tuple:
    """What the scores a reader gives depend on besides its deletions: its segments, in
    order, and its number of articles (deleted ones included)."""
    return (reader.doc_count_all(),
            tuple(segment_key(Path(), leaf)[1] for leaf, _offset in reader.leaf_readers()))


def _without(entry: tuple, deleted: int, docs: frozenset[int]) -> tuple:
    """A scored entry without the articles ``docs``, now ``deleted`` in all."""
    _, docnums, scores = entry
    kept = [i for i, docnum in enumerate(docnums) if docnum not in docs]
    return (deleted, array(docnums.typecode, [docnums[i] for i in kept]),
            array(scores.typecode, [scores[i] for i in kept]))


class ScoreCache:
    """Scored postings of terms and the document sets of filters, for the versions of an
    index that share one :func:`score_epoch`; least recently used entries go first once
    ``max_postings`` postings (or ``max_filter_members`` articles in filters) are held, each
    entry also counting :data:`~search.whoosh.postings.ENTRY_POSTINGS`: 4 million postings
    (48 MB) hold the terms of a few thousand different queries on a 40,000-article archive,
    and 400,000 filtered articles (about 20 MB) ten filters as wide as that archive.

    Keys start with the epoch of the reader that scored them: a pooled Whoosh searcher can
    be a version ahead of the one it was lent by, and must never see another layout's
    numbers. A delete keeps the epoch (the same segments; Whoosh's document counts, document
    frequencies and field lengths count deleted articles), so the versions it makes share
    this cache: an entry scored before a delete loses the articles deleted since on its
    next use (``deleted``: how many the reader marks; ``deleted_docs()``: which) instead of
    being scored again. Field lengths, which never change for a segment, are kept in the
    index's :class:`~search.whoosh.segments.SegmentCache` across versions, and so are the
    raw postings (``postings``, the index's :class:`~search.whoosh.postings.PostingCache`).
    Safe to share between threads.
    """

    def __init__(
        self,
        segments: SegmentCache | None = None,
        path: str | os.PathLike[str] = "",
        max_postings: int = 4_000_000,
        max_filter_members: int = 400_000,
        counters: CacheCounters | None = None,
        postings: PostingCache | None = None,
    ) -> None:
        self.segments = segments if segments is not None else SegmentCache()
        self._postings = postings if postings is not None else PostingCache(counters=counters)
        self.path = Path(path)
        counters = counters if counters is not None else CacheCounters()
        self._terms = BoundedLru(max_postings, lambda entry: ENTRY_POSTINGS + len(entry[1]),
                                 lambda hit: counters.count("scored_terms", hit))
        self._filters = BoundedLru(max_filter_members,
                                   lambda entry: ENTRY_POSTINGS + len(entry[1]),
                                   lambda hit: counters.count("filters", hit))

    def term(self, key: Hashable, compute: Callable[[], tuple[array, array]], deleted: int = 0,
             deleted_docs: Callable[[], frozenset[int]] = frozenset) -> tuple[array, array]:
        """``(docnums, scores)`` of a term, computed on first use (see the class)."""
        entry = self._terms.get(key, lambda: (deleted, *compute()))
        if entry[0] != deleted:
            entry = _without(entry, deleted, deleted_docs()) if entry[0] < deleted \
                else (deleted, *compute())
            self._terms.replace(key, entry)
        return entry[1], entry[2]

    def filter(self, key: Hashable, compute: Callable[[], frozenset[int]], deleted: int = 0,
               deleted_docs: Callable[[], frozenset[int]] = frozenset) -> frozenset[int]:
        """The document numbers a filter query lets through, computed on first use."""
        entry = self._filters.get(key, lambda: (deleted, compute()))
        if entry[0] != deleted:
            entry = (deleted, entry[1] - deleted_docs()) if entry[0] < deleted \
                else (deleted, compute())
            self._filters.replace(key, entry)
        return entry[1]

    def keep_only(self, epoch: tuple) -> None:
        """Forget what was scored under any other :func:`score_epoch` (before an update)."""
        self._terms.drop(lambda key: key[0] != epoch)
        self._filters.drop(lambda key: key[0] != epoch)

    @property
    def raw(self) -> PostingCache:
        """The raw postings per segment this cache scores from (kept across versions)."""
        return self._postings

    def lengths(self, leaf_reader, fieldname: str) -> list:
        """Field lengths of every article of a segment (kept for the segment's life)."""
        return self.segments.get(
            segment_key(self.path, leaf_reader), ("lengths", fieldname),
            lambda: segment_lengths(leaf_reader, fieldname, 1),
        )

    @property
    def postings(self) -> int:
        """How many scored postings the cache holds."""
        return self._terms.held
