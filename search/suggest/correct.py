""""Did you mean": the likeliest query the person meant, read with its words' neighbours.

Sits beside the searcher (search/searcher.py), which calls :func:`correct` after a search.
A query is scored as a chain of words (a noisy channel): how likely the words are one
after another in the index (the word pairs of the build, indexer/pairs.py, backing off to
how common each word is), times how likely the typing slip from each word to what was typed
is (edits weighed by the keyboard, search/suggest/keyboard.py). Each run of neighbouring
plain words is read in two passes:

* a word not in the index at all, and any word when the search found fewer than
  :data:`FEW_RESULTS` articles, may become one of its close spellings: the likeliest chain
  wins, found word by word (Viterbi);
* then a real word that makes no pair with its neighbours becomes a spelling one slip away
  that does, when that is :data:`FAR_MORE_LIKELY` times likelier (``اسعار النفت`` →
  ``اسعار النفط``; adding or dropping a proclitic is no slip).

Words are looked up in normal form through the backend's :class:`~search.backend.Lexicon`
and shown as the articles write them.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from indexer.pairs import PairTable
from search.backend import Lexicon
from search.highlight import is_noise_word
from search.query import Clause, ParsedQuery, analyze_words
from search.suggest.keyboard import TypoCost
from search.whoosh.vocabulary import fixed_prefix_length, one_edit_away

__all__ = ["Correction", "correct", "FEW_RESULTS", "FAR_MORE_LIKELY"]

#: A search with fewer results than this looks for a better spelling of every word.
FEW_RESULTS = 3
#: How much likelier a corrected chain of real words must be than the one typed.
FAR_MORE_LIKELY = 50.0
#: The likelihood of one unit of typing slip (a neighbouring key costs half a unit).
_SLIP = 0.1
#: The weight of a word's own frequency when it makes no pair with the word before it.
_BACKOFF = 0.4
#: Close spellings tried for one word, the most frequent.
_CANDIDATES = 8


@dataclass(frozen=True)
class Correction:
    """A corrected query text and how many articles it finds."""

    text: str
    total: int


@dataclass(frozen=True)
class _Slot:
    """One word of the query: where it is, and the spellings it may stand for with the
    log-likelihood of the slip from each (the typed word first when it is a real word)."""

    clause: Clause
    spellings: tuple[tuple[str, float], ...]


class _Chain:
    """Log-likelihoods of words after words, from the lexicon's counts and pairs."""

    def __init__(self, lexicon: Lexicon, documents: Callable[[], int]) -> None:
        self._lexicon = lexicon
        self._count_documents = documents
        self._documents = 0
        self._frequency: dict[str, float] = {}
        self._pairs: PairTable | None = None
        self._followers: dict[str, dict[str, int]] = {}

    def frequency(self, word: str) -> float:
        if word not in self._frequency:
            self._frequency[word] = self._lexicon.frequency(word) or 0.5
        return self._frequency[word]

    def _table(self) -> PairTable:
        if self._pairs is None:
            self._pairs = self._lexicon.pairs()
        return self._pairs

    def followers(self, first: str) -> dict[str, int]:
        if first not in self._followers:
            self._followers[first] = dict(self._table().followers(first))
        return self._followers[first]

    def pair(self, first: str, second: str) -> int:
        return self.followers(first).get(second, 0)

    def preceding(self, second: str, firsts: set[str], prefix: str) -> dict[str, int]:
        """Which of ``firsts`` (all starting with ``prefix``) come right before ``second``."""
        return self._table().preceding(second, firsts, prefix)

    def documents(self) -> int:
        if not self._documents:
            self._documents = max(self._count_documents(), 1)
        return self._documents

    def first(self, word: str) -> float:
        return math.log(self.frequency(word) / self.documents())

    def after(self, previous: str, word: str) -> float:
        together = self.pair(previous, word)
        if together:
            return math.log(together / self.frequency(previous))
        return math.log(_BACKOFF * self.frequency(word) / self.documents())


def _best(run: list[_Slot], chain: _Chain) -> tuple[tuple[str, ...], float]:
    """The likeliest spellings of a run of neighbouring words, and their log-likelihood."""
    def score(found: tuple[tuple[str, ...], float]) -> float:
        return found[1]

    paths = {word: ((word,), chain.first(word) + slip) for word, slip in run[0].spellings}
    for slot in run[1:]:
        paths = {word: max((((*path, word), logp + chain.after(path[-1], word) + slip)
                            for path, logp in paths.values()), key=score)
                 for word, slip in slot.spellings}
    return max(paths.values(), key=score)


def _runs(parsed: ParsedQuery) -> list[list[Clause]]:
    """The plain words of the query in runs of neighbours (a stop word, a phrase or any other
    part between two words breaks a run)."""
    runs: list[list[Clause]] = []
    previous: Clause | None = None
    for clause in parsed.clauses:
        plain = clause.kind == "word" and clause.field == "any" and \
            not is_noise_word(clause.words[0])
        if not plain:
            previous = None
            continue
        gap = parsed.text[previous.span[1]:clause.span[0]] if previous else None
        if previous is not None and gap is not None and not analyze_words(gap):
            runs[-1].append(clause)
        else:
            runs.append([clause])
        previous = clause
    return runs


#: What a word may carry in front that is no typo (the index reads them apart).
_PROCLITICS = ("و", "ف", "ب", "ل", "ك", "ال", "وال", "بال", "لل")


