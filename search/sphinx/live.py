"""The live slot of a Fahras index in Sphinx, as the searcher sees it.

Sits between the cluster (the meta rows of indexer/sphinx/store.py) and the Sphinx backend
(search/sphinx/backend.py). A :class:`LiveIndex` reads the slot pointer at most once every
:data:`POINTER_SECONDS`; when it points at a new build it loads that slot's record and
lexicon into a new :class:`SlotVersion` (its word analysis, dictionary look-ups and caches),
so a rebuild is picked up by itself, and every call reads one version from start to end.
"""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from indexer.address import IndexAddress
from indexer.pairs import PairTable
from indexer.sphinx.client import NodeDown, Nodes
from indexer.sphinx.schema import SCHEMA_VERSION, Tables
from indexer.sphinx.store import MetaStore
from indexer.words import WordAnalysis
from search.errors import FahrasError, IndexDamaged, IndexMismatch, IndexNotFound
from search.sphinx.terms import BoundedCache, Terms

__all__ = ["LiveIndex", "SlotVersion", "POINTER_SECONDS", "unreachable_as_damage"]

#: How long the searcher trusts the pointer it read before it reads it again.
POINTER_SECONDS = 1.0

Method = TypeVar("Method", bound=Callable[..., Any])


def unreachable_as_damage(method: Method) -> Method:
    """``method`` of an object with an ``address``, raising
    :class:`~search.errors.IndexDamaged` (a 503 on the web) instead of
    :class:`~indexer.sphinx.client.NodeDown` when the nodes it needs do not answer."""
    @functools.wraps(method)
    def call(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except NodeDown as exc:
            raise IndexDamaged(str(self.address), exc) from exc
    return cast(Method, call)


@dataclass
class SlotVersion:
    """One build of the index: its slot, record, word analysis, terms, word pairs and caches."""

    slot: str
    record: dict
    words: WordAnalysis
    terms: Terms
    pairs: PairTable
    cache: BoundedCache = field(default_factory=BoundedCache)

    @property
    def generation(self) -> str:
        return str(self.record.get("generation", self.slot))


class LiveIndex:
    """The live slot of index ``address.name`` on the nodes of ``address``; thread-safe."""

    def __init__(self, address: IndexAddress) -> None:
        self.address = address
        self.nodes = Nodes(address)
        self.tables = Tables(address.name)
        self.meta = MetaStore(self.nodes, self.tables)
        self._lock = threading.Lock()
        self._version: SlotVersion | None = None
        self._checked = 0.0
        self._closed = False
        self.current()  # no index, or a mismatched one, fails at once

    def current(self) -> SlotVersion:
        """The version the pointer names, reloaded when it changed."""
        if self._closed:
            raise FahrasError(f"the searcher of {self.address} has been closed")
        version = self._version
        if version is not None and time.monotonic() - self._checked < POINTER_SECONDS:
            return version
        with self._lock:
            live = self.meta.live()
            self._checked = time.monotonic()
            if live is None:
                raise IndexNotFound(self.address.text)
            slot, record = live
            if self._version is None or self._version.slot != slot or \
                    self._version.generation != record.get("generation"):
                self._version = self._load(slot, record)
            else:
                self._version.record = record
            return self._version

    def _load(self, slot: str, record: dict) -> SlotVersion:
        found = record.get("schema_version")
        if found != SCHEMA_VERSION:
            raise IndexMismatch(self.address.text, found, SCHEMA_VERSION)
        lexicon = self.meta.lexicon(slot, int(record.get("lexicon_pieces", 0)))
        cache = BoundedCache()
        pairs = self.meta.pairs(slot, int(record.get("pairs_pieces", 0)))
        return SlotVersion(slot, record, WordAnalysis(lexicon),
                           Terms(self.nodes, self.tables, slot, cache), pairs, cache)

    def close(self) -> None:
        self._closed = True
        self.nodes.close()
