"""How likely a typo is: edits weighed by the Arabic PC keyboard.

Sits under "did you mean" (search/suggest/correct.py): a letter typed for its neighbour on
the keyboard (``ب`` for ``ي``: ``الرئاسبة`` for ``الرئاسية``) is a likelier slip than any
other change, so it costs less. Letters are compared in normal form (indexer/normalize.py),
so a key is known by the normal form of its letter (``ة`` is ``ه``, ``ى`` is ``ي``).
"""

from __future__ import annotations

from indexer.normalize import normalize
from search.layout import arabic_rows

__all__ = ["ARABIC_ROWS", "adjacent_keys", "TypoCost", "NEIGHBOUR_COST"]

#: The letters of each row of keys on the Arabic PC layout (search/layout.py), and how far
#: each row is shifted right.
ARABIC_ROWS = arabic_rows()
#: The cost of a letter typed for a neighbouring key (any other edit costs 1).
NEIGHBOUR_COST = 0.5


def _key_positions() -> dict[str, list[tuple[int, float]]]:
    positions: dict[str, list[tuple[int, float]]] = {}
    for row, (letters, shift) in enumerate(ARABIC_ROWS):
        for column, letter in enumerate(letters):
            for norm in dict.fromkeys(normalize(letter)):
                positions.setdefault(norm, []).append((row, column + shift))
    return positions


def adjacent_keys() -> dict[str, frozenset[str]]:
    """Each letter (normal form) with the letters of the keys touching its key."""
    positions = _key_positions()
    near: dict[str, set[str]] = {letter: set() for letter in positions}
    for letter, places in positions.items():
        for other, others in positions.items():
            if other != letter and any(abs(r - r2) <= 1 and abs(x - x2) <= 1.0
                                       for r, x in places for r2, x2 in others):
                near[letter].add(other)
    return {letter: frozenset(found) for letter, found in near.items()}


#: :func:`adjacent_keys` of the layout, computed once (a constant table).
_ADJACENT = adjacent_keys()


class TypoCost:
    """The weighted edit distance between a word as typed and a word of the index."""

    def __init__(self) -> None:
        self._adjacent = _ADJACENT

    def __call__(self, typed: str, word: str) -> float:
        """Edits from ``word`` to ``typed``, a neighbouring key counting
        :data:`NEIGHBOUR_COST`, anything else 1 (normal forms)."""
        # imported at the first slip weighed, not with the searcher: rapidfuzz takes a fresh
        # process about 10 ms to load, and most searches weigh none
        from rapidfuzz.distance import Levenshtein

        cost = 0.0
        for op, src, dest in Levenshtein.editops(word, typed):
            if op == "replace" and typed[dest] in self._adjacent.get(word[src], ()):
                cost += NEIGHBOUR_COST
            else:
                cost += 1.0
        return cost

