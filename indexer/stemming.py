"""Suffixes: the stem of a word whose proclitics are gone.

Sits after the proclitic decision (indexer/lexicon.py) in indexer/words.py's
:class:`~indexer.words.WordAnalysis`. Snowball's Arabic stemmer removes the suffixes;
its own prefix removal is undone (it cuts the ``ف`` of ``فرنسا`` and a "future" ``س``
from ``سيارات``): when its stem sits further into the word, the letters before it stay.
Plain Python, no Whoosh.
"""

from __future__ import annotations

import threading

import snowballstemmer

__all__ = ["stem_base", "PLURAL_AT_MIN_STEM", "STEMMER_NAME"]

#: The feminine plural ending, removed before Snowball when this many letters remain:
#: Snowball takes only the ``ت`` of ``احتجاجات`` when no ``ال`` precedes it.
PLURAL_AT_MIN_STEM = 3
#: Recorded in each index's settings.
STEMMER_NAME = "snowball-arabic+lexicon-proclitics+plural-at"

_ARABIC_LETTERS = frozenset(chr(cp) for cp in range(0x0621, 0x064B))
_local = threading.local()


def _snowball(word: str) -> str:
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:  # one per thread: the C stemmer is not thread-safe
        stemmer = _local.stemmer = snowballstemmer.stemmer("arabic")
    return stemmer.stemWord(word)


def stem_base(base: str) -> str:
    """The stem of ``base``, a normalised word without proclitics."""
    if not base or base[0] not in _ARABIC_LETTERS:
        return base
    if base.endswith("ات") and len(base) - 2 >= PLURAL_AT_MIN_STEM:
        base = base[:-2]
    stem = _snowball(base)
    start = next((i for i in range(4) if base.startswith(stem, i)), 0)
    if start:
        stem = base[: start + len(stem)]
    return stem or base
