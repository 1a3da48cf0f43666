"""Fahras search: query → ranked, highlighted results, embeddable in any Python app.

The second stage of the flow (``web → search → indexer``): it reads the index the
indexer writes and never writes to it. Importing it opens nothing::

    from search import Searcher

    with Searcher("index") as searcher:          # or Searcher() for $FAHRAS_INDEX_DIR
        page = searcher.search('الحكومة "الميزانية الجديدة" -الضرائب', category="اقتصاد")
        for hit in page.hits:
            print(hit.rank, hit.title, hit.snippet.html)

Modules, in the order a search goes through them: :mod:`search.params` (checking the
parameters), :mod:`search.keyboard` (a query typed on the wrong keyboard layout),
:mod:`search.query` (the person's text → a parsed query), :mod:`search.variants` (the other
spellings of its words in the index), :mod:`search.cost`
(what it costs), :mod:`search.backend` (the interface to an index backend: the Whoosh one
lives in :mod:`search.whoosh`, which alone imports Whoosh), :mod:`search.hits` and
:mod:`search.highlight` (hits and snippets), :mod:`search.suggest` (completions, "did you
mean"), :mod:`search.results` (what comes back), :mod:`search.searcher` (the coordinator
that ties them together), :mod:`search.cli` (``fahras-search``) and
:mod:`search.evaluation` (relevance metrics and TREC files).
"""

from search.errors import (
    ArticleNotFound,
    FahrasError,
    IndexDamaged,
    IndexMismatch,
    IndexNotFound,
    QueryError,
    SearchBusy,
)
from search.highlight import HighlightTerms
from search.query import ParsedQuery, parse_query
from search.results import (
    ArticleView,
    Expansion,
    FacetValue,
    Highlight,
    Hit,
    IndexInfo,
    SearchPage,
)
from search.searcher import Searcher

__all__ = [
    "ArticleNotFound",
    "ArticleView",
    "Expansion",
    "FacetValue",
    "FahrasError",
    "Highlight",
    "HighlightTerms",
    "Hit",
    "IndexInfo",
    "IndexMismatch",
    "IndexNotFound",
    "IndexDamaged",
    "ParsedQuery",
    "QueryError",
    "SearchBusy",
    "SearchPage",
    "Searcher",
    "parse_query",
]
