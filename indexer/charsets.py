"""Character encodings of article files: UTF-8, UTF-16 with a BOM, or legacy Windows-1256.

Used by the readers (indexer/sources.py) before any text is parsed. Arabic archives often hold
Windows-1256 files, which decode without error as almost any byte string; so a cp1256 reading is
accepted only when the result looks like text (mostly Arabic letters, Latin, digits, spaces and
punctuation) and binary data (NUL bytes outside UTF-16, many control characters) is refused.
"""

from __future__ import annotations

import codecs
import re

__all__ = [
    "UNDECODABLE",
    "UndecodableError",
    "decode_bytes",
    "decode_line",
    "looks_binary",
    "utf16_bom",
]

#: Reason given for a file (or line) that is in none of the accepted encodings.
UNDECODABLE = "not UTF-8, UTF-16 or Windows-1256"

_CONTROL_BYTES = bytes(b for b in range(0x20) if b not in b"\t\n\r\f")
_NOT_CONTROL_BYTES = bytes(b for b in range(256) if b not in _CONTROL_BYTES)
_CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0e-\x1f]")
_MAX_CONTROL_SHARE = 0.01  # control characters allowed in text, as a share of all characters
#: Non-Arabic characters that cp1256 has for Arabic typesetting: joiners, directional marks,
#: no-break space, guillemets, quotes and dashes.
_ARABIC_TYPOGRAPHY = frozenset("\u200c\u200d\u200e\u200f\xa0«»‘’“”–—…")
_MIN_ARABIC_SHARE = 0.8  # share of non-ASCII characters that must be Arabic in a cp1256 reading


class UndecodableError(ValueError):
    """Bytes that are not text in any of the accepted encodings."""


def utf16_bom(data: bytes) -> str | None:
    """``"utf-16"`` when ``data`` starts with a UTF-16 byte order mark (LE or BE), else None."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return None


def looks_binary(data: bytes) -> bool:
    """True for bytes that cannot be text in a single-byte or UTF-8 encoding (NUL bytes,
    or more than a few control characters)."""
    if b"\x00" in data:
        return True
    return _too_many_controls(len(data.translate(None, _NOT_CONTROL_BYTES)), len(data))


def decode_bytes(data: bytes) -> str:
    """Decode a whole file; raise :class:`UndecodableError` when it is not text.

    A BOM decides (UTF-8 or UTF-16); otherwise strict UTF-8, then Windows-1256 when the
    result is plausibly Arabic text. The BOM itself is not part of the result.
    """
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[len(codecs.BOM_UTF8):], "utf-8")
    if utf16_bom(data):
        return _strict(data, "utf-16")
    return decode_line(data)


def decode_line(data: bytes) -> str:
    """Decode bytes that carry no BOM: UTF-8, else plausible Windows-1256, else raise."""
    if looks_binary(data):
        raise UndecodableError(UNDECODABLE)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    text = data.decode("cp1256")  # every byte has a meaning in cp1256: judge the result
    if not _plausible_arabic(text):
        raise UndecodableError(UNDECODABLE)
    return text


def _strict(data: bytes, encoding: str) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise UndecodableError(UNDECODABLE) from exc
    if _too_many_controls(len(_CONTROL_CHARS.findall(text)), len(text)):
        raise UndecodableError(UNDECODABLE)
    return text


def _too_many_controls(controls: int, length: int) -> bool:
    return controls > max(2, length * _MAX_CONTROL_SHARE)


def _plausible_arabic(text: str) -> bool:
    """Non-ASCII characters of a cp1256 reading are mostly Arabic letters and punctuation.

    Random high bytes read as cp1256 are Arabic (or Arabic typography) only a little over
    half the time, the rest being accented Latin, symbols and ligatures; Latin-1 text read
    as cp1256 is mostly accented Latin.
    """
    high = [ch for ch in text if ord(ch) > 0x7F]
    if not high:
        return True
    arabic = sum(1 for ch in high if "\u0600" <= ch <= "\u06ff" or ch in _ARABIC_TYPOGRAPHY)
    return arabic / len(high) >= _MIN_ARABIC_SHARE
