"""Running a compiled query: sorting, facet counts, the time limit, hits.

Sits between the searcher (search/searcher.py), which decides what to run, and
Whoosh: every search collects ALL matching articles (so the total and the facet
counts are exact and cover the whole result set) under a time limit, then the
searcher turns only the requested page into :class:`~search.results.Hit` objects
with :func:`to_hit`.

Speed: the facets are counted from the matched document numbers and the labels of
every article, read once per version of the index (:func:`facet_columns`), instead
of by Whoosh's facet collectors document by document; and the time limit is a
deadline checked while collecting, not a timer thread started for every search.
"""

from __future__ import annotations

import time
from collections import Counter

from whoosh import query as wq
from whoosh import sorting
from whoosh.collectors import TimeLimit, TimeLimitCollector
from whoosh.searching import Searcher as WhooshSearcher

from search.highlight import HighlightTerms, highlight_text, snippet
from search.results import FACET_FIELDS, FacetValue, Hit

__all__ = [
    "sort_facet",
    "facet_values",
    "facet_columns",
    "facet_counts",
    "hit_score",
    "to_hit",
    "run_timed",
    "collect",
]

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


class _DeadlineCollector(TimeLimitCollector):
    """Whoosh's time limit without its timer thread: the clock is read every
    :attr:`EVERY` matches (a thread per search costs more than the searching of
    a small result set on a busy machine)."""

    EVERY = 64

    def __init__(self, child, timelimit: float) -> None:
        super().__init__(child, timelimit, use_alarm=False)
        self._deadline = 0.0

    def prepare(self, top_searcher, q, context) -> None:
        self.child.prepare(top_searcher, q, context)
        self.timedout = False
        self._deadline = time.monotonic() + self.timelimit

    def collect_matches(self) -> None:
        child, deadline, every = self.child, self._deadline, self.EVERY
        for count, sub_docnum in enumerate(child.matches(), start=1):
            child.collect(sub_docnum)
            if not count % every and time.monotonic() > deadline:
                self.timedout = True
                raise TimeLimit


def run_timed(searcher: WhooshSearcher, query: wq.Query, collector, time_limit: float):
    """``(results, timed_out)``: ``query`` run into ``collector`` within ``time_limit`` s.

    No SIGALRM: a library must not take over the host application's signals.
    """
    timed = _DeadlineCollector(collector, time_limit)
    try:
        searcher.search_with_collector(query, timed)
    except TimeLimit:
        return timed.results(), True
    return timed.results(), False


def collect(searcher: WhooshSearcher, query: wq.Query, restrict, sortedby, time_limit: float):
    """Every article matching ``query`` and ``restrict``, sorted (facets: :func:`facet_counts`)."""
    collector = searcher.collector(limit=None, sortedby=sortedby, filter=restrict)
    return run_timed(searcher, query, collector, time_limit)


def facet_columns(searcher: WhooshSearcher) -> dict[str, list]:
    """The label of every article (by document number) for each facet field; the same
    values Whoosh's ``FieldFacet`` groups by (None where a segment has no such column).
    Read once per generation of the index."""
    columns: dict[str, list] = {name: [] for name in FACET_FIELDS}
    for leaf, offset in searcher.reader().leaf_readers():
        count = leaf.doc_count_all()
        for name, values in columns.items():
            del values[offset:]
            values += [None] * (offset - len(values))
            if leaf.has_column(name):
                values += list(leaf.column_reader(name))[:count]
            values += [None] * (offset + count - len(values))
    for name, values in columns.items():
        shared: dict = {}
        columns[name] = [shared.setdefault(v, v) for v in values]
    return columns


def facet_counts(columns: dict[str, list], results) -> dict[str, tuple[FacetValue, ...]]:
    """Counts of each label over the matched articles of ``results``, most frequent first."""
    docnums = [docnum for _, docnum in results.top_n]
    return {
        name: facet_values(Counter(map(values.__getitem__, docnums)))
        for name, values in columns.items()
    }
