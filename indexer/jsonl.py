"""JSON lines (``*.jsonl``, ``*.jsonl.gz``): one article per line → Articles and BadRecords.

Read through indexer/sources.py. Each line is a JSON object with ``id``, ``title``, ``body``
(or ``text``), ``date``, ``category``, ``source``, ``url``; other keys are ignored and blank
lines skipped. An id may be a string or an integer; without one, a stable id is made from the
text (indexer/records.py: hash_id). A bad line becomes a BadRecord with its line number and the
reading goes on; a corrupt gzip stream ends the file with one, after the lines read before it.
"""

from __future__ import annotations

import gzip
import io
import json
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from indexer.charsets import UNDECODABLE, UndecodableError, decode_line, looks_binary, utf16_bom
from indexer.cleaning import clean_body, clean_title
from indexer.records import (
    MAX_ARTICLE_BYTES,
    Article,
    BadRecord,
    InvalidRecord,
    check_id,
    hash_id,
    record_date,
    too_large,
)

__all__ = ["article_from_json", "read_jsonl_file"]

_JSON_TYPES = {dict: "object", list: "array", str: "string", int: "number", float: "number",
               bool: "boolean", type(None): "null"}
_UTF8_BOM = b"\xef\xbb\xbf"


def read_jsonl_file(path: Path) -> Iterator[Article | BadRecord]:
    """The records of a JSONL or JSONL.gz file (gzip when the name ends in ``.gz``)."""
    gzipped = path.name.lower().endswith(".gz")
    lineno = 0
    try:
        with gzip.open(path, "rb") if gzipped else open(path, "rb") as stream:  # noqa: SIM115
            for lineno, line in _numbered_lines(stream):
                if not isinstance(line, str) or line.strip():
                    yield _json_record(line, path, lineno)
    except UndecodableError as exc:
        yield BadRecord(str(path), lineno + 1 if lineno else None, f"undecodable file ({exc})")
    except (OSError, EOFError, zlib.error) as exc:
        what = "corrupt gzip stream" if gzipped else "read error"
        yield BadRecord(str(path), lineno + 1, f"{what} ({exc})")


def _numbered_lines(stream: BinaryIO) -> Iterator[tuple[int, str | int | None]]:
    """(line number, text) pairs; text None for a line in no accepted encoding, and the size
    in bytes instead of the text for a line over MAX_ARTICLE_BYTES (never read whole).

    UTF-16 (with a BOM) is decoded as a stream; otherwise each line is decoded on its own
    (UTF-8, else Windows-1256), after a look at the start of the file for binary data.
    """
    head = stream.peek(8192)  # type: ignore[attr-defined]  # BufferedReader and GzipFile
    if utf16_bom(head):
        text = io.TextIOWrapper(stream, encoding="utf-16", newline="\n")
        try:
            for lineno, line in enumerate(text, start=1):
                yield lineno, (len(line) * 2 if len(line) * 2 > MAX_ARTICLE_BYTES else line)
        except UnicodeDecodeError as exc:
            raise UndecodableError(UNDECODABLE) from exc
        return
    if _binary_head(head):
        raise UndecodableError(UNDECODABLE)
    for lineno, raw in enumerate(_bounded_lines(stream), start=1):
        if isinstance(raw, int):
            yield lineno, raw
            continue
        try:
            yield lineno, decode_line(raw.removeprefix(_UTF8_BOM) if lineno == 1 else raw)
        except UndecodableError:
            yield lineno, None


def _binary_head(head: bytes) -> bool:
    """True when the start of a file is binary data: more control bytes (NUL counted among
    them) than text holds. A stray NUL byte is not enough: it makes its line undecodable, not
    the whole file with the good lines around it."""
    return looks_binary(head.replace(b"\x00", b"\x01"))


def _bounded_lines(stream: BinaryIO) -> Iterator[bytes | int]:
    """The lines of ``stream``; for a line longer than MAX_ARTICLE_BYTES, its size in bytes
    (it is skipped a megabyte at a time, never held whole)."""
    while raw := stream.readline(MAX_ARTICLE_BYTES + 1):
        if len(raw) <= MAX_ARTICLE_BYTES or raw.endswith(b"\n"):
            yield raw
            continue
        size = len(raw)
        while raw and not raw.endswith(b"\n"):
            raw = stream.readline(1024 * 1024)
            size += len(raw)
        yield size


def _json_record(line: str | int | None, path: Path, lineno: int) -> Article | BadRecord:
    if line is None:
        return BadRecord(str(path), lineno, f"undecodable line ({UNDECODABLE})")
    if isinstance(line, int):
        return BadRecord(str(path), lineno, too_large(line))
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return BadRecord(str(path), lineno, f"invalid JSON: {exc.msg}")
    except (ValueError, RecursionError) as exc:  # e.g. an integer of 5,000 digits
        return BadRecord(str(path), lineno, f"invalid JSON: {exc}")
    try:
        return article_from_json(record, f"{path}:{lineno}")
    except InvalidRecord as exc:
        return BadRecord(str(path), lineno, str(exc))


def article_from_json(record: object, origin: str) -> Article:
    """An Article from a decoded JSON record; raises :class:`InvalidRecord` (the reason)."""
    if not isinstance(record, dict):
        raise InvalidRecord(f"not a JSON object (a JSON {_kind(record)})")
    title = clean_title(_text_field(record, "title"))
    body = clean_body(_text_field(record, "body") or _text_field(record, "text"))
    if not title and not body:
        raise InvalidRecord("no text")
    date = record.get("date")
    if date is not None and not isinstance(date, str):
        raise InvalidRecord(f"bad date {date!r} (a JSON {_kind(date)}, not a string)")
    return Article(
        id=_json_id(record.get("id"), title, body),
        title=title,
        body=body,
        date=record_date(date or ""),
        category=clean_title(_text_field(record, "category")),
        source=clean_title(_text_field(record, "source")),
        url=clean_title(_text_field(record, "url")),
        origin=origin,
        summary=clean_body(_text_field(record, "summary")),
        caption=clean_body(_text_field(record, "caption")),
    )


def _kind(value: object) -> str:
    return _JSON_TYPES.get(type(value), "value")


def _text_field(record: dict, key: str) -> str:
    value = record.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InvalidRecord(f"non-string field {key!r} (a JSON {_kind(value)})")
    return value


def _json_id(value: object, title: str, body: str) -> str:
    if value is None:
        return hash_id(title, body)
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise InvalidRecord(f"bad id {value!r} (not a string or integer)")
    return check_id(str(value))
