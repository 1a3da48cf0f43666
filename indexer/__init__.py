"""Fahras indexer: Arabic text → a Whoosh index.

The first stage of the flow (``web → search → indexer``): read articles
(:mod:`indexer.sources`), analyse Arabic text (:mod:`indexer.normalize`,
:mod:`indexer.whoosh.analysis`), and write, update or inspect the index
(:mod:`indexer.whoosh.build`, :mod:`indexer.whoosh.stats`). Importing it opens nothing.
"""

from indexer.backend import (
    build_index,
    delete_articles,
    index_backend,
    index_stats,
    resolve_index_dir,
    update_index,
)
from indexer.errors import BuildError, FahrasError, IndexLocked, IndexMismatch, IndexNotFound
from indexer.lexicon import Lexicon
from indexer.normalize import normalize
from indexer.report import BuildReport, IndexStats
from indexer.sources import Article, BadRecord, SourceError, read_articles
from indexer.whoosh.analysis import exact_analyzer, stemmed_analyzer
from indexer.whoosh.schema import SCHEMA_VERSION, build_schema
from indexer.whoosh.store import IndexStore
from indexer.words import WordAnalysis

__all__ = [
    "Article",
    "BadRecord",
    "BuildError",
    "BuildReport",
    "FahrasError",
    "IndexLocked",
    "IndexMismatch",
    "IndexNotFound",
    "IndexStats",
    "Lexicon",
    "IndexStore",
    "SCHEMA_VERSION",
    "SourceError",
    "build_index",
    "build_schema",
    "index_backend",
    "resolve_index_dir",
    "delete_articles",
    "exact_analyzer",
    "index_stats",
    "normalize",
    "read_articles",
    "stemmed_analyzer",
    "update_index",
    "WordAnalysis",
]
