"""Whoosh analysis for Arabic: tokenizer, normalise, stop and stem filters.

Sits between the raw article text (indexer/sources.py) and the index
(indexer/schema.py); the searcher runs query words through the same analyzers.
The ORIGINAL text is tokenised, so every token keeps the character offsets of the
diacritised text, and normalisation and stemming happen token by token afterwards::

    ArabicTokenizer() | ArabicNormalizeFilter() | StopFilter(...) | ArabicStemFilter()

Filters hold only their settings: Whoosh pickles analyzers into the index, and the
per-surface-form caches and the C Snowball stemmer live at module level instead.
"""

from __future__ import annotations

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
]

#: A word: letters and digits (not ``_``) plus the Arabic marks, tatweel and joiners
#: that sit inside words, so ``كَتَبَ`` and ``كـــبير`` stay one token.
WORD_PATTERN = (
    r"(?:[^\W_]|[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED\u0640\u200C\u200D])+"
)

#: Proclitics stripped before Snowball, longest first, with the letters that must remain.
DEFAULT_PROCLITICS: tuple[tuple[str, int], ...] = (
    ("وال", 2),
    ("فال", 2),
    ("بال", 2),
    ("كال", 2),
    ("لل", 2),
    ("ال", 2),
    ("و", 3),
    ("ف", 5),
)

_ARABIC_LETTERS = frozenset(chr(cp) for cp in range(0x0621, 0x064B))


class ArabicTokenizer(RegexTokenizer):
    """Words of the original text, diacritics and tatweel included, with offsets."""

    def __init__(self) -> None:
        super().__init__(expression=WORD_PATTERN)


@lru_cache(maxsize=1 << 18)
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


@lru_cache(maxsize=1 << 19)
def stem_word(word: str, proclitics: tuple[tuple[str, int], ...] = DEFAULT_PROCLITICS) -> str:
    """Stem a normalised word: our proclitic rules, then Snowball for suffixes only.

    Snowball's own prefix removal is undone (it strips ``ف`` from ``فرنسا`` and a
    "future" ``س`` from ``سيارات``): when its stem sits further into the word, the
    letters before it are kept.
    """
    if not word or word[0] not in _ARABIC_LETTERS:
        return word
    base = strip_proclitic(word, proclitics)
    stem = _snowball(base)
    start = next((i for i in range(4) if base.startswith(stem, i)), 0)
    if start:
        stem = base[: start + len(stem)]
    return stem or base


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


def stemmed_analyzer() -> CompositeAnalyzer:
    """For ranking: normalised, stop words removed, stemmed."""
    return ArabicTokenizer() | ArabicNormalizeFilter() | arabic_stop_filter() | ArabicStemFilter()


def exact_analyzer() -> CompositeAnalyzer:
    """For phrases, prefixes, spelling and suggestions: normalised words, nothing removed."""
    return ArabicTokenizer() | ArabicNormalizeFilter()


def analyzer_settings() -> dict[str, object]:
    """What an index records about its analysis, to refuse a mismatched reader."""
    return {
        "normalization_version": NORMALIZATION_VERSION,
        "word_pattern": WORD_PATTERN,
        "stop_words": len(normalized_stop_words()),
        "stemmer": "snowball-arabic+proclitics",
        "proclitics": [list(p) for p in DEFAULT_PROCLITICS],
    }
