"""The pages (blueprint ``ui``): the search page ``/`` and the article page ``/articles/<id>``.

Every page is right-to-left Arabic (templates/base.html) and works without JavaScript: the
search box is a plain GET form, facets, sort, timeline and pagination are links, and all state
lives in the URL (``q, page, category, source, year, from, to, sort``). static/fahras.js only
adds suggestions as you type. Errors of both surfaces are answered here: JSON envelopes for
API paths (web/api.py), Arabic pages for the rest.
"""

from __future__ import annotations

from datetime import date, datetime
from urllib.parse import urlsplit

from flask import Blueprint, Flask, current_app, render_template, request
from werkzeug.exceptions import HTTPException

from search import (
    ArticleNotFound,
    FahrasError,
    IndexDamaged,
    IndexMismatch,
    IndexNotFound,
    QueryError,
    SearchBusy,
)
from web import api, get_searcher
from web.params import SORTS, BadParameter, SearchParams, parse_search_args
from web.query_log import record_search

__all__ = ["bp", "register_error_pages", "arabic_date", "timeline_bars", "page_window"]

bp = Blueprint("ui", __name__)

ARABIC_MONTHS = (
    "يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو",
    "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر",
)
FACET_TITLES = {"category": "التصنيف", "source": "المصدر", "year": "السنة"}
_BAR_STEPS = 20  # bar heights are CSS classes h0..h20 (no inline styles under the CSP)
_MAX_TIMELINE_SPAN = 60  # years; wider ranges show only the years that have results


@bp.app_template_filter("arabic_date")
def arabic_date(value: date | datetime | None) -> str:
    """``18 فبراير 2018``; empty for no date."""
    if value is None:
        return ""
    return f"{value.day} {ARABIC_MONTHS[value.month - 1]} {value.year}"


@bp.app_template_filter("number")
def number(value: int | float) -> str:
    return f"{value:,}"


@bp.app_template_filter("seconds")
def seconds(elapsed_ms: float) -> str:
    return f"{elapsed_ms / 1000:.3f}".rstrip("0").rstrip(".") if elapsed_ms else "0"


