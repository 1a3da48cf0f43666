"""Parsed query → Whoosh queries, and the terms to highlight.

Sits between the parser (search/query.py) and the searcher (search/searcher.py):
:func:`compile_query` needs an open index (prefix and typo expansions, category
labels) and gives back the ranking query, the filter and the
:class:`~search.highlight.HighlightTerms` for the highlighter.

Ranking (Whoosh BM25F over the fields of indexer/whoosh/schema.py; the weights below are
those of a query that is not a question, search/weights.py gives a question its own, with
each word's coverage bonus weighed by its IDF and the fields' BM25 ``b``):

* a word matches its stem in ``content`` (title + body), ``title`` (weighed
  :data:`TITLE_BOOST` times) and ``lead`` (the opening words of the body, weighed
  :data:`LEAD_BOOST`) and, as extra evidence for the spelling typed, its
  normalised form in ``content_exact``;
* the query's words (each OR group counting as one) are alternatives, and each
  word an article contains adds :data:`COVERAGE_BONUS` (a soft preference for
  articles with more of the words, which long question-like queries need: their
  best answer rarely has every word);
* a short query (up to :data:`ALL_WORDS_MAX` words) is strict: an article with
  all of its words gets :data:`ALL_WORDS_BONUS` on top, so such articles always
  rank before those with only some of the words;
* in a question, a rare word's related words (search/related.py: the same root) add
  their stems in ``content`` to its score, weighed :data:`~search.related.RELATED_WEIGHT`,
  and never count as the word: no coverage or all-words bonus, no required word met (a
  one-word query puts the articles that hold the word itself first);
* a required word (``+word``, ``AND``) keeps only the articles that match it, adding
  nothing to their scores;
* ``word~`` matches what the plain word matches, and also the index's spellings within its
  distance in ``content_exact`` (so it never finds fewer articles than ``word``);
* phrases and prefixes match ``content_exact``; in a query
  of more than :data:`ALL_WORDS_MAX` words (where no word is required anyway), a
  quoted word or phrase is read as the plain words it holds, each one word of the
  query, and the quote in order only adds :data:`QUOTED_PHRASE_BOOST` (pasted
  headlines quote for emphasis, not for precision, and the article may word the
  quote differently); a quoted part of an OR group there also counts the stems of
  its words, weighed :data:`QUOTED_WORD_BOOST`.
"""

from __future__ import annotations

import heapq
import math
import time
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime

from whoosh import query as wq
from whoosh.searching import Searcher as WhooshSearcher

from indexer.normalize import normalize
from indexer.stopwords import normalized_stop_words
from search.highlight import HighlightTerms, is_noise_word
from search.query import Clause, ParsedQuery
from search.related import RELATED_WEIGHT
from search.variants import VARIANT_WEIGHT
from search.weights import STATEMENT, RankingWeights, weights_for
from search.whoosh.coverage import ALL_WORDS_BONUS, ALL_WORDS_MAX, ranked_groups
from search.whoosh.vocabulary import ARTICLES, MAX_EXPANSIONS, Vocabulary

__all__ = [
    "CompiledQuery",
    "compile_query",
    "label_filter",
    "date_filter",
    "year_filter",
    "TITLE_BOOST",
    "EXACT_BOOST",
    "ALL_WORDS_BONUS",
    "ALL_WORDS_MAX",
    "COVERAGE_BONUS",
    "LEAD_BOOST",
    "QUOTED_WORD_BOOST",
    "QUOTED_PHRASE_BOOST",
]

#: The weights of a query that is not a question (search/weights.py has a question's).
TITLE_BOOST = STATEMENT.title
EXACT_BOOST = STATEMENT.exact
#: Added to an article's score for each word (OR group) of the query it contains.
COVERAGE_BONUS = STATEMENT.coverage
#: Weight of a word's stem found in the opening words of the body (the ``lead`` field).
LEAD_BOOST = STATEMENT.lead
#: Weight of the stems of a quoted word or phrase's words in an OR group of a long query.
QUOTED_WORD_BOOST = 0.5
#: Weight of a quoted phrase (or word) as written, on top of its plain words, in a long
#: query (measured 0 to 2 on news-known-item: docs/relevance.md row 29).
QUOTED_PHRASE_BOOST = 0.25


