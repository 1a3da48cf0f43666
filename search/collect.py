"""Running a compiled query: sorting, facet counts, the time limit, hits.

Sits between the searcher (search/searcher.py), which decides what to run, and
Whoosh: every search collects ALL matching articles (so the total and the facet
counts are exact and cover the whole result set) under a
:class:`~whoosh.collectors.TimeLimitCollector`, then the searcher turns only the
requested page into :class:`~search.results.Hit` objects with :func:`to_hit`.
"""

from __future__ import annotations

from whoosh import query as wq
from whoosh import sorting
from whoosh.collectors import TimeLimit, TimeLimitCollector
from whoosh.searching import Searcher as WhooshSearcher

from search.highlight import HighlightTerms, highlight_text, snippet
from search.results import FACET_FIELDS, FacetValue, Hit

__all__ = ["sort_facet", "facet_values", "hit_score", "to_hit", "run_timed", "collect"]

#: Dated articles (year 1 or later; undated ones have year 0) before undated ones.
_HAS_DATE = sorting.QueryFacet({0: wq.NumericRange("year", 1, None)}, other=1)


def sort_facet(sort: str, listing: bool):
    """Whoosh's ``sortedby`` for a sort (None: by score); undated articles always come last."""
    if sort == "relevance" and not listing:
        return None
    newest = sort != "oldest"
    return sorting.MultiFacet(
        [_HAS_DATE, sorting.FieldFacet("timestamp", reverse=newest), sorting.ScoreFacet()]
    )


def facet_values(groups: dict) -> tuple[FacetValue, ...]:
    values = []
    for value, count in groups.items():
        if isinstance(value, int) and not 0 < value < 10000:
            continue  # no year (0) or Whoosh's stand-in for a missing value
        if value not in ("", None):
            values.append(FacetValue(str(value), int(count)))
    return tuple(sorted(values, key=lambda v: (-v.count, v.value)))


def hit_score(score: object) -> float:
    """A hit's score; a sorted search gives the sort key, which ends with minus the score."""
    if isinstance(score, tuple):
        score = -score[-1] if score and isinstance(score[-1], (int, float)) else 0.0
    return float(score or 0.0)


def to_hit(fields: dict, terms: HighlightTerms, score: object, rank: int) -> Hit:
    title = fields.get("title") or ""
    return Hit(
        id=fields["id"],
        title=title,
        date=fields.get("date"),
        category=fields.get("category") or "",
        source=fields.get("source") or "",
        url=fields.get("url") or "",
        score=hit_score(score),
        rank=rank,
        title_highlight=highlight_text(title, terms),
        snippet=snippet(fields.get("body") or "", terms),
    )


def run_timed(searcher: WhooshSearcher, query: wq.Query, collector, time_limit: float):
    """``(results, timed_out)``: ``query`` run into ``collector`` within ``time_limit`` s.

    No SIGALRM: a library must not take over the host application's signals.
    """
    timed = TimeLimitCollector(collector, time_limit, use_alarm=False)
    try:
        searcher.search_with_collector(query, timed)
    except TimeLimit:
        return timed.results(), True
    return timed.results(), False


def collect(searcher: WhooshSearcher, query: wq.Query, restrict, sortedby, time_limit: float):
    """Every article matching ``query`` and ``restrict``, sorted, with facet counts."""
    collector = searcher.collector(
        limit=None,
        sortedby=sortedby,
        groupedby={name: sorting.FieldFacet(name) for name in FACET_FIELDS},
        maptype=sorting.Count,
        filter=restrict,
    )
    return run_timed(searcher, query, collector, time_limit)
