"""Field lengths of every article of a segment, read in one go, as one code an article.

Sits under the score cache (search/whoosh/scorecache.py), which keeps them per segment for
BM25F (search/whoosh/scoring.py, search/whoosh/phrases.py). Whoosh stores a field's lengths
as a column of one byte an article (its codec's ``LENGTHS_COLUMN``, decoded with
:func:`whoosh.util.numeric.byte_to_length`) and offers them one article at a time, which costs
about 50 ms a field on a 20,000-article segment; the column's bytes are read here with one
call and kept as they are: a code an article and the length each of the 256 codes stands for
(None for 0, Whoosh's own answer), with exactly ``doc_field_length``'s values. So BM25F's
length part is worked out once per code (256 values a field and version, not one per
posting), and a segment's lengths take a byte an article. A segment whose codec keeps its
lengths otherwise is read the per-article way and coded by its distinct lengths.
"""

from __future__ import annotations

from array import array
from collections.abc import Hashable, Sequence
from typing import NamedTuple

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3PerDocReader
from whoosh.columns import NumericColumn
from whoosh.util.numeric import byte_to_length

__all__ = ["LengthCodes", "segment_lengths", "BYTE_LENGTHS"]

#: ``doc_field_length`` of each stored byte: None for 0 (Whoosh's own answer), else the length.
BYTE_LENGTHS: tuple[float | None, ...] = (None, *(byte_to_length(byte) for byte in range(1, 256)))


class LengthCodes(NamedTuple):
    """A field's length in each article of a segment: ``values[codes[docnum]]``."""

    #: one code an article (a byte: ``bytes``; else an ``array``)
    codes: bytes | array
    #: the length each code stands for (None: the article has no length)
    values: Sequence[float | None]
    #: names ``values``: lengths with equal scales code alike (the byte column's is
    #: ``"bytes"``), so that what is worked out per code can be shared between segments
    scale: Hashable

    def length(self, docnum: int) -> float | None:
        return self.values[self.codes[docnum]]

    def decoded(self) -> list[float | None]:
        """Every article's length, in order."""
        return list(map(self.values.__getitem__, self.codes))


def segment_lengths(leaf_reader, fieldname: str, default: int = 1) -> LengthCodes:
    """``leaf_reader.doc_field_length(docnum, fieldname, default)`` of every article."""
    count = leaf_reader.doc_count_all()
    column = _byte_column(leaf_reader, fieldname)
    if column is None:
        return _coded([leaf_reader.doc_field_length(docnum, fieldname, default)
                       for docnum in range(count)])
    stored = min(column._count, count)
    codes = column._dbfile.get(column._basepos, stored)
    return LengthCodes(codes + bytes([column._default]) * (count - stored), BYTE_LENGTHS, "bytes")


def _coded(lengths: list) -> LengthCodes:
    values = list(dict.fromkeys(lengths))
    index = {value: code for code, value in enumerate(values)}
    return LengthCodes(array("I", [index[value] for value in lengths]), values, tuple(values))


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
