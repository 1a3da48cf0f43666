"""The stored form of a lexicon's counts: a sorted table looked up in place, never parsed.

Sits under indexer/lexicon.py: the build writes the counts of every normalised word form with
:func:`write_counts` into the generation folder; a searcher opens them as a
:class:`CountsFile` (a read-only mapping over a memory map), so opening an index costs no
parse of its vocabulary (ANT: 229,000 forms, about half a second of JSON), and a word is found
by bisection over the sorted forms; a writer that needs every count at hand reads them into a
dict with :meth:`CountsFile.to_dict` in one pass. The map is read-only and shared by processes
forked after opening (fahras-web's workers).

Layout (little-endian)::

    b"FXCOUNT1"          8 bytes, the format
    n                    uint64, the number of forms
    offsets              n + 1 uint64: where each form starts in the words, and their end
    counts               n uint64, in the order of the forms
    words                the forms, UTF-8, sorted by their bytes, joined by "\\n"
"""

from __future__ import annotations

import mmap
import os
import sys
from array import array
from collections.abc import Iterator, Mapping
from pathlib import Path

__all__ = ["CountsFile", "write_counts", "CountsFileError"]

_MAGIC = b"FXCOUNT1"
_HEADER = len(_MAGIC) + 8
_WORD = 8  # bytes of one uint64


class CountsFileError(ValueError):
    """The file is not a counts table, or not a whole one."""


def _uint64s(values: list[int]) -> bytes:
    table = array("Q", values)
    if sys.byteorder != "little":
        table.byteswap()
    return table.tobytes()


def write_counts(path: str | os.PathLike[str], counts: Mapping[str, int]) -> Path:
    """Write ``counts`` to ``path`` (through a temporary file, replaced at the end)."""
    encoded = sorted((word.encode("utf-8"), int(n)) for word, n in counts.items())
    offsets, position = [], 0
    for word, _n in encoded:
        if b"\n" in word:
            raise ValueError(f"a counted form holds a line break: {word!r}")
        offsets.append(position)
        position += len(word) + 1
    offsets.append(position)
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as out:
        out.write(_MAGIC + _uint64s([len(encoded)]))
        out.write(_uint64s(offsets))
        out.write(_uint64s([n for _word, n in encoded]))
        out.write(b"".join(word + b"\n" for word, _n in encoded))
    os.replace(tmp, path)
    return path


class CountsFile(Mapping[str, int]):
    """The counts written by :func:`write_counts`, looked up where they lie."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        with open(self.path, "rb") as source:
            size = os.fstat(source.fileno()).st_size
            if size < _HEADER:
                raise CountsFileError(f"{self.path} is not a counts table")
            self._map = mmap.mmap(source.fileno(), 0, access=mmap.ACCESS_READ)
        if self._map[:len(_MAGIC)] != _MAGIC:
            raise CountsFileError(f"{self.path} is not a counts table")
        (self._n,) = self._table(len(_MAGIC), 1)
        self._offsets = self._table(_HEADER, self._n + 1)
        self._counts = self._table(_HEADER + (self._n + 1) * _WORD, self._n)
        self._words = _HEADER + (2 * self._n + 1) * _WORD
        if self._n and self._words + self._offsets[self._n] != size:
            raise CountsFileError(f"{self.path} is cut short or damaged: rebuild the index")

    def _table(self, start: int, length: int) -> memoryview | array:
        end = start + length * _WORD
        if end > len(self._map):
            raise CountsFileError(f"{self.path} is cut short or damaged: rebuild the index")
        view = memoryview(self._map)[start:end].cast("Q")
        if sys.byteorder == "little":
            return view
        table = array("Q", view)
        table.byteswap()
        return table

    def _word(self, i: int) -> bytes:
        return self._map[self._words + self._offsets[i]:self._words + self._offsets[i + 1] - 1]

    def _index(self, key: bytes) -> int:
        lo, hi = 0, self._n
        while lo < hi:
            mid = (lo + hi) // 2
            if self._word(mid) < key:
                lo = mid + 1
            else:
                hi = mid
        return lo if lo < self._n and self._word(lo) == key else -1

    def __getitem__(self, word: str) -> int:
        i = self._index(word.encode("utf-8")) if isinstance(word, str) else -1
        if i < 0:
            raise KeyError(word)
        return int(self._counts[i])

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self._index(word.encode("utf-8")) >= 0

    def get(self, word: str, default: int | None = None) -> int | None:  # type: ignore[override]
        i = self._index(word.encode("utf-8"))
        return default if i < 0 else int(self._counts[i])

    def __len__(self) -> int:
        return self._n

    def __iter__(self) -> Iterator[str]:
        return iter(self._forms())

    def _forms(self) -> list[str]:
        if not self._n:
            return []
        return self._map[self._words:-1].decode("utf-8").split("\n")

    def to_dict(self) -> dict[str, int]:
        """Every count at once, as a dict (one decoding of the words)."""
        return dict(zip(self._forms(), self._counts.tolist(), strict=True))
