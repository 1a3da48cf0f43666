"""Words of the same root as a rare query word: the verb of the noun a question asks about.

Sits after search/variants.py in the searcher's expansion of a parsed query
(search/searcher.py): in a question (search/weights.py), each plain word that few articles
hold gains, in its OR group, the most frequent words of the index built on its root
(indexer/roots.py), as clauses of kind ``related`` holding their stems, which the compilers
(search/whoosh/compiler.py, search/sphinx/compiler.py) search in ``content``, weigh
:data:`RELATED_WEIGHT` times the word itself, do not mark, and never count as holding the word
(no coverage bonus, no "all the words" bonus, no required word met). A question is worded with
nouns (``الصبر``, ``التحريف``, ``الصيام``) where its answer may have the verb (``اصبروا``,
``يحرفونه``, ``صوما``), and the stem alone keeps those apart. Words typed as words (not a
question) find what was typed: a keyword search is precise, and the root's other words are
often other meanings (``المستديرة`` → ``دور``).

Only rare words are related (held by at most :data:`RARE_SHARE` of the articles): a common
word has articles enough of its own, and its root's other words are more often other meanings
(``دولة``, ``تداول``); measured in docs/relevance.md row 42. A word that fits no pattern (a
foreign name) has no root and so no related words. The look-ups are two batches of stem
counts from the :class:`~search.backend.Lexicon` a word (its own, its root's), remembered for
the index's version.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace

from indexer.roots import derived_words, root_of
from indexer.stemming import stem_base
from search.backend import Lexicon
from search.highlight import is_noise_word
from search.query import Clause, ParsedQuery
from search.weights import is_question

__all__ = ["RelatedWords", "RELATED_WEIGHT", "MAX_RELATED", "RARE_SHARE", "MIN_STEM"]

#: A related word's weight in ranking, relative to the word typed (docs/relevance.md row 42).
RELATED_WEIGHT = 0.45
#: At most this many related words a query word (those most articles hold).
MAX_RELATED = 3
#: Words held by more than this share of the articles get no related words.
RARE_SHARE = 0.025
#: Stems shorter than this have no related words.
MIN_STEM = 3


class RelatedWords:
    """Finds the related words of query words in the index of ``lexicon``, which holds
    ``doc_count()`` articles."""

    def __init__(self, lexicon: Lexicon, doc_count: Callable[[], int]) -> None:
        self.lexicon = lexicon
        self.doc_count = doc_count

    def of(self, word: str) -> tuple[str, ...]:
        """The stems (in ``content``) of the related words of the normalised ``word``, most
        frequent first (none for a common word, a word with no root, or one the index holds
        no relative of). Remembered for the index's version."""
        if is_noise_word(word):
            return ()
        return self.lexicon.remembered(("related", word), lambda: self._find(word))

    def _find(self, word: str) -> tuple[str, ...]:
        stem = self.lexicon.stem(word)
        root = root_of(stem) if len(stem) >= MIN_STEM else None
        if root is None:
            return ()
        if self.lexicon.stem_counts([stem]).get(stem, 0) > RARE_SHARE * self.doc_count():
            return ()
        # the stems of the root's words as the stemmer makes them (a derived word has no
        # proclitic to decide); a stem that reads back to another root is another word's
        candidates = {stem_base(derived) for derived in derived_words(root)
                      if not is_noise_word(derived)}  # بات: a stop word
        candidates = {other for other in candidates if other != stem and root_of(other) == root}
        held = self.lexicon.stem_counts(sorted(candidates))
        ranked = sorted(held.items(), key=lambda found: (-found[1], found[0]))
        return tuple(other for other, _ in ranked[:MAX_RELATED])

    def expand(self, parsed: ParsedQuery, deadline: float | None = None) -> ParsedQuery:
        """``parsed`` with each plain word's related words (clauses whose word is a stem of
        ``content``) added to its OR group when it is a question (search/weights.py); past
        ``deadline`` (``time.perf_counter()``, the search's time limit) the words left get
        none. What ``-word`` leaves out is left as it is: a related word is weak evidence."""
        if not is_question(parsed.text):
            return parsed
        groups = []
        changed = False
        for group in parsed.groups:
            extra = []
            for clause in group:
                if deadline is not None and time.perf_counter() > deadline:
                    break
                extra += [replace(clause, kind="related", words=(w,))
                          for w in self._of_clause(clause)]
            changed = changed or bool(extra)
            groups.append((*group, *extra))
        return replace(parsed, groups=tuple(groups)) if changed else parsed

    def _of_clause(self, clause: Clause) -> tuple[str, ...]:
        if clause.kind != "word" or clause.field != "any":
            return ()
        return self.of(clause.words[0])
