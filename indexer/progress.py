"""How many articles a build will read, for the progress bar of ``fahras-index``.

Used by indexer/cli.py before a build or an update, and only when the bar is shown (a
terminal): a seed text file holds one article, a JSONL file one a line, so the total is the
number of text files plus the lines of the JSONL files (``.gz`` ones read through gzip).
Counting costs one fast pass over the bytes, a small part of a build. Blank lines make the
total a little high; it is an estimate for percent and ETA, never used to index.
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterable
from pathlib import Path

from indexer.sources import PathLike, find_source_files

__all__ = ["expected_articles"]

_CHUNK = 1 << 20


def _lines(path: Path) -> int:
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    count, last = 0, b"\n"
    try:
        with opener(path, "rb") as stream:
            while chunk := stream.read(_CHUNK):
                count += chunk.count(b"\n")
                last = chunk[-1:]
    except (OSError, EOFError, zlib.error):
        pass  # a damaged file: the build itself reports it; the lines read so far still count
    return count + (last != b"\n")


def expected_articles(sources: Iterable[PathLike]) -> int:
    """The number of articles ``sources`` should hold (raises SourceError as a build would)."""
    total = 0
    for path in find_source_files(sources):
        total += 1 if path.name.lower().endswith(".txt") else _lines(path)
    return total
