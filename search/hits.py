"""One article in a result list: stored fields → a :class:`~search.results.Hit`.

Used by the searcher (search/searcher.py) on the page of hits a backend found
(search/backend.py): the title with the query's words marked, the snippet of the body around
them (search/highlight.py), and the display names of the category and source
(search/labels.py). Nothing here knows which backend found the article.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from search.highlight import HighlightTerms, highlight_text, snippet
from search.labels import LabelTable
from search.results import Highlight, Hit

__all__ = ["to_hit", "hit_snippet"]


def to_hit(fields: Mapping[str, Any], terms: HighlightTerms, score: float, rank: int,
           labels: LabelTable | None = None, copies: int = 1, hurried: bool = False) -> Hit:
    """The Hit of an article's stored ``fields`` at ``rank`` (from 1); ``hurried`` (past the
    time limit) bounds the search for the query's words in its title and snippet
    (:func:`~search.highlight.snippet`)."""
    title = fields.get("title") or ""
    category, source = fields.get("category") or "", fields.get("source") or ""
    return Hit(
        id=fields["id"],
        title=title,
        date=fields.get("date"),
        category=category,
        source=source,
        url=fields.get("url") or "",
        score=float(score or 0.0),
        rank=rank,
        title_highlight=highlight_text(title, terms, hurried),
        snippet=hit_snippet(fields, terms, hurried),
        category_label=labels.label("category", category) if labels else category,
        source_label=labels.label("source", source) if labels else source,
        copies=copies,
    )


def hit_snippet(fields: Mapping[str, Any], terms: HighlightTerms,
                hurried: bool = False) -> Highlight:
    """The passage of the body around the query's words; the lead paragraph (summary) when
    it matches and the body does not, or when neither matches (it says what the article is
    about better than the body's first lines); ``hurried``: see
    :func:`~search.highlight.snippet`, and the body's opening when it has one."""
    body = snippet(fields.get("body") or "", terms, hurried=hurried)
    summary = fields.get("summary") or ""
    if body.matches or not summary or hurried and body.text:
        return body
    return snippet(summary, terms, hurried=hurried)
