"""Field lengths of every article of a segment, read in one go.

Sits under the score cache (search/whoosh/scoring.py), which keeps them per segment for
BM25F. Whoosh stores a field's lengths as a column of one byte an article (its codec's
``LENGTHS_COLUMN``, decoded with :func:`whoosh.util.numeric.byte_to_length`) and offers them
one article at a time, which costs about 50 ms a field on a 20,000-article segment; the
column's bytes are read here with one call and decoded through a table, with exactly
``doc_field_length``'s values (None where the byte is 0). A segment whose codec keeps its
lengths otherwise is read the per-article way.
"""

from __future__ import annotations

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3PerDocReader
from whoosh.columns import NumericColumn
from whoosh.util.numeric import byte_to_length

__all__ = ["segment_lengths"]

#: ``doc_field_length`` of each stored byte: None for 0 (Whoosh's own answer), else the length.
_DECODED = [None] + [byte_to_length(byte) for byte in range(1, 256)]


def segment_lengths(leaf_reader, fieldname: str, default: int = 1) -> list:
    """``leaf_reader.doc_field_length(docnum, fieldname, default)`` of every article."""
    count = leaf_reader.doc_count_all()
    column = _byte_column(leaf_reader, fieldname)
    if column is None:
        return [leaf_reader.doc_field_length(docnum, fieldname, default)
                for docnum in range(count)]
    stored = min(column._count, count)
    lengths = list(map(_DECODED.__getitem__, column._dbfile.get(column._basepos, stored)))
    missing = _DECODED[column._default] if column._default else None
    return lengths + [missing] * (count - stored)


def _byte_column(leaf_reader, fieldname: str):
    """The Whoosh 3 codec's reader of the field's length bytes, or None when the segment's
    codec is another or the field has no lengths."""
    per_doc = getattr(leaf_reader, "_perdoc", None)
    if not isinstance(per_doc, W3PerDocReader):
        return None
    column = per_doc._cached_reader(f"_{fieldname}_len", LENGTHS_COLUMN)
    if type(column) is not NumericColumn.Reader or column._typecode != "B":
        return None
    return column
