"""Duplicate articles: the marks written at index time, and how marked articles are grouped.

News archives hold the same article under two ids (the http and https address of one page,
two feeds of one site). When indexing (indexer/whoosh/build.py), every article gets a
**key** (its title and day, normalised: only articles sharing one can be copies) and a
**signature** (a hash of its normalised text, for exact copies, and a bottom-k sketch of its
word 3-shingles and their number, for near copies). The live articles are grouped by these
marks each time the index changes (indexer/whoosh/copies.py: by the writer after each commit,
into the commit's columns file, or by the searcher for an index without one), so an update or
a delete is reflected at once: a group is never written into the articles. Nothing here
reads files or knows about Whoosh.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from datetime import datetime

from indexer.normalize import normalize

__all__ = [
    "CONTAINED",
    "NEAR_DUPLICATE",
    "SKETCH_SIZE",
    "CopyMarker",
    "Signature",
    "duplicate_key",
    "are_copies",
    "group_copies",
    "containment",
    "resemblance",
    "text_signature",
]

#: Estimated share of word 3-shingles two texts must have in common to be copies
#: (shared shingles / all shingles of either: two versions of one text) ...
NEAR_DUPLICATE = 0.7
#: ... or the share of the shorter text's shingles found in the longer (one text holds the
#: other: a page republished with a paragraph added, or cut).
CONTAINED = 0.8
#: Shingle hashes kept per article (the smallest): the estimate's error is about 1/sqrt(k).
SKETCH_SIZE = 64
_WORD = re.compile(r"\w+")


_MASK = 0xFFFFFFFF
_MIX = 1_000_003


class CopyMarker:
    """Computes the copy marks of articles (:meth:`key`, :meth:`signature`); one per build or
    update. It remembers the normal form and hash of each word it meets (at most ``memo``
    words, emptied when full: the frequent words come back at once), so marking an archive
    costs a dict look-up a word, not a normalisation."""

    def __init__(self, memo: int = 1 << 16) -> None:
        self.memo = memo
        self._words = _WordMemo(memo)

    def words(self, text: str) -> list[tuple[str, int]]:
        """``(normal form, hash)`` of each word of ``text`` that does not vanish."""
        found = list(map(self._words.__getitem__, _WORD.findall(text)))  # a miss: __missing__
        return [entry for entry in found if entry is not None] if None in found else found

    def key(self, title: str, date: datetime | None, text: str) -> str:
        """What copies of an article share: its normalised title and its day (an untitled
        article: the first 12 words of its text instead)."""
        words = [norm for norm, _ in self.words(title)] or \
            [norm for norm, _ in self.words(text)[:12]]
        day = date.date().isoformat() if date is not None else "-"
        return hashlib.sha1(f"{day} {' '.join(words)}".encode()).hexdigest()[:20]

    def signature(self, text: str) -> Signature:
        """The :class:`Signature` of ``text``: the digest of its normal words, and the sketch
        of its word 3-shingles (each shingle's hash mixed from its words' hashes)."""
        words = self.words(text)
        digest = hashlib.sha1(" ".join(norm for norm, _ in words).encode()).hexdigest()[:20]
        hashes = [h for _, h in words]
        if len(hashes) < 3:
            shingles = {_mix(hashes)} if hashes else set()
        else:
            shingles = {((a * _MIX ^ b) * _MIX ^ c) & _MASK
                        for a, b, c in zip(hashes, hashes[1:], hashes[2:], strict=False)}
        return Signature(digest, tuple(_smallest(shingles, SKETCH_SIZE)), len(shingles))


class _WordMemo(dict):
    """Surface form -> ``(normal form, hash)`` (None when it vanishes), filled on a miss and
    emptied when it holds ``bound`` forms (the frequent words come back at once)."""

    def __init__(self, bound: int) -> None:
        super().__init__()
        self.bound = bound

    def __missing__(self, surface: str) -> tuple[str, int] | None:
        norm = normalize(surface)
        entry = (norm, zlib.crc32(norm.encode())) if norm else None
        if len(self) >= self.bound:
            self.clear()
        self[surface] = entry
        return entry


def _smallest(values: set[int], k: int) -> list[int]:
    """The ``k`` smallest of ``values`` (32-bit hashes, about uniform), sorted: those under
    a bound that about ``2k`` of them fall below, else all of them sorted."""
    if len(values) > 4 * k:
        bound = (_MASK + 1) * 2 * k // len(values)
        small = sorted(filter(bound.__gt__, values))  # filtered in C, not in a Python loop
        if len(small) >= k:
            return small[:k]
    return sorted(values)[:k]


def _mix(hashes: list[int]) -> int:
    value = 0
    for h in hashes:
        value = (value * _MIX ^ h) & _MASK
    return value


def duplicate_key(title: str, date: datetime | None, text: str) -> str:
    """:meth:`CopyMarker.key` of one article."""
    return CopyMarker().key(title, date, text)


@dataclass(frozen=True)
class Signature:
    """``digest`` of the normalised text (equal for exact copies), ``sketch``, the smallest
    :data:`SKETCH_SIZE` hashes of its word 3-shingles (close for near copies), and ``size``,
    how many distinct shingles it has."""

    digest: str
    sketch: tuple[int, ...]
    size: int

    def to_stored(self) -> list:
        return [self.digest, list(self.sketch), self.size]

    @classmethod
    def from_stored(cls, value: object) -> Signature | None:
        if not (isinstance(value, (list, tuple)) and len(value) == 3):
            return None
        return cls(str(value[0]), tuple(value[1]), int(value[2]))


def text_signature(text: str) -> Signature:
    """:meth:`CopyMarker.signature` of one text."""
    return CopyMarker().signature(text)


def resemblance(a: Signature, b: Signature) -> float:
    """The estimated share of shingles ``a`` and ``b`` have in common (1.0: same text)."""
    if a.digest == b.digest:
        return 1.0
    union = sorted(set(a.sketch) | set(b.sketch))[:SKETCH_SIZE]
    if not union:
        return 0.0
    both = set(a.sketch) & set(b.sketch)
    return sum(1 for h in union if h in both) / len(union)


def containment(a: Signature, b: Signature) -> float:
    """The estimated share of the smaller text's shingles found in the other (from the
    resemblance and the two sizes: shared = J / (1 + J) * (|a| + |b|))."""
    smaller = min(a.size, b.size)
    if smaller == 0:
        return 1.0 if a.digest == b.digest else 0.0
    share = resemblance(a, b)
    return min(1.0, share / (1 + share) * (a.size + b.size) / smaller)


def are_copies(a: Signature, b: Signature) -> bool:
    """True when two texts (of articles sharing a key) are the same article."""
    return resemblance(a, b) >= NEAR_DUPLICATE or containment(a, b) >= CONTAINED


def group_copies(
    marked: Iterable[tuple[Hashable, str, Signature | None]],
) -> list[tuple[Hashable, ...]]:
    """Groups (of two or more) of the items ``(item, key, signature)`` that are copies:
    same key, and a text that :func:`are_copies` with another member's.
    Each group in the order the items came; groups in the order of their first item."""
    by_key: dict[str, list[tuple[Hashable, Signature]]] = defaultdict(list)
    for item, key, signature in marked:
        if key and signature is not None:
            by_key[key].append((item, signature))
    groups = []
    for candidates in by_key.values():
        if len(candidates) > 1:
            groups += _clusters(candidates)
    return groups


def _clusters(candidates: list[tuple[Hashable, Signature]]) -> list[tuple[Hashable, ...]]:
    """Single-link clusters of a few candidates sharing a key (pairwise comparison)."""
    parent = list(range(len(candidates)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(candidates)):
        for j in range(i + 1, len(candidates)):
            if are_copies(candidates[i][1], candidates[j][1]):
                parent[root(j)] = root(i)
    clusters: dict[int, list[Hashable]] = defaultdict(list)
    for i, (item, _) in enumerate(candidates):
        clusters[root(i)].append(item)
    return [tuple(members) for members in clusters.values() if len(members) > 1]
