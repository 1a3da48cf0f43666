"""One whole article for display: stored fields → an :class:`~search.results.ArticleView`.

Used by the searcher's ``get`` (search/searcher.py): the title, the lead paragraph
(summary), the photo captions and the body, each HTML-escaped with the query's words marked
(search/highlight.py), the body's subheadings as headings, and the display names of its
category and source (search/labels.py).
"""

from __future__ import annotations

from search.highlight import HighlightTerms, highlight_text, paragraphs_html
from search.labels import LabelTable
from search.results import ArticleView

__all__ = ["article_view"]


def article_view(
    fields: dict, terms: HighlightTerms, labels: LabelTable, copies: tuple[str, ...] = ()
) -> ArticleView:
    """The ArticleView of an article's stored ``fields``; ``copies`` are the ids of its other
    copies."""
    title, body = fields.get("title") or "", fields.get("body") or ""
    summary, caption = fields.get("summary") or "", fields.get("caption") or ""
    headings = tuple(fields.get("headings") or ())
    category, source = fields.get("category") or "", fields.get("source") or ""
    return ArticleView(
        id=fields["id"],
        title=title,
        body=body,
        date=fields.get("date"),
        category=category,
        source=source,
        url=fields.get("url") or "",
        title_html=highlight_text(title, terms).html,
        body_html=paragraphs_html(body, terms, headings),
        summary=summary,
        caption=caption,
        headings=headings,
        summary_html=highlight_text(summary, terms).html if summary else "",
        caption_html=paragraphs_html(caption, terms) if caption else "",
        category_label=labels.label("category", category),
        source_label=labels.label("source", source),
        copies=copies,
    )
