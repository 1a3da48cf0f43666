"""Checking the parameters of a search before anything is looked up.

Used by the searcher (search/searcher.py): every bad parameter becomes a
:class:`~search.errors.QueryError` whose message names the parameter and what it
accepts, so the command line and the web front end can show it as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from search.dates import check_order, period_end, period_start
from search.errors import QueryError

__all__ = ["SearchParams", "check_params", "check_count", "SORTS", "MAX_PER_PAGE"]

SORTS = ("relevance", "newest", "oldest")
MAX_PER_PAGE = 100

DateArg = date | datetime | str | None


@dataclass(frozen=True)
class SearchParams:
    """Checked parameters; ``filters`` echoes the filters given, as strings."""

    page: int
    per_page: int
    sort: str
    category: str | None
    source: str | None
    date_from: datetime | None
    date_to: datetime | None
    year: int | None
    filters: dict[str, str]


def _whole(value: object, name: str, low: int, high: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value.strip())
        else:
            raise QueryError(f"{name} must be a whole number, not {value!r}")
    if value < low or (high is not None and value > high):
        allowed = f"from {low} to {high}" if high is not None else f"{low} or more"
        raise QueryError(f"{name} must be {allowed}, not {value}")
    return value


def check_count(value: object, name: str = "n", high: int = MAX_PER_PAGE) -> int:
    """A count between 1 and ``high``."""
    return _whole(value, name, 1, high)


def _label(value: object, name: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise QueryError(f"{name} must be a string, not {value!r}")
    return value.strip() or None


def _year(value: object) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return _whole(value, "year", 1, 9999)


def _date(value: DateArg, name: str, end: bool) -> datetime | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return period_end(value, name) if end else period_start(value, name)


def check_params(
    page: object,
    per_page: object,
    sort: object,
    category: object,
    source: object,
    date_from: DateArg,
    date_to: DateArg,
    year: object,
) -> SearchParams:
    """The parameters of ``Searcher.search``, checked; QueryError names the bad one."""
    if sort not in SORTS:
        raise QueryError(f"sort must be one of {', '.join(SORTS)}, not {sort!r}")
    start = _date(date_from, "date_from", end=False)
    end = _date(date_to, "date_to", end=True)
    check_order(start, end, "date_from/date_to")
    params = SearchParams(
        page=_whole(page, "page", 1),
        per_page=_whole(per_page, "per_page", 1, MAX_PER_PAGE),
        sort=str(sort),
        category=_label(category, "category"),
        source=_label(source, "source"),
        date_from=start,
        date_to=end,
        year=_year(year),
        filters={},
    )
    shown = {
        "category": params.category,
        "source": params.source,
        "date_from": start.date().isoformat() if start else None,
        "date_to": end.date().isoformat() if end else None,
        "year": str(params.year) if params.year is not None else None,
    }
    params.filters.update({key: value for key, value in shown.items() if value is not None})
    return params
