"""Helping the person type: completions for a search box, and "did you mean".

Sits beside the searcher (search/searcher.py), which calls :func:`complete` for
``Searcher.suggest`` and :func:`did_you_mean` after a search that found little.
Both work on the index's normalised, unstemmed words, through the backend's
:class:`~search.backend.Lexicon`, so ``أح``, ``اح`` and ``إح`` complete alike, and both show
words as the articles write them (``أحمد``, not the normal form ``احمد``).
"""

from __future__ import annotations

from collections.abc import Callable

from rapidfuzz.distance import Levenshtein

from search.backend import Lexicon
from search.highlight import is_noise_word
from search.query import ParsedQuery, analyze_words

__all__ = ["complete", "did_you_mean", "FEW_RESULTS", "MAX_PREFIX_CHARS"]

#: A search with fewer results than this looks for a better spelling of every word.
FEW_RESULTS = 3
#: Only the end of a longer search-box text is read.
MAX_PREFIX_CHARS = 200
_MORE_FREQUENT = 10  # a known word is replaced only by one this many times more frequent


def complete(lexicon: Lexicon, text: str, n: int) -> list[str]:
    """Up to ``n`` completions of the last word of ``text``, most frequent first.

    Earlier words are kept as typed; stop words and one-letter words are never
    offered. Empty or wordless text gives ``[]``.
    """
    text = text.rstrip()[-MAX_PREFIX_CHARS:]
    words = analyze_words(text)
    if not words:
        return []
    prefix, start, _ = words[-1]
    head = text[:start]
    completions: list[str] = []
    for term, _ in lexicon.prefix_terms(prefix, 3 * n + 10):
        if is_noise_word(term):
            continue
        completion = head + lexicon.surface_form(term)
        if completion not in completions:
            completions.append(completion)
        if len(completions) == n:
            break
    return completions


def _correction(lexicon: Lexicon, word: str, known: int) -> str | None:
    """The closest, most frequent other spelling of ``word``, if it is clearly better."""
    ranked = sorted(
        (Levenshtein.distance(word, term), -count, term)
        for term, count in lexicon.near_terms(word)
        if term != word and not is_noise_word(term)
    )
    if not ranked:
        return None
    _, count, term = ranked[0]
    return term if -count > _MORE_FREQUENT * known else None


def did_you_mean(
    parsed: ParsedQuery, lexicon: Lexicon, total: int, count: Callable[[str], int]
) -> str | None:
    """A corrected query text when it finds more than ``total`` articles, else None.

    Words missing from the index (neither the form nor its stem) are corrected;
    when the search found fewer than :data:`FEW_RESULTS` articles, rare words with
    a much more frequent close spelling are too. ``count`` tells how many articles
    a query text finds.
    """
    replacements = []
    for clause in parsed.clauses:
        if clause.kind != "word" or clause.field != "any" or is_noise_word(clause.words[0]):
            continue
        word = clause.words[0]
        known = lexicon.frequency(word)
        indexed = known or lexicon.stem_frequency(word)
        if indexed and total >= FEW_RESULTS:
            continue
        better = _correction(lexicon, word, known)
        if better is not None:
            replacements.append((clause.span, lexicon.surface_form(better)))
    if not replacements:
        return None
    text = parsed.text
    for (start, end), word in sorted(replacements, reverse=True):
        text = text[:start] + word + text[end:]
    text = " ".join(text.split())
    return text if count(text) > total else None
