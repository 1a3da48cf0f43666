"""The seed text format (``*.txt``): one article per file → an Article.

Read through indexer/sources.py. The header is the category, the title and the date (see
indexer/dates.py), one line each: either the first three lines, or (the layout of scraped
pages) the first three non-blank lines, with blank lines between them. The remaining lines
are the body, taken apart by indexer/seedlayout.py: the lead (standfirst) the page sets
apart, photo captions (kept once), subheadings, and site furniture (dropped). Each line is
stripped; blank lines collapse and paragraphs are joined with a newline. The id is the file
name without ``.txt``.
"""

from __future__ import annotations

from pathlib import Path

from indexer.charsets import UndecodableError, decode_bytes
from indexer.cleaning import clean_text, clean_title, has_html, html_to_text
from indexer.records import (
    MAX_ARTICLE_BYTES,
    Article,
    BadRecord,
    InvalidRecord,
    check_id,
    record_date,
    too_large,
)
from indexer.seedlayout import BOILERPLATE, is_boilerplate, split_body

__all__ = ["BOILERPLATE", "is_boilerplate", "parse_seed_text", "read_text_file"]


def read_text_file(path: Path) -> Article | BadRecord:
    """The article in a seed text file, or a BadRecord saying why there is none."""
    origin = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_ARTICLE_BYTES:
            raise InvalidRecord(too_large(size))
        text = decode_bytes(path.read_bytes())
        if not text.strip():
            raise InvalidRecord("empty file")
        return parse_seed_text(text, check_id(path.name[: -len(".txt")]), origin)
    except UndecodableError as exc:
        return BadRecord(origin, None, f"undecodable file ({exc})")
    except OSError as exc:
        return BadRecord(origin, None, f"unreadable file ({exc.strerror or exc})")
    except InvalidRecord as exc:
        return BadRecord(origin, None, str(exc))


def parse_seed_text(text: str, article_id: str, origin: str) -> Article:
    """An Article from the text of a seed file; raises :class:`InvalidRecord` ("no text",
    "bad date '…'") when there is none."""
    lines = [line.strip() for line in clean_text(text).split("\n")]
    header, body_lines = _header(lines)
    category, title, date_line = clean_title(header[0]), clean_title(header[1]), header[2]
    if has_html("\n".join(body_lines)):
        body_lines = html_to_text("\n".join(body_lines)).split("\n")
    parts = split_body(body_lines, title)
    if not parts.paragraphs and not parts.lead:
        raise InvalidRecord("no text")
    return Article(
        article_id, title, "\n".join(parts.paragraphs), record_date(date_line), category,
        "", "", origin, summary=parts.lead, caption="\n".join(parts.captions),
        headings=parts.headings,
    )


def _header(lines: list[str]) -> tuple[list[str], list[str]]:
    """``([category, title, date], body lines)``. The first three lines, unless the second
    is blank and the third is not a date: then the first three non-blank lines."""
    if len(lines) < 3:
        raise InvalidRecord("no text")
    if lines[1] or (lines[2] and _is_date(lines[2])):
        return lines[:3], lines[3:]
    found = [i for i, line in enumerate(lines) if line][:3]
    if len(found) < 3:
        raise InvalidRecord("no text")
    return [lines[i] for i in found], lines[found[-1] + 1:]


def _is_date(line: str) -> bool:
    try:
        record_date(line)
    except InvalidRecord:
        return False
    return True