@dataclass(frozen=True)
class CompiledQuery:
    """``query`` ranks (None: nothing to rank by), ``filter`` narrows (None: no filter)."""

    query: wq.Query | None
    filter: wq.Query | None
    terms: HighlightTerms = HighlightTerms()
    #: True when the deadline passed while expanding ``word*``/``word~``: the expansions
    #: may be incomplete.
    timed_out: bool = False
    #: The weights ``query`` was made with (its fields' BM25 ``b`` are the scorer's).
    weights: RankingWeights = STATEMENT


@dataclass
class _Compiler:
    searcher: WhooshSearcher
    vocabulary: Vocabulary
    relaxed: bool = False
    deadline: float | None = None
    weights: RankingWeights = STATEMENT
    words: set[str] = field(default_factory=set)
    stems: set[str] = field(default_factory=set)
    prefixes: list[str] = field(default_factory=list)
    phrases: list[tuple[str, ...]] = field(default_factory=list)

    def clause(self, clause: Clause) -> wq.Query:
        return getattr(self, f"_{clause.kind}")(clause)

    def stem(self, norm: str) -> str:
        return self.vocabulary.words.stem(norm)

    def terms(self) -> HighlightTerms:
        return HighlightTerms(
            frozenset(self.words), frozenset(self.stems), tuple(self.prefixes), tuple(self.phrases),
            self.vocabulary.words,
        )

    def _word(self, clause: Clause) -> wq.Query:
        norm = clause.words[0]
        if self.relaxed and clause.field == "any" and not is_noise_word(norm):
            return self._near(norm)
        stem = self.stem(norm)
        self.stems.add(stem)
        self.words.add(norm)
        if clause.field == "title":
            return wq.Term("title", stem)
        if is_noise_word(norm):
            return wq.Term("content_exact", norm)
        evidence = [
            wq.Term("content", stem),
            wq.Term("title", stem, boost=self.weights.title),
            wq.Term("lead", stem, boost=self.weights.lead),
        ]
        if norm not in normalized_stop_words():  # علي: content_exact holds على as علي too
            # the spelling typed without its conjunction or preposition: a proclitic changes
            # nothing in ranking (والانتخابات ranks exactly like الانتخابات)
            evidence.append(wq.Term("content_exact", self.vocabulary.words.lexicon.spelling(norm),
                                    boost=self.weights.exact))
        return wq.Or(evidence)

    def _variant(self, clause: Clause) -> wq.Query:
        """Another spelling of a word that the index holds (search/variants.py): the word's
        evidence, weighed :data:`~search.variants.VARIANT_WEIGHT` times."""
        found = self._word(replace(clause, kind="word"))
        return found if found is wq.NullQuery else found.with_boost(found.boost * VARIANT_WEIGHT)

    def _related(self, clause: Clause) -> wq.Query:
        """A word of the same root as a rare query word (search/related.py): its stem in
        ``content``, weighed :data:`~search.related.RELATED_WEIGHT`; not marked (a short stem
        of common letters would have the highlighter stem most words of every snippet), and
        none when relaxed (a typo's relatives are another word's)."""
        if self.relaxed:
            return wq.NullQuery
        return wq.Term("content", clause.words[0], boost=RELATED_WEIGHT)  # a stem already

    def idf(self, clauses: Iterable[Clause]) -> float | None:
        """The IDF in ``content`` of the commonest stem of the plain words among ``clauses``
        (None without one): what a query word's coverage bonus is weighed by."""
        if self.relaxed or not self.weights.coverage_idf:
            return None
        stems = [self.stem(c.words[0]) for c in clauses if c.kind == "word"
                 and c.field == "any" and not is_noise_word(c.words[0])]
        if not stems:
            return None
        found = max(self.searcher.doc_frequency("content", stem) for stem in stems)
        return math.log(self.searcher.doc_count_all() / (found + 1)) + 1

    @staticmethod
    def quoted_plain_words(clause: Clause) -> list[str]:
        """The words a quoted part of a long query is read as (one query word each)."""
        words = [w for w in clause.words if not is_noise_word(w)] or list(clause.words)
        return list(dict.fromkeys(words))

    def quoted_as_words(self, clause: Clause) -> list[wq.Query]:
        """A quoted part of a long query as the plain words it holds (each one word of the
        query), the quote as written adding :data:`QUOTED_PHRASE_BOOST` to the first."""
        groups = [self._word(Clause("word", (w,), clause.field))
                  for w in self.quoted_plain_words(clause)]
        if len(clause.words) > 1:
            self.phrases.append(clause.words)
            quote = wq.Phrase("content_exact", list(clause.words), boost=QUOTED_PHRASE_BOOST)
        else:
            quote = wq.Term("content_exact", clause.words[0], boost=QUOTED_PHRASE_BOOST)
        groups[0] = wq.Or([groups[0], quote])
        return groups

    def quoted_words(self, clause: Clause) -> list[wq.Query]:
        """The stems of a quoted word or phrase's words in ``content``, as weak evidence."""
        if clause.kind not in ("exact", "phrase") or clause.field != "any":
            return []
        stems = dict.fromkeys(self.stem(w) for w in clause.words if not is_noise_word(w))
        return [wq.Term("content", stem, boost=QUOTED_WORD_BOOST) for stem in stems]

    def _exact(self, clause: Clause) -> wq.Query:
        norm = clause.words[0]
        self.words.add(norm)
        exact = wq.Term("content_exact", norm)
        title = wq.Term("title", self.stem(norm), boost=self.weights.title)
        return wq.And([exact, title]) if clause.field == "title" else wq.AndMaybe(exact, title)

    def _phrase(self, clause: Clause) -> wq.Query:
        self.phrases.append(clause.words)
        stems = [self.stem(w) for w in clause.words if not is_noise_word(w)]
        title = wq.Phrase("title", stems, boost=self.weights.title) if len(stems) > 1 else None
        if clause.field == "title":
            return (title or wq.Term("title", stems[0])) if stems else wq.NullQuery
        exact = wq.Phrase("content_exact", list(clause.words))
        return wq.AndMaybe(exact, title) if title else exact

    def _expanded(self, fieldname: str, terms: list[str]) -> wq.Query:
        if not terms:
            return wq.NullQuery
        return wq.Or([wq.Term(fieldname, term) for term in terms])

    def _prefix(self, clause: Clause) -> wq.Query:
        """``word*``: the most frequent words starting with it, also after an article ``ال``."""
        prefix = clause.words[0]
        if clause.field == "title":  # titles are indexed as stems
            bare = self.vocabulary.words.base(prefix)
            fieldname, variants = "title", [bare if len(bare) >= 2 else prefix]
        elif prefix.startswith(ARTICLES):
            fieldname, variants = "content_exact", [prefix]
        else:
            fieldname, variants = "content_exact", [prefix, *(a + prefix for a in ARTICLES)]
        self.prefixes.extend(variants)
        found = [
            pair
            for variant in variants
            for pair in self.vocabulary.prefix_terms(
                self.searcher, fieldname, variant, MAX_EXPANSIONS, self.deadline
            )
        ]
        best = heapq.nsmallest(MAX_EXPANSIONS, set(found), key=lambda item: (-item[1], item[0]))
        return self._expanded(fieldname, [term for term, _ in best])

    def _near(self, norm: str) -> wq.Query:
        """A relaxed word: the words a typo away, dropping the first letter too."""
        near = self.vocabulary.near_terms(self.searcher, norm, self.deadline)
        terms = [term for term, _ in near]
        self.words.update(terms)
        return self._expanded("content_exact", terms)

    def _fuzzy(self, clause: Clause) -> wq.Query:
        """``word~``: the word as a plain word (its stem, so never fewer articles than
        ``word``), or one of the index's spellings within the distance."""
        norm = clause.words[0]
        if clause.field == "title":
            fieldname, word = "title", self.stem(norm)
        else:
            fieldname, word = "content_exact", norm
        close = self.vocabulary.close_terms(self.searcher, fieldname, word, clause.distance,
                                            self.deadline)
        terms = [term for term, _ in close]
        (self.stems if fieldname == "title" else self.words).update(terms)
        plain = self._word(Clause("word", (norm,), clause.field))
        variants = self._expanded(fieldname, [term for term in terms if term != word])
        return plain if variants is wq.NullQuery else wq.Or([plain, variants])


