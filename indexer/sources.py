"""Reading articles: seed text files, JSONL and JSONL.gz, and folders of them → Article records.

The first stage of the flow: files → :class:`Article` records (and :class:`BadRecord` reports
for what cannot be read) → indexer/whoosh/build.py, which writes the index. Nothing here knows about
Whoosh or opens anything at import. This module finds the files and hands each to its format's
reader:

- ``*.txt``: the seed text format (indexer/seedtext.py): category, title, date lines, body;
- ``*.jsonl``, ``*.jsonl.gz``: one JSON object per line (indexer/jsonl.py).

Under both: decoding (indexer/charsets.py: UTF-8, UTF-16 with a BOM, Windows-1256), cleaning
(indexer/cleaning.py: control characters, HTML), dates (indexer/dates.py) and the record types
and id rules (indexer/records.py). Arabic is kept as written; normalisation is the analyzer's.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from indexer.errors import FahrasError
from indexer.jsonl import read_jsonl_file
from indexer.records import Article, BadRecord
from indexer.seedtext import read_text_file

__all__ = [
    "Article",
    "BadRecord",
    "SourceError",
    "SOURCE_SUFFIXES",
    "find_source_files",
    "read_articles",
    "read_source_file",
]

#: File name endings read from folders (and the only ones accepted when named explicitly).
SOURCE_SUFFIXES = (".txt", ".jsonl", ".jsonl.gz")

PathLike = str | os.PathLike[str]


class SourceError(FahrasError):
    """A source path that does not exist, cannot be read, or is not an article file."""


def find_source_files(paths: Iterable[PathLike] | PathLike) -> list[Path]:
    """The article files named by ``paths``, each once, in order.

    Folders are expanded recursively, depth first in name order, skipping hidden entries
    (names starting with '.') and files with other endings. Raises :class:`SourceError` for
    a missing or unreadable path and for an explicitly named file that is not .txt, .jsonl
    or .jsonl.gz.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    files: list[Path] = []
    seen: set[Path] = set()
    for path in map(Path, paths):
        for file in _expand(path):
            if file.resolve() not in seen:
                seen.add(file.resolve())
                files.append(file)
    return files


def read_articles(paths: Iterable[PathLike] | PathLike) -> Iterator[Article | BadRecord]:
    """Articles (and bad records) from files and folders, file by file, in file order.

    The files are found first, by this call itself: a :class:`SourceError` is raised
    before anything is yielded.
    """
    files = find_source_files(paths)
    return (record for path in files for record in read_source_file(path))


def read_source_file(path: Path) -> Iterator[Article | BadRecord]:
    """The records of one article file, read by its name's ending."""
    if path.name.lower().endswith(".txt"):
        yield read_text_file(path)
    else:
        yield from read_jsonl_file(path)


def _is_source(name: str) -> bool:
    return name.lower().endswith(SOURCE_SUFFIXES)


def _expand(path: Path) -> list[Path]:
    if not path.exists():
        raise SourceError(f"no such file or directory: {path}")
    if path.is_dir():
        return _walk(path, set())
    if not path.is_file():
        raise SourceError(f"not a regular file or directory: {path}")
    if not _is_source(path.name):
        raise SourceError(
            f"unsupported file type: {path} (expected {', '.join(SOURCE_SUFFIXES)} or a folder)"
        )
    _check_readable(path)
    return [path]


def _walk(directory: Path, visited: set[Path]) -> list[Path]:
    """Article files under ``directory``, depth first in name order; symlink loops cut."""
    if directory.resolve() in visited:
        return []
    visited.add(directory.resolve())
    try:
        entries = sorted(os.scandir(directory), key=lambda entry: entry.name)
    except OSError as exc:
        raise SourceError(f"cannot read folder {directory}: {exc.strerror}") from exc
    files: list[Path] = []
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            files += _walk(Path(entry.path), visited)
        elif entry.is_file() and _is_source(entry.name):
            _check_readable(Path(entry.path))
            files.append(Path(entry.path))
    return files


def _check_readable(path: Path) -> None:
    if not os.access(path, os.R_OK):
        raise SourceError(f"cannot read {path}: permission denied")
