"""Whoosh analysis for Arabic: tokenizer, normalise, stop and stem filters.

Sits between the raw article text (indexer/sources.py) and the index
(indexer/schema.py); the searcher runs query words through the same analyzers.
The ORIGINAL text is tokenised, so every token keeps the character offsets of the
diacritised text, and normalisation and stemming happen token by token afterwards::

    ArabicTokenizer() | ArabicNormalizeFilter() | StopFilter(...) | ArabicStemFilter()

Filters hold only their settings: Whoosh pickles analyzers into the index, and the
per-surface-form caches and the C Snowball stemmer live at module level instead.

Speed: :class:`ArabicAnalyzer` (what :func:`stemmed_analyzer` and :func:`exact_analyzer`
return) runs that chain as ONE loop over the words instead of four generators: each
surface form is normalised and stemmed once and remembered (one dict lookup per word),
and the words of the last text are kept, so ``content`` and ``content_exact`` (the same
text, analysed one after the other) are scanned once. The tokens are exactly those of the
chain of filters, which remains the definition (and the path for any other composition).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from functools import lru_cache

import snowballstemmer
from whoosh.analysis import Filter, RegexTokenizer, StopFilter, Token
from whoosh.analysis.analyzers import CompositeAnalyzer

from indexer.normalize import NORMALIZATION_VERSION, normalize
from indexer.stopwords import normalized_stop_words

__all__ = [
    "ArabicTokenizer",
    "ArabicNormalizeFilter",
    "ArabicStemFilter",
    "stemmed_analyzer",
    "exact_analyzer",
    "strip_proclitic",
    "stem_word",
    "analyzer_settings",
    "WORD_PATTERN",
    "ArabicAnalyzer",
    "word_forms",
    "lead_text",
    "LEAD_WORDS",
]

#: A word: letters and digits (not ``_``) plus the Arabic marks, tatweel and joiners
#: that sit inside words, so ``كَتَبَ`` and ``كـــبير`` stay one token.
WORD_PATTERN = (
    r"(?:[^\W_]|[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED\u0640\u200C\u200D])+"
)

#: Proclitics stripped before Snowball, longest first, with the letters that must remain.
#: The prepositions ``ب`` and ``ل`` need four letters after them (``بقرار`` → ``قرار``,
#: ``لسوريا`` → ``سوريا``; ``بيان``, ``لقاء`` and ``لبن`` stay whole).
DEFAULT_PROCLITICS: tuple[tuple[str, int], ...] = (
    ("وال", 2),
    ("فال", 2),
    ("بال", 2),
    ("كال", 2),
    ("لل", 2),
    ("ال", 2),
    ("و", 3),
    ("ف", 5),
    ("ب", 4),
    ("ل", 4),
)

#: The feminine plural ending, removed before Snowball when this many letters remain:
#: Snowball takes only the ``ت`` of ``احتجاجات`` when no ``ال`` precedes it.
PLURAL_AT_MIN_STEM = 3

#: How many words of an article's body make its lead (the ``lead`` field).
LEAD_WORDS = 40

_ARABIC_LETTERS = frozenset(chr(cp) for cp in range(0x0621, 0x064B))


class ArabicTokenizer(RegexTokenizer):
    """Words of the original text, diacritics and tatweel included, with offsets."""

    def __init__(self) -> None:
        super().__init__(expression=WORD_PATTERN)


#: Memo sizes of the filter chain's per-word caches: enough for the words of a news
#: search's queries and pages (the fused indexing pass keeps its own memo, ``_FORMS``);
#: a long-running server must not grow to hold the whole vocabulary.
_WORD_MEMO = 1 << 16


@lru_cache(maxsize=_WORD_MEMO)
def _normalize_token(text: str) -> str:
    return normalize(text)


class ArabicNormalizeFilter(Filter):
    """Replaces each token's text by its normal form; drops tokens that vanish."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for token in tokens:
            text = _normalize_token(token.text)
            if text:
                token.text = text
                yield token


def arabic_stop_filter() -> StopFilter:
    """Whoosh's StopFilter with the normalised Arabic list; keeps one-letter tokens."""
    return StopFilter(stoplist=normalized_stop_words(), minsize=1)


def strip_proclitic(word: str, proclitics: tuple[tuple[str, int], ...] = DEFAULT_PROCLITICS) -> str:
    """Remove one leading proclitic when enough of the word remains."""
    for prefix, min_remaining in proclitics:
        if word.startswith(prefix) and len(word) - len(prefix) >= min_remaining:
            return word[len(prefix):]
    return word


_local = threading.local()


def _snowball(word: str) -> str:
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:  # one per thread: the C stemmer is not thread-safe
        stemmer = _local.stemmer = snowballstemmer.stemmer("arabic")
    return stemmer.stemWord(word)


