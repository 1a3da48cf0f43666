"""The baseline Fahras is measured against: plain Whoosh, set up the obvious way.

What a competent Whoosh user writes first for Arabic news: a ``RegexTokenizer`` with an
Arabic word pattern, lower case for Latin words, pyarabic's ``strip_tashkeel`` and
``strip_tatweel`` on each token, and the pure-Python Snowball Arabic stemmer behind Whoosh's
own ``StemFilter`` (an LRU cache of 50,000 stems). No stop list (Whoosh ships none for
Arabic), one process, the writer's default settings. The fields are Fahras's own
(``indexer.whoosh.schema``) with this analyzer in place of ours, and the documents are the very
same (``indexer.whoosh.build.article_fields``), so a comparison measures analysis and writing only.
"""

from __future__ import annotations

import os
import time

from pyarabic import araby
from snowballstemmer.arabic_stemmer import ArabicStemmer  # pure Python, never PyStemmer
from whoosh import index as whoosh_index
from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer, StemFilter
from whoosh.fields import TEXT, Schema

from indexer.sources import Article, read_articles
from indexer.whoosh.analysis import ArabicStemFilter
from indexer.whoosh.build import article_fields
from indexer.whoosh.schema import build_schema

__all__ = ["naive_schema", "build_naive_index"]

#: Letters and digits (Arabic or Latin) with the Arabic marks and tatweel inside words.
NAIVE_WORD_PATTERN = r"[\w\u064B-\u065F\u0670\u0640]+"

_STEMMER = ArabicStemmer()


def naive_stem(word: str) -> str:
    """The pure-Python Snowball Arabic stem of ``word``."""
    return _STEMMER.stemWord(word)


class StripMarksFilter(Filter):
    """pyarabic's diacritic and tatweel removal, token by token."""

    def __call__(self, tokens):
        for token in tokens:
            token.text = araby.strip_tatweel(araby.strip_tashkeel(token.text))
            yield token


def _analyzer(stem: bool):
    chain = RegexTokenizer(NAIVE_WORD_PATTERN) | LowercaseFilter() | StripMarksFilter()
    return chain | StemFilter(stemfn=naive_stem, cachesize=50000) if stem else chain


def naive_schema() -> Schema:
    """Fahras's fields (indexer/whoosh/schema.py), each text field analysed the baseline way:
    stemmed where Fahras stems, with positions where Fahras keeps them."""
    fields = {}
    for name, field in build_schema().items():
        if isinstance(field, TEXT):
            stem = any(isinstance(item, ArabicStemFilter) for item in field.analyzer.items)
            field = TEXT(analyzer=_analyzer(stem=stem), stored=field.stored,
                         phrase=field.format.supports("positions"))
        fields[name] = field
    return Schema(**fields)


def build_naive_index(sources: list[str], index_dir: str) -> dict:
    """Index ``sources`` into ``index_dir`` with the baseline; ``{"indexed", "seconds"}``."""
    started = time.monotonic()
    os.makedirs(index_dir, exist_ok=True)
    ix = whoosh_index.create_in(index_dir, naive_schema())
    writer = ix.writer()
    indexed = 0
    seen: set[str] = set()
    for record in read_articles(sources):
        if isinstance(record, Article) and record.id not in seen:
            seen.add(record.id)
            writer.add_document(**article_fields(record))
            indexed += 1
    writer.commit()
    ix.close()
    return {"indexed": indexed, "seconds": round(time.monotonic() - started, 3)}
