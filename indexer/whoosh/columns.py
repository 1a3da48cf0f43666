"""A segment's column values read in one go: labels, years, timestamps, copy keys.

Sits under the two readers of columns: the columns file written at each commit
(indexer/whoosh/columnfile.py) and the searcher's own reading of an index without one
(search/whoosh/collect.py), which keeps them per segment for facets, sorting and copies.
Whoosh reads a column one article at a time (a seek, a read and a decode each: about 50 ms a
column on a 20,000-article segment). Here the column's data is read with one call: a
variable-length column (Whoosh's ``VarBytesColumn``: ``ID`` fields) is cut from its bytes
with its stored lengths, a numeric one (``NumericColumn``) unpacked with one ``struct`` call;
then the field's own translation (Whoosh's ``from_column_value``) runs once per distinct
value. The values are exactly what iterating Whoosh's column reader gives; a column of
another kind is read Whoosh's way.
"""

from __future__ import annotations

import struct

from whoosh.columns import NumericColumn, TranslatingColumnReader, VarBytesColumn
from whoosh.reading import CorruptIndexError

__all__ = ["DamagedSegment", "column_values", "segment_column"]


class DamagedSegment(CorruptIndexError):
    """A segment's data is inconsistent (a column shorter than the segment, a missing
    length): raised by our readers of per-segment data."""


def segment_column(leaf_reader, name: str) -> list:
    """A segment's values of one column by document number, one object per distinct value
    (None for every article when the segment has no such column)."""
    count = leaf_reader.doc_count_all()
    values = column_values(leaf_reader, name)[:count] if leaf_reader.has_column(name) else []
    if values and len(values) < count:
        raise DamagedSegment(f"the {name} column holds {len(values)} of {count} values")
    return values + [None] * (count - len(values))


def column_values(leaf_reader, name: str) -> list:
    """Every value (translated, one object per distinct value) of column ``name`` of a
    segment, in document order: ``list(leaf_reader.column_reader(name))``."""
    reader = leaf_reader.column_reader(name)
    translate = None
    if isinstance(reader, TranslatingColumnReader):
        translate, reader = reader._translate, reader.raw_column()
    raw = _raw_values(reader)
    if translate is None:
        shared: dict = {}
        return [shared.setdefault(value, value) for value in raw]
    translated = {value: translate(value) for value in set(raw)}
    return [translated[value] for value in raw]


def _raw_values(reader) -> list:
    kind = type(reader)
    if kind is VarBytesColumn.Reader:
        lengths = reader._lengths
        data = reader._dbfile.get(reader._basepos, sum(lengths))
        values, position = [], 0
        for length in lengths:
            values.append(data[position:position + length])
            position += length
        return values
    if kind is NumericColumn.Reader and not reader._reverse:
        count = min(reader._count, reader._doccount)
        data = reader._dbfile.get(reader._basepos, count * reader._fixedlen)
        values = list(struct.unpack(f"!{count}{reader._typecode}", data))
        return values + [reader._default] * (reader._doccount - count)
    return list(reader)
