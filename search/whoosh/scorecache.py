"""The cache of scored terms and filter sets for one version of the index.

Sits under the query scorer (search/whoosh/scoring.py), owned by a version of the index
(search/whoosh/handle.py): what a term scores and which articles a filter lets through are
kept for the version, while the raw postings and field lengths it scores from are kept per
segment across versions (search/whoosh/postings.py, search/whoosh/segments.py).
"""

from __future__ import annotations

import os
import threading
from array import array
from bisect import bisect_left
from collections import OrderedDict
from collections.abc import Callable, Hashable
from pathlib import Path

from search.whoosh.counters import CacheCounters
from search.whoosh.lengths import LengthCodes, segment_lengths
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
    """A scored entry without the articles ``docs``, now ``deleted`` in all.

    The cheaper of two ways: a term in few articles looks each one up in ``docs``; a term in
    many more articles than are deleted finds each deleted one by bisection (its document
    numbers ascend: segments in order, each one's postings in order) and copies the rest in
    slices, a fraction of a millisecond for 20,000 articles instead of a pass over each."""
    _, docnums, scores = entry
    if len(docnums) < 16 * len(docs):
        kept = [at for at, docnum in enumerate(docnums) if docnum not in docs]
        return (deleted, array(docnums.typecode, [docnums[at] for at in kept]),
                array(scores.typecode, [scores[at] for at in kept]))
    cuts = [at for doc in sorted(docs)
            if (at := bisect_left(docnums, doc)) < len(docnums) and docnums[at] == doc]
    kept_docnums, kept_scores = array(docnums.typecode), array(scores.typecode)
    start = 0
    for at in [*cuts, len(docnums)]:
        kept_docnums.extend(docnums[start:at])
        kept_scores.extend(scores[start:at])
        start = at + 1
    return (deleted, kept_docnums, kept_scores)


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
        # (epoch, deleted count) -> the deleted articles then; (epoch, then, now) -> those
        # deleted between: an entry loses only what was deleted since it was scored
        self._deletions: OrderedDict[tuple, frozenset[int]] = OrderedDict()
        # (scale of lengths, average length, B, K1) -> BM25F's length part of each code
        self._norms: OrderedDict[tuple, list] = OrderedDict()
        self._lock = threading.Lock()

    def term(self, key: Hashable, compute: Callable[[], tuple[array, array]], deleted: int = 0,
             deleted_docs: Callable[[], frozenset[int]] = frozenset,
             used: Callable[[], None] | None = None) -> tuple[array, array]:
        """``(docnums, scores)`` of a term, computed on first use (see the class); ``used()``
        is called when they were kept (the raw postings they came from are marked used)."""
        entry = self._terms.peek(key)
        if entry is None:
            entry = self._terms.get(key, lambda: (self._noted(key[0], deleted, deleted_docs),
                                                  *compute()))
        elif used is not None:
            used()
        if entry[0] != deleted:
            entry = _without(entry, deleted, self._deleted_since(
                key[0], entry[0], deleted, deleted_docs)) if entry[0] < deleted \
                else (deleted, *compute())
            self._terms.replace(key, entry)
        return entry[1], entry[2]

    def filter(self, key: Hashable, compute: Callable[[], frozenset[int]], deleted: int = 0,
               deleted_docs: Callable[[], frozenset[int]] = frozenset) -> frozenset[int]:
        """The document numbers a filter query lets through, computed on first use."""
        entry = self._filters.get(key, lambda: (self._noted(key[0], deleted, deleted_docs),
                                                compute()))
        if entry[0] != deleted:
            entry = (deleted, entry[1] - self._deleted_since(
                key[0], entry[0], deleted, deleted_docs)) if entry[0] < deleted \
                else (deleted, compute())
            self._filters.replace(key, entry)
        return entry[1]

    def keep_only(self, epoch: tuple) -> None:
        """Forget what was scored under any other :func:`score_epoch` (before an update)."""
        self._terms.keep_groups((epoch,))
        self._filters.keep_groups((epoch,))
        with self._lock:
            for known in [known for known in self._deletions if known[0] != epoch]:
                del self._deletions[known]

    #: How many sets of deleted articles (and differences between two) are remembered.
    DELETIONS_KEPT = 16

    def _noted(self, epoch: tuple, deleted: int,
               deleted_docs: Callable[[], frozenset[int]]) -> int:
        """``deleted``, its set of articles remembered first (once per epoch and count) so
        that what is scored now can later lose only the articles deleted after it."""
        with self._lock:
            known = (epoch, deleted) in self._deletions
        if not known and deleted:
            docs = deleted_docs()
            with self._lock:
                self._deletions[(epoch, deleted)] = docs
                self._trim()
        return deleted

    def _trim(self) -> None:
        while len(self._deletions) > self.DELETIONS_KEPT:
            self._deletions.popitem(last=False)

    def _deleted_since(self, epoch: tuple, then: int, now: int,
                       deleted_docs: Callable[[], frozenset[int]]) -> frozenset[int]:
        """The articles deleted after ``then`` of them were, now that ``now`` are: under one
        epoch deletions only grow, so a count names its set. All ``now`` when the set of
        ``then`` is no longer remembered (each is noted when first seen)."""
        with self._lock:
            since = self._deletions.get((epoch, then, now))
        if since is not None:
            return since
        current = deleted_docs()
        with self._lock:
            earlier = self._deletions.get((epoch, then))
            since = current - earlier if earlier is not None else current
            for known, docs in (((epoch, now), current), ((epoch, then, now), since)):
                self._deletions[known] = docs
                self._deletions.move_to_end(known)
            self._trim()
        return since

    @property
    def raw(self) -> PostingCache:
        """The raw postings per segment this cache scores from (kept across versions)."""
        return self._postings

    def lengths(self, leaf_reader, fieldname: str, segment: Hashable | None = None
                ) -> LengthCodes:
        """Field lengths of every article of a segment (kept for the segment's life);
        ``segment`` is its key when the caller knows it already."""
        return self.segments.get(
            segment if segment is not None else segment_key(self.path, leaf_reader),
            ("lengths", fieldname),
            lambda: segment_lengths(leaf_reader, fieldname, 1),
        )

    #: How many tables of :meth:`norms` are kept: a few fields, each with its own B and
    #: the weights' (search/weights.py), under one average length a version.
    NORMS_KEPT = 64

    def norms(self, lengths: LengthCodes, avgfl: float, B: float, K1: float) -> list:
        """BM25F's length part ``K1 * ((1 - B) + B * length / avgfl)`` for each code of
        ``lengths`` (None for an article without a length), the arithmetic of
        :func:`whoosh.scoring.bm25` in its order: worked out once per code and version, not
        once per posting (and read from 256 values instead of one float an article)."""
        key = (lengths.scale, avgfl, B, K1)
        found = self._norms.get(key)
        if found is None:
            one_minus_b = 1 - B
            found = [None if length is None else K1 * (one_minus_b + B * length / avgfl)
                     for length in lengths.values]
            with self._lock:
                self._norms[key] = found
                while len(self._norms) > self.NORMS_KEPT:
                    self._norms.popitem(last=False)
        return found

    @property
    def postings(self) -> int:
        """How many scored postings the cache holds."""
        return self._terms.held
