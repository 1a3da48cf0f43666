"""The index's words for completions and "did you mean", read from a Whoosh index.

Implements the :class:`~search.backend.Lexicon` of search/backend.py for the Whoosh backend
(search/whoosh/backend.py): each look-up reads the live version of the index through its
handle (search/whoosh/handle.py) and the version's cached :class:`Vocabulary`
(search/whoosh/vocabulary.py), on ``content_exact`` (normalised, unstemmed words) and
``content`` (stems).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Any

from whoosh.query import And, Term

from indexer.pairs import PairTable
from search.whoosh.handle import IndexHandle

__all__ = ["WhooshLexicon"]


class WhooshLexicon:
    """Word look-ups on the live index of ``handle``."""

    def __init__(self, handle: IndexHandle) -> None:
        self._handle = handle

    def prefix_terms(self, prefix: str, limit: int) -> list[tuple[str, int]]:
        with self._handle.reading() as (version, searcher):
            return version.vocabulary.prefix_terms(searcher, "content_exact", prefix, limit)

    def near_terms(self, word: str) -> list[tuple[str, int]]:
        with self._handle.reading() as (version, searcher):
            return version.vocabulary.near_terms(searcher, word)

    def frequency(self, word: str) -> int:
        return self.frequencies((word,)).get(word, 0)

    def frequencies(self, words: Sequence[str]) -> dict[str, int]:
        with self._handle.reading() as (version, searcher):
            return version.vocabulary.frequencies(searcher, "content_exact", words)

    def remembered(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        return self._handle.current().vocabulary.cached(("remembered", key), compute)

    def shared(self, word: str, other: str) -> int:
        with self._handle.reading() as (_, searcher):
            both = And([Term("content_exact", word), Term("content_exact", other)])
            return sum(1 for _ in searcher.docs_for_query(both))

    def base(self, word: str) -> str:
        with self._handle.reading() as (version, _):
            return version.vocabulary.words.base(word)

    def stem(self, word: str) -> str:
        with self._handle.reading() as (version, _):
            return version.vocabulary.words.stem(word)

    def stem_frequency(self, word: str) -> int:
        with self._handle.reading() as (version, searcher):
            stem = version.vocabulary.words.stem(word)
            return version.vocabulary.frequencies(searcher, "content", (stem,)).get(stem, 0)

    def stem_counts(self, stems: Sequence[str]) -> dict[str, int]:
        with self._handle.reading() as (version, searcher):
            return version.vocabulary.frequencies(searcher, "content", stems)

    def surface_form(self, word: str) -> str:
        with self._handle.reading() as (version, searcher):
            return version.vocabulary.surface_form(searcher, word)

    def pairs(self) -> PairTable:
        return self._handle.current().pairs
