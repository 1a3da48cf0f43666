"""What counts as a damaged index: the failures of reading index files, told apart from bugs.

Sits under search/whoosh/handle.py, which turns every such failure met while a call reads the index
into :class:`~search.errors.IndexDamaged` (so the web app answers 503 ``index_damaged`` and
never a 500 with a library's traceback), and under the readers of per-segment data
(search/whoosh/scoring.py, search/whoosh/collect.py), which check what Whoosh gives back and raise
:class:`DamagedSegment` where truncated files read as missing values instead of failing.

A failure is the index's when it is a decoding error of stored bytes (Whoosh's
``CorruptIndexError``, ``struct``/``zlib``/``pickle`` errors, a truncated read, undecodable
text), an OS error reading a file, or any error raised inside Whoosh's file, codec and
column readers. Anything else (a ``TypeError`` in our own code, say) stays what it is.
"""

from __future__ import annotations

import pickle
import struct
import zlib
from collections.abc import Iterable
from pathlib import Path, PurePath

from whoosh.reading import CorruptIndexError

from indexer.whoosh.columns import DamagedSegment
from indexer.whoosh.store import SEGMENT_FILES

__all__ = ["DamagedSegment", "is_index_failure", "check_segment_files", "read_through"]

#: Errors that only reading damaged bytes produces.
_DECODING_ERRORS = (
    CorruptIndexError, struct.error, zlib.error, pickle.UnpicklingError, EOFError,
    UnicodeDecodeError, OSError,
)

#: Whoosh's modules that read index files (package-relative path parts).
_READING_MODULES = frozenset({"filedb", "codec", "columns.py", "reading.py", "system.py",
                              "util", "idsets.py"})


def is_index_failure(exc: BaseException) -> bool:
    """True when ``exc`` comes from reading the index's files rather than from a bug."""
    if isinstance(exc, _DECODING_ERRORS):
        return True
    import traceback  # only when something failed: not a cost of every import

    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return False
    parts = PurePath(frames[-1].filename).parts
    if "whoosh" not in parts:
        return False
    inside = parts[len(parts) - parts[::-1].index("whoosh"):]
    return bool(inside) and inside[0] in _READING_MODULES


def check_segment_files(generation: Path, meta: dict, leaf) -> None:
    """Raise :class:`DamagedSegment` when a file of ``leaf``'s segment that the generation's
    record lists (indexer/whoosh/store.py) is missing or not the size it was written with. Files
    the record does not list yet (an update between its commit and its record) pass."""
    recorded: dict = meta.get(SEGMENT_FILES) or {}
    prefix = leaf.segment().segment_id() + "."
    for name, size in recorded.items():
        if not name.startswith(prefix):
            continue
        try:
            found = (generation / name).stat().st_size
        except FileNotFoundError:
            raise DamagedSegment(f"{name} is missing") from None
        if found != size:
            raise DamagedSegment(f"{name} has {found} bytes, {size} were written")


def read_through(leaf, columns: Iterable[str]) -> None:
    """A cheap read of each file of one segment: the first and last stored article, the
    first term's postings of every indexed field, the first and last value of ``columns``
    and of every field length."""
    count = leaf.doc_count_all()
    if not count:
        return
    ends = (0, count - 1)
    for docnum in ends:
        leaf.stored_fields(docnum)
    for fieldname in leaf.indexed_field_names():
        term = next(iter(leaf.lexicon(fieldname)), None)
        if term is not None:
            next(iter(leaf.postings(fieldname, term).all_ids()), None)
        if leaf.schema[fieldname].scorable:
            for docnum in ends:
                leaf.doc_field_length(docnum, fieldname)
    for name in columns:
        if leaf.has_column(name):
            reader = leaf.column_reader(name)
            if len(reader) < count:
                raise DamagedSegment(f"the {name} column holds {len(reader)} of {count} values")
            for docnum in ends:
                reader[docnum]
