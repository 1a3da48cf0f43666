"""Which words follow which in the articles: the word pairs a build collects for suggestions.

Sits beside the lexicon (indexer/lexicon.py) in the build's first pass (indexer/reading.py):
while the lexicon counts the words of every article, a :class:`PairCounter` counts in how many
articles each pair of neighbouring content words occurs (normal forms; a stop word between
two words breaks the pair). The build stores the result beside the index (the Whoosh
generation folder, the Sphinx meta table) and the searcher's suggestions read it
(search/suggest/): "did you mean" scores a correction by the pairs it makes with the words
around it (``اسعار النفط``, not ``اسعار النفت``), completions offer the words that follow the
one typed before (``كرة القدم``). Plain Python, no backend.

Bounded at every step: while counting, the rarest pairs are dropped whenever more than
:data:`LIVE_PAIRS` are kept; the stored table keeps pairs seen in at least
:data:`MIN_ARTICLES` articles, and at most :data:`MAX_FOLLOWERS` followers of each word. The
stored form is one line per first word (``word<TAB>next count next count …``), read into a
dictionary of unparsed lines: loading is a split, each look-up parses one short line.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from indexer.normalize import normalize

__all__ = ["PairCounter", "PairTable", "PAIRS_FILE", "MIN_ARTICLES", "MAX_FOLLOWERS",
           "LIVE_PAIRS"]

#: The file in a generation folder that holds the pairs.
PAIRS_FILE = "pairs.txt"
#: A pair seen in fewer articles than this is not stored.
MIN_ARTICLES = 3
#: At most this many followers of one word are stored, the most frequent.
MAX_FOLLOWERS = 48
#: While counting, pairs seen in one article only are dropped when more are kept than this.
LIVE_PAIRS = 1_500_000
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
        return PairTable(_follower_lines(
            (forms[key // _BASE], forms[key % _BASE], count)
            for key, count in zip(self._keys[kept].tolist(), self._counts[kept].tolist(),
                                  strict=True)))


def _follower_lines(pairs: Iterable[tuple[str, str, int]], min_articles: int = MIN_ARTICLES
                    ) -> dict[str, str]:
    """The stored lines of ``(first, second, articles)``: rare pairs left out, the most
    frequent followers of each word kept."""
    followers: dict[str, list[tuple[int, str]]] = {}
    for first, second, count in pairs:
        if count >= min_articles:
            followers.setdefault(first, []).append((count, second))
    lines = {}
    for first, found in followers.items():
        found.sort(key=lambda item: (-item[0], item[1]))
        lines[first] = " ".join(f"{second} {count}" for count, second in found[:MAX_FOLLOWERS])
    return lines


class PairTable:
    """The stored pairs: the words that follow a word, with the articles holding each pair."""

    def __init__(self, lines: dict[str, str] | None = None) -> None:
        self._lines = lines or {}

    @classmethod
    def from_pairs(cls, pairs: Iterable[tuple[str, str, int]],
                   min_articles: int = MIN_ARTICLES) -> PairTable:
        """A table of ``(first, second, articles)``, bounded as a build bounds it (a small
        collection may keep rarer pairs: ``min_articles``)."""
        return cls(_follower_lines(pairs, min_articles))

    def __len__(self) -> int:
        """How many pairs the table holds."""
        return sum(line.count(" ") // 2 + 1 for line in self._lines.values())

    def followers(self, word: str) -> list[tuple[str, int]]:
        """``(next word, articles)`` of the words seen right after ``word``, most frequent
        first (normal forms)."""
        line = self._lines.get(word)
        if not line:
            return []
        parts = line.split(" ")
        return [(parts[i], int(parts[i + 1])) for i in range(0, len(parts), 2)]

    def count(self, first: str, second: str) -> int:
        """In how many articles ``second`` follows ``first`` (0 when rare or never)."""
        return dict(self.followers(first)).get(second, 0)

    # ------------------------------------------------------------ stored form
    def dumps(self) -> str:
        return "".join(f"{first}\t{line}\n" for first, line in sorted(self._lines.items()))

    @classmethod
    def loads(cls, text: str, origin: str = "the pair table") -> PairTable:
        lines = {}
        for number, line in enumerate(text.splitlines(), start=1):
            first, tab, rest = line.partition("\t")
            if not tab or not rest or rest.count(" ") % 2 != 1:
                raise ValueError(f"{origin}, line {number}: not a line of word pairs")
            lines[first] = rest
        return cls(lines)

    def save(self, folder: str | os.PathLike[str]) -> Path:
        path = Path(folder) / PAIRS_FILE
        tmp = path.with_suffix(".tmp")
        tmp.write_text(self.dumps(), encoding="utf-8")
        os.replace(tmp, path)
        return path

    @classmethod
    def load(cls, folder: str | os.PathLike[str]) -> PairTable:
        """The pairs stored in ``folder``; FileNotFoundError when there are none."""
        path = Path(folder) / PAIRS_FILE
        return cls.loads(path.read_text(encoding="utf-8"), str(path))
