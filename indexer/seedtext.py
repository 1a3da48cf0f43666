"""The seed text format (``*.txt``): one article per file → an Article.

Read through indexer/sources.py. Line 1 is the category, line 2 the title, line 3 the date
(see indexer/dates.py), and the remaining lines the body. Each line is stripped; blank lines
collapse and paragraphs are joined with a newline. Site boilerplate ("شارك هذا المقال",
"هل أعجبك هذا المقال؟", "يرجى إدخال الأرقام *") and caption lines repeating the title or an
earlier body line are dropped. The id is the file name without ``.txt``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from indexer.charsets import UndecodableError, decode_bytes
from indexer.cleaning import clean_text, clean_title, has_html, html_to_text
from indexer.normalize import normalize
from indexer.records import (
    MAX_ARTICLE_BYTES,
    Article,
    BadRecord,
    InvalidRecord,
    check_id,
    record_date,
    too_large,
)

__all__ = ["BOILERPLATE", "is_boilerplate", "parse_seed_text", "read_text_file"]

#: Lines of site furniture found in scraped articles (compared loosely: see is_boilerplate).
BOILERPLATE = ("شارك هذا المقال", "هل أعجبك هذا المقال؟", "يرجى إدخال الأرقام *")

_NOISE = re.compile(r"[\s?؟*:.!]+")


def _boilerplate_key(line: str) -> str:
    return _NOISE.sub(" ", normalize(line)).strip()


_BOILERPLATE_KEYS = frozenset(map(_boilerplate_key, BOILERPLATE))


def is_boilerplate(line: str) -> bool:
    """True for a boilerplate line, whatever its spacing, hamza spelling, '?'/'؟' or '*'."""
    return _boilerplate_key(line) in _BOILERPLATE_KEYS


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
    if len(lines) < 3:
        raise InvalidRecord("no text")
    category, title, date_line = clean_title(lines[0]), clean_title(lines[1]), lines[2]
    body_lines = lines[3:]
    if has_html("\n".join(body_lines)):
        body_lines = html_to_text("\n".join(body_lines)).split("\n")
    body = "\n".join(_body_lines(body_lines, title))
    if not body:
        raise InvalidRecord("no text")
    date = record_date(date_line)
    return Article(article_id, title, body, date, category, "", "", origin)


def _body_lines(lines: Iterable[str], title: str) -> Iterator[str]:
    """Non-blank lines without boilerplate or repeats (of the title or an earlier line)."""
    seen = {title}
    for line in lines:
        line = " ".join(line.split())
        if line and line not in seen and not is_boilerplate(line):
            seen.add(line)
            yield line
