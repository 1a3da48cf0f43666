"""The index's words for completions and "did you mean", read from a Sphinx cluster.

Implements the :class:`~search.backend.Lexicon` of search/backend.py for the Sphinx backend:
each look-up asks the dictionary of the live slot (search/sphinx/terms.py) with the slot's
word analysis (search/sphinx/live.py).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Hashable, Sequence
from typing import Any

from indexer.normalize import INVISIBLE_CHARS, is_arabic_mark, normalize
from indexer.pairs import PairTable
from indexer.sphinx.client import SphinxError
from indexer.sphinx.schema import token
from indexer.words import spans
from search.sphinx.live import LiveIndex, unreachable_as_damage

__all__ = ["SphinxLexicon"]


class SphinxLexicon:
    """Word look-ups on the live slot of ``live``."""

    def __init__(self, live: LiveIndex) -> None:
        self._live = live
        self.address = live.address

    @unreachable_as_damage
    def prefix_terms(self, prefix: str, limit: int) -> list[tuple[str, int]]:
        return self._live.current().terms.prefix_terms("exact", prefix, limit)

    @unreachable_as_damage
    def near_terms(self, word: str) -> list[tuple[str, int]]:
        return self._live.current().terms.near_terms(word)

    @unreachable_as_damage
    def frequency(self, word: str) -> int:
        return self._live.current().terms.frequency("exact", word)

    @unreachable_as_damage
    def frequencies(self, words: Sequence[str]) -> dict[str, int]:
        return self._live.current().terms.frequencies("exact", list(words))

    def remembered(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        return self._live.current().cache.get(("remembered", key), compute)

    @unreachable_as_damage
    def shared(self, word: str, other: str) -> int:
        version = self._live.current()

        table = self._live.tables.everything(version.slot)
        rows = self._live.nodes.query_any(
            f"SELECT COUNT(*) FROM {table} WHERE MATCH('{token(word, 'x_')} "
            f"{token(other, 'x_')}')")
        return int(rows[0][0]) if rows else 0

    @unreachable_as_damage
    def base(self, word: str) -> str:
        return self._live.current().words.base(word)

    @unreachable_as_damage
    def stem(self, word: str) -> str:
        return self._live.current().words.stem(word)

    @unreachable_as_damage
    def stem_frequency(self, word: str) -> int:
        version = self._live.current()
        return version.terms.frequency("stem", version.words.stem(word))

    @unreachable_as_damage
    def stem_counts(self, stems: Sequence[str]) -> dict[str, int]:
        return self._live.current().terms.frequencies("stem", list(stems))

    @unreachable_as_damage
    def pairs(self) -> PairTable:
        return self._live.current().pairs

    @unreachable_as_damage
    def surface_form(self, word: str) -> str:
        version = self._live.current()

        def find() -> str:
            table = self._live.tables.everything(version.slot)
            for node in range(len(self._live.nodes)):
                try:
                    rows = self._live.nodes.query(
                        node, f"SELECT doc FROM {table} WHERE MATCH('{token(word, 'x_')}') "
                              "LIMIT 1 OPTION ranker=none")
                except SphinxError:  # the next node may answer
                    continue
                return _written(rows[0][0], word) if rows else word
            return word
        return version.cache.get(("surface", word), find)


def _written(doc: str, word: str) -> str:
    """How ``word`` is written in the stored article ``doc``, without diacritics."""
    stored = json.loads(doc)
    for text in (stored.get("title") or "", stored.get("body") or ""):
        for surface, _start, _end in spans(text):
            if normalize(surface) == word:
                return "".join(c for c in surface
                               if not (is_arabic_mark(c) or c in INVISIBLE_CHARS))
    return word
