"""How much each kind of evidence weighs in the ranking, chosen for the kind of query.

Sits between the parsed query (search/query.py) and the compilers of both backends
(search/whoosh/compiler.py, search/sphinx/compiler.py and the Sphinx ranking and rescoring):
each asks :func:`weights_for` once per query and scores with the :class:`RankingWeights` it
gives, so the two backends rank a query alike.

Two kinds of queries are told apart, because their best answers differ
(docs/relevance.md rows 32-36):

* a **question** (``متى انسحبت إسرائيل من غزة؟``): its answer is a passage that holds only
  some of its words, anywhere in the text. Each word of the question the article holds
  counts more (:data:`QUESTION`'s ``coverage``), in proportion to how rare the word is in
  the index (``coverage_idf``: holding ``غزة`` says more than holding ``قطاع``); the
  opening of an article (``lead``) counts less;
* **anything else** (:data:`STATEMENT`): words, names, a pasted headline, whose article
  echoes them in its opening words (``lead`` 0.6).

For both, a long text holding the stems is worth less than a short one (BM25's ``b`` of
``content`` 0.9 instead of Whoosh's 0.75: a long news article that mentions the words of a
question in passing is rarely its answer).

A query is a question when it holds a question mark (``؟`` or ``?``) or starts with an
interrogative that is never anything else (:data:`INTERROGATIVES`); ``من`` and ``ما`` also
mean "from" and "not", so on their own they do not make a question.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from indexer.normalize import normalize
from indexer.words import WORD_PATTERN
from search.query import ParsedQuery

__all__ = [
    "RankingWeights",
    "LENGTH_NORM",
    "DEFAULT_B",
    "DEFAULT_K1",
    "FIELDS",
    "STATEMENT",
    "QUESTION",
    "INTERROGATIVES",
    "is_question",
    "weights_for",
    "coverage_bonuses",
]


#: BM25's ``b`` and ``k1`` (Whoosh's BM25F defaults, which the Whoosh backend ranks with).
DEFAULT_B, DEFAULT_K1 = 0.75, 1.2
#: The ranked fields (the Sphinx backend's ``exact`` is ``content_exact``).
FIELDS = ("content", "title", "lead", "content_exact")


@dataclass(frozen=True)
class RankingWeights:
    """The weights of one kind of query.

    ``title``, ``lead`` and ``exact``: the weight of a word's stem in the title and in the
    opening words, and of its spelling as typed, beside its stem in the text (weight 1);
    ``coverage``: what each word of the query an article holds adds, of which the share
    ``coverage_idf`` (0 to 1) is scaled by the word's IDF against the mean IDF of the
    query's words (:func:`coverage_bonuses`); ``length_norm``: BM25's ``b`` of the fields
    named (``content``, ``title``, ``lead``, ``content_exact``), how much a longer field
    lowers a term's score, in place of the index's :data:`DEFAULT_B`.
    """

    title: float
    lead: float
    exact: float
    coverage: float
    coverage_idf: float = 0.0
    length_norm: tuple[tuple[str, float], ...] = ()

    def __post_init__(self) -> None:
        if not 0.0 <= self.coverage_idf <= 1.0:
            raise ValueError(f"coverage_idf is a share from 0 to 1, not {self.coverage_idf!r}")
        for name, b in self.length_norm:
            if name not in FIELDS or not 0.0 <= b <= 1.0:
                raise ValueError(f"length_norm: a field of {FIELDS} and a b from 0 to 1, "
                                 f"not {name!r}: {b!r}")

    def b(self, fieldname: str) -> float:
        """BM25's ``b`` for ``fieldname``."""
        return dict(self.length_norm).get(fieldname, DEFAULT_B)


#: BM25's b of every query: ``content`` 0.9 (docs/relevance.md rows 34, 37). One b a field
#: for both kinds of queries, so that one scored posting list of a term serves both
#: (search/whoosh/scoring.py keeps a term scored with another b apart, in one bounded cache).
LENGTH_NORM: tuple[tuple[str, float], ...] = (("content", 0.9),)
#: Words, names and headlines (docs/relevance.md rows 26, 29, 35 and 37).
STATEMENT = RankingWeights(title=0.5, lead=0.6, exact=0.5, coverage=1.5,
                           length_norm=LENGTH_NORM)
#: Questions (docs/relevance.md rows 32-34).
QUESTION = RankingWeights(title=0.5, lead=0.2, exact=0.5, coverage=2.0, coverage_idf=1.0,
                          length_norm=LENGTH_NORM)

#: Words that open a question and nothing else (normalised when compared).
INTERROGATIVES: tuple[str, ...] = (
    "ماذا", "لماذا", "بماذا", "متى", "كيف", "أين", "هل", "كم", "ماهو", "ماهي", "ماهم",
)  # fmt: skip
_NORMAL_INTERROGATIVES = frozenset(normalize(word) for word in INTERROGATIVES)
_QUESTION_MARKS = frozenset("؟?")
_WORD = re.compile(WORD_PATTERN)


def is_question(text: str) -> bool:
    """True when ``text`` (a query as typed) asks a question: it holds a question mark or
    its first word is one of :data:`INTERROGATIVES`."""
    if not _QUESTION_MARKS.isdisjoint(text):
        return True
    first = _WORD.search(text)
    return first is not None and normalize(first.group()) in _NORMAL_INTERROGATIVES


def weights_for(parsed: ParsedQuery) -> RankingWeights:
    """The weights to rank ``parsed`` with: :data:`QUESTION` for a question, else
    :data:`STATEMENT`."""
    return QUESTION if is_question(parsed.text) else STATEMENT


def coverage_bonuses(weights: RankingWeights, idfs: Sequence[float | None]) -> list[float]:
    """What holding each word of a query adds to an article's score, from the IDF of each
    word (None for a word with no stem to weigh, a phrase or an expansion: it counts as the
    mean). The bonuses average ``weights.coverage``."""
    known = [idf for idf in idfs if idf is not None and idf > 0]
    if not weights.coverage_idf or not known:
        return [weights.coverage] * len(idfs)
    mean = sum(known) / len(known)
    flat = 1.0 - weights.coverage_idf
    return [weights.coverage * (flat + weights.coverage_idf * (idf / mean if idf else 1.0))
            for idf in idfs]
