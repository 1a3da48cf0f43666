"""The embeddable searcher: ``Searcher(index_dir).search("…")`` → a :class:`SearchPage`.

The centre of the search side: it takes the person's text through the parser
(search/query.py) and the compiler (search/compiler.py), runs the Whoosh query
on the live index (search/handle.py) under a time limit, and turns what comes
back into the frozen results of search/results.py, with snippets from
search/highlight.py and suggestions from search/suggest.py. One ``Searcher`` is
meant to be opened once and shared by every thread of an application; it picks
up a rebuilt or updated index by itself.
"""

from __future__ import annotations

import math
import os
import time
from collections import Counter
from dataclasses import replace

from whoosh import query as wq
from whoosh.searching import Searcher as WhooshSearcher

from search.article import article_view
from search.collect import (
    COLUMNS,
    Matches,
    collect,
    facet_counts,
    facet_values,
    index_columns,
    to_hit,
)
from search.compiler import (
    CompiledQuery,
    compile_query,
    date_filter,
    label_filter,
    year_filter,
)
from search.cost import CostGate
from search.damage import check_segment_files, read_through
from search.duplicates import CopyGroups, find_copy_groups
from search.errors import ArticleNotFound, QueryError
from search.handle import IndexHandle
from search.highlight import HighlightTerms
from search.labels import LABEL_FIELDS, LabelTable, load_labels
from search.params import DateArg, SearchParams, check_count, check_params
from search.query import parse_query
from search.results import FACET_FIELDS, ArticleView, FacetValue, Hit, IndexInfo, SearchPage
from search.suggest import complete, did_you_mean

__all__ = ["Searcher"]

#: The most results :meth:`Searcher.rank` gives.
MAX_RANK = 10_000


def _stored_id(article_id: object) -> str:
    """``article_id`` as the index could hold it. Every indexed id is valid UTF-8 (the
    readers refuse others), so an id that is not, a lone surrogate from a bad URL or
    command line, becomes one that matches nothing instead of an encoding error."""
    text = str(article_id)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return ""  # no article has the empty id
    return text


