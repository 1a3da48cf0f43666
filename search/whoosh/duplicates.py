"""Copies of one article in the live index, and one result per group of copies.

Sits between collecting a search (search/whoosh/collect.py) and the page the searcher builds
(search/searcher.py). The marks every article got when it was indexed (indexer/duplicates.py:
a key of title and day, a text signature) are grouped over the articles live in one version
of the index, so groups always follow updates and deletes: a deleted copy leaves its group,
a changed one leaves it when its text or title no longer match. The writer groups them after
each commit into the commit's columns file (indexer/whoosh/columnfile.py), which the backend
reads; :func:`find_copy_groups` groups them here for an index without one. The searcher
keeps one :class:`CopyGroups` per version of the index (in that version's bounded cache).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Hashable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from whoosh.searching import Searcher as WhooshSearcher

from indexer.whoosh.copies import KeyGroups, docnum_groups, group_live_copies

if TYPE_CHECKING:
    from indexer.duplicates import Signature
from search.whoosh.segments import SegmentCache, segment_key

__all__ = ["CopyGroups", "CopyMemo", "find_copy_groups"]


@dataclass(frozen=True)
class CopyGroups:
    """The groups of copies of one version of the index, by document number."""

    group_of: dict[int, int]
    members: tuple[tuple[int, ...], ...]

    @classmethod
    def of(cls, groups: list[tuple[int, ...]]) -> CopyGroups:
        """The groups ``groups`` (document numbers), in the order given."""
        return cls({docnum: i for i, group in enumerate(groups) for docnum in group},
                   tuple(groups))

    def copies(self, docnum: int) -> tuple[int, ...]:
        """Every copy of article ``docnum`` (itself included), in index order."""
        group = self.group_of.get(docnum)
        return (docnum,) if group is None else self.members[group]

    def collapse(self, scores: dict[int, float]) -> dict[int, float]:
        """``scores`` with one article per group of copies: the best scored (the first in
        index order on a tie); the others keep their order."""
        grouped = scores.keys() & self.group_of.keys()
        if not grouped:
            return scores
        kept = dict(scores)
        best: dict[int, int] = {}
        for docnum in grouped:
            group = self.group_of[docnum]
            held = best.get(group)
            if held is None:
                best[group] = docnum
            elif (scores[docnum], -docnum) > (scores[held], -held):
                del kept[held]
                best[group] = docnum
            else:
                del kept[docnum]
        return kept


class CopyMemo:
    """The groups of each copy key, by the articles sharing the key (each named by its
    segment and its number there, which never change): kept from one version of the index
    to the next, so after an update only the keys it touched are grouped again. Holds the
    keys of the last version grouped; owned by the index handle."""

    def __init__(self) -> None:
        self._known: dict[tuple, KeyGroups] = {}

    def get(self, entry: tuple) -> KeyGroups | None:
        return self._known.get(entry)

    def keep(self, known: dict[tuple, KeyGroups]) -> None:
        """Hold ``known`` (the groups of the version just grouped) in place of the rest."""
        self._known = known


def find_copy_groups(searcher: WhooshSearcher, keys: list, segments: SegmentCache,
                     path: Path, memo: CopyMemo | None = None) -> CopyGroups:
    """The groups of copies among the live articles; ``keys`` is the ``dupkey`` column by
    document number (search/whoosh/collect.py). Only articles that share a key are read, and
    each one's signature once for its segment's life (``segments``); with ``memo``, a key
    shared by the same articles as in the last version keeps its groups."""
    leaves = searcher.reader().leaf_readers()
    signatures = _Signatures(leaves, segments, path)
    shared = group_live_copies(leaves, keys, signatures.identity, signatures,
                               memo.get if memo is not None else None)
    if memo is not None:
        memo.keep({(entry.key, entry.identities): entry.groups for entry in shared})
    return CopyGroups.of(docnum_groups((entry.docnums, entry.groups) for entry in shared))


class _Signatures:
    """The stored text signature of an article by document number, remembered per segment."""

    def __init__(self, leaves: list, segments: SegmentCache, path: Path) -> None:
        self.leaves = leaves
        self.starts = [offset for _leaf, offset in leaves]
        self.segments = segments
        self.path = path

    def identity(self, docnum: int) -> tuple[Hashable, int]:
        """Article ``docnum`` for good: its segment and its number there."""
        leaf, offset = self.leaves[bisect_right(self.starts, docnum) - 1]
        return segment_key(self.path, leaf), docnum - offset

    def __call__(self, docnum: int) -> Signature | None:
        from indexer.duplicates import Signature  # only for an index without a columns file

        leaf, offset = self.leaves[bisect_right(self.starts, docnum) - 1]
        known: dict[int, Signature | None] = self.segments.get(
            segment_key(self.path, leaf), "signatures", dict)
        local = docnum - offset
        if local not in known:
            known[local] = Signature.from_stored(leaf.stored_fields(local).get("dupsig"))
        return known[local]
