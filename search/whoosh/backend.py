"""The Whoosh backend: answers the searcher's questions (search/backend.py) from a local index.

Sits under the searcher (search/searcher.py) and over the live index (search/whoosh/handle.py):
it compiles a parsed query into Whoosh queries (search/whoosh/compiler.py), scores every
match term at a time (search/whoosh/collect.py, search/whoosh/scoring.py), keeps one
article per group of copies (search/whoosh/duplicates.py), and reads the stored fields of
the page asked for. Each call reads one version of the index from start to end.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from pathlib import Path

from whoosh import query as wq
from whoosh.searching import Searcher as WhooshSearcher

from indexer.whoosh.columnfile import (
    ColumnData,
    ColumnFileDamaged,
    read_column_file,
    segment_table,
)
from search.backend import Filters, Found, SearchRequest, StoredArticle, StoredHit
from search.errors import ArticleNotFound
from search.highlight import HighlightTerms
from search.labels import LabelTable
from search.query import ParsedQuery
from search.results import FacetValue, IndexInfo
from search.whoosh.collect import (
    COLUMNS,
    Matches,
    collect,
    facet_counts,
    facet_values,
    index_columns,
)
from search.whoosh.compiler import compile_query, date_filter, label_filter, year_filter
from search.whoosh.damage import check_segment_files, read_through
from search.whoosh.duplicates import CopyGroups, CopyMemo, find_copy_groups
from search.whoosh.handle import IndexHandle, IndexVersion
from search.whoosh.lexicon import WhooshLexicon

__all__ = ["WhooshBackend"]


def stored_id(article_id: object) -> str:
    """``article_id`` as the index could hold it. Every indexed id is valid UTF-8 (the
    readers refuse others), so an id that is not, a lone surrogate from a bad URL or
    command line, becomes one that matches nothing instead of an encoding error."""
    text = str(article_id)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return ""  # no article has the empty id
    return text


class WhooshBackend:
    """A Fahras index folder read with Whoosh; thread-safe, reopened when it changes."""

    def __init__(self, index_dir: str | os.PathLike[str] | None = None,
                 labels: LabelTable | None = None) -> None:
        self.handle = IndexHandle(index_dir, labels)
        self.root = self.handle.root
        self.address = str(self.root)
        self.lexicon = WhooshLexicon(self.handle)
        self.copy_memo = CopyMemo()  # groups of copies carried from one version to the next
        # the columns file read last, which lends the next version's the columns of the
        # articles both hold (indexer/whoosh/columnfile.py: all of them after a delete)
        self._last_columns: tuple[Path | None, ColumnData | None] = (None, None)
        with self.handle.reading() as (version, searcher):
            # what every search needs, read now (as a part of opening, not of a search's
            # time limit): the columns of the facets and dates, and the groups of copies,
            # from the columns file the indexer wrote at its commit when there is one
            self._copies(version, searcher)

    def close(self) -> None:
        self.handle.close()

    # ---------------------------------------------------------------- searching

    def search(self, request: SearchRequest) -> Found:
        with self.handle.reading() as (version, searcher):
            return self._search(version, searcher, request)

    def _search(self, version: IndexVersion, searcher: WhooshSearcher,
                request: SearchRequest) -> Found:
        parsed = request.parsed
        deadline = time.monotonic() + request.time_limit
        compiled = compile_query(parsed, searcher, version.vocabulary, deadline=deadline)
        restrict = _restriction(searcher, version, compiled.filter, request.filters)
        listing = not parsed.has_terms
        if listing and restrict is None and compiled.query is None:
            return Found(0, terms=compiled.terms)
        query = compiled.query
        if query is None and not listing:
            query = wq.Every()
        matches = collect(searcher, version.scores, query, restrict, deadline,
                          dict(compiled.weights.length_norm))
        columns = self._columns(version, searcher)
        groups = self._copies(version, searcher)
        matches = Matches(groups.collapse(matches.scores), matches.timed_out)
        best = matches.best(request.offset + request.limit, columns, request.sort)
        hits = tuple(
            StoredHit(version.stored.fields(version.path, searcher, docnum), score,
                      len(groups.copies(docnum)))
            for docnum, score in best[request.offset:]
        )
        return Found(len(matches), hits, facet_counts(columns, matches), compiled.terms,
                     matches.timed_out or compiled.timed_out)

    def rank(self, parsed: ParsedQuery, limit: int, time_limit: float) -> list[tuple[str, float]]:
        deadline = time.monotonic() + time_limit
        with self.handle.reading() as (version, searcher):
            matches = Matches({})
            for relaxed in (False, True):
                compiled = compile_query(parsed, searcher, version.vocabulary, relaxed=relaxed,
                                         deadline=deadline)
                query = compiled.query if compiled.query is not None else wq.Every()
                matches = collect(searcher, version.scores, query, compiled.filter, deadline,
                                  dict(compiled.weights.length_norm))
                if len(matches):
                    break
            return [(searcher.stored_fields(docnum)["id"], score)
                    for docnum, score in matches.best(limit)]

    def count(self, parsed: ParsedQuery, filters: Filters, time_limit: float) -> int:
        deadline = time.monotonic() + time_limit
        with self.handle.reading() as (version, searcher):
            compiled = compile_query(parsed, searcher, version.vocabulary, deadline=deadline)
            if compiled.query is None:
                return 0
            restrict = _restriction(searcher, version, compiled.filter, filters)
            matches = collect(searcher, version.scores, compiled.query, restrict, deadline,
                              dict(compiled.weights.length_norm))
            return 0 if matches.timed_out or compiled.timed_out else len(matches)

    # ---------------------------------------------------------------- articles

    def article(self, article_id: str, parsed: ParsedQuery | None = None) -> StoredArticle:
        with self.handle.reading() as (version, searcher):
            docnum = searcher.document_number(id=stored_id(article_id))
            if docnum is None:
                raise ArticleNotFound(str(article_id))
            terms = HighlightTerms()
            if parsed is not None:
                terms = compile_query(parsed, searcher, version.vocabulary).terms
            copies = tuple(
                searcher.stored_fields(other)["id"]
                for other in self._copies(version, searcher).copies(docnum) if other != docnum
            )
            return StoredArticle(searcher.stored_fields(docnum), terms, copies)

    def similar(self, article_id: str, n: int) -> tuple[StoredHit, ...]:
        with self.handle.reading() as (version, searcher):
            docnum = searcher.document_number(id=stored_id(article_id))
            if docnum is None:
                raise ArticleNotFound(str(article_id))
            fields = searcher.stored_fields(docnum)
            text = "\n".join(fields.get(name) or "" for name in ("title", "summary", "body"))
            groups = self._copies(version, searcher)
            results = searcher.more_like(docnum, "content", text=text, top=n * 2 + 5,
                                         numterms=12)
            scores = {hit.docnum: hit.score for hit in results
                      if hit.docnum not in groups.copies(docnum)}
            return tuple(
                StoredHit(searcher.stored_fields(other), score, len(groups.copies(other)))
                for other, score in Matches(groups.collapse(scores)).best(n)
            )

    # ---------------------------------------------------------------- the index

    def label_counts(self, fieldname: str) -> tuple[FacetValue, ...]:
        with self.handle.reading() as (version, searcher):
            def count() -> tuple[FacetValue, ...]:
                labels = self._columns(version, searcher)[fieldname]
                live = dict.fromkeys(searcher.reader().all_doc_ids(), 0.0)
                shown = self._copies(version, searcher).collapse(live)
                return facet_values(Counter(map(labels.__getitem__, shown)))
            return version.vocabulary.cached(("counts", fieldname), count)

    def check(self) -> int:
        """Its record (fahras.json) must still read; every segment's files must be there at
        the sizes they were written with; a cheap read of each file of each segment (stored
        articles, postings, field lengths) must succeed, and so must reading the columns
        behind facets and dates (once per segment); the columns file, when there is one,
        must read and agree with them."""
        with self.handle.reading() as (version, searcher):
            meta = self.handle.read_meta(version.path)
            for leaf, _offset in searcher.reader().leaf_readers():
                check_segment_files(version.path, meta, leaf)
                read_through(leaf, COLUMNS)
            self._check_columns(version, searcher)
            return searcher.doc_count()

    def _check_columns(self, version: IndexVersion, searcher: WhooshSearcher) -> None:
        """Read every segment's columns and compare them with the columns file's, once per
        version (both stay in memory as they were read)."""
        def compare() -> bool:
            columns = index_columns(searcher, version.segments, version.path)
            stored = self._column_file(version, searcher)
            if stored is not None and any(values != columns[name]
                                          for name, values in stored.columns.items()):
                raise ColumnFileDamaged(f"{version.path}: its columns file does not agree "
                                        "with the columns of the segments")
            return True

        reader = searcher.reader()
        version.vocabulary.cached(("columns checked", reader.generation(),
                                   reader.doc_count_all()), compare)

    def info(self) -> IndexInfo:
        with self.handle.reading() as (version, searcher):
            return IndexInfo(documents=searcher.doc_count(), generation=version.path.name,
                             updated_at=version.meta.get("updated_at"))

    def doc_count(self) -> int:
        with self.handle.reading() as (_, searcher):
            return searcher.doc_count()

    def cache_stats(self) -> dict[str, tuple[int, int]]:
        return self.handle.counters.snapshot()

    # ---------------------------------------------------------------- per version

    def _column_file(self, version: IndexVersion, searcher: WhooshSearcher) -> ColumnData | None:
        """The columns file of the version ``searcher`` reads (indexer/whoosh/columnfile.py),
        read once per version; None for an index written without one. The file read last
        lends it the columns of the articles both hold (all of them after a delete)."""
        reader = searcher.reader()  # a pooled searcher may be a generation ahead of `version`
        key = ("column file", reader.generation(), reader.doc_count_all())

        def read() -> ColumnData | None:
            path, known = self._last_columns
            data = read_column_file(version.path, reader.generation(), segment_table(reader),
                                    known=known if path == version.path else None)
            if data is not None:
                self._last_columns = (version.path, data)
            return data

        return version.vocabulary.cached(key, read)

    def _columns(self, version: IndexVersion, searcher: WhooshSearcher) -> dict[str, list]:
        """The columns of :data:`~search.whoosh.collect.COLUMNS` by document number: from the
        columns file, else read from the segments (each segment once for its life)."""
        stored = self._column_file(version, searcher)
        if stored is not None:
            return stored.columns
        reader = searcher.reader()
        key = ("columns", reader.generation(), reader.doc_count_all())
        return version.vocabulary.cached(
            key, lambda: index_columns(searcher, version.segments, version.path))

    def _copies(self, version: IndexVersion, searcher: WhooshSearcher) -> CopyGroups:
        """The groups of copies of the version ``searcher`` reads, found once per version."""
        reader = searcher.reader()
        key = ("copies", reader.generation(), reader.doc_count_all())
        return version.vocabulary.cached(key, lambda: self._find_copies(version, searcher))

    def _find_copies(self, version: IndexVersion, searcher: WhooshSearcher) -> CopyGroups:
        stored = self._column_file(version, searcher)
        if stored is not None:
            return CopyGroups.of(stored.groups())
        return find_copy_groups(searcher, self._columns(version, searcher)["dupkey"],
                                version.segments, version.path, self.copy_memo)


def _restriction(searcher: WhooshSearcher, version: IndexVersion, query_filter,
                 filters: Filters):
    """The Whoosh filter of a search: the query's own (``category:``, ``date:``) and the
    request's."""
    vocabulary = version.vocabulary
    parts = [
        query_filter,
        label_filter(searcher, vocabulary, "category", [filters.category]),
        label_filter(searcher, vocabulary, "source", [filters.source]),
        date_filter(filters.date_from, filters.date_to),
        year_filter(filters.year),
    ]
    parts = [part for part in parts if part is not None]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else wq.And(parts)
