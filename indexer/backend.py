"""Where the index is, and the interface every index backend writes through.

Opens the backend that keeps an index (:func:`index_backend`) from its address
(indexer/address.py: a folder for Whoosh, ``sphinx://…`` for a Sphinx cluster; the value
given, else ``$FAHRAS_INDEX``, else ``$FAHRAS_INDEX_DIR``, else ``./index``). The public
writing functions (:func:`build_index`, :func:`update_index`, :func:`delete_articles`,
:func:`index_stats`), the command lines and the web app go through here; what a backend
does with its files (for Whoosh: generations, the ``CURRENT`` pointer, the writer lock,
indexer/whoosh/; for Sphinx: table slots and their pointer, indexer/sphinx/) is its own
business.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from typing import Protocol

from indexer.address import IndexAddress, resolve_address, resolve_index_dir
from indexer.report import BuildReport, IndexStats

__all__ = ["IndexBackend", "resolve_index_dir", "index_backend", "build_index", "update_index",
           "delete_articles", "index_stats", "Progress", "ArticleOutcome"]

PathLike = str | os.PathLike[str]
#: An index address as given: a folder, ``sphinx://…``, or one already parsed.
IndexLike = str | os.PathLike[str] | IndexAddress
#: Called with the number of articles read since the last call (a progress bar).
Progress = Callable[[int], None]
#: Called with each article's id and what became of it (``indexed``, ``updated`` …).
ArticleOutcome = Callable[[str, str], object]


class IndexBackend(Protocol):
    """An index that can be rebuilt, updated, pruned and described; one writer at a time."""

    #: Where the index is, as resolved (a folder for Whoosh, the cluster address for Sphinx).
    address: str

    def build(self, sources: Iterable[PathLike], *, procs: int = 1, wait: float = 0.0,
              progress: Progress | None = None) -> BuildReport:
        """Rebuild the index from ``sources``; the old one serves until the new is complete."""

    def update(self, sources: Iterable[PathLike], *, wait: float = 0.0,
               progress: Progress | None = None,
               on_article: ArticleOutcome | None = None) -> BuildReport:
        """Add new articles and replace changed ones (matched by id)."""

    def delete(self, ids: Iterable[str], *, wait: float = 0.0) -> BuildReport:
        """Delete articles by id; unknown ids are reported."""

    def stats(self) -> IndexStats:
        """What the index holds."""

    def has_index(self) -> bool:
        """True when there is an index to search (a first build has been published)."""


def index_backend(index_dir: IndexLike | None = None) -> IndexBackend:
    """The backend that keeps the index at ``index_dir`` (a folder or a cluster address,
    see :func:`~indexer.address.resolve_address`)."""
    address = resolve_address(index_dir)
    if address.folder is None:
        from indexer.sphinx.backend import SphinxIndexBackend

        return SphinxIndexBackend(address)
    from indexer.whoosh.backend import WhooshIndexBackend

    return WhooshIndexBackend(address.folder)


def build_index(sources: Iterable[PathLike], index_dir: IndexLike | None = None, *,
                procs: int = 1, wait: float = 0.0,
                progress: Progress | None = None) -> BuildReport:
    """Rebuild the index at ``index_dir`` from ``sources`` (atomic: the old index serves
    until the new one is complete)."""
    return index_backend(index_dir).build(sources, procs=procs, wait=wait, progress=progress)


def update_index(sources: Iterable[PathLike], index_dir: IndexLike | None = None, *,
                 wait: float = 0.0, progress: Progress | None = None,
                 on_article: ArticleOutcome | None = None) -> BuildReport:
    """Add new articles from ``sources`` and replace changed ones (same id)."""
    return index_backend(index_dir).update(sources, wait=wait, progress=progress,
                                           on_article=on_article)


def delete_articles(ids: Iterable[str], index_dir: IndexLike | None = None, *,
                    wait: float = 0.0) -> BuildReport:
    """Delete the articles with these ids; unknown ids are reported."""
    return index_backend(index_dir).delete(ids, wait=wait)


def index_stats(index_dir: IndexLike | None = None) -> IndexStats:
    """What the index at ``index_dir`` holds."""
    return index_backend(index_dir).stats()