def _ranking(compiler: _Compiler, parsed: ParsedQuery) -> wq.Query | None:
    groups: list[wq.Query] = []  # what each word holds, for the coverage and required
    related: list[list[wq.Query]] = []  # and what only adds to its score
    idfs: list[float | None] = []
    required: list[wq.Query] = []
    long_query = len(parsed.groups) > ALL_WORDS_MAX
    for position, group in enumerate(parsed.groups):
        if (long_query and len(group) == 1 and group[0].field == "any"
                and group[0].kind in ("exact", "phrase")):
            words = compiler.quoted_as_words(group[0])
            groups += words
            related += [[] for _ in words]
            idfs += [compiler.idf([Clause("word", (w,))])
                     for w in compiler.quoted_plain_words(group[0])]
            if position in parsed.required:  # required as quoted
                required.append(compiler.clause(group[0]))
            continue
        queries = [compiler.clause(clause) for clause in group if clause.kind != "related"]
        if long_query:
            queries += [q for clause in group for q in compiler.quoted_words(clause)]
        groups.append(queries[0] if len(queries) == 1 else wq.Or(queries))
        related.append([compiler.clause(clause) for clause in group if clause.kind == "related"])
        idfs.append(compiler.idf(group))
        if position in parsed.required:
            required.append(groups[-1])  # the same object: scored once
    ranking = ranked_groups(compiler.weights, groups, related, idfs)
    if ranking is None or not required:
        return ranking
    return wq.And([ranking, *(wq.ConstantScoreQuery(query, 0.0) for query in required)])


