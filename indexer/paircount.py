"""Counting the word pairs of a build (indexer/pairs.py) in its first pass.

Sits in indexer/reading.py's pass over the sources, beside the lexicon's counts: numpy
arrays of pair keys, merged and pruned in batches, so that counting ANT's 40,518 articles
stays within a few hundred MB. Only the build imports this (and numpy); searchers read the
finished :class:`~indexer.pairs.PairTable`.
"""

from __future__ import annotations

import numpy as np

from indexer.normalize import normalize
from indexer.pairs import MIN_ARTICLES, PairTable

__all__ = ["PairCounter", "LIVE_PAIRS"]

#: While counting, pairs seen in one article only are dropped when more are kept than this
#: (ANT: the counting pass peaks at 254 MB, 285 MB with 1.5 million; 170,058 pairs stored).
LIVE_PAIRS = 1_000_000
#: Pair keys gathered from articles before they are merged into the counts.
_BATCH_KEYS = 1_000_000
#: Numbers of normal forms are below this (a pair's key is ``first * _BASE + second``).
_BASE = 1 << 31


class PairCounter:
    """Counts, article by article, the pairs of neighbouring content words.

    Words are counted by number (one per normal form; 0 for a stop word, a digit or a lone
    letter) and an article's pairs by key (``first * _BASE + second``), in numpy arrays: an
    article costs a few vectorised steps, and the counts are sorted arrays of keys, merged
    every :data:`_BATCH_KEYS` keys."""

    def __init__(self, stop_words: frozenset[str], live: int = LIVE_PAIRS) -> None:
        self._stop_words = stop_words
        self._live = live
        self._number: dict[str, int] = {}  # a word as written -> its normal form's number
        self._numbers: dict[str, int] = {}  # a normal form -> its number
        self._forms: list[str] = [""]  # a number -> its normal form
        self._batch: list[np.ndarray] = []
        self._batched = 0
        self._keys = np.zeros(0, dtype=np.int64)
        self._counts = np.zeros(0, dtype=np.int64)

    def _learn(self, surface: str) -> int:
        """The number of ``surface``'s normal form, remembered."""
        number = 0
        norm = normalize(surface)
        if len(norm) >= 2 and norm not in self._stop_words and not norm.isdigit():
            number = self._numbers.setdefault(norm, len(self._forms))
            if number == len(self._forms):
                self._forms.append(norm)
        self._number[surface] = number
        return number

    def add(self, surfaces: list[str]) -> None:
        """Count the pairs of one article, given its words as written (each pair once)."""
        if len(surfaces) < 2:
            return
        found = list(map(self._number.get, surfaces))
        if None in found:  # words not met before
            for i, value in enumerate(found):
                if value is None:
                    found[i] = self._learn(surfaces[i])
        numbers = np.array(found, dtype=np.int64)
        first, second = numbers[:-1], numbers[1:]
        keys = np.unique((first * _BASE + second)[(first > 0) & (second > 0)])
        self._batch.append(keys)
        self._batched += len(keys)
        if self._batched > min(_BATCH_KEYS, self._live):
            self._merge()

    def _merge(self) -> None:
        """Add the gathered keys to the counts; drop the pairs seen once, then twice…,
        while more than ``live`` (:data:`LIVE_PAIRS`) are kept."""
        keys = np.concatenate([self._keys, *self._batch])
        counts = np.concatenate([self._counts, np.ones(self._batched, dtype=np.int64)])
        self._keys, inverse = np.unique(keys, return_inverse=True)
        self._counts = np.bincount(inverse, weights=counts).astype(np.int64)
        self._batch, self._batched = [], 0
        floor = 1
        while len(self._keys) > self._live:
            kept = self._counts > floor
            self._keys, self._counts = self._keys[kept], self._counts[kept]
            floor += 1

    def table(self) -> PairTable:
        """The counted pairs, rare ones left out (see the module's bounds)."""
        self._merge()
        kept = self._counts >= MIN_ARTICLES
        forms = self._forms
        return PairTable.from_pairs(
            (forms[key // _BASE], forms[key % _BASE], count)
            for key, count in zip(self._keys[kept].tolist(), self._counts[kept].tolist(),
                                  strict=True))
