"""Fahras indexer: Arabic text → a Whoosh index.

The first stage of the flow (``web → search → indexer``): read articles
(:mod:`indexer.sources`), analyse Arabic text (:mod:`indexer.normalize`,
:mod:`indexer.analysis`), and write, update or inspect the index
(:mod:`indexer.build`, :mod:`indexer.stats`). Importing it opens nothing.
"""

from indexer.analysis import exact_analyzer, stemmed_analyzer
from indexer.build import BuildReport, build_index, delete_articles, update_index
from indexer.errors import BuildError, FahrasError, IndexLocked, IndexMismatch, IndexNotFound
from indexer.lexicon import Lexicon
from indexer.normalize import normalize
from indexer.schema import SCHEMA_VERSION, build_schema
from indexer.sources import Article, BadRecord, SourceError, read_articles
from indexer.stats import IndexStats, index_stats
from indexer.store import IndexStore, default_index_dir
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
    "default_index_dir",
    "delete_articles",
    "exact_analyzer",
    "index_stats",
    "normalize",
    "read_articles",
    "stemmed_analyzer",
    "update_index",
    "WordAnalysis",
]
