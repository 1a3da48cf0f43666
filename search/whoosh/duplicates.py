"""Copies of one article in the live index, and one result per group of copies.

Sits between collecting a search (search/whoosh/collect.py) and the page the searcher builds
(search/searcher.py). The marks every article got when it was indexed (indexer/duplicates.py:
a key of title and day, a text signature) are grouped here, over the articles live in one
version of the index, so groups always follow updates and deletes: a deleted copy leaves its
group, a changed one leaves it when its text or title no longer match. The searcher keeps one
:class:`CopyGroups` per version of the index (in that version's bounded cache).
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from whoosh.searching import Searcher as WhooshSearcher

from indexer.duplicates import Signature, group_copies
from search.whoosh.segments import SegmentCache, segment_key

__all__ = ["CopyGroups", "find_copy_groups"]


@dataclass(frozen=True)
class CopyGroups:
    """The groups of copies of one version of the index, by document number."""

    group_of: dict[int, int]
    members: tuple[tuple[int, ...], ...]

    def copies(self, docnum: int) -> tuple[int, ...]:
        """Every copy of article ``docnum`` (itself included), in index order."""
        group = self.group_of.get(docnum)
        return (docnum,) if group is None else self.members[group]

    def collapse(self, scores: dict[int, float]) -> dict[int, float]:
        """``scores`` with one article per group of copies: the best scored (the first in
        index order on a tie)."""
        if not self.group_of:
            return scores
        best: dict[int, int] = {}
        kept: dict[int, float] = {}
        for docnum, score in scores.items():
            group = self.group_of.get(docnum)
            if group is None:
                kept[docnum] = score
                continue
            held = best.get(group)
            if held is None or (score, -docnum) > (scores[held], -held):
                if held is not None:
                    del kept[held]
                best[group] = docnum
                kept[docnum] = score
        return kept


def find_copy_groups(searcher: WhooshSearcher, keys: list, segments: SegmentCache,
                     path: Path) -> CopyGroups:
    """The groups of copies among the live articles; ``keys`` is the ``dupkey`` column by
    document number (search/whoosh/collect.py). Only articles that share a key are read, and
    each one's signature once for its segment's life (``segments``): after an update, only
    the articles it wrote are read again."""
    by_key: dict[str, list[int]] = defaultdict(list)
    leaves = searcher.reader().leaf_readers()
    for leaf, offset in leaves:
        live = leaf.all_doc_ids() if leaf.has_deletions() else range(leaf.doc_count_all())
        for local in live:
            docnum = offset + local
            key = keys[docnum] if docnum < len(keys) else None
            if key:
                by_key[key].append(docnum)
    signature = _Signatures(leaves, segments, path)
    marked = [(docnum, key, signature(docnum))
              for key, docnums in by_key.items() if len(docnums) > 1 for docnum in docnums]
    groups = tuple(tuple(sorted(group)) for group in group_copies(marked))
    group_of = {docnum: i for i, group in enumerate(groups) for docnum in group}
    return CopyGroups(group_of, groups)


class _Signatures:
    """The stored text signature of an article by document number, remembered per segment."""

    def __init__(self, leaves: list, segments: SegmentCache, path: Path) -> None:
        self.leaves = leaves
        self.starts = [offset for _leaf, offset in leaves]
        self.segments = segments
        self.path = path

    def __call__(self, docnum: int) -> Signature:
        leaf, offset = self.leaves[bisect_right(self.starts, docnum) - 1]
        known: dict[int, Signature] = self.segments.get(
            segment_key(self.path, leaf), "signatures", dict)
        local = docnum - offset
        found = known.get(local)
        if found is None:
            found = known[local] = Signature.from_stored(leaf.stored_fields(local).get("dupsig"))
        return found
