"""The records the readers produce: Article, BadRecord, and the rules for article ids.

Made by the format readers (indexer/seedtext.py, indexer/jsonl.py) through indexer/sources.py,
consumed by indexer/whoosh/build.py. Plain frozen dataclasses: no Whoosh, no I/O.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from indexer.dates import parse_date

__all__ = [
    "Article",
    "BadRecord",
    "InvalidRecord",
    "MAX_ARTICLE_BYTES",
    "MAX_ID_LENGTH",
    "check_id",
    "hash_id",
    "record_date",
    "too_large",
]

MAX_ID_LENGTH = 200
#: The largest article read (a seed text file, or a JSONL line as stored): 5 MB. News articles
#: are a few kilobytes; anything bigger is a dump or a mistake, skipped with a reason.
MAX_ARTICLE_BYTES = 5 * 1024 * 1024
_MB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Article:
    """One article as read; ``date`` is naive UTC (None when unknown), absent text is ``""``.

    ``summary`` is the lead paragraph (standfirst) when the source sets one apart from the
    body, ``caption`` the photo captions (one a line), ``headings`` the positions of the
    body's paragraphs (lines) that are subheadings.
    """

    id: str
    title: str
    body: str
    date: datetime | None
    category: str
    source: str
    url: str
    origin: str  # "path:line" (JSONL) or "path" (text file), for messages
    summary: str = ""
    caption: str = ""
    headings: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class BadRecord:
    """A record (JSONL line) or a file that could not be read, and why."""

    path: str
    line: int | None  # 1-based line of a JSONL record; None for a whole-file problem
    reason: str

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.reason}"


class InvalidRecord(ValueError):
    """A record that cannot become an Article; the message is the BadRecord's reason."""


def hash_id(title: str, body: str) -> str:
    """A stable id for an article that has none: ``h-`` + 16 hex digits of SHA-1 of its text."""
    digest = hashlib.sha1(f"{title}\n{body}".encode()).hexdigest()
    return f"h-{digest[:16]}"


def check_id(value: str) -> str:
    """``value`` stripped, if it is a usable id: not empty, printable, no '/' or '\\', at most
    MAX_ID_LENGTH characters. Raises :class:`InvalidRecord` (the reason) otherwise."""
    article_id = value.strip()
    if not article_id:
        raise InvalidRecord("bad id (empty)")
    if len(article_id) > MAX_ID_LENGTH:
        raise InvalidRecord(
            f"bad id {article_id[:20]!r}... (longer than {MAX_ID_LENGTH} characters)"
        )
    if not article_id.isprintable():
        raise InvalidRecord(f"bad id {article_id!r} (control or invisible characters)")
    if "/" in article_id or "\\" in article_id:
        raise InvalidRecord(f"bad id {article_id!r} (contains a path separator)")
    return article_id


def record_date(value: str) -> datetime | None:
    """A record's date (None when blank); raises :class:`InvalidRecord` when it is not a date."""
    try:
        return parse_date(value)
    except ValueError:
        raise InvalidRecord(f"bad date {value.strip()!r}") from None


def too_large(size: int) -> str:
    """The reason given for an article of ``size`` bytes, over :data:`MAX_ARTICLE_BYTES`."""
    return f"article too large ({size / _MB:.1f} MB > {MAX_ARTICLE_BYTES // _MB} MB limit)"
