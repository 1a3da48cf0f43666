"""Writing the columns file of a commit (indexer/whoosh/columnfile.py), carried from the last.

Sits after each commit of indexer/whoosh/build.py (build, update, delete): the columns of the
segments the previous file covers are taken from it, the others read from their segment
(indexer/whoosh/columns.py); the groups of copies of a key whose live articles are those of
the previous file are kept, the others grouped again (indexer/whoosh/copies.py). A previous
file that does not read is not used: everything is read from the segments.
"""

from __future__ import annotations

import os
from bisect import bisect_right
from collections.abc import Hashable
from pathlib import Path
from typing import Any

from indexer.duplicates import Signature
from indexer.whoosh.columnfile import (
    STORED_COLUMNS,
    ColumnData,
    ColumnFileDamaged,
    column_file,
    column_files,
    decode,
    encode,
    segment_table,
)
from indexer.whoosh.columns import segment_column
from indexer.whoosh.copies import KeyGroups, group_live_copies

__all__ = ["column_data", "write_column_file"]


def _previous(folder: Path, generation: int) -> ColumnData | None:
    """The newest earlier file of ``folder``, to carry from (None when none reads)."""
    for found, path in reversed(column_files(folder)):
        if found < generation:
            try:
                return decode(path.read_bytes(), str(path), STORED_COLUMNS)
            except (OSError, ColumnFileDamaged):
                return None  # computed again from the segments
    return None


class _Articles:
    """The identity and stored signature of an article of the reader by document number."""

    def __init__(self, leaves: list) -> None:
        self.leaves = leaves
        self.starts = [offset for _leaf, offset in leaves]

    def _find(self, docnum: int) -> tuple[Any, int]:
        leaf, offset = self.leaves[bisect_right(self.starts, docnum) - 1]
        return leaf, docnum - offset

    def identity(self, docnum: int) -> Hashable:
        leaf, local = self._find(docnum)
        return leaf.segment().segment_id(), local

    def signature(self, docnum: int) -> Signature | None:
        leaf, local = self._find(docnum)
        return Signature.from_stored(leaf.stored_fields(local).get("dupsig"))


def column_data(reader, previous: ColumnData | None = None) -> ColumnData:
    """The file's data for a Whoosh reader; ``previous``: an earlier file's, whose columns
    (per segment) and groups (per key whose articles did not change) are taken over."""
    leaves = reader.leaf_readers()
    carried = {name: previous.by_segment(name) for name in STORED_COLUMNS} if previous else {}
    columns: dict[str, list] = {name: [] for name in STORED_COLUMNS}
    for leaf, _offset in leaves:
        segment = leaf.segment().segment_id()
        for name, values in columns.items():
            known = carried.get(name, {}).get(segment)
            if known is not None and len(known) == leaf.doc_count_all():
                values += known
            else:
                values += segment_column(leaf, name)
    known_groups: dict[tuple, KeyGroups] = {}
    if previous is not None:
        keys = previous.columns["dupkey"]
        known_groups = {(keys[docnums[0]], tuple(map(previous.identity, docnums))): groups
                        for docnums, groups in previous.shared}
    articles = _Articles(leaves)
    shared = group_live_copies(leaves, columns["dupkey"], articles.identity, articles.signature,
                               known_groups.get)
    return ColumnData(reader.generation(), segment_table(reader), columns,
                      tuple((entry.docnums, entry.groups) for entry in shared))


def write_column_file(folder: str | os.PathLike[str], ix) -> Path:
    """Write the columns file of the latest commit of Whoosh index ``ix`` (in generation folder
    ``folder``) and remove the older ones; call it after each commit."""
    folder = Path(folder)
    with ix.reader() as reader:
        generation = reader.generation()
        data = column_data(reader, _previous(folder, generation))
    path = column_file(folder, generation)
    tmp = folder / f".{path.name}.tmp"
    tmp.write_bytes(encode(data))
    os.replace(tmp, path)
    for _generation, old in column_files(folder):
        if old != path:
            old.unlink(missing_ok=True)
    return path
