"""Article dates: the date strings found in news archives → naive UTC datetimes.

Used by the readers (indexer/sources.py) for the seed files' date line and the JSONL ``date``
key. Accepted: ISO 8601 (``2018-02-18``, ``2018-02-18T17:35:43Z``, ``2018-02-18 17:35``, with
an offset), RFC 2822 (``Sun, 18 Feb 2018 21:35:43 +0400``), ``18/02/2018`` (day first),
``2018/02/18``, and Arabic ``[weekday] 18 فبراير 2018 [17:35]`` with Egyptian/Gulf, Levantine or
Maghrebi month names, in Western, Arabic-Indic or Persian digits. Aware times are converted to
UTC and the zone dropped; a date alone is midnight. Impossible dates (2018-02-30) are errors.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime

from indexer.normalize import normalize

__all__ = ["parse_date", "ARABIC_MONTHS"]

#: Month names as written in Arabic news (keys in Fahras's normal form, see normalize()).
ARABIC_MONTHS: dict[str, int] = {
    normalize(name): number
    for number, names in enumerate(
        [
            ("يناير", "كانون الثاني", "جانفي"),
            ("فبراير", "شباط", "فيفري"),
            ("مارس", "آذار"),
            ("أبريل", "نيسان", "أفريل"),
            ("مايو", "أيار", "ماي"),
            ("يونيو", "يونيه", "حزيران", "جوان"),
            ("يوليو", "يوليه", "تموز", "جويلية", "يوليوز"),
            ("أغسطس", "آب", "أوت", "غشت"),
            ("سبتمبر", "أيلول", "شتنبر"),
            ("أكتوبر", "تشرين الأول"),
            ("نوفمبر", "تشرين الثاني", "نونبر"),
            ("ديسمبر", "كانون الأول", "دجنبر"),
        ],
        start=1,
    )
    for name in names
}

_WEEKDAYS = frozenset(
    normalize(day) for day in ("الأحد", "الاثنين", "الإثنين", "الثلاثاء", "الأربعاء",
                               "الخميس", "الجمعة", "السبت")
)
_DIGITS = {0x0660 + d: str(d) for d in range(10)} | {0x06F0 + d: str(d) for d in range(10)}
_NUMERIC = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})|(\d{4})/(\d{1,2})/(\d{1,2})")
_ARABIC = re.compile(
    r"(?:(?P<weekday>\S+)\s+)?(?P<day>\d{1,2})\s+(?P<month>\D+?)\s+(?P<year>\d{4})"
    r"(?:\s+(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?)?"
)


def parse_date(text: str) -> datetime | None:
    """Parse a date string; None for an empty one, ValueError when it is not a date."""
    text = " ".join(text.translate(_DIGITS).split())
    if not text:
        return None
    for parser in (_iso, _numeric, _arabic, _rfc2822):
        parsed = parser(text)
        if parsed is not None:
            return _naive_utc(parsed)
    raise ValueError(f"not a date: {text!r}")


def _naive_utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        return value
    try:
        return value.astimezone(timezone.utc).replace(tzinfo=None)
    except OverflowError:  # 9999-12-31T23:59-05:00 is in year 10000 in UTC
        raise ValueError(f"out of range in UTC: {value.isoformat()}") from None


def _iso(text: str) -> datetime | None:
    if not re.match(r"\d{4}-\d{2}-\d{2}", text):
        return None
    try:
        return datetime.fromisoformat(text[:-1] + "+00:00" if text[-1:] in "Zz" else text)
    except ValueError:
        return _checked_iso(text)


def _checked_iso(text: str) -> datetime:
    """An ISO-looking string fromisoformat refused: name the impossible date, if that is why."""
    year, month, day = (int(part) for part in text[:10].split("-"))
    datetime(year, month, day)  # raises "day is out of range for month" and the like
    raise ValueError(f"not an ISO 8601 date: {text!r}")


def _numeric(text: str) -> datetime | None:
    match = _NUMERIC.fullmatch(text)
    if match is None:
        return None
    if match.group(1):  # day first, as written in Arabic news: 18/02/2018
        day, month, year = match.group(1, 2, 3)
    else:
        year, month, day = match.group(4, 5, 6)
    return datetime(int(year), int(month), int(day))


def _arabic(text: str) -> datetime | None:
    text = re.sub(r"\s*[،,]\s*", " ", text)
    text = re.sub(r"(\d{4})\s*م(?=$|\s)", r"\1", text)  # 2018م: the Gregorian "M" suffix
    match = _ARABIC.fullmatch(text)
    if match is None:
        return None
    weekday = match.group("weekday")
    month = _month_number(match.group("month"))
    if month is None or (weekday is not None and normalize(weekday) not in _WEEKDAYS):
        return None
    hour, minute, second = (int(match.group(key) or 0) for key in ("hour", "minute", "second"))
    return datetime(int(match.group("year")), month, int(match.group("day")), hour, minute, second)


def _month_number(name: str) -> int | None:
    """A month name, or two that agree (``شباط/فبراير``, ``فبراير (شباط)``)."""
    names = [part for part in re.split(r"[\s/()\-]+", name) if part]
    whole = ARABIC_MONTHS.get(normalize(" ".join(names)))
    if whole is not None:
        return whole
    numbers = {ARABIC_MONTHS.get(normalize(part)) for part in _month_words(names)}
    return numbers.pop() if len(numbers) == 1 and None not in numbers else None


def _month_words(words: list[str]) -> list[str]:
    """Group two-word Levantine names (كانون الثاني, تشرين الأول) back together."""
    grouped: list[str] = []
    for word in words:
        if grouped and normalize(grouped[-1]) in ("كانون", "تشرين"):
            grouped[-1] += " " + word
        else:
            grouped.append(word)
    return grouped


def _rfc2822(text: str) -> datetime | None:
    if not re.search(r"[A-Za-z]{3}", text):
        return None
    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