def _stem(word: str, proclitics: tuple[tuple[str, int], ...]) -> str:
    if not word or word[0] not in _ARABIC_LETTERS:
        return word
    base = strip_proclitic(word, proclitics)
    if base.endswith("ات") and len(base) - 2 >= PLURAL_AT_MIN_STEM:
        base = base[:-2]
    stem = _snowball(base)
    start = next((i for i in range(4) if base.startswith(stem, i)), 0)
    if start:
        stem = base[: start + len(stem)]
    return stem or base


@lru_cache(maxsize=_WORD_MEMO)
def stem_word(word: str, proclitics: tuple[tuple[str, int], ...] = DEFAULT_PROCLITICS) -> str:
    """Stem a normalised word: our proclitic rules, the plural ``ات``, then Snowball for
    suffixes only.

    Snowball's own prefix removal is undone (it strips ``ف`` from ``فرنسا`` and a
    "future" ``س`` from ``سيارات``): when its stem sits further into the word, the
    letters before it are kept.
    """
    return _stem(word, proclitics)


class ArabicStemFilter(Filter):
    """Stems Arabic tokens (see :func:`stem_word`); other tokens pass unchanged."""

    is_morph = True

    def __init__(self, proclitics: tuple[tuple[str, int], ...] = DEFAULT_PROCLITICS) -> None:
        self.proclitics = tuple(proclitics)

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        proclitics = self.proclitics
        for token in tokens:
            token.text = stem_word(token.text, proclitics)
            yield token


# ---------------------------------------------------------------- the fused pass

#: WORD_PATTERN's characters plus ``_`` in ONE character class, twice as fast to scan as
#: its alternation; a match holding ``_`` is split by WORD_PATTERN itself, so the words
#: found are exactly WORD_PATTERN's.
_SCAN = re.compile(r"[\w\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED\u0640\u200C\u200D]+")
_WORD = re.compile(WORD_PATTERN)

#: Surface form -> (normal form, stem); ("", "") for a form that vanishes. Emptied when
#: full (a build meets the frequent forms again at once). 32,768 forms (about 6 MB) hold
#: the frequent words of a news corpus; the searcher's "similar articles" analyses whole
#: articles too, and a long-running server must not hold a corpus's worth of forms.
_FORMS: dict[str, tuple[str, str]] = {}
_FORMS_LIMIT = 1 << 15

#: The last text analysed and the (normal form, stem) of each of its words, in order.
_last_forms: tuple[str | None, list] = (None, [])


def _form(surface: str) -> tuple[str, str]:
    """Normal form and stem of a surface form, computed once."""
    norm = normalize(surface)
    if norm == surface:
        norm = surface  # one string object for both when nothing changes
    entry = (norm, _stem(norm, DEFAULT_PROCLITICS) if norm else "")
    if len(_FORMS) >= _FORMS_LIMIT:
        _FORMS.clear()
    _FORMS[surface] = entry
    return entry


def _surfaces(text: str) -> list[str]:
    """The words of ``text``, exactly as WORD_PATTERN finds them."""
    found = _SCAN.findall(text)
    if "_" not in text:
        return found
    return [word for scan in found for word in (_WORD.findall(scan) if "_" in scan else [scan])]


def _forms(text: str) -> list[tuple[str, str]]:
    """``(normal form, stem)`` of each word of ``text``; the last text's are kept, so
    ``content`` and ``content_exact`` (the same string) are scanned once."""
    global _last_forms
    last = _last_forms
    if last[0] is text:
        return last[1]
    get, form = _FORMS.get, _form
    forms = [get(word) or form(word) for word in _surfaces(text)]
    _last_forms = (text, forms)
    return forms


def _spans(text: str) -> list[tuple[str, int, int]]:
    """``(surface, start, end)`` of each word of ``text`` (WORD_PATTERN's words)."""
    spans = []
    for match in _SCAN.finditer(text):
        if "_" in match.group():
            offset = match.start()
            spans += [(sub.group(), offset + sub.start(), offset + sub.end())
                      for sub in _WORD.finditer(match.group())]
        else:
            spans.append((match.group(), match.start(), match.end()))
    return spans


def word_forms(text: str) -> list[tuple[int, int, str, str]]:
    """``(start, end, normal form, stem)`` of every word of ``text``, as the analyzers see it.

    For code that looks at words in place (highlighting, query words): the same words as
    WORD_PATTERN, the same memo of forms as indexing, so one dict lookup a word. A word
    that vanishes in normalisation has ``("", "")``.
    """
    get, form = _FORMS.get, _form
    return [(start, end, *(get(surface) or form(surface))) for surface, start, end in _spans(text)]