class Searcher:
    """Searches one Fahras index; thread-safe, reopened by itself when the index changes.

    ``index_dir`` defaults to ``$FAHRAS_INDEX_DIR`` or ``./index``; ``labels`` is a
    :class:`~search.labels.LabelTable` or the path of a label file to add to the shipped
    display names of category and source codes (None: ``$FAHRAS_LABELS``, when set). Raises
    :class:`~search.errors.IndexNotFound` or :class:`~search.errors.IndexMismatch`
    when there is no usable index there. ``time_limit`` (seconds) bounds the
    collecting of results of each search: a search cut short returns what it had
    found, with ``timed_out=True``. A query that would cost too much to run (many
    typo-tolerant or prefix words, search/cost.py) is refused with a
    :class:`~search.errors.QueryError`; at most ``costly_searches`` costly ones run at once,
    one more raises :class:`~search.errors.SearchBusy`.
    """

    def __init__(
        self,
        index_dir: str | os.PathLike[str] | None = None,
        *,
        time_limit: float = 2.0,
        labels: LabelTable | str | os.PathLike[str] | None = None,
        costly_searches: int = 1,
    ) -> None:
        if not (isinstance(time_limit, (int, float)) and time_limit > 0):
            raise QueryError(f"time_limit must be a positive number of seconds, not {time_limit!r}")
        self.cost_gate = CostGate(costly_searches)
        self.labels = labels if isinstance(labels, LabelTable) else load_labels(labels)
        self._handle = IndexHandle(index_dir, self.labels)
        self.index_dir = self._handle.root
        self.time_limit = float(time_limit)

    def __enter__(self) -> Searcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Release the index files; the searcher cannot be used afterwards."""
        self._handle.close()

    def __repr__(self) -> str:
        return f"Searcher({str(self.index_dir)!r})"

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
    ) -> SearchPage:
        """One page of the articles matching ``q`` (see search.query for the syntax).

        ``date_from``/``date_to`` are inclusive and take a ``date``, a ``datetime``
        or a string ``YYYY[-MM[-DD]]``; ``category``/``source`` match the labels in
        normal form. An empty ``q`` with a filter lists the filtered articles,
        newest first; with no filter either it gives an empty page. Raises
        :class:`~search.errors.QueryError` for a bad parameter.
        """
        started = time.perf_counter()
        if not isinstance(q, str):
            raise QueryError(f"the query must be a string, not {type(q).__name__}")
        params = check_params(page, per_page, sort, category, source, date_from, date_to, year)
        parsed = parse_query(q)
        with self.cost_gate.admit(parsed), self._handle.reading() as (version, searcher):
            found = self._find(version, searcher, parsed, params)
        return self._page(q, params, started, *found)

    def _find(self, version, searcher: WhooshSearcher, parsed, params: SearchParams) -> tuple:
        """``(total, hits, facets, suggestion, timed_out)`` of one search."""
        compiled = compile_query(parsed, searcher, version.vocabulary)
        restrict = self._filter(searcher, version, compiled, params)
        listing = not parsed.has_terms
        if listing and restrict is None and compiled.query is None:
            return 0, (), {}, None, False
        query = compiled.query
        if query is None and not listing:
            query = wq.Every()
        matches = collect(searcher, version.scores, query, restrict, self.time_limit)
        columns = self._columns(version, searcher)
        groups = self._copies(version, searcher)
        matches = Matches(groups.collapse(matches.scores), matches.timed_out)
        first = (params.page - 1) * params.per_page
        sort = "newest" if listing and params.sort == "relevance" else params.sort
        best = matches.best(first + params.per_page, columns, sort)[first:]
        hits = tuple(
            to_hit(searcher.stored_fields(docnum), compiled.terms, score, first + i + 1,
                   self.labels, len(groups.copies(docnum)))
            for i, (docnum, score) in enumerate(best)
        )
        facets = facet_counts(columns, matches)
        suggestion = None
        if parsed.has_terms and not matches.timed_out:
            suggestion = did_you_mean(
                parsed, searcher, version.vocabulary, len(matches),
                lambda text: self._count(searcher, version, text, restrict),
            )
        return len(matches), hits, facets, suggestion, matches.timed_out

    @staticmethod
    def _columns(version, searcher: WhooshSearcher) -> dict[str, list]:
        reader = searcher.reader()  # a pooled searcher may be a generation ahead of `version`
        key = ("columns", reader.generation(), reader.doc_count_all())
        return version.vocabulary.cached(
            key, lambda: index_columns(searcher, version.segments, version.path))

    def _copies(self, version, searcher: WhooshSearcher) -> CopyGroups:
        """The groups of copies of the version ``searcher`` reads, found once per version."""
        reader = searcher.reader()
        key = ("copies", reader.generation(), reader.doc_count_all())
        return version.vocabulary.cached(
            key, lambda: find_copy_groups(searcher, self._columns(version, searcher)["dupkey"]))

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
        if not isinstance(q, str):
            raise QueryError(f"the query must be a string, not {type(q).__name__}")
        limit = check_count(limit, "limit", MAX_RANK)
        parsed = parse_query(q)
        if not parsed.has_terms:
            return []
        with self.cost_gate.admit(parsed), self._handle.reading() as (version, searcher):
            matches = Matches({})
            for relaxed in (False, True):
                compiled = compile_query(parsed, searcher, version.vocabulary, relaxed=relaxed)
                query = compiled.query if compiled.query is not None else wq.Every()
                matches = collect(searcher, version.scores, query, compiled.filter,
                                  self.time_limit)
                if len(matches):
                    break
            return [
                (searcher.stored_fields(docnum)["id"], score)
                for docnum, score in matches.best(limit)
            ]

    def _page(self, q, params: SearchParams, started, total, hits, facets, suggestion, timed_out):
        return SearchPage(
            query=q,
            total=total,
            page=params.page,
            per_page=params.per_page,
            pages=math.ceil(total / params.per_page),
            hits=hits,
            facets={name: self._labelled(name, facets.get(name, ())) for name in FACET_FIELDS},
            suggestion=suggestion,
            elapsed_ms=round((time.perf_counter() - started) * 1000, 2),
            timed_out=timed_out,
            sort=params.sort,
            filters=dict(params.filters),
        )

    @staticmethod
    def _filter(searcher: WhooshSearcher, version, compiled: CompiledQuery, params: SearchParams):
        vocabulary = version.vocabulary
        parts = [
            compiled.filter,
            label_filter(searcher, vocabulary, "category", [params.category]),
            label_filter(searcher, vocabulary, "source", [params.source]),
            date_filter(params.date_from, params.date_to),
            year_filter(params.year),
        ]
        parts = [part for part in parts if part is not None]
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else wq.And(parts)

    def _count(self, searcher: WhooshSearcher, version, text: str, restrict) -> int:
        compiled = compile_query(parse_query(text), searcher, version.vocabulary)
        if compiled.query is None:
            return 0
        both = compiled.query
        if compiled.filter is not None:
            both = wq.And([compiled.query, compiled.filter])
        matches = collect(searcher, version.scores, both, restrict, self.time_limit)
        return 0 if matches.timed_out else len(matches)

    # ---------------------------------------------------------------- articles

    def _terms(self, searcher: WhooshSearcher, version, query: str | None) -> HighlightTerms:
        if not query:
            return HighlightTerms()
        if not isinstance(query, str):
            raise QueryError(f"the query must be a string, not {type(query).__name__}")
        return compile_query(parse_query(query), searcher, version.vocabulary).terms

    def get(self, id: str, query: str | None = None) -> ArticleView:
        """The whole article ``id``, with the words of ``query`` marked when given."""
        with self._handle.reading() as (version, searcher):
            docnum = searcher.document_number(id=_stored_id(id))
            if docnum is None:
                raise ArticleNotFound(str(id))
            fields = searcher.stored_fields(docnum)
            terms = self._terms(searcher, version, query)
            copies = tuple(
                searcher.stored_fields(other)["id"]
                for other in self._copies(version, searcher).copies(docnum) if other != docnum
            )
        return article_view(fields, terms, self.labels, copies)

    def similar(self, id: str, n: int = 5) -> tuple[Hit, ...]:
        """Up to ``n`` articles most like article ``id`` (by its key words), itself excluded."""
        n = check_count(n)
        with self._handle.reading() as (version, searcher):
            docnum = searcher.document_number(id=_stored_id(id))
            if docnum is None:
                raise ArticleNotFound(str(id))
            fields = searcher.stored_fields(docnum)
            text = "\n".join(fields.get(name) or "" for name in ("title", "summary", "body"))
            groups = self._copies(version, searcher)
            results = searcher.more_like(docnum, "content", text=text, top=n * 2 + 5,
                                         numterms=12)
            scores = {hit.docnum: hit.score for hit in results
                      if hit.docnum not in groups.copies(docnum)}
            best = Matches(groups.collapse(scores)).best(n)
            empty = HighlightTerms()
            return tuple(
                to_hit(searcher.stored_fields(other), empty, score, rank, self.labels,
                       len(groups.copies(other)))
                for rank, (other, score) in enumerate(best, start=1)
            )

    # ---------------------------------------------------------------- the index

    def suggest(self, prefix: str, n: int = 8) -> list[str]:
        """Up to ``n`` completions of the last word of ``prefix``, for a search box."""
        n = check_count(n)
        if not isinstance(prefix, str):
            raise QueryError(f"the prefix must be a string, not {type(prefix).__name__}")
        if not prefix.strip():
            return []
        with self._handle.reading() as (version, searcher):
            return complete(searcher, version.vocabulary, prefix, n)

    def check(self) -> int:
        """Read the live index through and give its number of articles: what a health check
        asks. Its record (fahras.json) must still read; every segment's files must be there
        at the sizes they were written with; and a cheap read of each file of each segment
        (stored articles, postings, field lengths) must succeed, and so must reading
        the columns behind facets and dates (once per segment, as searching does).
        Raises :class:`~search.errors.IndexNotFound` or
        :class:`~search.errors.IndexMismatch` as :meth:`search` does, and
        :class:`~search.errors.IndexDamaged` when files of the index cannot be read."""
        with self._handle.reading() as (version, searcher):
            meta = self._handle.read_meta(version.path)
            for leaf, _offset in searcher.reader().leaf_readers():
                check_segment_files(version.path, meta, leaf)
                read_through(leaf, COLUMNS)
            self._columns(version, searcher)  # every label, read once per segment
            return searcher.doc_count()

    def info(self) -> IndexInfo:
        """The live index's article count, generation and last write (:class:`IndexInfo`)."""
        with self._handle.reading() as (version, searcher):
            return IndexInfo(documents=searcher.doc_count(), generation=version.path.name,
                             updated_at=version.meta.get("updated_at"))

    def doc_count(self) -> int:
        """How many articles the index holds."""
        with self._handle.reading() as (_, searcher):
            return searcher.doc_count()

    def _labels(self, fieldname: str) -> tuple[FacetValue, ...]:
        with self._handle.reading() as (version, searcher):
            def count():
                labels = self._columns(version, searcher)[fieldname]
                live = dict.fromkeys(searcher.reader().all_doc_ids(), 0.0)
                shown = self._copies(version, searcher).collapse(live)
                return self._labelled(
                    fieldname, facet_values(Counter(map(labels.__getitem__, shown))))
            return version.vocabulary.cached(("counts", fieldname), count)

    def categories(self) -> tuple[FacetValue, ...]:
        """Every category code, with its display name and its number of articles (a group
        of copies counted once), most frequent first."""
        return self._labels("category")

    def sources(self) -> tuple[FacetValue, ...]:
        """Every source code, with its display name and its number of articles (a group of
        copies counted once), most frequent first."""
        return self._labels("source")
