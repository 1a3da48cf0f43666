"""The columns file: what a searcher reads to open one version of the index, written at its commit.

Sits between the writers (indexer/whoosh/build.py calls
:func:`~indexer.whoosh.columnwriter.write_column_file` after each commit: build, update,
delete) and the searcher (search/whoosh/backend.py), which reads it
through :func:`read_column_file` when it opens a version, instead of reading the columns of
every segment and grouping the copies itself (ANT: about 180 ms at open). One file per Whoosh
generation of a generation folder (``columns-<generation>.bin``; the older ones are removed)
holds:

* the segments it was computed from (id, articles, deleted articles), checked against the
  segments the reader sees;
* the values of :data:`STORED_COLUMNS` by document number: each column as its distinct values
  (JSON) and one code per article (32-bit, little-endian), or a column of many integers (the
  timestamps) as the integers (64-bit, little-endian);
* every copy key live articles share: its articles and the groups of copies among them
  (indexer/whoosh/copies.py).

Everything after the header is covered by a CRC-32. A missing file reads as None (the searcher
then reads the segments as before); a file that is not one, is damaged, or does not match the
segments raises :class:`ColumnFileDamaged`. Writing (indexer/whoosh/columnwriter.py) carries
what the previous file knew: the columns of the segments it covers and the groups of the keys
whose articles did not change.
"""

from __future__ import annotations

import json
import os
import struct
import sys
import zlib
from array import array
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from whoosh.reading import CorruptIndexError

from indexer.whoosh.copies import KeyGroups, docnum_groups

__all__ = [
    "COLUMN_FILE_FORMAT",
    "LABEL_COLUMNS",
    "STORED_COLUMNS",
    "ColumnData",
    "ColumnFileDamaged",
    "column_file",
    "column_files",
    "decode",
    "encode",
    "read_column_file",
    "shared_articles",
    "segment_table",
]

#: The version of the file's layout; a file of another is damaged to this reader.
COLUMN_FILE_FORMAT = 1
#: The columns a searcher reads: the facets, the year and the timestamp to sort by.
LABEL_COLUMNS: tuple[str, ...] = ("category", "source", "year", "timestamp")
#: Every column the file holds: the copy keys too, for the next commit's grouping.
STORED_COLUMNS: tuple[str, ...] = (*LABEL_COLUMNS, "dupkey")
#: A column of integers with more distinct values than this is stored as they are (64-bit),
#: one of fewer as codes of its values (each value then one object in memory).
_FEW_VALUES = 256
_MAGIC = b"FAHRAS-COLUMNS\n"
_HEADER = struct.Struct("<I")
_PREFIX = "columns-"
_SUFFIX = ".bin"

#: ``(segment id, articles, deleted articles)`` of each segment, in index order.
SegmentTable = tuple[tuple[str, int, int], ...]


class ColumnFileDamaged(CorruptIndexError):
    """A columns file that cannot be read or does not belong to the segments it sits with."""


def column_file(folder: str | os.PathLike[str], generation: int) -> Path:
    """The columns file of Whoosh generation ``generation`` in generation folder ``folder``."""
    return Path(folder) / f"{_PREFIX}{generation}{_SUFFIX}"


def column_files(folder: str | os.PathLike[str]) -> list[tuple[int, Path]]:
    """``(generation, path)`` of every columns file in ``folder``, oldest first."""
    found = []
    for path in Path(folder).glob(f"{_PREFIX}*{_SUFFIX}"):
        number = path.name[len(_PREFIX):-len(_SUFFIX)]
        if number.isdigit():
            found.append((int(number), path))
    return sorted(found)


def segment_table(reader) -> SegmentTable:
    """The segments a Whoosh reader reads, as the file records them."""
    return tuple((leaf.segment().segment_id(), leaf.doc_count_all(),
                  leaf.doc_count_all() - leaf.doc_count())
                 for leaf, _offset in reader.leaf_readers())


