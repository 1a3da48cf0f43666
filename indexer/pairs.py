"""Which words follow which in the articles: the word pairs a build collects for suggestions.

Sits beside the lexicon (indexer/lexicon.py) in the build's first pass (indexer/reading.py):
while the lexicon counts the words of every article, indexer/paircount.py's
:class:`~indexer.paircount.PairCounter` counts in how many articles each pair of neighbouring
content words occurs (normal forms; a stop word between
two words breaks the pair). The build stores the result beside the index (the Whoosh
generation folder, the Sphinx meta table) and the searcher's suggestions read it
(search/suggest/): "did you mean" scores a correction by the pairs it makes with the words
around it (``اسعار النفط``, not ``اسعار النفت``), completions offer the words that follow the
one typed before (``كرة القدم``). Plain Python, no backend.

Bounded at every step: while counting, the rarest pairs are dropped whenever more than
``LIVE_PAIRS`` are kept (indexer/paircount.py); the stored table keeps pairs seen in at least
:data:`MIN_ARTICLES` articles, and at most :data:`MAX_FOLLOWERS` followers of each word. The
stored form is one line per first word (``word<TAB>next count next count …``), read into a
dictionary of unparsed lines: loading is a split, each look-up parses one short line.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

__all__ = ["PairTable", "PAIRS_FILE", "MIN_ARTICLES", "MAX_FOLLOWERS"]

#: The file in a generation folder that holds the pairs.
PAIRS_FILE = "pairs.txt"
#: A pair seen in fewer articles than this is not stored.
MIN_ARTICLES = 3
#: At most this many followers of one word are stored, the most frequent.
MAX_FOLLOWERS = 48


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
