"""Suffixes: the stem of a word whose proclitics are gone.

Sits after the proclitic decision (indexer/lexicon.py) in indexer/words.py's
:class:`~indexer.words.WordAnalysis`. Snowball's Arabic stemmer removes the suffixes;
its own prefix removal is undone (it cuts the ``ف`` of ``فرنسا`` and a "future" ``س``
from ``سيارات``): when its stem sits further into the word, the letters before it stay.
Two more corrections of Snowball:

* a final ``ك`` is a letter of the word, not the pronoun "your" (rare in news): ``المكسيك``,
  ``مملكة``, ``مالك``, ``اشتراك`` keep it;
* the nisba before a plural ending is stemmed like the nisba alone: Snowball leaves the
  ``ي`` of ``يمنيين`` (→ ``يمني``) but takes it from ``يمني`` (→ ``يمن``), so a stem that
  still ends in ``ي`` after a suffix came off is stemmed once more.

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
STEMMER_NAME = "snowball-arabic+lexicon-proclitics+plural-at+kaf+nisba+dual"
_KAF = "ك"

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
    stem = _suffixes_only(base, _snowball(base))
    if stem.endswith("ي") and len(stem) < len(base) and len(stem) >= 4:
        stem = _suffixes_only(stem, _snowball(stem))
    return stem or base


def _suffixes_only(base: str, stem: str) -> str:
    """Snowball's ``stem`` of ``base`` with its prefix removal undone and a final ``ك`` kept."""
    start = next((i for i in range(4) if base.startswith(stem, i)), 0)
    if start:
        stem = base[: start + len(stem)]
    if stem and base.startswith(stem) and _KAF in base[len(stem):]:
        stem = base[: base.rindex(_KAF) + 1]
    return stem