@bp.app_template_filter("safe_url")
def safe_url(url: str | None) -> str | None:
    """``url`` if it is a plain http(s) address, else None (never ``javascript:`` and co.)."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    return url.strip() if parts.scheme in ("http", "https") and parts.netloc else None


def timeline_bars(year_facet, params: SearchParams) -> list[dict]:
    """A bar per year of the results, oldest first; empty years inside the range included.

    Each bar links to the same search narrowed to that year's dates.
    """
    counts: dict[int, int] = {}
    for facet in year_facet or ():
        try:
            counts[int(facet.value)] = facet.count
        except (TypeError, ValueError):
            continue
    if not counts:
        return []
    low, high = min(counts), max(counts)
    years = range(low, high + 1) if high - low <= _MAX_TIMELINE_SPAN else sorted(counts)
    most = max(counts.values())
    bars = []
    for year in years:
        count = counts.get(year, 0)
        bars.append({
            "label": str(year),
            "count": count,
            "step": round(count / most * _BAR_STEPS) if count else 0,
            "args": params.url_args(
                year=None, date_from=date(year, 1, 1), date_to=date(year, 12, 31)
            ) if count else None,
        })
    return bars


def page_window(page: int, pages: int, around: int = 2) -> list[int | None]:
    """Page numbers to show: the first, the last and ``around`` either side (None = a gap)."""
    wanted = {1, pages, *range(page - around, page + around + 1)}
    shown = sorted(p for p in wanted if 1 <= p <= pages)
    window: list[int | None] = []
    for p in shown:
        if window and p - window[-1] > 1:
            window.append(None)
        window.append(p)
    return window


def _search_params() -> SearchParams:
    config = current_app.config
    return parse_search_args(
        request.args,
        max_query_length=config["MAX_QUERY_LENGTH"],
        max_page=config["MAX_PAGE"],
        default_per_page=config["PER_PAGE"],
        allow_per_page=False,
        truncate=True,
        swap_dates=True,  # the date-range form never lands on a 400 page
    )


@bp.get("/")
def search_page():
    params = _search_params()
    searcher = get_searcher()
    if not params.q and not params.filtered:
        return render_template(
            "home.html", params=params, doc_count=searcher.doc_count(),
            categories=searcher.categories(),
        )
    page = searcher.search(params.q, **params.searcher_kwargs())
    record_search(page)  # the query log (web/query_log.py), when analytics are on
    max_page = min(page.pages, current_app.config["MAX_PAGE"])
    facets = dict(page.facets)
    facets["year"] = sorted(facets.get("year") or (), key=lambda f: str(f.value), reverse=True)
    return render_template(
        "search.html",
        params=params,
        page=page,
        facets=facets,
        sorts=SORTS,
        facet_titles=FACET_TITLES,
        timeline=timeline_bars(page.facets.get("year"), params),
        pagination=page_window(page.page, max_page),
        max_page=max_page,
    )


@bp.get("/articles/<article_id>")
def article_page(article_id: str):
    limit = current_app.config["MAX_QUERY_LENGTH"]
    query = " ".join((request.args.get("q") or "").split())[:limit]
    searcher = get_searcher()
    article = searcher.get(article_id, query=query or None)
    related = searcher.similar(article_id, n=5)
    return render_template("article.html", article=article, related=related, query=query)


# ------------------------------------------------------------------ errors (both surfaces)

_ARABIC = {
    "bad_parameter": ("طلب غير صالح", "في الرابط قيمة لا يمكن استعمالها."),
    "article_not_found": ("المقال غير موجود", "لا يوجد في الفهرس مقال بهذا المعرّف؛ "
                          "ربما حُذف أو أن الرابط غير صحيح."),
    "not_found": ("الصفحة غير موجودة", "لا توجد صفحة بهذا العنوان."),
    "method_not_allowed": ("طريقة غير مسموح بها", "هذا العنوان لا يقبل هذا النوع من الطلبات."),
    "index_not_found": ("الفهرس غير موجود", "لم يُبنَ فهرس البحث بعد، فلا يمكن البحث الآن."),
    "index_mismatch": ("الفهرس يحتاج إلى إعادة بناء",
                       "الفهرس الموجود بُني بإصدار آخر من فهرس، فلا يمكن استعماله."),
    "index_damaged": ("الفهرس تالف", "تعذّرت قراءة ملفات فهرس البحث، فلا يمكن البحث الآن."),
    "busy": ("البحث مشغول", "تجري الآن عمليات بحث كثيرة بكلمات تقريبية؛ أعد المحاولة بعد ثوانٍ."),
    "internal_error": ("حدث خطأ غير متوقع", "تعذّر إكمال الطلب. حاول مرة أخرى بعد قليل."),
}
_ENGLISH = {
    "index_not_found": "no search index has been built yet; build one with: "
    "fahras-index build seeds (or start fahras-web, which builds it from seeds/)",
    "index_mismatch": "the index was built by another version of Fahras; rebuild it with: "
    "fahras-index build SOURCE...",
    "index_damaged": "the files of the search index cannot be read; rebuild it with: "
    "fahras-index build SOURCE...",
    "internal_error": "an unexpected error occurred",
}


def _describe(exc: Exception) -> tuple[int, str, str]:
    """(status, code, English message) for an exception."""
    if isinstance(exc, (BadParameter, QueryError)):
        return 400, "bad_parameter", str(exc)
    if isinstance(exc, ArticleNotFound):
        return 404, "article_not_found", str(exc)
    if isinstance(exc, IndexNotFound):
        return 503, "index_not_found", _ENGLISH["index_not_found"]
    if isinstance(exc, IndexMismatch):
        return 503, "index_mismatch", _ENGLISH["index_mismatch"]
    if isinstance(exc, IndexDamaged):
        return 503, "index_damaged", _ENGLISH["index_damaged"]
    if isinstance(exc, SearchBusy):
        return 429, "busy", str(exc)
    if isinstance(exc, HTTPException) and exc.code and exc.code < 500:
        return exc.code, (exc.name or "error").lower().replace(" ", "_"), exc.description or ""
    return 500, "internal_error", _ENGLISH["internal_error"]


def _handle(exc: Exception):
    status, code, message = _describe(exc)
    if status >= 500 and code == "internal_error":
        current_app.logger.exception("unexpected error on %s", request.path, exc_info=exc)
    headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, SearchBusy) else {}
    if api.is_api_request():
        response = api.error_response(status, code, message)
        response.headers.update(headers)
        return response
    title, text = _ARABIC.get(code, (f"خطأ {status}", ""))
    detail = getattr(exc, "message_ar", None)
    detail_en = message if status == 400 and not detail else None
    return render_template(
        "error.html", status=status, code=code, title=title, text=text, detail=detail,
        detail_en=detail_en,
        query=(request.args.get("q") or "")[: current_app.config["MAX_QUERY_LENGTH"]],
    ), status, headers


def register_error_pages(app: Flask) -> None:
    """Answer every error of ``app``: JSON envelopes on API paths, Arabic pages elsewhere."""
    for kind in (HTTPException, FahrasError, BadParameter, Exception):
        app.register_error_handler(kind, _handle)
