"""The parts of a scraped article's body: lead, photo captions, subheadings, paragraphs.

Used by the seed text reader (indexer/seedtext.py) on the lines after the date. Pages
scraped from news sites carry, between the paragraphs of the article:

- a **lead** (standfirst): the first paragraph, followed on the page by the share bar
  (``شارك هذا المقال``) or by the photo and its caption;
- **site furniture**: the share bar, ``هل أعجبك هذا المقال؟``, ``يرجى إدخال الأرقام *``;
- **photo captions** ending with a credit in square brackets
  (``… في نيسان/أبريل. [عملية العزم الصلب]``), printed twice (the image's text and the
  caption under it);
- **subheadings**: short lines without final punctuation (nor a colon) between two
  paragraphs.

:func:`split_body` takes them apart; nothing here reads files or knows about Whoosh.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from indexer.normalize import normalize

__all__ = [
    "BOILERPLATE",
    "BodyParts",
    "is_boilerplate",
    "is_caption",
    "is_subheading",
    "split_body",
    "SUBHEADING_MAX_WORDS",
]

#: Lines of site furniture found in scraped articles (compared loosely: see is_boilerplate).
BOILERPLATE = ("شارك هذا المقال", "هل أعجبك هذا المقال؟", "يرجى إدخال الأرقام *")
#: The longest line (in words) taken as a subheading.
SUBHEADING_MAX_WORDS = 10

_NOISE = re.compile(r"[\s?؟*:.!]+")
_CREDIT = re.compile(r"\S.*\[[^\[\]]{2,80}\]$")
#: A line ending with one of these is a sentence, not a heading.
_FINAL_PUNCTUATION = tuple(".!?؟:؛;,،…\"'»)]}-–—")


def _boilerplate_key(line: str) -> str:
    return _NOISE.sub(" ", normalize(line)).strip()


_BOILERPLATE_KEYS = frozenset(map(_boilerplate_key, BOILERPLATE))


def is_boilerplate(line: str) -> bool:
    """True for a boilerplate line, whatever its spacing, hamza spelling, '?'/'؟' or '*'."""
    return _boilerplate_key(line) in _BOILERPLATE_KEYS


def is_caption(line: str) -> bool:
    """True for a line ending with a photo credit in square brackets: ``… [credit]``."""
    return _CREDIT.fullmatch(line) is not None


def is_subheading(line: str) -> bool:
    """True for a short line (at most SUBHEADING_MAX_WORDS words) without final punctuation
    and without a colon (``صورة: …`` labels a picture)."""
    words = line.split()
    return (0 < len(words) <= SUBHEADING_MAX_WORDS and not line.endswith(_FINAL_PUNCTUATION)
            and ":" not in line)


@dataclass(frozen=True)
class BodyParts:
    """A body taken apart: ``paragraphs`` in order (subheadings among them, at the
    positions ``headings``), the ``lead`` (standfirst, "" when there is none) and the
    photo ``captions`` (each once)."""

    paragraphs: tuple[str, ...]
    lead: str = ""
    captions: tuple[str, ...] = ()
    headings: tuple[int, ...] = ()


def split_body(lines: Sequence[str], title: str) -> BodyParts:
    """The parts of the body ``lines`` (the lines after the date) of an article titled
    ``title``. Blank lines, furniture and lines repeating the title or an earlier line are
    dropped; a caption line (repeated or not) is kept once, as a caption."""
    kept: list[str] = []
    marks: list[str | None] = []  # the paragraphs, and None where furniture or a caption stood
    captions: list[str] = []
    seen = {title}
    for raw in lines:
        line = " ".join(raw.split())
        if not line:
            continue
        if is_boilerplate(line):
            marks.append(None)
        elif line in seen:
            continue
        elif is_caption(line):
            seen.add(line)
            captions.append(line)
            marks.append(None)
        else:
            seen.add(line)
            kept.append(line)
            marks.append(line)
    lead = _lead(marks)
    paragraphs = kept[1:] if lead else kept
    return BodyParts(tuple(paragraphs), lead, tuple(captions), _headings(paragraphs))


def _lead(marks: list[str | None]) -> str:
    """The first paragraph when the page set it apart (furniture or a caption after it)."""
    set_apart = len(marks) >= 3 and marks[0] is not None and marks[1] is None
    if set_apart and any(mark is not None for mark in marks[2:]):
        return marks[0]
    return ""


def _headings(paragraphs: Sequence[str]) -> tuple[int, ...]:
    """Positions of the subheadings: short unpunctuated lines between two paragraphs."""
    return tuple(
        i for i in range(1, len(paragraphs) - 1)
        if is_subheading(paragraphs[i]) and not is_subheading(paragraphs[i + 1])
    )
