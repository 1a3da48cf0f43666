"""The embeddable searcher: ``Searcher(index_dir).search("…")`` → a :class:`SearchPage`.

The centre of the search side, and a coordinator: it checks the parameters
(search/params.py), parses the person's text (search/query.py), prices it
(search/cost.py), asks the index backend (search/backend.py; the Whoosh one in
search/whoosh/ by default) under a time limit, and turns what comes back into the frozen
results of search/results.py, with snippets from search/hits.py and suggestions from
search/suggest/. One ``Searcher`` is meant to be opened once and shared by every thread
of an application; it picks up a rebuilt or updated index by itself.
"""

from __future__ import annotations

import math
import os
import time
from dataclasses import replace

from search.article import article_view
from search.backend import Filters, Found, SearchBackend, SearchRequest
from search.backends import open_backend
from search.budget import TimeBudget
from search.cost import CostGate
from search.errors import QueryError
from search.highlight import HighlightTerms
from search.hits import to_hit
from search.keyboard import KeyboardReader
from search.labels import LABEL_FIELDS, LabelTable, load_labels
from search.params import DateArg, check_count, check_params
from search.query import ParsedQuery, parse_query
from search.related import RelatedWords
from search.results import (
    FACET_FIELDS,
    ArticleView,
    Expansion,
    FacetValue,
    Hit,
    IndexInfo,
    SearchPage,
)
from search.suggest import FEW_RESULTS, Correction, complete, correct
from search.synonyms import Synonyms, load_synonyms
from search.variants import NameVariants

__all__ = ["Searcher"]

#: The most results :meth:`Searcher.rank` gives.
MAX_RANK = 10_000
#: A search that finds fewer than :data:`~search.suggest.FEW_RESULTS` articles shows the
#: results of its correction instead when that finds this many times more (at least this many).
CORRECTED_RATIO = 5


