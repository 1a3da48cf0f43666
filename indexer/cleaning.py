"""Cleaning of article text as read: control characters out, HTML markup to plain text.

Used by the readers (indexer/sources.py) on every title and body before an Article is made.
Arabic itself is left alone (diacritics, hamza forms, tatweel are kept for display): Arabic
normalisation belongs to the analyzer (indexer/normalize.py, indexer/whoosh/analysis.py).
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

__all__ = ["clean_text", "clean_title", "clean_body", "has_html", "html_to_text", "unescape"]

# C0 controls except \t and \n (\r is dealt with first), DEL, and C1 controls.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_HTML = re.compile(
    r"<(?:!--|/?(?:p|br|div|span|a|b|i|u|em|strong|script|style|h[1-6]|ul|ol|li|table|tr|td|th"
    r"|tbody|thead|img|iframe|blockquote|section|article|header|footer|figure|figcaption|hr"
    r"|pre|html|body|head|meta|link|font|center|small|sub|sup|noscript)\b[^<>]*>)",
    re.IGNORECASE,
)
#: A character reference: ``&quot;``, ``&#1575;``, ``&#x627;`` (scraped titles carry them).
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_BLOCK_TAGS = frozenset({
    "p", "br", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "table", "tr",
    "thead", "tbody", "blockquote", "section", "article", "header", "footer", "figure",
    "figcaption", "hr", "pre", "title",
})
_HIDDEN_TAGS = frozenset({"script", "style", "noscript", "template", "head"})


def clean_text(text: str) -> str:
    """Newlines made ``\\n``, tabs made spaces, other control characters removed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return _CONTROLS.sub("", text)


def clean_title(text: str) -> str:
    """A title on one line: cleaned, character references read (``&quot;`` → ``"``), runs of
    whitespace (newlines too) made one space."""
    return " ".join(clean_text(unescape(text)).split())


def clean_body(text: str) -> str:
    """A body: cleaned, HTML turned into plain text, outer blank space stripped. A body
    without markup keeps its ``&`` sequences as written (``&amp;`` may be meant)."""
    text = clean_text(text)
    if has_html(text):
        text = html_to_text(text)
    return text.strip()


def unescape(text: str) -> str:
    """``text`` with its HTML character references read; text without any is returned as is."""
    return html.unescape(text) if _ENTITY.search(text) else text


def has_html(text: str) -> bool:
    """True when ``text`` holds HTML markup (a known tag or a comment), not just a '<'."""
    return _HTML.search(text) is not None


def html_to_text(markup: str) -> str:
    """Plain text of an HTML fragment: script/style dropped, block tags as line breaks,
    entities unescaped, whitespace collapsed, blank lines removed."""
    parser = _TextExtractor()
    parser.feed(markup)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line)


class _TextExtractor(HTMLParser):
    """Collects the text of an HTML fragment (see :func:`html_to_text`)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN_TAGS:
            self._hidden += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN_TAGS:
            self._hidden = max(0, self._hidden - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data.replace("\n", " "))  # in HTML a newline is just a space
