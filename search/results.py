"""What a search returns: frozen dataclasses with no Whoosh objects inside.

The last step of the flow: the searcher (search/searcher.py) fills these from
Whoosh results and the highlighter (search/highlight.py); the command line and
the web front end only ever see these. Each has ``to_dict()`` giving JSON-ready
data: dates as ISO 8601 strings, tuples as lists.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

__all__ = [
    "Highlight", "Hit", "FacetValue", "Expansion", "SearchPage", "ArticleView", "IndexInfo",
    "FACET_FIELDS",
]

#: The facets every :class:`SearchPage` carries, in display order.
FACET_FIELDS: tuple[str, ...] = ("category", "source", "year")


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


@dataclass(frozen=True)
class Highlight:
    """A piece of original text with the query's matches located in it.

    ``text`` is plain text, ``html`` the same text HTML-escaped with ``<mark>…</mark>``
    around each match, and ``matches`` the ``(start, end)`` offsets of the matches
    in ``text``, in order and not overlapping.
    """

    text: str
    html: str
    matches: tuple[tuple[int, int], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "html": self.html, "matches": [list(m) for m in self.matches]}


@dataclass(frozen=True)
class Hit:
    """One article in a result list. ``rank`` counts from 1 across pages.

    ``category``/``source`` are the codes the article was filed under, ``category_label``/
    ``source_label`` their display names (search/labels.py; the code when it has none).
    ``copies`` counts the articles of its group of copies (search/whoosh/duplicates.py) that
    the list shows as this one hit: 1 when it has no other copy.
    """

    id: str
    title: str
    date: datetime | None
    category: str
    source: str
    url: str
    score: float
    rank: int
    title_highlight: Highlight
    snippet: Highlight
    category_label: str = ""
    source_label: str = ""
    copies: int = 1

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "date": _iso(self.date),
            "category": self.category,
            "category_label": self.category_label,
            "source": self.source,
            "source_label": self.source_label,
            "url": self.url,
            "score": self.score,
            "rank": self.rank,
            "copies": self.copies,
            "title_highlight": self.title_highlight.to_dict(),
            "snippet": self.snippet.to_dict(),
        }


@dataclass(frozen=True)
class FacetValue:
    """One value of a facet (a code), its display name, and how many results of the whole
    result set have it (a group of copies counted once, as the list shows it)."""

    value: str
    count: int
    label: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "label": self.label or self.value, "count": self.count}


@dataclass(frozen=True)
class Expansion:
    """A word of the query and the other spellings of it that were searched too
    (search/variants.py), as written in the articles."""

    word: str
    variants: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"word": self.word, "variants": list(self.variants)}


@dataclass(frozen=True)
class SearchPage:
    """One page of results, with the counts of the whole result set.

    ``facets`` has the keys of :data:`FACET_FIELDS`; each value lists the labels
    found (year values as strings), most frequent first, then by value. Articles
    without a label are not listed, so a facet's counts add up to ``total`` minus
    the articles that lack it. ``filters`` echoes the filter parameters that were
    applied, as strings (dates as ``YYYY-MM-DD``). ``timed_out`` says the search
    hit the time limit: ``total``, the hits and the facets then cover only what
    was found in time.
    """

    query: str
    total: int
    page: int
    per_page: int
    pages: int
    hits: tuple[Hit, ...]
    facets: dict[str, tuple[FacetValue, ...]]
    suggestion: str | None
    elapsed_ms: float
    timed_out: bool
    sort: str
    filters: dict[str, str]
    #: The nodes of a cluster that did not answer: their articles are missing from the page.
    partial: tuple[str, ...] = ()
    #: The words searched with their other spellings too (``ترامب`` with ``ترمب``).
    expansions: tuple[Expansion, ...] = ()
    #: The query as read on the other keyboard layout (``hgkt'`` → ``النفط``), when that
    #: reading was searched instead of ``query`` (search/keyboard.py); else None.
    keyboard: str | None = None
    #: The corrected query whose results the page shows instead of ``query``'s, which found
    #: (almost) nothing; None when the results are ``query``'s.
    results_for: str | None = None

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "total": self.total,
            "page": self.page,
            "per_page": self.per_page,
            "pages": self.pages,
            "has_next": self.has_next,
            "has_previous": self.has_previous,
            "hits": [hit.to_dict() for hit in self.hits],
            "facets": {
                name: [value.to_dict() for value in values] for name, values in self.facets.items()
            },
            "suggestion": self.suggestion,
            "elapsed_ms": self.elapsed_ms,
            "timed_out": self.timed_out,
            "sort": self.sort,
            "filters": dict(self.filters),
            "partial": bool(self.partial),
            "nodes_down": list(self.partial),
            "expansions": [expansion.to_dict() for expansion in self.expansions],
            "keyboard": self.keyboard,
            "results_for": self.results_for,
        }


@dataclass(frozen=True)
class ArticleView:
    """A whole article for display.

    ``title_html``, ``summary_html`` (the lead paragraph), ``caption_html`` (photo
    captions, ``<p>`` each) and ``body_html`` are HTML-escaped; the body is split into
    ``<p>`` paragraphs at line breaks, its subheadings (``headings``: their positions
    among the lines of ``body``) as ``<h2 class="subheading">``; the query's words are in
    ``<mark>`` when the article was opened with a query. ``copies`` are the ids of the
    other copies of the article in the index (search/whoosh/duplicates.py).
    """

    id: str
    title: str
    body: str
    date: datetime | None
    category: str
    source: str
    url: str
    title_html: str
    body_html: str
    summary: str = ""
    caption: str = ""
    headings: tuple[int, ...] = ()
    summary_html: str = ""
    caption_html: str = ""
    category_label: str = ""
    source_label: str = ""
    copies: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "summary": self.summary,
            "caption": self.caption,
            "body": self.body,
            "headings": list(self.headings),
            "date": _iso(self.date),
            "category": self.category,
            "category_label": self.category_label,
            "source": self.source,
            "source_label": self.source_label,
            "url": self.url,
            "copies": list(self.copies),
            "title_html": self.title_html,
            "summary_html": self.summary_html,
            "caption_html": self.caption_html,
            "body_html": self.body_html,
        }


@dataclass(frozen=True)
class IndexInfo:
    """What the live index is: its article count, its generation (a new name after each
    rebuild) and when it was last written (ISO 8601, UTC)."""

    documents: int
    generation: str
    updated_at: str | None
    #: The nodes of a cluster that do not answer (their articles are not counted).
    down: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"documents": self.documents, "generation": self.generation,
                "updated_at": self.updated_at}
