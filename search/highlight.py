"""Highlighting: the query's matches marked in the ORIGINAL article text.

Sits after the query (search/query.py), which says what to look for as
:class:`HighlightTerms`, and before the results (search/results.py), which carry
the :class:`~search.results.Highlight` built here. The stored text is cut into
words with the indexer's own word pattern, so every word keeps its offsets in the
text as written (diacritics, tatweel and all); each word is then normalised and
stemmed like the index does, and compared with the query's terms. So the query
``الطالب`` marks ``الطّالِبُ`` and ``والطالبة`` in place, and a snippet is cut from the
original text around the densest cluster of matches. Everything that is not a
``<mark>`` is HTML-escaped.

Stop words, one-letter words and a bare ``ال`` are never marked on their own; inside
a matched quoted phrase they are.
"""

from __future__ import annotations

import html
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from functools import cached_property

from indexer.stopwords import is_stop_word
from indexer.words import WordAnalysis, stem_letters
from indexer.words import spans as word_spans
from search.results import Highlight

__all__ = [
    "HighlightTerms",
    "find_matches",
    "highlight_text",
    "snippet",
    "paragraphs_html",
    "is_noise_word",
    "SNIPPET_CHARS",
]

#: The most words one query's :attr:`HighlightTerms.verdicts` holds (a page shows a few
#: thousand distinct words).
MAX_VERDICTS = 1 << 14
#: About how many characters of text a snippet shows.
SNIPPET_CHARS = 200
#: Past a search's time limit, snippets look for the query's words in this many opening
#: characters of a text only (finding them costs a pass over the text's words).
HURRIED_SCAN = 320
_ELLIPSIS = "…"
_SPACE = re.compile(r"\s+")
_MAX_WORD_OVERHANG = 30  # how far a window edge may move to reach a word boundary

Span = tuple[int, int]


@dataclass(frozen=True)
class HighlightTerms:
    """What to mark: normalised ``words``, their ``stems``, ``prefixes`` and ``phrases``,
    and the ``analysis`` of the index they come from (which stems the text's words)."""

    words: frozenset[str] = frozenset()
    stems: frozenset[str] = frozenset()
    prefixes: tuple[str, ...] = ()
    phrases: tuple[tuple[str, ...], ...] = ()
    analysis: WordAnalysis | None = field(default=None, compare=False, repr=False)

    def __bool__(self) -> bool:
        return bool(self.words or self.stems or self.prefixes or self.phrases)

    @cached_property
    def stem_letters(self) -> tuple[frozenset[str], ...]:
        """The letters a word must hold to have one of :attr:`stems` (indexer/words.py)."""
        return tuple(stem_letters(stem) for stem in self.stems)

    @cached_property
    def verdicts(self) -> dict[str, bool]:
        """Whether each word as written that :func:`find_matches` judged is marked: a page's
        texts share their common words, each judged once (at most :data:`MAX_VERDICTS`)."""
        return {}


def is_noise_word(norm: str) -> bool:
    """True for a normalised word never searched or marked on its own (stop word, ``ال``,
    a lone Arabic letter…); a lone digit or Latin letter is a word (``جيل 5``)."""
    if len(norm) < 2:
        return not (norm.isascii() and norm.isalnum())
    return norm == "ال" or is_stop_word(norm)


def _word_matches(norm: str, stem: str, terms: HighlightTerms) -> bool:
    """Whether a word of normal form ``norm`` and stem ``stem`` is marked (asked of every word
    of a page's texts: the look-ups that rule most words out come first)."""
    return (norm in terms.words or stem in terms.stems
            or bool(terms.prefixes) and norm.startswith(terms.prefixes)) \
        and not is_noise_word(norm)


def _phrase_spans(tokens: list[tuple[int, int, str]], phrase: tuple[str, ...]) -> list[Span]:
    size = len(phrase)
    norms = [norm for _, _, norm in tokens]
    return [
        (tokens[i][0], tokens[i + size - 1][1])
        for i in range(len(tokens) - size + 1)
        if tuple(norms[i : i + size]) == phrase
    ]


def find_matches(text: str, terms: HighlightTerms, known_only: bool = False) -> list[Span]:
    """``(start, end)`` of every match of ``terms`` in ``text``: sorted, not overlapping;
    with ``known_only``, among the words whose forms the analysis remembers (hurried)."""
    if not terms or not text:
        return []
    if terms.analysis is None:
        raise ValueError("HighlightTerms with terms need the analysis of their index")
    if terms.phrases:
        return _phrase_matches(text, terms, known_only)
    sought_form, sought, verdicts = terms.analysis.sought_form, terms.stem_letters, \
        terms.verdicts
    judged = verdicts.get
    found = []
    for surface, start, end in word_spans(text):
        marked = judged(surface)
        if marked is None:
            entry = sought_form(surface, sought, known_only)
            if entry is None:
                continue  # hurried, and the word would have to be analysed
            if len(verdicts) >= MAX_VERDICTS:
                verdicts.clear()
            marked = verdicts[surface] = _word_matches(*entry, terms)
        if marked:
            found.append((start, end))
    return found


