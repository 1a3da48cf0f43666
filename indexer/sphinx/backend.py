"""The Sphinx index backend: a Fahras index kept in a Sphinx cluster (indexer/backend.py's
:class:`~indexer.backend.IndexBackend`).

A thin object over indexer/sphinx/build.py bound to one cluster address, and the index's
statistics read back from the cluster. There is no writer lock across machines: run one
writer at a time (``wait`` is accepted and has nothing to wait for).
"""

from __future__ import annotations

from collections.abc import Iterable

from indexer.address import IndexAddress
from indexer.backend import ArticleOutcome, PathLike, Progress
from indexer.errors import IndexNotFound
from indexer.report import BuildReport, IndexStats
from indexer.sphinx.build import SphinxWriter
from indexer.sphinx.client import Nodes
from indexer.sphinx.schema import Tables

__all__ = ["SphinxIndexBackend"]


class SphinxIndexBackend:
    """The index ``address.name`` on the nodes of ``address``."""

    def __init__(self, address: IndexAddress) -> None:
        self.address = address.text
        self.nodes = Nodes(address)
        self.tables = Tables(address.name)
        self.writer = SphinxWriter(self.nodes, self.tables)

    def build(self, sources: Iterable[PathLike], *, procs: int = 1, wait: float = 0.0,
              progress: Progress | None = None) -> BuildReport:
        return self.writer.build(sources, progress)

    def update(self, sources: Iterable[PathLike], *, wait: float = 0.0,
               progress: Progress | None = None,
               on_article: ArticleOutcome | None = None) -> BuildReport:
        return self.writer.update(sources, progress, on_article)

    def delete(self, ids: Iterable[str], *, wait: float = 0.0) -> BuildReport:
        return self.writer.delete(ids)

    def has_index(self) -> bool:
        return self.writer.meta.live() is not None

    def shard_counts(self) -> list[int]:
        """How many articles each node's shard of the live slot holds."""
        slot = self._slot()
        return [int(self.nodes.query(i, f"SELECT COUNT(*) FROM {self.tables.shard(slot)}")[0][0])
                for i in range(len(self.nodes))]

    def _slot(self) -> str:
        live = self.writer.meta.live()
        if live is None:
            raise IndexNotFound(self.address)
        return live[0]

    def _counts(self, table: str, attribute: str) -> dict[str, int]:
        rows = self.nodes.query(0, f"SELECT {attribute}, COUNT(*) c FROM {table} "
                                   f"GROUP BY {attribute} ORDER BY c DESC LIMIT 10000 "
                                   "OPTION max_matches=10000")
        return {str(row[0]): int(row[1]) for row in rows if row[0]}

    def stats(self) -> IndexStats:
        slot, record = self.writer.meta.live() or (None, {})
        if slot is None:
            raise IndexNotFound(self.address)
        table = self.tables.everything(slot)
        dates = self.nodes.query(0, f"SELECT MIN(ts) lo, MAX(ts) hi FROM {table} WHERE dated = 1")
        terms = self.nodes.query(0, f"SELECT COUNT(*) FROM {self.tables.dictionary(slot)}")
        stamp = [_day(value) for value in (dates[0] if dates else (None, None))]
        return IndexStats(
            index_dir=self.address, generation=f"{record.get('generation')} (slot {slot})",
            articles=sum(self.shard_counts()), deleted=0, terms=int(terms[0][0]),
            size_bytes=0, segments=len(self.nodes), schema_version=record.get("schema_version"),
            built_at=record.get("built_at"), updated_at=record.get("updated_at"),
            build_seconds=record.get("build_seconds"),
            categories=self._counts(table, "category"), sources=self._counts(table, "source"),
            first_date=stamp[0], last_date=stamp[1],
        )


def _day(value: object) -> str | None:
    from datetime import datetime, timezone

    if value in (None, "", "0"):
        return None
    return datetime.fromtimestamp(int(str(value)), timezone.utc).date().isoformat()
