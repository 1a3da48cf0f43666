"""The vocabulary of one index and the proclitic decision made from it.

Sits between the build (indexer/whoosh/build.py counts the normalised words of every article
before writing, and stores the counts in the generation folder) and every reader of
words (indexer/words.py's :class:`~indexer.words.WordAnalysis`, used by the analyzers,
the query compiler and the highlighter): they all decide from the same stored counts, so
a word is cut the same way in the index, in a query and in a highlight. Plain Python,
no Whoosh: another backend can feed the same decisions.

A leading ``و ف ب ل ك`` is a proclitic only when what remains is a word and the whole is
not one. From the counts:

* the whole is a word when it is seen after the article (``الوزير`` → ``وزير``, ``الواحد``,
  ``الوطن``, ``البحر``) or after a preposition that never precedes another proclitic
  (``بلبنان`` → ``لبنان``): nothing stands between those and the word itself;
* otherwise the letter is cut when the rest, bare or with the article, is seen, and at
  least as often as the whole (``بمصر`` → ``مصر``, ``ولبنان`` → ``لبنان``; not ``فلسطين``:
  ``لسطين`` is never seen).

The article and its combinations (``ال وال فال بال كال لل``) are cut whenever two letters
remain and the rest is not a stop word (``الله`` stays whole). One letter proclitic may
precede another (``وبمصر`` → ``بمصر`` → ``مصر``). A word never seen in the build (a query
word, an article added later) is decided by the same rule: its own counts are zero.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path

from indexer.countsfile import CountsFile, write_counts

__all__ = ["Lexicon", "LEXICON_FILE", "LETTER_PROCLITICS", "ARTICLE_PROCLITICS", "MIN_COUNT"]

#: The file in a generation folder that holds the counts (indexer/countsfile.py's table).
LEXICON_FILE = "lexicon.counts"
#: Forms seen fewer times than this are not stored. 1 (every form): in a small collection
#: (a few thousand verses) most forms are seen once, and leaving them out loses the evidence
#: that ``و`` is a conjunction (measured: docs/relevance.md rows 23-23b).
MIN_COUNT = 1
#: One-letter proclitics, decided from the counts.
LETTER_PROCLITICS = ("و", "ف", "ب", "ل", "ك")
#: The article with what may precede it, longest first: cut by form alone.
ARTICLE_PROCLITICS = ("وال", "فال", "بال", "كال", "لل", "ال")
#: What may stand before a word and never before another proclitic: seeing one of these
#: before a form shows the form is a word of its own.
_WORD_WITNESSES = ("ال", "وال", "فال", "بال", "كال", "لل", "ب", "ل", "ك")
#: Letters that must remain after a proclitic.
MIN_REST = 2


class Lexicon:
    """Counts of normalised word forms, and the proclitic decision made from them."""

    def __init__(self, counts: Mapping[str, int], stop_words: frozenset[str] = frozenset()):
        # a stored table is looked up where it lies; anything else is copied
        self.counts: Mapping[str, int] = (
            counts if isinstance(counts, CountsFile) else dict(counts))
        self.stop_words = stop_words

    @classmethod
    def collect(cls, words: Iterable[str], stop_words: frozenset[str] = frozenset()) -> Lexicon:
        """A lexicon of ``words`` (normal forms, repeated as seen), rare forms left out."""
        return cls.collect_counts(Counter(words), stop_words)

    @classmethod
    def collect_counts(cls, counts: Mapping[str, int], stop_words: frozenset[str] = frozenset()
                       ) -> Lexicon:
        """A lexicon of these counts of normal forms, rare forms left out."""
        return cls({w: n for w, n in counts.items() if n >= MIN_COUNT}, stop_words)

    # ------------------------------------------------------------ stored form
    def save(self, folder: str | os.PathLike[str]) -> Path:
        return write_counts(Path(folder) / LEXICON_FILE, self.counts)

    @classmethod
    def load(cls, folder: str | os.PathLike[str], stop_words: frozenset[str] = frozenset()
             ) -> Lexicon:
        """The lexicon stored in ``folder``, every count read at once (for a writer, which
        decides every form of what it adds); FileNotFoundError when there is none,
        :class:`~indexer.countsfile.CountsFileError` when the file is damaged."""
        return cls(CountsFile(Path(folder) / LEXICON_FILE).to_dict(), stop_words)

    @classmethod
    def open(cls, folder: str | os.PathLike[str], stop_words: frozenset[str] = frozenset()
             ) -> Lexicon:
        """The lexicon stored in ``folder``, looked up in place (for a searcher: opening
        reads nothing but the table's header). Errors as :meth:`load`."""
        return cls(CountsFile(Path(folder) / LEXICON_FILE), stop_words)

    # ------------------------------------------------------------ the decision
    def count(self, word: str) -> int:
        return self.counts.get(word, 0)

    def knows(self, word: str) -> bool:
        """True when ``word`` is seen bare or with the article."""
        return self._family(word) > 0

    def is_own_word(self, word: str) -> bool:
        """True when ``word`` is seen after the article or a preposition."""
        counts = self.counts
        return any(witness + word in counts for witness in _WORD_WITNESSES)

    def _family(self, word: str) -> int:
        counts = self.counts
        return counts.get(word, 0) + counts.get("ال" + word, 0)

    def cuts_letter(self, word: str) -> bool:
        """True when the first letter of ``word`` is a proclitic (see the module's rule)."""
        rest = word[1:]
        if len(rest) < MIN_REST or self.is_own_word(word):
            return False
        family = self._family(rest)
        return family > 0 and family >= self.count(word)

    def base(self, word: str) -> str:
        """``word`` without its proclitics (normal form in, normal form out)."""
        return self._strip(word, keep_article=False)

    def spelling(self, word: str) -> str:
        """``word`` without the conjunctions and prepositions before it, its article kept:
        the spelling that ``والانتخابات``, ``بالانتخابات`` and ``الانتخابات`` share."""
        return self._strip(word, keep_article=True)

    def _strip(self, word: str, keep_article: bool) -> str:
        for _ in range(2):  # at most two letters: وب, فل, وك…
            for article in ARTICLE_PROCLITICS:
                if word.startswith(article):
                    rest = word[len(article):]
                    if len(rest) >= MIN_REST and rest not in self.stop_words:
                        return "ال" + rest if keep_article else rest
                    return word
            if word[:1] in LETTER_PROCLITICS and self.cuts_letter(word):
                word = word[1:]
            else:
                return word
        return word
