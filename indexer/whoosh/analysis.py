"""Whoosh analysis for Arabic: tokenizer, normalise, stop and stem filters.

Sits between the raw article text (indexer/sources.py) and the index
(indexer/whoosh/schema.py); the words themselves are analysed by indexer/words.py (Whoosh-free),
which the searcher uses directly. The ORIGINAL text is tokenised, so every token keeps the
character offsets of the diacritised text, and normalisation and stemming happen token by
token afterwards::

    ArabicTokenizer() | ArabicNormalizeFilter() | ArabicStopFilter() | ArabicStemFilter(lexicon)

Filters hold only their settings: Whoosh pickles analyzers into the index. The stem
filter's setting is a :class:`LexiconSource` (the generation folder whose lexicon decides
the proclitics); the :class:`~indexer.words.WordAnalysis` it loads, with its memo of
forms, belongs to that source object and is never pickled.

Speed: :class:`ArabicAnalyzer` (what :func:`stemmed_analyzer` and :func:`exact_analyzer`
return) runs that chain as ONE loop over the words instead of four generators: each
surface form is normalised and stemmed once and remembered (one dict lookup per word),
and the words of the last text are kept, so ``content`` and ``content_exact`` (the same
text, analysed one after the other, sharing one source) are scanned once. The tokens are
exactly those of the chain of filters, which remains the definition.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from whoosh.analysis import Filter, StopFilter, Token, Tokenizer
from whoosh.analysis.analyzers import CompositeAnalyzer

from indexer.lexicon import LEXICON_FILE, Lexicon
from indexer.normalize import NORMALIZATION_VERSION
from indexer.stemming import PLURAL_AT_MIN_STEM, STEMMER_NAME
from indexer.stopwords import CONTENT_SPELLINGS, ContentSpelling, normal_word, normalized_stop_words
from indexer.words import LEAD_WORDS, WORD_PATTERN, WordAnalysis, spans

__all__ = [
    "ArabicTokenizer",
    "ArabicNormalizeFilter",
    "ArabicStemFilter",
    "ArabicStopFilter",
    "LexiconSource",
    "stemmed_analyzer",
    "exact_analyzer",
    "analyzer_settings",
    "ArabicAnalyzer",
    "bind_lexicon",
]


class LexiconSource:
    """Where an index's lexicon is: a setting (a folder, or None for no counts), pickled as
    such; the analysis loaded from it is kept by this object and never pickled."""

    def __init__(self, folder: str | os.PathLike[str] | None = None) -> None:
        self.folder = None if folder is None else str(folder)
        self._analysis: WordAnalysis | None = None

    def analysis(self) -> WordAnalysis:
        if self._analysis is None:
            self._analysis = WordAnalysis(self._load())
        return self._analysis

    def _load(self) -> Lexicon:
        stops = normalized_stop_words()
        if self.folder is None:
            return Lexicon({}, stops)
        try:
            return Lexicon.load(self.folder, stops)
        except FileNotFoundError:
            raise FileNotFoundError(
                f"{Path(self.folder) / LEXICON_FILE} is missing: the index was moved or "
                "damaged; rebuild it with `fahras-index build`") from None

    def attach(self, analysis: WordAnalysis) -> None:
        """Use ``analysis`` (loaded by whoever opened the index) instead of loading again."""
        self._analysis = analysis

    def __getstate__(self) -> dict:
        return {"folder": self.folder}

    def __setstate__(self, state: dict) -> None:
        self.folder = state["folder"]
        self._analysis = None

    def __eq__(self, other: object) -> bool:
        return isinstance(other, LexiconSource) and other.folder == self.folder

    def __hash__(self) -> int:
        return hash(self.folder)


class ArabicTokenizer(Tokenizer):
    """Words of the original text (indexer/words.py's :func:`~indexer.words.spans`)."""

    def __call__(self, value: str, positions=False, chars=False, keeporiginal=False,
                 removestops=True, start_pos=0, start_char=0, tokenize=True, mode="",
                 **kwargs) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        found = spans(value) if tokenize else [(value, 0, len(value))]
        for index, (surface, start, end) in enumerate(found):
            token.text = surface
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = surface
            if positions:
                token.pos = start_pos + index
            if chars:
                token.startchar = start_char + start
                token.endchar = start_char + end
            yield token


#: Memo size of the normalise filter's per-word cache (the chain path; the fused pass
#: uses its source's memo).
_WORD_MEMO = 1 << 16


@lru_cache(maxsize=_WORD_MEMO)
def _normalize_token(text: str) -> str:
    return normal_word(text)


class ArabicNormalizeFilter(Filter):
    """Replaces each token's text by its normal form; drops tokens that vanish."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for token in tokens:
            text = _normalize_token(token.text)
            if text:
                token.text = text
                yield token


class ArabicStopFilter(StopFilter):
    """Whoosh's StopFilter, except that a :class:`~indexer.stopwords.ContentSpelling`
    (``علي``, the name) is never stopped although it equals a stop word (``على``)."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        stops, renumber, pos = self.stops, self.renumber, None
        for token in tokens:
            text = token.text
            if (len(text) >= self.min and (self.max is None or len(text) <= self.max)
                    and (text not in stops or text.__class__ is ContentSpelling)):
                if renumber and token.positions:
                    pos = token.pos if pos is None else pos + 1
                    token.pos = pos
                token.stopped = False
                yield token
            elif not token.removestops:
                token.stopped = True
                yield token


def arabic_stop_filter() -> StopFilter:
    """The stop filter with the normalised Arabic list; keeps one-letter tokens."""
    return ArabicStopFilter(stoplist=normalized_stop_words(), minsize=1)


class ArabicStemFilter(Filter):
    """Stems Arabic tokens with the analysis of its lexicon; other tokens pass unchanged."""

    is_morph = True

    def __init__(self, lexicon: LexiconSource | None = None) -> None:
        self.lexicon = lexicon if lexicon is not None else LexiconSource()

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        stem = self.lexicon.analysis().stem
        for token in tokens:
            token.text = stem(token.text)
            yield token


# ---------------------------------------------------------------- the fused pass

def _fused_plan(items: list, lexicon: LexiconSource) -> tuple[frozenset | None, bool] | None:
    """``(stop words or None, stem?)`` when ``items`` are the standard chain stemming with
    ``lexicon``, else None."""
    kinds = [type(item) for item in items]
    if kinds[:2] != [ArabicTokenizer, ArabicNormalizeFilter]:
        return None
    rest = items[2:]
    stops = None
    if rest and kinds[2] is ArabicStopFilter:
        stop = rest.pop(0)
        if stop.min > 1 or stop.max is not None or not stop.renumber:
            return None
        stops = stop.stops
    stem = bool(rest) and type(rest[0]) is ArabicStemFilter
    if stem and rest[0].lexicon is not lexicon:
        return None
    return None if rest[int(stem):] else (stops, stem)


def _fused(analysis: WordAnalysis, text: str, stops, stem: bool, positions=False, chars=False,
           keeporiginal=False, removestops=True, start_pos=0, start_char=0, mode="",
           **kwargs) -> Iterator[Token]:
    """The tokens of tokenizer | normalise | [stop] | [stem], in one loop."""
    token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
    forms = analysis.forms(text)
    if not (chars or keeporiginal) and (stops is None or removestops):
        yield from _fused_index(token, forms, stops, stem, positions, start_pos)
        return
    found = spans(text)
    renumbered = None
    for index, (norm, stemmed) in enumerate(forms):
        if not norm:
            continue
        pos = start_pos + index
        if stops is not None and norm in stops and norm.__class__ is not ContentSpelling:
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
        surface, start, end = found[index]
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
            if norm in stops and norm.__class__ is not ContentSpelling:
                continue
            pos = start_pos + index if pos is None else pos + 1  # StopFilter renumbers
        token.text = form[column]
        token.boost = 1.0
        if positions:
            token.pos = start_pos + index if stops is None else pos
        yield token


class ArabicAnalyzer(CompositeAnalyzer):
    """The Arabic chain of filters, run as one loop when it has the standard layout:
    ``ArabicTokenizer | ArabicNormalizeFilter [| StopFilter] [| ArabicStemFilter]``.
    ``lexicon`` is the source whose analysis (and memo) the loop uses."""

    def __init__(self, *composables, lexicon: LexiconSource | None = None) -> None:
        super().__init__(*composables)
        self.lexicon = lexicon if lexicon is not None else LexiconSource()

    def __call__(self, value: str, no_morph: bool = False, **kwargs) -> Iterator[Token]:
        plan = _fused_plan(self.items, self.lexicon)
        if plan is None or not kwargs.get("tokenize", True) or not isinstance(value, str):
            return super().__call__(value, no_morph=no_morph, **kwargs)
        stops, stem = plan
        kwargs.pop("tokenize", None)
        return _fused(self.lexicon.analysis(), value, stops, stem and not no_morph, **kwargs)


def stemmed_analyzer(lexicon: LexiconSource | None = None) -> CompositeAnalyzer:
    """For ranking: normalised, stop words removed, stemmed (proclitics from ``lexicon``)."""
    lexicon = lexicon if lexicon is not None else LexiconSource()
    return ArabicAnalyzer(ArabicTokenizer(), ArabicNormalizeFilter(), arabic_stop_filter(),
                          ArabicStemFilter(lexicon), lexicon=lexicon)


def exact_analyzer(lexicon: LexiconSource | None = None) -> CompositeAnalyzer:
    """For phrases, prefixes, spelling and suggestions: normalised words, nothing removed.
    Give it the stemmed analyzer's ``lexicon`` so that both share one memo."""
    return ArabicAnalyzer(ArabicTokenizer(), ArabicNormalizeFilter(),
                          lexicon=lexicon if lexicon is not None else LexiconSource())


def bind_lexicon(schema, folder: str | os.PathLike[str],
                 analysis: WordAnalysis | None = None) -> None:
    """Point the analyzers of ``schema`` (as a reader or writer read it from the index) at
    the lexicon in ``folder``, the generation in use, wherever the index was built; with
    ``analysis``, use that one (already loaded by whoever opened the index)."""
    for name in schema.names():
        analyzer = getattr(schema[name], "analyzer", None)
        for item in [analyzer, *getattr(analyzer, "items", ())]:
            source = getattr(item, "lexicon", None)
            if isinstance(source, LexiconSource):
                source.folder = str(folder)
                if analysis is not None:
                    source.attach(analysis)


def analyzer_settings() -> dict[str, object]:
    """What an index records about its analysis, to refuse a mismatched reader."""
    return {
        "normalization_version": NORMALIZATION_VERSION,
        "word_pattern": WORD_PATTERN,
        "stop_words": len(normalized_stop_words()),
        "content_spellings": sorted(CONTENT_SPELLINGS),
        "stemmer": STEMMER_NAME,
        "lexicon": LEXICON_FILE,
        "plural_at_min_stem": PLURAL_AT_MIN_STEM,
        "lead_words": LEAD_WORDS,
    }
