"""Collecting a search: every match, the page asked for, exact totals and facet counts.

Sits between the Whoosh backend (search/whoosh/backend.py), which decides what to run, and
the term-at-a-time scoring of search/whoosh/scoring.py: :func:`collect` scores ALL matching
articles (so the total and the facet counts are exact and cover the whole result set)
within a time limit and keeps those the filters let through; :meth:`Matches.best` puts
the first pages in order (by score, or by date with undated articles last), and
:func:`facet_counts` counts labels from the columns of :func:`index_columns`, read once
per segment of the index. Only the requested page's stored fields are read.
"""

from __future__ import annotations

import heapq
import os
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from whoosh import query as wq
from whoosh.searching import Searcher as WhooshSearcher

from indexer.whoosh.columns import segment_column
from search.results import FACET_FIELDS, FacetValue
from search.whoosh.scorecache import ScoreCache
from search.whoosh.scoring import QueryScorer, Scores
from search.whoosh.segments import SegmentCache, segment_key

__all__ = [
    "Matches",
    "collect",
    "index_columns",
    "facet_counts",
    "facet_values",
    "COLUMNS",
]

#: The per-article values read into memory: the facets, the timestamp to sort by, and the
#: key copies of one article share (search/whoosh/duplicates.py).
COLUMNS: tuple[str, ...] = (*FACET_FIELDS, "timestamp", "dupkey")


@dataclass(frozen=True)
class Matches:
    """Every article a search matched (``{docnum: score}``), and whether time ran out."""

    scores: Scores
    timed_out: bool = False

    def __len__(self) -> int:
        return len(self.scores)

    def best(self, n: int, columns: dict[str, list] | None = None,
             sort: str = "relevance") -> list[tuple[int, float]]:
        """The first ``n`` ``(docnum, score)`` in order: best score first, or for
        ``sort`` "newest"/"oldest" by date (``columns`` from :func:`index_columns`),
        undated articles last and the better score first on the same date."""
        scores = self.scores
        if sort == "relevance":
            best = heapq.nlargest(n, scores, key=scores.__getitem__)
        else:
            years, stamps = columns["year"], columns["timestamp"]
            sign = -1 if sort == "newest" else 1

            def by_date(docnum: int) -> tuple:
                dated = 0 < (years[docnum] or 0) < 10000
                return (not dated, sign * (stamps[docnum] or 0), -scores[docnum])

            best = heapq.nsmallest(n, scores, key=by_date)
        return [(docnum, scores[docnum]) for docnum in best]


def collect(
    searcher: WhooshSearcher,
    cache: ScoreCache,
    query: wq.Query | None,
    restrict: wq.Query | None,
    deadline: float,
    length_norm: Mapping[str, float] | None = None,
) -> Matches:
    """Every article matching ``query`` (None: every article ``restrict`` lets through,
    in index order, scored 0) and ``restrict``, scored by ``deadline``
    (``time.monotonic()``); ``length_norm``: BM25F's ``b`` of the fields named, for this
    query (search/weights.py)."""
    scorer = QueryScorer(searcher, cache, deadline, length_norm)
    if query is None:
        if restrict is None:
            return Matches({})
        return Matches(dict.fromkeys(sorted(scorer.allowed(restrict)), 0.0))
    scores = scorer.scores(query)
    if restrict is not None and scores:
        allowed = scorer.allowed(restrict)
        scores = {docnum: score for docnum, score in scores.items() if docnum in allowed}
    return Matches(scores, scorer.timed_out)


def index_columns(searcher: WhooshSearcher, segments: SegmentCache,
                  path: str | os.PathLike[str]) -> dict[str, list]:
    """The value of every article (by document number) in each of :data:`COLUMNS`: the
    labels Whoosh's ``FieldFacet`` groups by (None where a segment has no such column).

    Read segment by segment (Whoosh's reader over several segments mis-maps document
    numbers in its column reader), each segment once for its life (``segments``).
    """
    columns: dict[str, list] = {name: [] for name in COLUMNS}
    for leaf, offset in searcher.reader().leaf_readers():
        key = segment_key(Path(path), leaf)
        for name, values in columns.items():
            values += [None] * (offset - len(values))
            values += segments.get(key, ("column", name),
                                   lambda leaf=leaf, name=name: segment_column(leaf, name))
    return columns


def facet_counts(columns: dict[str, list], matches: Matches) -> dict[str, tuple[FacetValue, ...]]:
    """Counts of each label over every matched article, most frequent first."""
    return {
        name: facet_values(Counter(map(columns[name].__getitem__, matches.scores)))
        for name in FACET_FIELDS
    }


def facet_values(groups: dict) -> tuple[FacetValue, ...]:
    values = []
    for value, count in groups.items():
        if isinstance(value, int) and not 0 < value < 10000:
            continue  # no year (0) or Whoosh's stand-in for a missing value
        if value not in ("", None):
            values.append(FacetValue(str(value), int(count)))
    return tuple(sorted(values, key=lambda v: (-v.count, v.value)))
