"""Roots and patterns: the three letters a stem is built on, and the words built on them.

Sits beside the stemmer (indexer/stemming.py), after it: a stem keeps the letters that
derivation adds (``صابر``, ``اصبر``, ``تصبير`` are three stems of one root), so the same
idea written as a verb and as a noun never meets on the stem alone. Here each stem is read
against the common patterns of Arabic derivation (:data:`PATTERNS`, written with ``ف ع ل``
for the root's three letters, as Arabic grammar writes them), which gives its root; and a
root is put back into every pattern, which gives the words that may be built on it. The
search side (search/related.py) looks those words up in the index.

The long vowels ``ا و ي`` of a root are one letter here (:data:`WEAK`): ``صوم`` and
``صيام``, ``قال`` and ``يقول`` share a root. A stem that fits no pattern (most foreign
names: ``خاشقج``, ``ترامب``) has no root. Where a stem fits several patterns,
:func:`root_of` says which wins.

Plain Python, no Whoosh: every backend reads roots the same way.
"""

from __future__ import annotations

__all__ = ["PATTERNS", "WEAK", "ROOT_SLOTS", "root_of", "derived_words"]

#: The root's letters in a pattern.
ROOT_SLOTS = "فعل"
#: How a long vowel of a root is written in a root (any of ``ا و ي`` reads as this).
WEAK = "و"
_WEAK_LETTERS = frozenset("اوي")

#: Patterns of derivation, by length, the commoner first where two may fit one stem.
#: A stem's other letters are those the pattern writes (hamza on its seat reads ``ء``).
PATTERNS: tuple[str, ...] = (
    # three letters: the root itself
    "فعل",
    # four
    "فاعل", "فعال", "فعيل", "فعول", "مفعل", "افعل", "تفعل", "يفعل", "نفعل",
    # five
    "مفعول", "تفعيل", "مفاعل", "فواعل", "افعال", "افتعل", "انفعل", "تفاعل", "يفاعل",
    "يتفعل", "مفتعل", "متفعل", "يفتعل", "مفعال", "فعلان", "فعاءل",
    # six
    "افتعال", "انفعال", "استفعل", "مستفعل", "متفاعل", "مفاعيل", "يستفعل", "تفاعيل",
    # seven
    "استفعال",
)  # fmt: skip
_BY_LENGTH: dict[int, tuple[str, ...]] = {
    n: tuple(p for p in PATTERNS if len(p) == n) for n in {len(p) for p in PATTERNS}}


def _fit(stem: str, pattern: str) -> str | None:
    """The root of ``stem`` read through ``pattern`` (same length), or None."""
    root = []
    for letter, slot in zip(stem, pattern, strict=True):
        if slot in ROOT_SLOTS:
            root.append(WEAK if letter in _WEAK_LETTERS else letter)
        elif letter != slot:
            return None
    return "".join(root)


def root_of(stem: str) -> str | None:
    """The root of ``stem`` (a normalised stem: indexer/stemming.py), its long vowels
    written :data:`WEAK`; None when no pattern fits, or the root would be mostly vowels.

    Of the patterns that fit, the one leaving the fewest long vowels in the root wins (a
    long vowel is more often the pattern's: ``صابر`` is ``فاعل``), then one whose root
    does not start with a long vowel (``يقول`` is ``يفعل`` of ``قول``, not ``فعول``), then
    the first in :data:`PATTERNS`.
    """
    best: tuple[int, bool, int] | None = None
    found = None
    for rank, pattern in enumerate(_BY_LENGTH.get(len(stem), ())):
        root = _fit(stem, pattern)
        if root is None or root.count(WEAK) > 1:
            continue
        score = (root.count(WEAK), root[0] == WEAK, rank)
        if best is None or score < best:
            best, found = score, root
    return found


def _spellings(root: str) -> list[str]:
    """``root`` with each :data:`WEAK` letter written each way (``ص و م`` → ``صام صوم صيم``)."""
    found = [""]
    for letter in root:
        found = [f + choice for f in found for choice in ("اوي" if letter == WEAK else letter)]
    return found


def derived_words(root: str) -> list[str]:
    """The words every pattern builds on ``root`` (as :func:`root_of` writes roots), each
    once, in the order of :data:`PATTERNS`; a word whose root reads back otherwise (a
    pattern an earlier one shadows) is left out."""
    found: dict[str, None] = {}
    for pattern in PATTERNS:
        for letters in _spellings(root):
            fill = iter(letters)
            word = "".join(next(fill) if slot in ROOT_SLOTS else slot for slot in pattern)
            if root_of(word) == root:
                found.setdefault(word)
    return list(found)
