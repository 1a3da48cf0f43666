"""Search parameters from a URL query string, checked once for both surfaces.

The search page (web/views.py) and the JSON API (web/api.py) take the same GET parameters:
``q, page, per_page (API), category, source, year, from, to, sort, exact`` (``exact=1``:
search exactly what was typed, never the results of a correction). A bad value raises
:class:`BadParameter` with an English message (for the API) and an Arabic one (for the page),
so no bad value ever reaches the searcher as a surprise and nothing turns into a 500.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date

__all__ = ["BadParameter", "SearchParams", "SORTS", "parse_search_args", "parse_int"]

#: Sort orders and their Arabic labels, in the order the page shows them.
SORTS = {"relevance": "الأكثر صلة", "newest": "الأحدث", "oldest": "الأقدم"}
_MAX_FILTER_LENGTH = 200
_INTEGER = re.compile(r"^[0-9]{1,9}$")


class BadParameter(ValueError):
    """A query-string parameter with a value Fahras cannot use."""

    def __init__(self, param: str, message: str, message_ar: str) -> None:
        super().__init__(message)
        self.param = param
        self.message = message
        self.message_ar = message_ar


@dataclass(frozen=True)
class SearchParams:
    """The checked parameters of one search request."""

    q: str = ""
    page: int = 1
    per_page: int = 10
    category: str | None = None
    source: str | None = None
    year: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    sort: str = "relevance"
    truncated: bool = False  # the page cut an over-long query (the API refuses it instead)
    dates_swapped: bool = False  # the page swapped a start date after the end (API: 400)
    exact: bool = False  # exact=1: the results of q as typed, not of its correction

    def searcher_kwargs(self) -> dict:
        """Keyword arguments for ``Searcher.search`` (after the query)."""
        return {
            "page": self.page,
            "per_page": self.per_page,
            "category": self.category,
            "source": self.source,
            "year": self.year,
            "date_from": self.date_from,
            "date_to": self.date_to,
            "sort": self.sort,
            "correct": not self.exact,
        }

    @property
    def filtered(self) -> bool:
        return any((self.category, self.source, self.year, self.date_from, self.date_to))

    def url_args(self, **changes) -> dict[str, object]:
        """Query-string arguments for a link to this search with ``changes`` applied.

        Changing anything but the page goes back to page 1; defaults are left out so links
        stay short. Use the URL names ``from``/``to`` via ``date_from``/``date_to``.
        """
        if "page" not in changes:
            changes["page"] = 1
        new = replace(self, **changes)
        args: dict[str, object] = {
            "q": new.q or None,
            "category": new.category,
            "source": new.source,
            "year": new.year,
            "from": new.date_from.isoformat() if new.date_from else None,
            "to": new.date_to.isoformat() if new.date_to else None,
            "sort": new.sort if new.sort != "relevance" else None,
            "page": new.page if new.page != 1 else None,
            "exact": 1 if new.exact else None,
        }
        return {k: v for k, v in args.items() if v not in (None, "")}


def parse_int(value: str | None, name: str, low: int, high: int, default: int) -> int:
    """``value`` as an int in ``low..high``; ``default`` when absent or blank."""
    if value is None or not value.strip():
        return default
    text = value.strip()
    if not _INTEGER.match(text):
        raise BadParameter(
            name,
            f"{name} must be a whole number from {low} to {high}, not {text[:20]!r}",
            f"قيمة «{name}» يجب أن تكون عددًا صحيحًا من {low} إلى {high}.",
        )
    number = int(text)
    if not low <= number <= high:
        raise BadParameter(
            name,
            f"{name} must be from {low} to {high}, not {number}",
            f"قيمة «{name}» يجب أن تكون من {low} إلى {high}.",
        )
    return number


def _parse_date(value: str | None, name: str) -> date | None:
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise BadParameter(
            name,
            f"{name} must be a date written YYYY-MM-DD, not {text[:20]!r}",
            f"التاريخ في «{name}» غير صالح؛ اكتبه بالشكل 2024-01-31.",
        ) from None


def _parse_filter(value: str | None, name: str) -> str | None:
    text = (value or "").strip()
    if len(text) > _MAX_FILTER_LENGTH:
        raise BadParameter(
            name,
            f"{name} is longer than {_MAX_FILTER_LENGTH} characters",
            f"قيمة «{name}» أطول من {_MAX_FILTER_LENGTH} حرف.",
        )
    return text or None


def _parse_query(value: str | None, max_length: int, truncate: bool) -> tuple[str, bool]:
    text = " ".join((value or "").replace("\x00", " ").split())
    if len(text) <= max_length:
        return text, False
    if truncate:
        return text[:max_length].rstrip(), True
    raise BadParameter(
        "q",
        f"q is longer than {max_length} characters ({len(text)})",
        f"نص البحث أطول من {max_length} حرف.",
    )


def parse_search_args(
    args: Mapping[str, str],
    *,
    max_query_length: int = 500,
    max_per_page: int = 100,
    max_page: int = 10_000,
    default_per_page: int = 10,
    allow_per_page: bool = True,
    truncate: bool = False,
    swap_dates: bool = False,
) -> SearchParams:
    """Check the search parameters in ``args``; raises :class:`BadParameter`. With
    ``swap_dates`` (the page's date-range form) a start after the end is swapped and
    ``dates_swapped`` set, rather than refused."""
    q, truncated = _parse_query(args.get("q"), max_query_length, truncate)
    sort = (args.get("sort") or "").strip() or "relevance"
    if sort not in SORTS:
        raise BadParameter(
            "sort",
            f"sort must be one of {', '.join(SORTS)}, not {sort[:20]!r}",
            "طريقة الترتيب غير معروفة؛ اختر: " + "، ".join(SORTS.values()) + ".",
        )
    per_page = default_per_page
    if allow_per_page:
        per_page = parse_int(args.get("per_page"), "per_page", 1, max_per_page, default_per_page)
    params = SearchParams(
        q=q,
        page=parse_int(args.get("page"), "page", 1, max_page, 1),
        per_page=per_page,
        category=_parse_filter(args.get("category"), "category"),
        source=_parse_filter(args.get("source"), "source"),
        year=parse_int(args.get("year"), "year", 1, 9999, 0) or None,
        date_from=_parse_date(args.get("from"), "from"),
        date_to=_parse_date(args.get("to"), "to"),
        sort=sort,
        truncated=truncated,
        exact=bool(parse_int(args.get("exact"), "exact", 0, 1, 0)),
    )
    if params.date_from and params.date_to and params.date_from > params.date_to:
        if swap_dates:
            return replace(params, date_from=params.date_to, date_to=params.date_from,
                           dates_swapped=True)
        raise BadParameter(
            "from",
            "from must not be after to",
            "تاريخ البداية بعد تاريخ النهاية.",
        )
    return params