@dataclass(frozen=True)
class ColumnData:
    """What one columns file holds: its Whoosh generation, its segments, the columns by
    document number and, for each copy key live articles share, ``(docnums, groups)``."""

    generation: int
    segments: SegmentTable
    columns: dict[str, list]
    shared: tuple[tuple[tuple[int, ...], KeyGroups], ...]

    def groups(self) -> list[tuple[int, ...]]:
        """The groups of copies as document numbers, each in index order, in index order."""
        return docnum_groups(self.shared)

    def identity(self, docnum: int) -> tuple[str, int]:
        """Article ``docnum`` for good: its segment id and its number there."""
        starts = self._starts()
        i = bisect_right(starts, docnum) - 1
        return self.segments[i][0], docnum - starts[i]

    def _starts(self) -> list[int]:
        starts, total = [], 0
        for _segment, count, _deleted in self.segments:
            starts.append(total)
            total += count
        return starts

    def by_segment(self, name: str) -> dict[str, list]:
        """The values of column ``name`` cut by segment: ``{segment id: values}``."""
        values = self.columns[name]
        return {segment: values[start:start + count] for (segment, count, _deleted), start
                in zip(self.segments, self._starts(), strict=True)}


# ---------------------------------------------------------------- the stored form

def _codes(values: list) -> tuple[list, array]:
    index: dict = {}
    codes = array("I", [index.setdefault((type(v), v), len(index)) for v in values])
    return [value for _kind, value in index], codes


def _little_endian(codes: array) -> bytes:
    if sys.byteorder == "big":
        codes = array(codes.typecode, codes)
        codes.byteswap()
    return codes.tobytes()


def encode(data: ColumnData) -> bytes:
    """The file's bytes for ``data``."""
    sections: list[tuple[str, bytes]] = []
    for name, values in data.columns.items():
        labels, codes = _codes(values)
        if len(labels) > _FEW_VALUES and all(type(value) is int for value in labels):
            sections.append((f"ints:{name}", _little_endian(array("q", values))))
            continue
        sections.append((f"labels:{name}", json.dumps(labels, ensure_ascii=False).encode()))
        sections.append((f"codes:{name}", _little_endian(codes)))
    shared = [[list(docnums), [list(group) for group in groups]]
              for docnums, groups in data.shared]
    sections.append(("shared", json.dumps(shared, separators=(",", ":")).encode()))
    table, position = {}, 0
    for name, blob in sections:
        table[name] = [position, len(blob)]
        position += len(blob)
    body = b"".join(blob for _name, blob in sections)
    header = json.dumps({
        "format": COLUMN_FILE_FORMAT, "generation": data.generation,
        "segments": [list(row) for row in data.segments], "sections": table,
        "crc32": zlib.crc32(body),
    }, ensure_ascii=False).encode()
    return _MAGIC + _HEADER.pack(len(header)) + header + body


