"""Disk space for writing an index: the warning before a build, the message when it runs out.

Used by the command line (indexer/cli.py) before a build, to warn when the file system of
the index holds less free space than the build is likely to need, and by indexer/whoosh/build.py
to turn a full disk (``ENOSPC``, ``EDQUOT``) into one clear :class:`BuildError` instead of
a traceback.

The estimate: a build writes its postings in sorted runs before merging them, so its peak
use of disk is several times the index it leaves. Measured with ``--procs 2`` on 10,000 ANT
articles (38 MB of JSON lines): 630 MB at the peak for a 123 MB index, about
:data:`PEAK_BYTES_PER_SOURCE_BYTE` bytes per byte of (uncompressed) source.
"""

from __future__ import annotations

import errno
import os
import shutil
import struct
from collections.abc import Iterable
from pathlib import Path

from indexer.errors import BuildError

__all__ = [
    "PEAK_BYTES_PER_SOURCE_BYTE",
    "estimate_build_bytes",
    "space_warning",
    "is_disk_full",
    "disk_full_error",
    "mount_point",
]

PEAK_BYTES_PER_SOURCE_BYTE = 17
_MB = 1024 * 1024


#: The most a deflate stream expands (about 1,032 to 1): a ``.gz`` file that records more
#: is cut short, its last bytes not a record of its size.
_MAX_DEFLATE_RATIO = 1032


def _source_bytes(path: Path) -> int:
    """Uncompressed size of a source file (a ``.gz`` file's own record of it, unless the file
    is cut short and the record impossible)."""
    size = path.stat().st_size
    if path.suffix != ".gz" or size < 18:
        return size
    with open(path, "rb") as fh:
        if fh.read(2) != b"\x1f\x8b":
            return size
        fh.seek(-4, os.SEEK_END)
        recorded = struct.unpack("<I", fh.read(4))[0]  # the size modulo 2**32
    if recorded > _MAX_DEFLATE_RATIO * size:
        return size
    return max(recorded, size)


def estimate_build_bytes(source_files: Iterable[Path]) -> int:
    """About how many bytes of disk a full build of ``source_files`` uses at its peak."""
    return PEAK_BYTES_PER_SOURCE_BYTE * sum(_source_bytes(Path(p)) for p in source_files)


def _existing(path: Path) -> Path:
    path = path.absolute()
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def mount_point(path: Path) -> Path:
    """The mount point of the file system ``path`` is (or would be) on."""
    path = _existing(path)
    device = path.stat().st_dev
    while path != path.parent and path.parent.stat().st_dev == device:
        path = path.parent
    return path


def space_warning(index_dir: Path, source_files: Iterable[Path]) -> str | None:
    """A warning when the index's file system has less free space than a build of
    ``source_files`` is likely to need (see the module's docstring), else None."""
    needed = estimate_build_bytes(source_files)
    free = shutil.disk_usage(_existing(Path(index_dir))).free
    if free >= needed:
        return None
    return (f"only {free // _MB:,} MB free on {mount_point(Path(index_dir))}; a build of "
            f"these sources may need about {needed // _MB:,} MB at its peak")


def is_disk_full(exc: BaseException) -> bool:
    """True for the OS error of a full disk or an exhausted quota."""
    return isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT)


def disk_full_error(where: Path, left: str) -> BuildError:
    """The error of a write that ran out of space in ``where``; ``left`` says what remains
    (``"the index was left as it was"``)."""
    return BuildError(
        f"no space left on {mount_point(where)} while writing the index at {where}: {left}")