def lead_text(text: str, words: int = LEAD_WORDS) -> str:
    """The beginning of ``text`` up to the end of its ``words``-th word (all of it when shorter)."""
    end = 0
    for count, match in enumerate(_WORD.finditer(text), start=1):
        end = match.end()
        if count >= words:
            break
    return text[:end]


def _fused_plan(items: list) -> tuple[frozenset | None, bool] | None:
    """``(stop words or None, stem?)`` when ``items`` are the standard chain, else None."""
    kinds = [type(item) for item in items]
    if kinds[:2] != [ArabicTokenizer, ArabicNormalizeFilter]:
        return None
    rest = items[2:]
    stops = None
    if rest and kinds[2] is StopFilter:
        stop = rest.pop(0)
        if stop.min > 1 or stop.max is not None or not stop.renumber:
            return None
        stops = stop.stops
    stem = bool(rest) and type(rest[0]) is ArabicStemFilter
    if stem and rest[0].proclitics != DEFAULT_PROCLITICS:
        return None
    return None if rest[int(stem):] else (stops, stem)


def _fused(text: str, stops, stem: bool, positions=False, chars=False, keeporiginal=False,
           removestops=True, start_pos=0, start_char=0, mode="", **kwargs) -> Iterator[Token]:
    """The tokens of tokenizer | normalise | [stop] | [stem], in one loop."""
    token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
    forms = _forms(text)
    if not (chars or keeporiginal) and (stops is None or removestops):
        yield from _fused_index(token, forms, stops, stem, positions, start_pos)
        return
    spans = _spans(text)
    renumbered = None
    for index, (norm, stemmed) in enumerate(forms):
        if not norm:
            continue
        pos = start_pos + index
        if stops is not None and norm in stops:
            if removestops:
                continue
            token.stopped = True
        else:
            token.stopped = False
            if stops is not None and positions:  # StopFilter's renumbering
                renumbered = pos if renumbered is None else renumbered + 1
                pos = renumbered
        token.text = stemmed if stem else norm
        token.boost = 1.0
        surface, start, end = spans[index]
        if keeporiginal:
            token.original = surface
        if positions:
            token.pos = pos
        if chars:
            token.startchar = start_char + start
            token.endchar = start_char + end
        yield token


def _fused_index(token: Token, forms: list, stops, stem: bool, positions: bool,
                 start_pos: int) -> Iterator[Token]:
    """:func:`_fused` for what indexing asks: no offsets, no originals, stop words dropped."""
    token.stopped = False
    column = 1 if stem else 0
    pos = None
    for index, form in enumerate(forms):
        norm = form[0]
        if not norm:
            continue
        if stops is not None:
            if norm in stops:
                continue
            pos = start_pos + index if pos is None else pos + 1  # StopFilter renumbers
        token.text = form[column]
        token.boost = 1.0
        if positions:
            token.pos = start_pos + index if stops is None else pos
        yield token


class ArabicAnalyzer(CompositeAnalyzer):
    """The Arabic chain of filters, run as one loop when it has the standard layout:
    ``ArabicTokenizer | ArabicNormalizeFilter [| StopFilter] [| ArabicStemFilter]``."""

    def __call__(self, value: str, no_morph: bool = False, **kwargs) -> Iterator[Token]:
        plan = _fused_plan(self.items)
        if plan is None or not kwargs.get("tokenize", True) or not isinstance(value, str):
            return super().__call__(value, no_morph=no_morph, **kwargs)
        stops, stem = plan
        kwargs.pop("tokenize", None)
        return _fused(value, stops, stem and not no_morph, **kwargs)


def stemmed_analyzer() -> CompositeAnalyzer:
    """For ranking: normalised, stop words removed, stemmed."""
    return ArabicAnalyzer(
        ArabicTokenizer(), ArabicNormalizeFilter(), arabic_stop_filter(), ArabicStemFilter()
    )


def exact_analyzer() -> CompositeAnalyzer:
    """For phrases, prefixes, spelling and suggestions: normalised words, nothing removed."""
    return ArabicAnalyzer(ArabicTokenizer(), ArabicNormalizeFilter())


def analyzer_settings() -> dict[str, object]:
    """What an index records about its analysis, to refuse a mismatched reader."""
    return {
        "normalization_version": NORMALIZATION_VERSION,
        "word_pattern": WORD_PATTERN,
        "stop_words": len(normalized_stop_words()),
        "stemmer": "snowball-arabic+proclitics+plural-at",
        "proclitics": [list(p) for p in DEFAULT_PROCLITICS],
        "plural_at_min_stem": PLURAL_AT_MIN_STEM,
        "lead_words": LEAD_WORDS,
    }
