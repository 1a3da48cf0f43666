"""Fahras indexer: Arabic text → a Whoosh index.

The first stage of the flow (``web → search → indexer``): read articles
(:mod:`indexer.sources`), analyse Arabic text (:mod:`indexer.normalize`,
:mod:`indexer.whoosh.analysis`), and write, update or inspect the index
(:mod:`indexer.whoosh.build`, :mod:`indexer.whoosh.stats`). Importing it opens nothing and
loads each part on first use.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

#: Where each public name lives; a module is imported on the first use of one of its names,
#: so that ``import indexer.errors`` (the searcher's errors) does not load the whole indexer.
_HOMES = {
    "indexer.backend": ("build_index", "delete_articles", "index_backend", "index_stats",
                        "resolve_index_dir", "update_index"),
    "indexer.errors": ("BuildError", "FahrasError", "IndexLocked", "IndexMismatch",
                       "IndexNotFound"),
    "indexer.lexicon": ("Lexicon",),
    "indexer.normalize": ("normalize",),
    "indexer.report": ("BuildReport", "IndexStats"),
    "indexer.sources": ("Article", "BadRecord", "SourceError", "read_articles"),
    "indexer.whoosh.analysis": ("exact_analyzer", "stemmed_analyzer"),
    "indexer.whoosh.schema": ("SCHEMA_VERSION", "build_schema"),
    "indexer.whoosh.store": ("IndexStore",),
    "indexer.words": ("WordAnalysis",),
}
_HOME_OF = {name: module for module, names in _HOMES.items() for name in names}

if TYPE_CHECKING:
    from indexer.backend import (
        build_index,
        delete_articles,
        index_backend,
        index_stats,
        resolve_index_dir,
        update_index,
    )
    from indexer.errors import (
        BuildError,
        FahrasError,
        IndexLocked,
        IndexMismatch,
        IndexNotFound,
    )
    from indexer.lexicon import Lexicon
    from indexer.normalize import normalize
    from indexer.report import BuildReport, IndexStats
    from indexer.sources import Article, BadRecord, SourceError, read_articles
    from indexer.whoosh.analysis import exact_analyzer, stemmed_analyzer
    from indexer.whoosh.schema import SCHEMA_VERSION, build_schema
    from indexer.whoosh.store import IndexStore
    from indexer.words import WordAnalysis


def __getattr__(name: str) -> Any:
    home = _HOME_OF.get(name)
    if home is None:
        raise AttributeError(f"module 'indexer' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_HOME_OF])


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