class _Decoder:
    """Reads the parts of one file's bytes, each checked; ``origin`` names it in errors."""

    def __init__(self, blob: bytes, origin: str) -> None:
        self.origin = origin
        if not blob.startswith(_MAGIC) or len(blob) < len(_MAGIC) + _HEADER.size:
            raise self.damaged("not a columns file")
        start = len(_MAGIC) + _HEADER.size
        (length,) = _HEADER.unpack_from(blob, len(_MAGIC))
        try:
            self.header = json.loads(blob[start:start + length])
            self.sections = self.header["sections"]
            self.body = memoryview(blob)[start + length:]
            crc = self.header["crc32"]
        except (ValueError, KeyError, TypeError) as exc:
            raise self.damaged(f"its header does not read ({exc})") from None
        if self.header.get("format") != COLUMN_FILE_FORMAT:
            raise self.damaged(f"it is of format {self.header.get('format')!r}, "
                               f"not {COLUMN_FILE_FORMAT}")
        if zlib.crc32(self.body) != crc:
            raise self.damaged("its checksum does not match its contents")

    def damaged(self, why: str) -> ColumnFileDamaged:
        return ColumnFileDamaged(f"{self.origin}: {why}")

    def section(self, name: str) -> memoryview:
        try:
            start, length = self.sections[name]
        except (KeyError, TypeError, ValueError):
            raise self.damaged(f"it has no {name} section") from None
        return self.body[start:start + length]

    def _array(self, typecode: str, name: str, count: int) -> array:
        values = array(typecode)
        values.frombytes(self.section(name))
        if sys.byteorder == "big":
            values.byteswap()
        if len(values) != count:
            raise self.damaged(f"its {name} column does not hold {count} values")
        return values

    def column(self, name: str, count: int, start: int = 0) -> list:
        """The values of column ``name`` by document number, from ``start`` on (an IndexError
        when a code has no value: damaged)."""
        if f"ints:{name}" in self.sections:
            return self._array("q", f"ints:{name}", count)[start:].tolist()
        labels = json.loads(bytes(self.section(f"labels:{name}")))
        return list(map(labels.__getitem__, self._array("I", f"codes:{name}", count)[start:]))

    def shared(self) -> tuple[tuple[tuple[int, ...], KeyGroups], ...]:
        return tuple((tuple(docnums), tuple(map(tuple, groups)))
                     for docnums, groups in json.loads(bytes(self.section("shared"))))


def shared_articles(one: SegmentTable, other: SegmentTable) -> int:
    """How many document numbers, from the first, mean the same articles in both tables: those
    of the leading segments both list alike (a delete changes only the deleted counts; an
    update adds a segment after them, and a merge replaces some of them)."""
    shared = 0
    for (segment, count, _), (other_segment, other_count, _) in zip(one, other, strict=False):
        if (segment, count) != (other_segment, other_count):
            break
        shared += count
    return shared


def decode(blob: bytes, origin: str, names: Sequence[str] = LABEL_COLUMNS,
           known: ColumnData | None = None) -> ColumnData:
    """The :class:`ColumnData` of a file's bytes, with the columns ``names`` only. ``known``,
    the data of an earlier file of the same folder, lends the values of the articles both
    hold (:func:`shared_articles`): the writer carries a column's values as they were, so
    only the articles after them are decoded (none after a delete: the same list)."""
    decoder = _Decoder(blob, origin)
    try:
        segments = tuple((str(segment), int(count), int(deleted))
                         for segment, count, deleted in decoder.header["segments"])
        generation = int(decoder.header["generation"])
        total = sum(count for _segment, count, _deleted in segments)
        lent = shared_articles(known.segments, segments) \
            if known is not None and list(known.columns) == list(names) else 0
        if known is not None and lent == total:
            columns = known.columns
        else:
            columns = {name: (known.columns[name][:lent] if known is not None and lent else [])
                       + decoder.column(name, total, lent) for name in names}
        shared = decoder.shared()
    except (ValueError, KeyError, TypeError, IndexError) as exc:
        raise decoder.damaged(f"it does not read ({exc})") from None
    return ColumnData(generation, segments, columns, shared)


def read_column_file(folder: str | os.PathLike[str], generation: int,
                     segments: SegmentTable | None = None,
                     names: Sequence[str] = LABEL_COLUMNS,
                     known: ColumnData | None = None) -> ColumnData | None:
    """The columns file of ``generation`` in ``folder`` (None when there is none), with the
    columns ``names`` (those of ``known`` when it holds the same articles: :func:`decode`);
    raises :class:`ColumnFileDamaged` when it is damaged, of another generation, or
    (``segments`` given) was not computed from those segments."""
    path = column_file(folder, generation)
    try:
        blob = path.read_bytes()
    except FileNotFoundError:
        return None
    data = decode(blob, str(path), names, known)
    if data.generation != generation:
        raise ColumnFileDamaged(f"{path}: it holds generation {data.generation}")
    if segments is not None and data.segments != segments:
        raise ColumnFileDamaged(f"{path}: it was not computed from the segments of the index")
    return data