def _text(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise QueryError(f"the {what} must be a string, not {type(value).__name__}")
    return value


def _shows_correction(total: int, correction: Correction) -> bool:
    """True when a search that found ``total`` articles shows its correction's instead."""
    return total < FEW_RESULTS and correction.total >= CORRECTED_RATIO * max(total, 1)


class Searcher:
    """Searches one Fahras index; thread-safe, reopened by itself when the index changes.

    ``index_dir`` is a folder or a cluster address ``sphinx://host:port[,…]/name``
    (indexer/address.py; default ``$FAHRAS_INDEX``, else ``$FAHRAS_INDEX_DIR``, else
    ``./index``); ``labels`` is a
    :class:`~search.labels.LabelTable` or the path of a label file to add to the shipped
    display names of category and source codes (None: ``$FAHRAS_LABELS``, when set). Raises
    :class:`~search.errors.IndexNotFound` or :class:`~search.errors.IndexMismatch`
    when there is no usable index there. ``time_limit`` (seconds) bounds the
    collecting of results of each search: a search cut short returns what it had
    found, with ``timed_out=True``. A query that would cost too much to run (many
    typo-tolerant or prefix words, search/cost.py) is refused with a
    :class:`~search.errors.QueryError`; at most ``costly_searches`` costly ones run at once,
    one more raises :class:`~search.errors.SearchBusy`. ``backend`` replaces the backend
    of ``index_dir`` by another :class:`~search.backend.SearchBackend`. ``synonyms`` is a
    :class:`~search.synonyms.Synonyms` or the path of a synonym file (None:
    ``$FAHRAS_SYNONYMS``, when set), applied to every query and read again when it changes.
    """

    def __init__(
        self,
        index_dir: str | os.PathLike[str] | None = None,
        *,
        time_limit: float = 2.0,
        labels: LabelTable | str | os.PathLike[str] | None = None,
        costly_searches: int = 1,
        backend: SearchBackend | None = None,
        synonyms: Synonyms | str | os.PathLike[str] | None = None,
    ) -> None:
        if not (isinstance(time_limit, (int, float)) and time_limit > 0):
            raise QueryError(f"time_limit must be a positive number of seconds, not {time_limit!r}")
        self.cost_gate = CostGate(costly_searches)
        self.labels = labels if isinstance(labels, LabelTable) else load_labels(labels)
        self.synonyms = synonyms if isinstance(synonyms, Synonyms) else load_synonyms(synonyms)
        self.backend = backend if backend is not None else open_backend(index_dir, self.labels)
        self.index_dir = getattr(self.backend, "root", self.backend.address)
        self.time_limit = float(time_limit)
        self.budget = TimeBudget(self.time_limit)
        self.variants = NameVariants(self.backend.lexicon)
        self.related = RelatedWords(self.backend.lexicon, self.backend.doc_count)
        self.keyboard = KeyboardReader(self.backend.lexicon)

    def __enter__(self) -> Searcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Release the index; the searcher cannot be used afterwards."""
        self.backend.close()

    def __repr__(self) -> str:
        return f"Searcher({self.backend.address!r})"

    # ---------------------------------------------------------------- search

    def search(
        self,
        q: str,
        page: int = 1,
        per_page: int = 10,
        category: str | None = None,
        source: str | None = None,
        date_from: DateArg = None,
        date_to: DateArg = None,
        sort: str = "relevance",
        year: int | str | None = None,
        correct: bool = True,
    ) -> SearchPage:
        """One page of the articles matching ``q`` (see search.query for the syntax).

        ``date_from``/``date_to`` are inclusive and take a ``date``, a ``datetime``
        or a string ``YYYY[-MM[-DD]]``; ``category``/``source`` match the labels in
        normal form. An empty ``q`` with a filter lists the filtered articles,
        newest first; with no filter either it gives an empty page. When ``q`` finds
        (almost) nothing and a corrected spelling finds much more, the page holds the
        corrected query's results and names it (``results_for``), unless ``correct`` is
        False (search exactly what was typed). Raises
        :class:`~search.errors.QueryError` for a bad parameter.
        """
        started = time.perf_counter()
        q = _text(q, "query")
        params = check_params(page, per_page, sort, category, source, date_from, date_to, year)
        keyboard = self.keyboard.reading(q)
        typed = parse_query(keyboard if keyboard is not None else q)
        parsed, expansions = self._expand(typed, self.budget.find_by(started))
        filters = Filters(params.category, params.source, params.date_from, params.date_to,
                          params.year)
        listing = not parsed.has_terms
        if not isinstance(correct, bool):
            raise QueryError(f"correct must be True or False, not {correct!r}")
        asked = time.perf_counter()
        share = self.budget.share(started, asked)
        request = SearchRequest(
            parsed, filters, "newest" if listing and params.sort == "relevance" else params.sort,
            offset=(params.page - 1) * params.per_page, limit=params.per_page,
            time_limit=share,
        )
        with self.cost_gate.admit(typed):
            found, suggestion, results_for = self._find(request, typed, correct, asked + share)
        hits = self._hits(found, request.offset)
        self.budget.record(asked + share, time.perf_counter(), found.timed_out)
        return SearchPage(
            query=q,
            total=found.total,
            page=params.page,
            per_page=params.per_page,
            pages=math.ceil(found.total / params.per_page),
            hits=hits,
            facets={name: self._labelled(name, found.facets.get(name, ()))
                    for name in FACET_FIELDS},
            suggestion=suggestion.text if suggestion is not None else None,
            results_for=results_for,
            elapsed_ms=round((time.perf_counter() - started) * 1000, 2),
            timed_out=found.timed_out,
            sort=params.sort,
            filters=dict(params.filters),
            partial=found.partial,
            expansions=self.variants.shown(expansions),
            keyboard=keyboard,
        )

    def _hits(self, found: Found, offset: int) -> tuple[Hit, ...]:
        """The page's hits; hurried ones when the search reached its time limit (their
        words marked in the opening of the texts only, search/highlight.py)."""
        return tuple(to_hit(hit.fields, found.terms, hit.score, offset + i + 1, self.labels,
                            hit.copies, found.timed_out)
                     for i, hit in enumerate(found.hits))

    def _find(self, request: SearchRequest, typed: ParsedQuery, correct: bool,
              deadline: float) -> tuple[Found, Correction | None, str | None]:
        """What ``request`` finds, the correction of what was ``typed``, and the corrected
        query whose results were found instead (when ``correct`` and the query found almost
        nothing); no correction once the time limit has passed."""
        found = self.backend.search(request)
        if (not request.parsed.has_terms or found.timed_out
                or time.perf_counter() >= deadline):
            return found, None, None
        suggestion = self._suggestion(typed, request.filters, found.total, deadline)
        if correct and suggestion is not None and _shows_correction(found.total, suggestion):
            corrected = replace(request, parsed=self._parse(suggestion.text))
            return self.backend.search(corrected), None, suggestion.text
        return found, suggestion, None

    def _suggestion(self, parsed: ParsedQuery, filters: Filters, total: int,
                    deadline: float) -> Correction | None:
        def count(text: str) -> int:  # within what is left of the search's time limit
            left = deadline - time.perf_counter()
            return self.backend.count(self._parse(text), filters, left) if left > 0 else 0

        return correct(parsed, self.backend.lexicon, total, self.backend.doc_count, count)

    def _parse(self, text: str) -> ParsedQuery:
        """``text`` parsed, with the synonyms and other spellings of its words."""
        return self._expand(parse_query(text))[0]

    def _expand(self, typed: ParsedQuery, deadline: float | None = None,
                ) -> tuple[ParsedQuery, tuple[Expansion, ...]]:
        """``typed`` with the synonyms of its words (search/synonyms.py), then the other
        spellings of those words in the index (search/variants.py) and the words of a rare
        word's root (search/related.py; none for the words met past ``deadline``), and the
        spellings added."""
        spelled, expansions = self.variants.expand(self.synonyms.expand(typed), deadline)
        return self.related.expand(spelled, deadline), expansions

    def _labelled(self, name: str, values: tuple[FacetValue, ...]) -> tuple[FacetValue, ...]:
        if name not in LABEL_FIELDS:
            return values
        return tuple(replace(v, label=self.labels.label(name, v.value)) for v in values)

    def rank(self, q: str, limit: int = 100) -> list[tuple[str, float]]:
        """The ids and scores of the ``limit`` best articles for ``q``, best first.

        The lean form of :meth:`search` for batch runs and evaluation: the same
        query and ranking, without snippets, facets or suggestions. A query that
        matches nothing is tried again with its plain words relaxed to the words a
        typo away (``يتزوج`` → ``تزوج``), where :meth:`search` would offer "did you
        mean" instead; a query with no words to rank by gives ``[]``.
        """
        typed = parse_query(_text(q, "query"))
        limit = check_count(limit, "limit", MAX_RANK)
        if not typed.has_terms:
            return []
        with self.cost_gate.admit(typed):
            return self.backend.rank(self._expand(typed)[0], limit, self.time_limit)

    # ---------------------------------------------------------------- articles

    def get(self, id: str, query: str | None = None) -> ArticleView:
        """The whole article ``id``, with the words of ``query`` marked when given."""
        parsed = self._parse(_text(query, "query")) if query else None
        stored = self.backend.article(id, parsed)
        return article_view(dict(stored.fields), stored.terms, self.labels, stored.copies)

    def similar(self, id: str, n: int = 5) -> tuple[Hit, ...]:
        """Up to ``n`` articles most like article ``id`` (by its key words), itself and its
        copies excluded."""
        n = check_count(n)
        return tuple(
            to_hit(hit.fields, HighlightTerms(), hit.score, rank, self.labels, hit.copies)
            for rank, hit in enumerate(self.backend.similar(id, n), start=1)
        )

    # ---------------------------------------------------------------- the index

    def suggest(self, prefix: str, n: int = 8) -> list[str]:
        """Up to ``n`` completions of ``prefix`` as typed in a search box: its last word
        completed after the word before it (search/suggest/complete.py)."""
        n = check_count(n)
        prefix = _text(prefix, "prefix")
        if not prefix.strip():
            return []
        return complete(self.backend.lexicon, prefix, n)

    def check(self) -> int:
        """Read the live index through and give its number of articles: what a health check
        asks (the backend's own reading: for Whoosh, every file of every segment). Raises
        :class:`~search.errors.IndexNotFound` or :class:`~search.errors.IndexMismatch` as
        :meth:`search` does, and :class:`~search.errors.IndexDamaged` when files of the
        index cannot be read."""
        return self.backend.check()

    def info(self) -> IndexInfo:
        """The live index's article count, generation and last write (:class:`IndexInfo`)."""
        return self.backend.info()

    def doc_count(self) -> int:
        """How many articles the index holds."""
        return self.backend.doc_count()

    def cache_stats(self) -> dict[str, tuple[int, int]]:
        """``cache name -> (hits, misses)`` of the backend's caches since it was opened (for
        the Whoosh backend: ``scored_terms``, ``postings``, ``filters``, ``vocabulary``,
        ``stored``, ``segment_terms``)."""
        return dict(self.backend.cache_stats())

    def categories(self) -> tuple[FacetValue, ...]:
        """Every category code, with its display name and its number of articles (a group
        of copies counted once), most frequent first."""
        return self._labelled("category", self.backend.label_counts("category"))

    def sources(self) -> tuple[FacetValue, ...]:
        """Every source code, with its display name and its number of articles (a group of
        copies counted once), most frequent first."""
        return self._labelled("source", self.backend.label_counts("source"))