def _phrase_matches(text: str, terms: HighlightTerms, known_only: bool) -> list[Span]:
    """:func:`find_matches` for terms with phrases: the words' spans and the phrases'."""
    assert terms.analysis is not None
    words = terms.analysis.word_forms(text, known_only, terms.stem_letters)
    found = [(start, end) for start, end, norm, stem in words if _word_matches(norm, stem, terms)]
    normal = [(start, end, norm) for start, end, norm, _ in words]
    for phrase in terms.phrases:
        found.extend(_phrase_spans(normal, phrase))
    merged: list[Span] = []
    for start, end in sorted(found):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _render(text: str, matches: list[Span] | tuple[Span, ...]) -> str:
    parts, position = [], 0
    for start, end in matches:
        parts.append(html.escape(text[position:start]))
        parts.append(f"<mark>{html.escape(text[start:end])}</mark>")
        position = end
    parts.append(html.escape(text[position:]))
    return "".join(parts)


def highlight_text(text: str, terms: HighlightTerms, hurried: bool = False) -> Highlight:
    """The whole of ``text`` (e.g. a title) with its matches (``hurried``: among the words
    already analysed, see :func:`snippet`)."""
    matches = tuple(find_matches(text, terms, known_only=hurried))
    return Highlight(text=text, html=_render(text, matches), matches=matches)


def _best_start(matches: list[Span], size: int) -> int:
    """Index of the match that opens the window holding the most matches."""
    best, best_count, last = 0, 0, 0
    for first, (start, _) in enumerate(matches):
        last = max(last, first)
        while last + 1 < len(matches) and matches[last + 1][1] <= start + size:
            last += 1
        if last - first + 1 > best_count:
            best, best_count = first, last - first + 1
    return best


def _snap_start(text: str, start: int) -> int:
    """Move ``start`` back to the beginning of its word, unless that word is huge."""
    for i in range(start, max(0, start - _MAX_WORD_OVERHANG) - 1, -1):
        if i == 0 or text[i - 1].isspace():
            return i
    return start


def _snap_end(text: str, end: int) -> int:
    """Move ``end`` on to the end of its word, unless that word is huge."""
    for i in range(end, min(len(text), end + _MAX_WORD_OVERHANG) + 1):
        if i == len(text) or text[i].isspace():
            return i
    return end


def _window(text: str, matches: list[Span], size: int) -> Span:
    """The ``[start, end)`` of text to show: the densest cluster of matches, on word edges."""
    if not matches:
        return 0, _snap_end(text, min(len(text), size))
    first = _best_start(matches, size)
    opening = matches[first][0]
    inside = [m for m in matches[first:] if m[1] <= opening + size]
    cluster = inside[-1][1] - opening if inside else 0
    lead = min(max(size - cluster, 0) // 2, 60)
    start = _snap_start(text, max(0, opening - lead))
    end = _snap_end(text, min(len(text), max(start + size, matches[first][1])))
    return start, end


def _collapse(text: str, start: int, end: int, spans: list[Span]) -> tuple[str, list[Span]]:
    """``text[start:end]`` with runs of white space made one space; spans moved along."""
    out, moved, position = [], [], start
    length = 0
    for span_start, span_end in [*spans, (end, end)]:
        plain = _SPACE.sub(" ", text[position:span_start])
        marked = _SPACE.sub(" ", text[span_start:span_end])
        out += [plain, marked]
        length += len(plain)
        if span_end > span_start:
            moved.append((length, length + len(marked)))
        length += len(marked)
        position = span_end
    return "".join(out), moved


def snippet(text: str, terms: HighlightTerms, size: int = SNIPPET_CHARS,
            hurried: bool = False) -> Highlight:
    """About ``size`` characters of ``text`` around its densest matches, with "…" at cuts.
    ``hurried`` (past a search's time limit) bounds the cost: the matches are looked for in
    the first :data:`HURRIED_SCAN` characters only (cut at a space), among the words whose
    forms the analysis already remembers (no word is analysed)."""
    if hurried and len(text) > HURRIED_SCAN:
        cut = text.rfind(" ", 0, HURRIED_SCAN)
        matches = find_matches(text[: cut if cut > 0 else HURRIED_SCAN], terms, known_only=True)
    else:
        matches = find_matches(text, terms, known_only=hurried)
    start, end = _window(text, matches, size)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    inside = [(s, e) for s, e in matches if s >= start and e <= end]
    piece, spans = _collapse(text, start, end, inside)
    before = f"{_ELLIPSIS} " if start > 0 else ""
    after = f" {_ELLIPSIS}" if text[end:].strip() else ""
    shifted = tuple((s + len(before), e + len(before)) for s, e in spans)
    full = f"{before}{piece}{after}"
    return Highlight(text=full, html=_render(full, shifted), matches=shifted)


_PARAGRAPH_BREAK = re.compile(r"\s*\n\s*")


def paragraphs_html(text: str, terms: HighlightTerms, headings: Collection[int] = ()) -> str:
    """The whole of ``text`` as escaped ``<p>`` paragraphs (one per line), matches marked;
    the paragraphs at the positions ``headings`` as ``<h2 class="subheading">``."""
    paragraphs = [p for p in _PARAGRAPH_BREAK.split(text.strip()) if p]
    return "\n".join(
        f"<h2 class=\"subheading\">{_render(p, find_matches(p, terms))}</h2>" if i in headings
        else f"<p>{_render(p, find_matches(p, terms))}</p>"
        for i, p in enumerate(paragraphs)
    )
