"""Date filters: what a person writes for a date → inclusive UTC datetime bounds.

Used by the query parser (search/query.py) for ``date:2019..2021`` and by the
searcher (search/searcher.py) for its ``date_from``/``date_to`` parameters, so both
accept the same things: a ``date``, a ``datetime`` or a string ``YYYY``, ``YYYY-MM``,
``YYYY-MM-DD`` or a full ISO 8601 date-time (Arabic-Indic digits and ``/`` allowed).
Every bound is a whole period: a start is the first instant of its year, month or
day and an end the last, so ``2019..2021`` covers all of 2021. The index stores
naive UTC datetimes; aware values are converted to UTC.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, time, timedelta, timezone

from indexer.normalize import normalize
from search.errors import QueryError

__all__ = [
    "DateBounds",
    "check_order",
    "looks_like_range",
    "parse_range",
    "period_end",
    "period_start",
]

#: (start, end), either side None for an open range.
DateBounds = tuple[datetime | None, datetime | None]

_PERIOD = re.compile(r"(\d{4})(?:[-/](\d{1,2})(?:[-/](\d{1,2}))?)?")
_RANGE_SHAPE = re.compile(r"[\d/\-.:tz+]*\d[\d/\-.:tz+]*|\.\.")
_HELP = "use YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2020-03-15)"


def _to_utc_naive(value: datetime) -> datetime:
    if value.tzinfo is not None:
        value = value.astimezone(timezone.utc).replace(tzinfo=None)
    return value


def _period(value: date | datetime | str, what: str) -> tuple[date, date]:
    """The first and last day of the period ``value`` names."""
    if isinstance(value, datetime):
        day = _to_utc_naive(value).date()
        return day, day
    if isinstance(value, date):
        return value, value
    if not isinstance(value, str):
        raise QueryError(f"{what} must be a date, a datetime or a string, not {value!r}")
    text = normalize(value.strip())
    match = _PERIOD.fullmatch(text)
    try:
        if match is None:
            day = _to_utc_naive(datetime.fromisoformat(text.upper())).date()
            return day, day
        year, month, day_ = (int(g) if g else None for g in match.groups())
        if month is None:
            return date(year, 1, 1), date(year, 12, 31)
        if day_ is None:
            return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
        day = date(year, month, day_)
        return day, day
    except ValueError:
        raise QueryError(f"{what}: {value!r} is not a date; {_HELP}") from None


def period_start(value: date | datetime | str, what: str = "date_from") -> datetime:
    """The first instant of the period ``value`` names."""
    return datetime.combine(_period(value, what)[0], time.min)


def period_end(value: date | datetime | str, what: str = "date_to") -> datetime:
    """The last instant of the period ``value`` names."""
    return datetime.combine(_period(value, what)[1], time.min) + timedelta(days=1, microseconds=-1)


def check_order(start: datetime | None, end: datetime | None, what: str) -> None:
    """QueryError when a range ends before it starts."""
    if start is not None and end is not None and start > end:
        raise QueryError(
            f"{what}: the start ({start.date().isoformat()}) is after the end "
            f"({end.date().isoformat()})"
        )


def looks_like_range(text: str) -> bool:
    """True when ``text`` (after ``date:``) is meant as a date or a range of dates."""
    return bool(text) and _RANGE_SHAPE.fullmatch(normalize(text)) is not None


def parse_range(text: str) -> DateBounds:
    """``2020``, ``2019..2021``, ``2020-01..2020-06``, ``..2020`` or ``2019..`` → bounds."""
    what = f"date:{text}"
    first, dots, second = normalize(text).partition("..")
    if not dots:
        second = first
    start = period_start(first, what) if first.strip() else None
    end = period_end(second, what) if second.strip() else None
    check_order(start, end, what)
    return start, end
