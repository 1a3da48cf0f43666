"""The Whoosh index backend: an index folder written with Whoosh (indexer/backend.py's
:class:`~indexer.backend.IndexBackend`).

A thin object over the functions of indexer/whoosh/build.py and indexer/whoosh/stats.py,
bound to one folder; its generations, ``CURRENT`` pointer and writer lock are kept by
indexer/whoosh/store.py.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from indexer.backend import ArticleOutcome, PathLike, Progress
from indexer.report import BuildReport, IndexStats
from indexer.whoosh import build, stats
from indexer.whoosh.store import IndexStore

__all__ = ["WhooshIndexBackend"]


class WhooshIndexBackend:
    """The Whoosh index in the folder ``root``."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.address = str(self.root)

    def build(self, sources: Iterable[PathLike], *, procs: int = 1, wait: float = 0.0,
              progress: Progress | None = None) -> BuildReport:
        return build.build_index(sources, self.root, procs=procs, wait=wait, progress=progress)

    def update(self, sources: Iterable[PathLike], *, wait: float = 0.0,
               progress: Progress | None = None,
               on_article: ArticleOutcome | None = None) -> BuildReport:
        return build.update_index(sources, self.root, wait=wait, progress=progress,
                                  on_article=on_article)

    def delete(self, ids: Iterable[str], *, wait: float = 0.0) -> BuildReport:
        return build.delete_articles(ids, self.root, wait=wait)

    def stats(self) -> IndexStats:
        return stats.index_stats(self.root)

    def has_index(self) -> bool:
        return IndexStore(self.root).current() is not None