def _proclitic_variant(word: str, other: str) -> bool:
    """True when one of the two is the other with a proclitic in front."""
    longer, shorter = (word, other) if len(word) > len(other) else (other, word)
    return any(longer == clitic + shorter for clitic in _PROCLITICS)


class _Reader:
    """Decides which spellings a query's words may stand for."""

    def __init__(self, lexicon: Lexicon, chain: _Chain, few: bool) -> None:
        self._lexicon = lexicon
        self._chain = chain
        self._few = few
        self._cost = TypoCost()
        self._indexed: dict[str, bool] = {}

    def _slip(self, word: str, term: str) -> float:
        return self._cost(word, term) * math.log(_SLIP)

    def indexed(self, word: str) -> bool:
        """True when the index holds ``word``, or a word of its stem."""
        if word not in self._indexed:
            self._indexed[word] = self._chain.frequency(word) >= 1 or \
                bool(self._lexicon.stem_frequency(word))
        return self._indexed[word]

    def spellings(self, word: str) -> tuple[tuple[str, float], ...]:
        """What a word may stand for in the first pass: a word missing from the index its
        close spellings; a real word itself (and its close spellings after few results)."""
        if self.indexed(word) and not self._few:
            return ((word, 0.0),)
        close = [(term, self._slip(word, term)) for term, _ in self._lexicon.near_terms(word)
                 if term != word and not is_noise_word(term)][:_CANDIDATES]
        return ((word, 0.0), *close) if self.indexed(word) else tuple(close) or ((word, 0.0),)

    def _local(self, left: str | None, word: str, right: str | None) -> float:
        chain = self._chain
        score = chain.after(left, word) if left else chain.first(word)
        return score + (chain.after(word, right) if right else 0.0)

    def real_word(self, left: str | None, word: str, right: str | None) -> str:
        """``word``, or a spelling one slip away that makes a pair with a neighbour where
        ``word`` makes none, when it is :data:`FAR_MORE_LIKELY` times likelier."""
        chain = self._chain
        if (left and chain.pair(left, word)) or (right and chain.pair(word, right)):
            return word
        best, best_score = word, self._local(left, word, right) + math.log(FAR_MORE_LIKELY)
        for term in self._paired_slips(left, word, right):
            score = self._local(left, term, right) + self._slip(word, term)
            if score > best_score:
                best, best_score = term, score
        return best


    def _paired_slips(self, left: str | None, word: str, right: str | None) -> list[str]:
        """The indexed spellings one slip from ``word`` that make a pair with a neighbour,
        the :data:`_CANDIDATES` most frequent: the strings one edit away are looked up in the
        word pairs (in memory) before the index counts the few that pair."""
        chain, fixed = self._chain, fixed_prefix_length(word)
        near = one_edit_away(word, fixed) - {word}
        pairing = near & chain.followers(left).keys() if left else set()
        if right:
            pairing |= chain.preceding(right, near, word[:fixed]).keys()
        paired = [term for term in sorted(pairing)
                  if not is_noise_word(term) and not _proclitic_variant(word, term)]
        counts = self._lexicon.frequencies(paired) if paired else {}
        return sorted(counts, key=lambda term: (-counts[term], term))[:_CANDIDATES]


def _read_run(run: list[Clause], reader: _Reader, chain: _Chain) -> list[str]:
    """The spellings meant by a run of neighbouring words: missing words (and, after few
    results, any) by the likeliest chain, then each real word read with its neighbours."""
    typed = [clause.words[0] for clause in run]
    slots = [_Slot(clause, reader.spellings(word)) for clause, word in
             zip(run, typed, strict=True)]
    open_choice = any(slot.spellings != ((word, 0.0),) for slot, word in
                      zip(slots, typed, strict=True))
    words = list(_best(slots, chain)[0]) if open_choice else list(typed)
    if len(words) > 1:
        for i, word in enumerate(words):
            if word == typed[i] and reader.indexed(word):
                words[i] = reader.real_word(words[i - 1] if i else None, word,
                                            words[i + 1] if i + 1 < len(words) else None)
    return words


def _replacements(parsed: ParsedQuery, lexicon: Lexicon, total: int,
                  documents: Callable[[], int]) -> list[tuple[tuple[int, int], str]]:
    chain = _Chain(lexicon, documents)
    reader = _Reader(lexicon, chain, total < FEW_RESULTS)
    replacements = []
    for run in _runs(parsed):
        chosen = zip(run, _read_run(run, reader, chain), strict=True)
        replacements += [(clause.span, lexicon.surface_form(word))
                         for clause, word in chosen if word != clause.words[0]]
    return replacements


def correct(parsed: ParsedQuery, lexicon: Lexicon, total: int,
            documents: Callable[[], int], count: Callable[[str], int]) -> Correction | None:
    """The likeliest corrected query (see the module's rules) when it finds more than
    ``total`` articles, or finds any and replaces real words; else None. ``documents()``
    tells the number of articles of the index, ``count`` how many a query text finds."""
    replacements = _replacements(parsed, lexicon, total, documents)
    if not replacements:
        return None
    text = parsed.text
    for (start, end), word in sorted(replacements, reverse=True):
        text = text[:start] + word + text[end:]
    text = " ".join(text.split())
    found = count(text)
    return Correction(text, found) if found > total or (found and total >= FEW_RESULTS) \
        else None