def _exclusions(compiler: _Compiler, parsed: ParsedQuery) -> wq.Query | None:
    """What ``-word`` leaves out (its stem or exact form; phrases, expansions) and
    ``-category:``/``-source:`` labels."""
    scratch = _Compiler(compiler.searcher, compiler.vocabulary,  # not highlighted
                        deadline=compiler.deadline)
    queries = [scratch.clause(clause) for clause in parsed.excluded]
    for fieldname, label in parsed.excluded_labels:
        queries.append(label_filter(compiler.searcher, compiler.vocabulary, fieldname, [label]))
    return wq.Or(queries) if queries else None


def label_filter(
    searcher: WhooshSearcher, vocabulary: Vocabulary, fieldname: str, names: Iterable[str | None]
) -> wq.Query | None:
    """Articles labelled with any of ``names``, compared in normal form (``رياضه`` = ``رياضة``)."""
    labels = vocabulary.labels(searcher, fieldname)
    terms = []
    for name in filter(None, names):
        found = labels.get(normalize(name.strip()), ())
        terms += [wq.Term(fieldname, label) for label in found] or [wq.Term(fieldname, name)]
    return wq.Or(terms) if terms else None


def date_filter(start: datetime | None, end: datetime | None) -> wq.Query | None:
    """Articles dated within ``[start, end]`` (either side open)."""
    if start is None and end is None:
        return None
    return wq.DateRange("date", start, end)


def year_filter(year: int | None) -> wq.Query | None:
    return None if year is None else wq.NumericRange("year", year, year)


def _all_of(queries) -> wq.Query | None:
    queries = [q for q in queries if q is not None]
    if not queries:
        return None
    return queries[0] if len(queries) == 1 else wq.And(queries)


def compile_query(
    parsed: ParsedQuery, searcher: WhooshSearcher, vocabulary: Vocabulary, *,
    relaxed: bool = False, deadline: float | None = None,
) -> CompiledQuery:
    """The Whoosh queries for ``parsed`` against the index ``searcher`` reads.

    ``relaxed`` replaces each plain word by the words a typo away from it
    (:meth:`~search.whoosh.vocabulary.Vocabulary.near_terms`): the second try of a query
    that found nothing. Expansions of ``word*`` and ``word~`` stop at ``deadline``
    (``time.monotonic()``), and the result says so (``timed_out``).
    """
    compiler = _Compiler(searcher, vocabulary, relaxed, deadline=deadline,
                         weights=weights_for(parsed))
    ranking = _ranking(compiler, parsed)
    excluded = _exclusions(compiler, parsed)
    if excluded is not None:
        ranking = wq.AndNot(ranking if ranking is not None else wq.Every(), excluded)
    filters = _all_of([
        label_filter(searcher, vocabulary, "category", parsed.categories),
        label_filter(searcher, vocabulary, "source", parsed.sources),
        date_filter(parsed.date_from, parsed.date_to),
    ])
    timed_out = deadline is not None and time.monotonic() > deadline
    return CompiledQuery(ranking, filters, compiler.terms(), timed_out, compiler.weights)
