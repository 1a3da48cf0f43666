"""The groups of copies among the live articles of one version of a Whoosh index.

Sits between the marks every article got when it was indexed (indexer/duplicates.py: a key of
title and day, a text signature) and the two places that group them: the columns file written
at each commit (indexer/whoosh/columnfile.py) and the searcher's own grouping of an index
without one (search/whoosh/duplicates.py). Only articles sharing a key are compared, and a
key shared by the same articles as in the version before keeps the groups it had (``known``),
so after an update only the keys it touched are grouped again.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import TYPE_CHECKING, NamedTuple, cast

if TYPE_CHECKING:
    from indexer.duplicates import Signature

__all__ = ["KeyGroups", "SharedKey", "docnum_groups", "group_live_copies"]

#: The groups of copies among the articles of one key, as positions in their list.
KeyGroups = tuple[tuple[int, ...], ...]


class SharedKey(NamedTuple):
    """A copy key two or more live articles share: the articles (document numbers, in index
    order), each for good (``identities``: its segment and its number there), and the groups
    of copies among them."""

    key: str
    docnums: tuple[int, ...]
    identities: tuple[Hashable, ...]
    groups: KeyGroups


def _live(leaves: Sequence) -> list[Sequence[int]]:
    """The document numbers of the live articles of each segment (``(leaf, offset)``)."""
    live: list[Sequence[int]] = []
    for leaf, offset in leaves:
        if leaf.has_deletions():
            live.append([offset + local for local in leaf.all_doc_ids()])
        else:
            live.append(range(offset, offset + leaf.doc_count_all()))
    return live


def _shared(leaves: Sequence, keys: Sequence) -> dict[str, list[int]]:
    """The live articles of each key that two or more of them have, in index order."""
    live = _live(leaves)
    counts: Counter = Counter()
    for docnums in live:
        if isinstance(docnums, range):
            counts.update(keys[docnums.start:docnums.stop])
        else:
            counts.update(map(keys.__getitem__, docnums))
    shared = {key for key, count in counts.items() if count > 1 and key}
    by_key: dict[str, list[int]] = defaultdict(list)
    for docnums in live:
        for docnum in docnums:
            if keys[docnum] in shared:
                by_key[keys[docnum]].append(docnum)
    return by_key


def group_live_copies(
    leaves: Sequence,
    keys: Sequence,
    identity: Callable[[int], Hashable],
    signature: Callable[[int], Signature | None],
    known: Callable[[tuple], KeyGroups | None] | None = None,
) -> list[SharedKey]:
    """Every key shared by live articles, with its groups of copies. ``leaves``: the
    ``(leaf reader, offset)`` of each segment; ``keys``: the ``dupkey`` value of every article
    by document number; ``identity(docnum)``: the article for good; ``signature(docnum)``: its
    stored signature; ``known((key, identities))``: the groups a key had in the version
    before when the same articles shared it (None: group it again)."""
    from indexer.duplicates import group_copies  # not imported by a searcher that reads files

    found = []
    for key, docnums in _shared(leaves, keys).items():
        identities = tuple(map(identity, docnums))
        groups = known((key, identities)) if known is not None else None
        if groups is None:
            marked = [(i, key, signature(docnum)) for i, docnum in enumerate(docnums)]
            groups = cast(KeyGroups, tuple(tuple(group) for group in group_copies(marked)))
        found.append(SharedKey(key, tuple(docnums), identities, groups))
    return found


def docnum_groups(shared: Iterable[tuple[tuple[int, ...], KeyGroups]]) -> list[tuple[int, ...]]:
    """The groups of copies as document numbers, each in index order, in index order, from
    the ``(docnums, groups)`` of each shared key."""
    groups = [tuple(sorted(docnums[i] for i in group))
              for docnums, key_groups in shared for group in key_groups]
    groups.sort()
    return groups
