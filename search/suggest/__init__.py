"""Helping the person type: completions for a search box, and "did you mean".

Sits beside the searcher (search/searcher.py), which calls :func:`complete` for
``Searcher.suggest`` and :func:`correct` after a search. Both read the index through the
backend's :class:`~search.backend.Lexicon`: its words and the word pairs of the build
(indexer/pairs.py). Completions are in search/suggest/complete.py, corrections in
search/suggest/correct.py, the keyboard that weighs typing slips in search/suggest/keyboard.py.
"""

from search.suggest.complete import MAX_PREFIX_CHARS, complete
from search.suggest.correct import FEW_RESULTS, Correction, correct

__all__ = ["complete", "correct", "Correction", "FEW_RESULTS", "MAX_PREFIX_CHARS"]
