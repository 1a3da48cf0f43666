"""What is in an index: counts, size, version and build facts (`fahras-index stats`).

Reads the live generation published by indexer/whoosh/build.py through indexer/whoosh/store.py.
"""

from __future__ import annotations

import os
from collections import Counter, defaultdict
from datetime import datetime, timezone
from pathlib import Path

from whoosh import index as whoosh_index

from indexer.duplicates import Signature, group_copies
from indexer.errors import IndexMismatch
from indexer.report import IndexStats
from indexer.whoosh.schema import SCHEMA_VERSION
from indexer.whoosh.store import IndexStore

__all__ = ["index_stats"]


def _folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.iterdir() if p.is_file())


def _column_values(reader, fieldname: str) -> list:
    """Values of a sortable field for the live (not deleted) documents."""
    values: list = []
    for leaf, _offset in reader.leaf_readers():  # per segment: Whoosh's multi-segment
        column = leaf.column_reader(fieldname)   # column reader mis-maps docnums
        values.extend(column[docnum] for docnum in leaf.all_doc_ids())
    return values


def _copy_groups(reader) -> list[tuple]:
    """The groups of copies among the live articles (the searcher finds the same ones)."""
    by_key: dict[str, list[tuple]] = defaultdict(list)
    for leaf, _offset in reader.leaf_readers():
        if not leaf.has_column("dupkey"):
            continue
        column = leaf.column_reader("dupkey")
        for docnum in leaf.all_doc_ids():
            if column[docnum]:
                by_key[column[docnum]].append((leaf, docnum))
    marked = [
        ((id(leaf), docnum), key, Signature.from_stored(leaf.stored_fields(docnum).get("dupsig")))
        for key, found in by_key.items() if len(found) > 1 for leaf, docnum in found
    ]
    return group_copies(marked)


def _day(timestamp: int) -> str:
    return datetime.fromtimestamp(timestamp, timezone.utc).date().isoformat()


def _counts(values: list) -> dict[str, int]:
    return dict(Counter(v for v in values if v).most_common())


def index_stats(index_dir: str | os.PathLike[str] | None = None) -> IndexStats:
    """Facts about the live index; raises IndexNotFound when there is none and IndexMismatch
    for an index of another schema version (its files are not read: Whoosh keeps the
    analyzers' classes in them, which another version may not have)."""
    store = IndexStore(index_dir)
    generation = store.require_current()
    meta = store.read_meta(generation)
    if meta.get("schema_version") != SCHEMA_VERSION:
        raise IndexMismatch(store.root, meta.get("schema_version"), SCHEMA_VERSION)
    ix = whoosh_index.open_dir(generation)
    try:
        with ix.reader() as reader:
            stamps = sorted(t for t in _column_values(reader, "timestamp") if t)
            groups = _copy_groups(reader)
            return IndexStats(
                index_dir=str(store.root),
                generation=generation.name,
                articles=reader.doc_count(),
                deleted=reader.doc_count_all() - reader.doc_count(),
                terms=sum(1 for _ in reader.lexicon("content")),
                size_bytes=_folder_size(generation),
                segments=len(reader.leaf_readers()),
                schema_version=meta.get("schema_version"),
                built_at=meta.get("built_at"),
                updated_at=meta.get("updated_at"),
                build_seconds=meta.get("build_seconds"),
                categories=_counts(_column_values(reader, "category")),
                sources=_counts(_column_values(reader, "source")),
                first_date=_day(stamps[0]) if stamps else None,
                last_date=_day(stamps[-1]) if stamps else None,
                copy_groups=len(groups),
                copies=sum(map(len, groups)),
            )
    finally:
        ix.close()
