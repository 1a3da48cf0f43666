"""Completions for a search box that read the whole text typed so far.

Sits beside the searcher (search/searcher.py), which calls :func:`complete` for
``Searcher.suggest``. The last word is completed from the words that follow the word before
it in the index (the build's word pairs, indexer/pairs.py: ``كرة الق`` → ``كرة القدم``, not
``كرة القوات``), or, when none does, from the most frequent words with its beginning; a text
ending in a space after a word is offered that word's usual followers. A rare spelling is
never offered when a far more frequent one is a typo away (``الانتخبارات`` beside
``الانتخابات``). Works on normal forms through the backend's
:class:`~search.backend.Lexicon`, so ``أح``, ``اح`` and ``إح`` complete alike, and shows words
as the articles write them (``أحمد``, not the normal form ``احمد``).
"""

from __future__ import annotations

from search.backend import Lexicon
from search.highlight import is_noise_word
from search.query import analyze_words

__all__ = ["complete", "MAX_PREFIX_CHARS", "MISSPELLING_RATIO"]

#: Only the end of a longer search-box text is read.
MAX_PREFIX_CHARS = 200
#: A word is taken for a misspelling when a spelling this many times more frequent is a typo
#: away (one edit, two from six letters on).
MISSPELLING_RATIO = 100


def _previous_word(words: list[tuple[str, int, int]], index: int) -> str | None:
    """The normal form of the content word right before word ``index`` (None for a stop
    word, or when there is none)."""
    if index <= 0:
        return None
    word = words[index - 1][0]
    return None if is_noise_word(word) else word


def _misspelling(word: str, count: int, pool: dict[str, int]) -> bool:
    from rapidfuzz.distance import Levenshtein  # at the first completion (see keyboard.py)

    limit = 1 if len(word) <= 5 else 2
    return any(other != word and other_count >= MISSPELLING_RATIO * max(count, 1)
               and Levenshtein.distance(word, other, score_cutoff=limit) <= limit
               for other, other_count in pool.items())


def _candidates(lexicon: Lexicon, previous: str | None, prefix: str, n: int) -> list[str]:
    """Normal forms completing ``prefix`` after ``previous``, best first: the words that
    follow ``previous`` when some do, else the most frequent words starting with ``prefix``."""
    pool = dict(lexicon.prefix_terms(prefix, 3 * n + 10)) if prefix else {}
    ranked: list[tuple[str, int]] = []
    if previous is not None:
        ranked = [(word, pool.get(word) or lexicon.frequency(word))
                  for word, _ in lexicon.pairs().followers(previous) if word.startswith(prefix)]
    if not ranked:
        ranked = list(pool.items())
    found: list[str] = []
    for word, count in ranked:
        if word in found or is_noise_word(word) or _misspelling(word, count, pool):
            continue
        found.append(word)
    return found


def complete(lexicon: Lexicon, text: str, n: int) -> list[str]:
    """Up to ``n`` completions of ``text`` (see the module), best first.

    Earlier words are kept as typed; stop words and one-letter words are never offered.
    Empty or wordless text gives ``[]``.
    """
    text = text[-MAX_PREFIX_CHARS:]
    words = analyze_words(text)
    if not words:
        return []
    if text[-1:].isspace() and not is_noise_word(words[-1][0]):
        head, prefix = text.rstrip() + " ", ""
        previous: str | None = words[-1][0]
    else:
        text = text.rstrip()
        prefix, start, _ = words[-1]
        head, previous = text[:start], _previous_word(words, len(words) - 1)
    completions: list[str] = []
    for word in _candidates(lexicon, previous, prefix, n):
        completion = head + lexicon.surface_form(word)
        if completion not in completions:
            completions.append(completion)
        if len(completions) == n:
            break
    return completions
