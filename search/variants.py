"""Other spellings of a query's words that the index holds: names written several ways.

Sits between parsing (search/query.py) and compiling: the searcher (search/searcher.py)
passes the parsed query to :class:`NameVariants`, and each plain word gains, in its OR
group, the other spellings of it found in the index, as clauses of kind ``variant`` that the
compilers (search/whoosh/compiler.py, search/sphinx/compiler.py) weigh like the word itself
times :data:`VARIANT_WEIGHT`. Foreign names reach Arabic news in several spellings
(``ترامب``/``ترمب``, ``غوغل``/``جوجل``, ``نتنياهو``/``نتانياهو``), and each spelling alone
misses the articles of the others.

Words are compared in normal form (indexer/normalize.py), where ``ة``/``ه``, ``گ``/``ك``,
``ڤ``/``ف`` and ``پ``/``ب`` are already one letter, and without their proclitics (as the
index decides them: ``وترامب`` varies as ``ترامب`` and gives ``وترمب``). The candidates of a
word of at least :data:`MIN_LETTERS` letters come from one rule each, never two together:

* the letters written for G, ``غ ج ق ك``, all replaced by one of them
  (``غوغل`` → ``جوجل``, ``سامسونغ`` → ``سامسونج``);
* a long vowel ``ا و ي`` written or left out inside the word (not as its first or last
  letter: ``ترامب`` → ``ترمب``, ``بوتن`` → ``بوتين``);
* a final ``ه`` written ``ا`` or the other way round.

A candidate is a variant when the index holds it and the two behave as spellings of one
name, which the index's counts tell (:class:`_Counts`):

* neither is inflected as an ordinary Arabic word is (:func:`arabic_evidence`: at most
  :data:`SUFFIX_SHARE` of its articles, plus one, hold it with an attached pronoun or an
  ending, as a form of a shorter word, or as a verb of another person): ``كتابه``,
  ``مكاتبها``, ``قلبه``, ``كتابها`` → ``كتاب``, ``تتراوح`` → ``يتراوح`` are written,
  ``ترامبه`` never;
* together they seldom take the article (:data:`ARTICLE_SHARE`: ``المدينه``, ``الاكبر``
  are the rule, ``الفيسبوك`` the exception);
* they are alternatives, not companions: two frequent names found together in many
  articles (``محمد``/``محمود``, :data:`COMPANION_SHARE`) are two people;
* the variant's stem is not the word's (it would add nothing).

Words with the article (``الله``) and words shorter than :data:`MIN_LETTERS` (``علم``/
``عالم``, ``كتب``/``كتاب``) have no variants; the :data:`MAX_VARIANTS` most frequent are
kept. The look-ups are batches of article counts from the
:class:`~search.backend.Lexicon`, which remembers them for the index's version.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

from search.backend import Lexicon
from search.highlight import is_noise_word
from search.query import Clause, ParsedQuery
from search.results import Expansion

__all__ = ["NameVariants", "spelling_candidates", "inflections", "arabic_evidence",
           "VARIANT_WEIGHT", "MAX_VARIANTS", "PRONOUN_SUFFIXES", "ENDINGS", "SUFFIX_SHARE",
           "ARTICLE_SHARE", "COMPANION_MIN", "COMPANION_SHARE", "MIN_LETTERS"]

#: A variant's weight in ranking, relative to the spelling typed: articles with the
#: spelling typed come first. Measured (docs/relevance.md row 31): 0.8 cost news-known-item
#: 0.005 nDCG@10 (a headline's spelling is its own article's), 0.25 still 0.0005; 0.1 leaves
#: every set as it was or better.
VARIANT_WEIGHT = 0.1
#: At most this many variants of one word (the most frequent).
MAX_VARIANTS = 3
#: Attached pronouns: an ordinary noun or verb carries them, a foreign name does not.
PRONOUN_SUFFIXES = ("ه", "ها", "هم", "هما", "هن", "كم", "نا", "ك")
#: Endings of plurals, duals, verbs and the indefinite accusative, which names do not take.
ENDINGS = ("ا", "وا", "ات", "ون", "ين", "ان")
#: A word is a name when its inflected forms (:func:`arabic_evidence`) are in at most this
#: share of its articles (plus one).
SUFFIX_SHARE = 0.05
#: A name and its variant together take the article in at most this share of their
#: articles (plus one): ``الفيسبوك`` is written, ``المدينه`` is the rule.
ARTICLE_SHARE = 0.15
ARTICLE = "ال"
#: Two names each in at least this many articles, and found together in more than this
#: share of the rarer one's, are two names, not two spellings.
COMPANION_MIN = 50
COMPANION_SHARE = 0.2
#: Words (without proclitics) shorter than this have no variants: short Arabic words
#: differ by one letter too often.
MIN_LETTERS = 4

_G_LETTERS = "غجقك"
_PROCLITIC_LETTERS = "وفبلك"
_VERB_PREFIXES = "يتن"
_LONG_VOWELS = "اوي"


def _vowel_edits(word: str) -> set[str]:
    found = {word[:i] + word[i + 1:] for i in range(1, len(word) - 1) if word[i] in _LONG_VOWELS}
    found.update(word[:i] + vowel + word[i:] for i in range(1, len(word))
                 for vowel in _LONG_VOWELS if vowel not in (word[i - 1], word[i]))
    return found


def _g_edits(word: str) -> set[str]:
    if not any(letter in _G_LETTERS for letter in word):
        return set()
    return {word.translate({ord(letter): g for letter in _G_LETTERS}) for g in _G_LETTERS}


def _final_edits(word: str) -> set[str]:
    swap = {"ه": "ا", "ا": "ه"}.get(word[-1:])
    return {word[:-1] + swap} if swap else set()


def spelling_candidates(word: str) -> list[str]:
    """The other spellings of the normalised ``word`` (without proclitics) the rules allow
    (see the module), in a stable order; none for a word of fewer than :data:`MIN_LETTERS`
    letters."""
    if len(word) < MIN_LETTERS:
        return []
    found = _vowel_edits(word) | _g_edits(word) | _final_edits(word)
    found.discard(word)
    return sorted(c for c in found if len(c) >= MIN_LETTERS)


def inflections(word: str) -> list[str]:
    """The forms an ordinary Arabic noun or verb ``word`` (normalised, without proclitics)
    takes and a name does not: an attached pronoun or an ending."""
    base = word[:-1] + "ت" if word.endswith("ه") else word  # حكومه → حكومته
    return [*(base + suffix for suffix in PRONOUN_SUFFIXES),
            *(word + ending for ending in ENDINGS)]


def _stripped(word: str) -> list[str]:
    """What ``word`` would be without an ending: a name is not an inflected form."""
    found = []
    for suffix in (*PRONOUN_SUFFIXES, *ENDINGS, "ت"):
        rest = word[:-len(suffix)]
        if word.endswith(suffix) and len(rest) >= 3:
            pronoun = suffix in PRONOUN_SUFFIXES and rest.endswith("ت")
            found.append(rest[:-1] + "ه" if pronoun else rest)
    return found


def arabic_evidence(word: str) -> list[str]:
    """Forms whose presence in the index shows ``word`` (normalised, without proclitics) is
    an ordinary Arabic word: its inflections (:func:`inflections`), and those of what
    remains after a letter that may be a proclitic; the word it would be without an
    ending (``كتابها`` → ``كتاب``); the same verb with another person's prefix
    (``تتراوح`` → ``يتراوح``)."""
    found = [*inflections(word), *_stripped(word)]
    if word[0] in _PROCLITIC_LETTERS:
        found += inflections(word[1:])
    if word[0] in _VERB_PREFIXES:
        found += [prefix + word[1:] for prefix in _VERB_PREFIXES if prefix != word[0]]
    return found


@dataclass(frozen=True)
class _Counts:
    """Article counts of a word, its candidates and the forms that judge them."""

    articles: dict[str, int]
    forms: dict[str, int]

    def is_name(self, word: str) -> bool:
        """True when ``word`` hardly takes an ending or a pronoun (:func:`arabic_evidence`)."""
        inflected = sum(self.forms.get(form, 0) for form in set(arabic_evidence(word)))
        return inflected <= 1 + SUFFIX_SHARE * self.articles.get(word, 0)

    def are_names(self, word: str, other: str) -> bool:
        """True when both are names and together seldom take the article."""
        pair = (word, other)
        with_article = sum(self.forms.get(ARTICLE + w, 0) for w in pair)
        articles = sum(self.articles.get(w, 0) for w in pair)
        return (with_article <= 1 + ARTICLE_SHARE * articles
                and self.is_name(word) and self.is_name(other))


class NameVariants:
    """Finds the variants of words in the index of ``lexicon``."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon

    def _counts(self, bare: str, candidates: list[str]) -> _Counts | None:
        articles = self.lexicon.frequencies([bare, *candidates])
        held = [c for c in candidates if articles.get(c, 0) > 0]
        if not held:
            return None
        forms = sorted({form for w in (bare, *held) for form in (*arabic_evidence(w),
                                                                 ARTICLE + w)})
        return _Counts(articles, self.lexicon.frequencies(forms))

    def of(self, word: str) -> tuple[str, ...]:
        """The variants of the normalised ``word`` in the index, most frequent first; each
        keeps the proclitics of ``word`` (``وترامب`` → ``وترمب``). Remembered for the
        index's version."""
        if is_noise_word(word):
            return ()
        return self.lexicon.remembered(("variants", word), lambda: self._find(word))

    def _find(self, word: str) -> tuple[str, ...]:
        bare = self.lexicon.base(word)
        if bare.startswith(ARTICLE):  # الله: the article, not a name
            return ()
        candidates = spelling_candidates(bare)
        counts = self._counts(bare, candidates) if word.endswith(bare) and candidates else None
        if counts is None or not counts.is_name(bare):
            return ()
        stem, head = self.lexicon.stem(bare), word[:len(word) - len(bare)]
        kept = sorted((c for c in candidates if counts.articles.get(c, 0) > 0
                       and counts.are_names(bare, c) and self.lexicon.stem(c) != stem),
                      key=lambda c: (-counts.articles[c], c))
        kept = [c for c in kept if not self._companions(bare, c, counts)]
        return tuple(head + c for c in kept[:MAX_VARIANTS])

    def _companions(self, word: str, other: str, counts: _Counts) -> bool:
        """True for two frequent names an article often holds together (``محمد``/``محمود``):
        two spellings of one name are alternatives, an article picks one."""
        fewer = min(counts.articles.get(word, 0), counts.articles.get(other, 0))
        return fewer >= COMPANION_MIN and \
            self.lexicon.shared(word, other) > COMPANION_SHARE * fewer

    def expand(self, parsed: ParsedQuery, deadline: float | None = None,
               ) -> tuple[ParsedQuery, tuple[Expansion, ...]]:
        """``parsed`` with each plain word's variants added to its OR group (and to what
        ``-word`` leaves out), and the expansions made, for showing. Past ``deadline``
        (``time.perf_counter()``, the search's time limit) the words left get none (what
        ``-word`` leaves out gets them all the same: an exclusion is whole)."""
        expansions: list[Expansion] = []
        groups = []
        for group in parsed.groups:
            extra = []
            for clause in group:
                late = deadline is not None and time.perf_counter() > deadline
                variants = () if late else self._of_clause(clause)
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
