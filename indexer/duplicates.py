"""Duplicate articles: the marks written at index time, and how marked articles are grouped.

News archives hold the same article under two ids (the http and https address of one page,
two feeds of one site). When indexing (indexer/whoosh/build.py), every article gets a
**key** (its title and day, normalised: only articles sharing one can be copies) and a
**signature** (a hash of its normalised text, for exact copies, and a bottom-k sketch of its
word 3-shingles and their number, for near copies). The searcher (search/whoosh/duplicates.py)
groups the live articles by these marks each time the index changes, so an update or a
delete is reflected at once: no group is ever written into the index. Nothing here reads
files or knows about Whoosh.
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


def _words(text: str) -> list[str]:
    return [word for word in map(normalize, _WORD.findall(text)) if word]


def duplicate_key(title: str, date: datetime | None, text: str) -> str:
    """What copies of an article share: its normalised title and its day (an untitled
    article: the first 12 words of its text instead)."""
    words = _words(title) or _words(text)[:12]
    day = date.date().isoformat() if date is not None else "-"
    return hashlib.sha1(f"{day} {' '.join(words)}".encode()).hexdigest()[:20]


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
    words = _words(text)
    digest = hashlib.sha1(" ".join(words).encode()).hexdigest()[:20]
    shingles = {" ".join(words[i:i + 3]) for i in range(max(len(words) - 2, 1))}
    hashes = sorted({zlib.crc32(s.encode()) for s in shingles if s})
    return Signature(digest, tuple(hashes[:SKETCH_SIZE]), len(hashes))


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
