"""Other spellings of a query's words that the index holds: names written several ways.

Sits between parsing (search/query.py) and compiling: the searcher (search/searcher.py)
passes the parsed query to :class:`NameVariants`, and each plain word gains, in its OR
group, the other spellings of it found in the index, as clauses of kind ``variant`` that the
compilers (search/whoosh/compiler.py, search/sphinx/compiler.py) weigh like the word itself
times :data:`VARIANT_WEIGHT`. Foreign names reach Arabic news in several spellings
(``ترامب``/``ترمب``, ``غوغل``/``جوجل``, ``نتنياهو``/``نتانياهو``), and each spelling alone
misses the articles of the others.

Words are compared in normal form (indexer/normalize.py), where ``ة``/``ه``, ``گ``/``ك``,
``ڤ``/``ف`` and ``پ``/``ب`` are already one letter. The candidates of a word (its article
``ال`` set aside) come from one rule each, never two together:

* the letters written for G, ``غ ج ق ك``, all replaced by one of them
  (``غوغل`` → ``جوجل``, ``سامسونغ`` → ``سامسونج``);
* a long vowel ``ا و ي`` written or left out inside the word (not as its first or last
  letter: ``ترامب`` → ``ترمب``, ``بوتن`` → ``بوتين``);
* a final ``ه`` written ``ا`` or the other way round.

A candidate is a variant when the index holds it and both it and the word behave as names
do: they hardly ever carry an attached pronoun (:data:`PRONOUN_SUFFIXES`; at most
:data:`SUFFIX_SHARE` of their articles hold the word with one). Ordinary Arabic words that
differ by a long vowel or by one of those letters all take pronouns (``كتابه``/``كتبه``,
``عالمها``/``علمه``, ``قلبه``/``كلبه``), the names do not (``ترامبه`` is never written).
A variant with the stem of the word adds nothing and is left out; the
:data:`MAX_VARIANTS` most frequent are kept. Every look-up is one batch of article counts
from the :class:`~search.backend.Lexicon`, which remembers them for the index's version.
"""

from __future__ import annotations

from dataclasses import replace

from search.backend import Lexicon
from search.highlight import is_noise_word
from search.query import Clause, ParsedQuery
from search.results import Expansion

__all__ = ["NameVariants", "spelling_candidates", "VARIANT_WEIGHT", "MAX_VARIANTS",
           "PRONOUN_SUFFIXES", "SUFFIX_SHARE", "MIN_LETTERS"]

#: A variant's weight in ranking, relative to the spelling typed.
VARIANT_WEIGHT = 0.8
#: At most this many variants of one word (the most frequent).
MAX_VARIANTS = 3
#: Attached pronouns: an ordinary noun or verb carries them, a foreign name does not.
PRONOUN_SUFFIXES = ("ه", "ها", "هم", "هما", "هن", "كم", "نا", "ك")
#: A word is a name when at most this share of its articles (plus one) hold it with a pronoun.
SUFFIX_SHARE = 0.02
#: Words (without ``ال``) shorter than this have no variants: short Arabic words differ
#: by one letter too often.
MIN_LETTERS = 4

_G_LETTERS = "غجقك"
_LONG_VOWELS = "اوي"
_ARTICLE = "ال"


def _vowel_edits(word: str) -> set[str]:
    found = {word[:i] + word[i + 1:] for i in range(1, len(word) - 1) if word[i] in _LONG_VOWELS}
    found.update(word[:i] + vowel + word[i:] for i in range(1, len(word))
                 for vowel in _LONG_VOWELS)
    return found


def _g_edits(word: str) -> set[str]:
    if not any(letter in _G_LETTERS for letter in word):
        return set()
    return {word.translate({ord(letter): g for letter in _G_LETTERS}) for g in _G_LETTERS}


def _final_edits(word: str) -> set[str]:
    swap = {"ه": "ا", "ا": "ه"}.get(word[-1:])
    return {word[:-1] + swap} if swap else set()


def _split_article(word: str) -> tuple[str, str]:
    if word.startswith(_ARTICLE) and len(word) - len(_ARTICLE) >= MIN_LETTERS:
        return _ARTICLE, word[len(_ARTICLE):]
    return "", word


def spelling_candidates(word: str) -> list[str]:
    """The other spellings of the normalised ``word`` the rules allow (see the module), in a
    stable order; none for a word of fewer than :data:`MIN_LETTERS` letters."""
    article, bare = _split_article(word)
    if len(bare) < MIN_LETTERS:
        return []
    found = _vowel_edits(bare) | _g_edits(bare) | _final_edits(bare)
    found.discard(bare)
    return sorted(article + c for c in found if len(c) >= MIN_LETTERS)


def _suffixed(word: str) -> list[str]:
    bare = _split_article(word)[1]
    base = bare[:-1] + "ت" if bare.endswith("ه") else bare  # حكومه → حكومته
    return [base + suffix for suffix in PRONOUN_SUFFIXES]


class NameVariants:
    """Finds the variants of words in the index of ``lexicon``."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon

    def _is_name(self, word: str, articles: int, suffixed: dict[str, int]) -> bool:
        with_pronoun = sum(suffixed.get(form, 0) for form in _suffixed(word))
        return with_pronoun <= 1 + SUFFIX_SHARE * articles

    def of(self, word: str) -> tuple[str, ...]:
        """The variants of the normalised ``word`` in the index, most frequent first."""
        candidates = spelling_candidates(word)
        if not candidates or is_noise_word(word):
            return ()
        counts = self.lexicon.frequencies([word, *candidates])
        held = sorted((c for c in candidates if counts.get(c, 0) > 0),
                      key=lambda c: (-counts[c], c))
        if not held:
            return ()
        suffixed = self.lexicon.frequencies(
            sorted({form for w in (word, *held) for form in _suffixed(w)}))
        if not self._is_name(word, counts.get(word, 0), suffixed):
            return ()
        stem = self.lexicon.stem(word)
        kept = [c for c in held
                if self._is_name(c, counts[c], suffixed) and self.lexicon.stem(c) != stem]
        return tuple(kept[:MAX_VARIANTS])

    def expand(self, parsed: ParsedQuery) -> tuple[ParsedQuery, tuple[Expansion, ...]]:
        """``parsed`` with each plain word's variants added to its OR group (and to what
        ``-word`` leaves out), and the expansions made, for showing."""
        expansions: list[Expansion] = []
        groups = []
        for group in parsed.groups:
            extra = []
            for clause in group:
                variants = self._of_clause(clause)
                if variants:
                    start, end = clause.span
                    expansions.append(Expansion(parsed.text[start:end] or clause.words[0],
                                                variants))
                    extra += [replace(clause, kind="variant", words=(v,)) for v in variants]
            groups.append((*group, *extra))
        excluded = [*parsed.excluded]
        for clause in parsed.excluded:
            excluded += [replace(clause, words=(v,)) for v in self._of_clause(clause)]
        if not expansions and len(excluded) == len(parsed.excluded):
            return parsed, ()
        return replace(parsed, groups=tuple(groups), excluded=tuple(excluded)), tuple(expansions)

    def shown(self, expansions: tuple[Expansion, ...]) -> tuple[Expansion, ...]:
        """``expansions`` with their variants as the articles write them."""
        return tuple(replace(e, variants=tuple(map(self.lexicon.surface_form, e.variants)))
                     for e in expansions)

    def _of_clause(self, clause: Clause) -> tuple[str, ...]:
        return self.of(clause.words[0]) if clause.kind == "word" else ()
