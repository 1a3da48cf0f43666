"""The sorted runs a Whoosh writer spills its postings into, packed: batched and compressed.

Sits inside every writer of indexer/whoosh/build.py (and each writer process of
indexer/whoosh/parallel.py): a writer keeps postings in memory up to ``limitmb``, then sorts
them into a "run" file in the index's temporary folder; the runs are merged into the segment
at the end. Whoosh writes a run one pickled posting at a time, which makes the runs several
times the size of the finished index (ANT, 10,000 articles: 530 MB of runs for a 130 MB
index) and costs a pickle call per posting. :class:`PackedPostingPool` writes the same sorted
postings in batches, each one ``marshal`` call compressed by ``zlib`` at its fastest level;
reading gives back the same tuples in the same order. Runs never outlive their writer, so
``marshal`` (tied to the Python version) is safe for them.

``whoosh3`` 3.54 does not honour ``SegmentWriter(poolclass=...)``, so :func:`use_packed_runs`
gives a new writer its pool before the first document is added.
"""

from __future__ import annotations

import marshal
import struct
import zlib
from collections.abc import Iterable, Iterator

from whoosh.writing import PostingPool, SegmentWriter

__all__ = ["PackedPostingPool", "use_packed_runs", "RUN_BATCH"]

#: Postings in one compressed batch. A merge holds one batch of each run it reads (at most
#: 128 runs at once: about 60 MB at this size, far less on a typical build).
RUN_BATCH = 2048
_SIZE = struct.Struct("<I")


class PackedPostingPool(PostingPool):
    """Whoosh's posting pool with runs written in compressed batches."""

    def _write_run(self, f, items: Iterable[tuple]) -> None:
        batch: list[tuple] = []
        for item in items:
            batch.append(item)
            if len(batch) >= RUN_BATCH:
                _write_batch(f, batch)
                batch = []
        if batch:
            _write_batch(f, batch)
        f.close()

    def _read_run(self, path: str) -> Iterator[tuple]:
        f = self._open_run(path)
        try:
            while header := f.read(_SIZE.size):
                (size,) = _SIZE.unpack(header)
                data = f.read(size)
                if len(data) != size:
                    raise OSError(f"the posting run {path} is cut short")
                yield from marshal.loads(zlib.decompress(data))
        finally:
            f.close()
            self._remove_run(path)


def _write_batch(f, batch: list[tuple]) -> None:
    data = zlib.compress(marshal.dumps(batch), 1)
    f.write(_SIZE.pack(len(data)))
    f.write(data)


def use_packed_runs(writer: SegmentWriter) -> SegmentWriter:
    """Give ``writer`` (new, nothing added yet) a :class:`PackedPostingPool` with its limit."""
    pool = writer.pool
    if not isinstance(pool, PackedPostingPool):
        if pool.current or pool.runs:
            raise RuntimeError("the posting pool is replaced before the first document")
        writer.pool = PackedPostingPool(pool.tempstore, pool.segment,
                                        limitmb=pool.limit // (1024 * 1024))
    return writer
