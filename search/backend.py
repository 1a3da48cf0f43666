"""The interface between the searcher and an index backend, and what crosses it.

The searcher (search/searcher.py) is a coordinator: it checks parameters, parses the
person's text (search/query.py), prices it (search/cost.py), and turns what a backend finds
into results (search/results.py) with snippets (search/highlight.py) and suggestions
(search/suggest/). A backend holds the index and answers the questions below; everything
it hands back is plain data: stored fields, scores, counts, terms. The Whoosh backend
(search/whoosh/) is the default; a distributed backend answers the same questions.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from indexer.pairs import PairTable
from search.highlight import HighlightTerms
from search.query import ParsedQuery
from search.results import FacetValue, IndexInfo

__all__ = ["Filters", "SearchRequest", "StoredHit", "Found", "StoredArticle", "Lexicon",
           "SearchBackend"]


@dataclass(frozen=True)
class Filters:
    """What narrows a search besides its words (already checked: search/params.py)."""

    category: str | None = None
    source: str | None = None
    date_from: datetime | None = None
    date_to: datetime | None = None
    year: int | None = None


@dataclass(frozen=True)
class SearchRequest:
    """One search: the parsed query, its filters, the order and the slice of results wanted.

    ``sort`` is ``relevance``, ``newest`` or ``oldest``; ``time_limit`` is the seconds the
    backend may spend collecting (then it answers with what it found, ``timed_out``)."""

    parsed: ParsedQuery
    filters: Filters = field(default_factory=Filters)
    sort: str = "relevance"
    offset: int = 0
    limit: int = 10
    time_limit: float = 2.0


@dataclass(frozen=True)
class StoredHit:
    """One article found: its stored fields (``id``, ``title``, ``body``, ``date``,
    ``category``, ``source``, ``url``, ``summary`` …), its score, and how many copies of it
    the index holds (itself included)."""

    fields: Mapping[str, Any]
    score: float
    copies: int = 1


@dataclass(frozen=True)
class Found:
    """What a search found: the total (one per group of copies), the hits of the slice
    asked for, the facet counts of the whole result set (unlabelled), the index terms the
    query matched (for highlighting), whether time ran out, and the parts of the index
    (nodes of a cluster) that did not answer, whose articles are missing (``partial``)."""

    total: int
    hits: tuple[StoredHit, ...] = ()
    facets: Mapping[str, tuple[FacetValue, ...]] = field(default_factory=dict)
    terms: HighlightTerms = HighlightTerms()
    timed_out: bool = False
    partial: tuple[str, ...] = ()


@dataclass(frozen=True)
class StoredArticle:
    """One article by id: its stored fields, the terms of a query to mark in it, and the ids
    of its other copies."""

    fields: Mapping[str, Any]
    terms: HighlightTerms = HighlightTerms()
    copies: tuple[str, ...] = ()


class Lexicon(Protocol):
    """The index's unstemmed, normalised words and their pairs, for completions and "did you
    mean"."""

    def prefix_terms(self, prefix: str, limit: int) -> list[tuple[str, int]]:
        """``(word, articles)`` of the ``limit`` most frequent words starting with ``prefix``."""

    def near_terms(self, word: str) -> list[tuple[str, int]]:
        """``(word, articles)`` of the words a typo away from ``word``, most frequent first."""

    def frequency(self, word: str) -> int:
        """How many articles hold the normalised ``word``."""

    def frequencies(self, words: Sequence[str]) -> dict[str, int]:
        """``word -> articles`` of those of the normalised ``words`` the index holds (one
        look-up for them all)."""

    def remembered(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        """``compute()``, remembered under ``key`` for this version of the index (in a
        bounded cache of the backend's)."""

    def shared(self, word: str, other: str) -> int:
        """How many articles hold both normalised words."""

    def stem(self, word: str) -> str:
        """The stem of the normalised ``word``, as the index stems its words."""

    def base(self, word: str) -> str:
        """The normalised ``word`` without its proclitics (conjunctions, prepositions, the
        article), as the index decides them."""

    def stem_frequency(self, word: str) -> int:
        """How many articles hold a word with the stem of the normalised ``word`` (stemmed as
        the index stems its words)."""

    def stem_counts(self, stems: Sequence[str]) -> dict[str, int]:
        """``stem -> articles`` of those of ``stems`` (as the index stems its words) that the
        index holds (one look-up for them all)."""

    def surface_form(self, word: str) -> str:
        """How the normalised ``word`` is written in the articles (without diacritics)."""

    def pairs(self) -> PairTable:
        """The word pairs of the build (indexer/pairs.py): which normalised words follow
        which in the articles, and in how many."""


class SearchBackend(Protocol):
    """An index the searcher can ask; safe to share between threads."""

    #: Where the index is, as the person named it (a folder, or a cluster address).
    address: str

    def search(self, request: SearchRequest) -> Found:
        """The articles matching ``request``, one per group of copies."""

    def rank(self, parsed: ParsedQuery, limit: int, time_limit: float) -> list[tuple[str, float]]:
        """``(id, score)`` of the ``limit`` best articles, without facets or snippets; a query
        that matches nothing is tried again with its words relaxed to close spellings."""

    def count(self, parsed: ParsedQuery, filters: Filters, time_limit: float) -> int:
        """How many articles ``parsed`` finds (0 when time runs out)."""

    def article(self, article_id: str, parsed: ParsedQuery | None = None) -> StoredArticle:
        """The article ``article_id``; raises :class:`~search.errors.ArticleNotFound`."""

    def similar(self, article_id: str, n: int) -> tuple[StoredHit, ...]:
        """Up to ``n`` articles like ``article_id`` (its copies left out); raises
        :class:`~search.errors.ArticleNotFound`."""

    @property
    def lexicon(self) -> Lexicon:
        """The index's words."""

    def label_counts(self, fieldname: str) -> tuple[FacetValue, ...]:
        """Every value of ``category`` or ``source`` with its number of articles (a group of
        copies counted once), most frequent first, unlabelled."""

    def check(self) -> int:
        """Read the index through; its number of articles. Raises
        :class:`~search.errors.IndexDamaged` when it cannot be read."""

    def info(self) -> IndexInfo:
        """The index's article count, generation and last write."""

    def doc_count(self) -> int:
        """How many articles the index holds (copies counted)."""

    def cache_stats(self) -> Mapping[str, tuple[int, int]]:
        """``cache name -> (hits, misses)`` since the backend was opened."""

    def close(self) -> None:
        """Release the index; the backend cannot be used afterwards."""
