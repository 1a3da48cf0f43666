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
stored form is one line per first word (``word<TAB>next count next count …``), sorted by the
first word. A table built in memory (or read with :meth:`PairTable.loads`) holds a dictionary
of unparsed lines; one read from its file (:meth:`PairTable.load`) maps the file and finds a
word's line by bisection where it lies, so loading costs nothing (ANT: 2.9 MB, about 35 ms
to split) and each look-up parses one short line, checked as it is read. A bisection costs
some 15 µs where a dictionary answers in a fraction of one, so a table that has answered
:data:`MAPPED_LOOKUPS` look-ups (a correction that tries the strings one edit away from a
word in its neighbours' pairs asks hundreds) reads its whole file into the dictionary once.
"""

from __future__ import annotations

import mmap
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

__all__ = ["PairTable", "PAIRS_FILE", "MIN_ARTICLES", "MAX_FOLLOWERS", "MAPPED_LOOKUPS"]

#: The file in a generation folder that holds the pairs.
PAIRS_FILE = "pairs.txt"
#: A pair seen in fewer articles than this is not stored.
MIN_ARTICLES = 3
#: At most this many followers of one word are stored, the most frequent.
MAX_FOLLOWERS = 48
#: Look-ups a table read from its file answers where they lie, before it reads the file
#: whole (a first search asks a few; a correction of a real word hundreds).
MAPPED_LOOKUPS = 64


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


def _checked(line: str, where: str, origin: str) -> tuple[str, str]:
    """``(first word, followers)`` of one stored line; ValueError when it is not one."""
    first, tab, rest = line.partition("\t")
    if not tab or not rest or rest.count(" ") % 2 != 1:
        raise ValueError(f"{origin}, {where}: not a line of word pairs")
    return first, rest


class _MappedLines:
    """The lines of a pairs file, found by their first word where they lie in the file (a
    read-only map, shared by processes forked after opening)."""

    def __init__(self, path: Path) -> None:
        self.origin = str(path)
        with open(path, "rb") as source:
            empty = os.fstat(source.fileno()).st_size == 0
            self._data = b"" if empty else mmap.mmap(source.fileno(), 0, access=mmap.ACCESS_READ)
        if self._data and not self._data[-1:] == b"\n":
            raise ValueError(f"{self.origin} is cut short: rebuild the index")
        if self._data:  # the ends are checked now, every other line when it is looked up
            _checked(self._line(0)[0].decode("utf-8"), "line 1", self.origin)
            last = self._data.rfind(b"\n", 0, len(self._data) - 1) + 1
            _checked(self._line(last)[0].decode("utf-8"), "its last line", self.origin)

    def _line(self, start: int) -> tuple[bytes, int]:
        end = self._data.find(b"\n", start)
        return self._data[start:end], end

    def _first_at_or_after(self, key: bytes) -> int:
        """The start of the first line whose word is not below ``key`` (a bisection; lo and
        hi are always the start of a line)."""
        data = self._data
        lo, hi = 0, len(data)
        while lo < hi:
            start = max(data.rfind(b"\n", 0, (lo + hi) // 2) + 1, lo)
            line, end = self._line(start)
            if line.partition(b"\t")[0] < key:
                lo = end + 1
            else:
                hi = start
        return lo

    def get(self, word: str) -> str | None:
        key = word.encode("utf-8")
        start = self._first_at_or_after(key)
        if start >= len(self._data):
            return None
        line, _end = self._line(start)
        if line.partition(b"\t")[0] != key:
            return None
        return _checked(line.decode("utf-8"), f"the line of {word!r}", self.origin)[1]

    def lines_of(self, prefix: str, firsts: set[str]) -> Iterator[tuple[str, str]]:
        """``(first word, followers)`` of the lines of ``firsts``, words that all start with
        ``prefix``: a bisection to the first line of the prefix, then its lines where they
        lie, each decoded only when its word is one of ``firsts``."""
        key, wanted = prefix.encode("utf-8"), {first.encode("utf-8") for first in firsts}
        data = self._data
        lo = self._first_at_or_after(key)
        while lo < len(data) and data[lo:lo + len(key)] == key:
            tab, end = data.find(b"\t", lo), data.find(b"\n", lo)
            if data[lo:tab] in wanted:
                yield _checked(data[lo:end].decode("utf-8"), "a line", self.origin)
            lo = end + 1

    def to_dict(self) -> dict[str, str]:
        """Every line, read and checked in one pass."""
        return dict(self.items())

    def items(self) -> Iterator[tuple[str, str]]:
        for number, line in enumerate(bytes(self._data).decode("utf-8").splitlines(), start=1):
            yield _checked(line, f"line {number}", self.origin)


class PairTable:
    """The stored pairs: the words that follow a word, with the articles holding each pair."""

    def __init__(self, lines: dict[str, str] | _MappedLines | None = None) -> None:
        self._lines = lines if lines is not None else {}
        self._mapped_lookups = 0

    @classmethod
    def from_pairs(cls, pairs: Iterable[tuple[str, str, int]],
                   min_articles: int = MIN_ARTICLES) -> PairTable:
        """A table of ``(first, second, articles)``, bounded as a build bounds it (a small
        collection may keep rarer pairs: ``min_articles``)."""
        return cls(_follower_lines(pairs, min_articles))

    def __len__(self) -> int:
        """How many pairs the table holds."""
        return sum(line.count(" ") // 2 + 1 for _first, line in self._lines.items())

    def followers(self, word: str) -> list[tuple[str, int]]:
        """``(next word, articles)`` of the words seen right after ``word``, most frequent
        first (normal forms)."""
        line = self._line(word)
        if not line:
            return []
        parts = line.split(" ")
        return [(parts[i], int(parts[i + 1])) for i in range(0, len(parts), 2)]

    def _line(self, word: str) -> str | None:
        lines = self._lines
        if isinstance(lines, _MappedLines):
            self._mapped_lookups += 1
            if self._mapped_lookups > MAPPED_LOOKUPS:  # two threads may both read: harmless
                self._lines = lines = lines.to_dict()
        return lines.get(word)

    def preceding(self, second: str, firsts: set[str], prefix: str) -> dict[str, int]:
        """In how many articles each of ``firsts`` (words that all start with ``prefix``) comes
        right before ``second``, for those that do: a table read from its file reads the
        lines of ``prefix`` where they lie (a few thousand at most), without counting them
        as look-ups; one in memory looks each word up."""
        lines = self._lines
        if isinstance(lines, _MappedLines):
            found = lines.lines_of(prefix, firsts)
        else:
            found = ((first, lines[first]) for first in firsts if first in lines)
        counts = {}
        for first, line in found:
            parts = line.split(" ")
            for i in range(0, len(parts), 2):
                if parts[i] == second:
                    counts[first] = int(parts[i + 1])
        return counts

    def count(self, first: str, second: str) -> int:
        """In how many articles ``second`` follows ``first`` (0 when rare or never)."""
        return dict(self.followers(first)).get(second, 0)

    # ------------------------------------------------------------ stored form
    def dumps(self) -> str:
        return "".join(f"{first}\t{line}\n" for first, line in sorted(self._lines.items()))

    @classmethod
    def loads(cls, text: str, origin: str = "the pair table") -> PairTable:
        return cls(dict(_checked(line, f"line {number}", origin)
                        for number, line in enumerate(text.splitlines(), start=1)))

    def save(self, folder: str | os.PathLike[str]) -> Path:
        path = Path(folder) / PAIRS_FILE
        tmp = path.with_suffix(".tmp")
        tmp.write_text(self.dumps(), encoding="utf-8")
        os.replace(tmp, path)
        return path

    @classmethod
    def load(cls, folder: str | os.PathLike[str]) -> PairTable:
        """The pairs stored in ``folder``, looked up in their file; FileNotFoundError when
        there are none, ValueError when the file is cut short or a line read is not one."""
        return cls(_MappedLines(Path(folder) / PAIRS_FILE))
