"""Scoring a compiled query term at a time: every matching article with its score.

Sits between the searcher (search/searcher.py, through search/whoosh/collect.py) and Whoosh,
in place of Whoosh's collectors. Whoosh scores a query document at a time through a
tree of matchers, which in pure Python costs microseconds per article per node, and
the queries of search/whoosh/compiler.py (each word OR-ed over three fields, plus a coverage
bonus per word) make deep trees that walk every matching article. Here instead:

* each :class:`~whoosh.query.Term` is scored once with Whoosh's weighting into two
  arrays (document numbers, scores) that a :class:`~search.whoosh.scorecache.ScoreCache`
  keeps for later queries on the same layout of segments (the versions a delete makes
  share them: search/whoosh/scorecache.py). For BM25F (the searcher's weighting) the
  formula of :func:`whoosh.scoring.bm25` is applied over the term's raw postings per
  segment (search/whoosh/postings.py: kept across generations, so after an update only
  the new segments are read) with Whoosh's idf (from the document frequencies kept with
  them), average length and parameters and the field lengths read once per segment,
  which is several times faster than asking the matcher per posting; any other
  weighting goes through the matcher's ``score()``;
* the query tree is evaluated over ``{docnum: score}`` maps with Whoosh's meaning:
  ``Or`` sums the scores of the parts an article matches, ``And`` keeps the articles
  every part matches and sums, ``AndMaybe`` adds the optional part where the required
  one matches, ``AndNot`` removes, ``ConstantScoreQuery`` gives its constant, and a
  boost multiplies (a compound query of one part ignores its boost, as Whoosh does);
* every other query (phrases, ranges, ``Every``) runs through Whoosh's own matcher,
  segment by segment, so each query keeps its meaning; its scores are kept like a
  term's, and a phrase's matches and their words' weights per segment across versions
  (search/whoosh/phrases.py);
* past the time limit, the optional parts not scored yet are left out once something
  matches (the rest of an ``Or``, the optional part of an ``AndMaybe``); a part that must
  be scored still reads its first postings (in document order: a few hundred) and stops,
  and nothing cut short is cached: a search that reaches its limit gives the matches
  found by then (never none when its first postings match), within a bounded time.

tests/test_scoring.py checks the scores against Whoosh's collectors.
"""

from __future__ import annotations

import time
from array import array
from collections.abc import Callable, Hashable, Mapping
from math import log

from whoosh import query as wq
from whoosh.scoring import BM25F
from whoosh.searching import Searcher as WhooshSearcher

from search.whoosh.damage import DamagedSegment
from search.whoosh.phrases import phrase_scores, raw_terms
from search.whoosh.postings import Postings, TimeUp, read_postings
from search.whoosh.scorecache import ScoreCache, score_epoch
from search.whoosh.segments import segment_key

__all__ = ["QueryScorer", "Scores", "TimeUp"]

#: ``{global document number: score}`` of the articles a query matches.
Scores = dict[int, float]

#: How many matches of a Whoosh matcher are read between two looks at the clock (a phrase
#: match costs tens of microseconds).
_CLOCK_EVERY = 16


def _never() -> bool:
    return False


class QueryScorer:
    """Evaluates queries on one Whoosh searcher (and its segments) before a deadline."""

    def __init__(
        self, searcher: WhooshSearcher, cache: ScoreCache, deadline: float | None = None,
        length_norm: Mapping[str, float] | None = None,
    ) -> None:
        self.searcher = searcher
        self.cache = cache
        self.deadline = deadline
        #: BM25F's ``b`` of the fields named, in place of the weighting's (the query's
        #: weights: search/weights.py)
        self.length_norm = dict(length_norm or {})
        self.timed_out = False
        reader = searcher.reader()
        self._epoch = score_epoch(reader)
        self._deleted = reader.doc_count_all() - reader.doc_count()
        self._deleted_docs: frozenset[int] | None = None
        self._leaves = searcher.leaf_searchers()
        self._schema = searcher.schema
        self._memo: dict[int, tuple[wq.Query, Scores]] = {}
        self._segment_keys: list | None = None

    # ---------------------------------------------------------------- entry points

    def scores(self, query: wq.Query) -> Scores:
        """Every article ``query`` matches with its score; when the time limit cut the
        evaluation short, :attr:`timed_out` is set and the scores are those of the matches
        found by then (see the module docstring)."""
        return self._scores(query)

    def allowed(self, query: wq.Query) -> frozenset[int]:
        """The articles a filter query lets through (its scores do not matter; never cut
        by the time limit: a filter or an exclusion is whole)."""
        key = (self._epoch, query)
        return self.cache.filter(key, lambda: self._matching(query), self._deleted,
                                 self.deleted_docs)

    def _matching(self, q: wq.Query) -> frozenset[int]:
        """Every article ``q`` matches: a term's from its raw postings (kept across
        versions), an ``Or`` the union of its parts', anything else by Whoosh."""
        kind = type(q)
        if kind is wq.Term:
            return self._holding(q)
        if kind is wq.Or and not q.scale:
            return frozenset().union(*map(self._matching, q.subqueries))
        return frozenset(self.searcher.docs_for_query(q))

    def _holding(self, q: wq.Term) -> frozenset[int]:
        if q.fieldname not in self._schema:
            return frozenset()
        try:
            btext = self._schema[q.fieldname].to_bytes(q.text)
        except ValueError:
            return frozenset()
        found: set[int] = set()
        for sub, offset in self._leaves:
            reader = sub.reader()
            docnums, _weights, _frequency = self.cache.raw.get(
                segment_key(self.cache.path, reader), q.fieldname, btext, reader,
                lambda reader=reader: read_postings(reader, q.fieldname, btext, _never))
            found.update([offset + docnum for docnum in docnums])
        return frozenset(found)

    def deleted_docs(self) -> frozenset[int]:
        """The document numbers the reader marks deleted (read once, when first needed)."""
        if self._deleted_docs is None:
            self._deleted_docs = frozenset(
                offset + docnum for leaf, offset in self.searcher.reader().leaf_readers()
                for docnum in leaf.deleted_docs_set)
        return self._deleted_docs

    # ---------------------------------------------------------------- evaluation

    def late(self) -> bool:
        """True (and :attr:`timed_out` set) once the deadline has passed."""
        if not self.timed_out and self.deadline is not None and \
                time.monotonic() > self.deadline:
            self.timed_out = True
        return self.timed_out

    def _scores(self, q: wq.Query) -> Scores:
        """The scores of ``q``, evaluated once per query object in one search (the
        compiler uses the same word query in the ranking and in its coverage bonus)."""
        memo = self._memo.get(id(q))
        if memo is not None:
            return memo[1]
        kind = type(q)
        if q is wq.NullQuery:
            result: Scores = {}
        elif kind is wq.Term:
            result = self._term(q)
        elif kind is wq.ConstantScoreQuery:
            result = dict.fromkeys(self._scores(q.child), q.score)
        elif kind is wq.Or and not q.scale:
            result = self._compound(q, self._union)
        elif kind is wq.And:
            result = self._compound(q, self._intersection)
        elif kind is wq.AndMaybe:
            result = self._and_maybe(self._scores(q.a), q.b)
        elif kind is wq.AndNot:
            result = self._and_not(self._scores(q.a), q.b)
        else:
            result = self._whoosh(q)
        self._memo[id(q)] = (q, result)  # the query is kept so its id stays its own
        return result

    def _term(self, q: wq.Term) -> Scores:
        if q.fieldname not in self._schema:
            return {}
        try:
            btext = self._schema[q.fieldname].to_bytes(q.text)
        except ValueError:
            return {}
        try:
            docnums, scores = self._term_scores(q.fieldname, btext,
                                                self.length_norm.get(q.fieldname))
        except TimeUp as up:  # the first postings only, not cached
            docnums, scores = up.partial
        if q.boost != 1.0:
            boost = q.boost
            return {docnum: score * boost for docnum, score in zip(docnums, scores, strict=True)}
        return dict(zip(docnums, scores, strict=True))

    def _term_scores(self, fieldname: str, btext: bytes, b: float | None
                     ) -> tuple[array, array]:
        """``(docnums, scores)`` of a term, kept in the score cache; scored with BM25F's
        ``b`` for the field when one is given (kept apart), else the weighting's own."""
        key: tuple = (self._epoch, fieldname, btext)
        if b is not None:
            key += (b,)
        return self.cache.term(key, lambda: self._postings(fieldname, btext, b),
                               self._deleted, self.deleted_docs,
                               lambda: self.cache.raw.touch(self._segments(), fieldname,
                                                            (btext,)))

    def _segments(self) -> list:
        """The cache keys of the searcher's segments (found once)."""
        if self._segment_keys is None:
            self._segment_keys = [segment_key(self.cache.path, sub.reader())
                                  for sub, _offset in self._leaves]
        return self._segment_keys

    def word_parameters(self, fieldname: str, btext: bytes
                        ) -> tuple[float, float, float, float]:
        """BM25F's ``(idf, average length, B, K1)`` of a phrase word, as Whoosh's phrase
        matcher scores it: with the weighting's own ``b`` (search/whoosh/phrases.py)."""
        return self._bm25f_parameters(self.searcher.weighting, fieldname,
                                      self.searcher.doc_frequency(fieldname, btext), None)

    def leaves(self) -> list:
        """``(leaf searcher, document number offset)`` of each segment."""
        return self._leaves

    def context(self):
        """Whoosh's search context for matchers (current spans not needed)."""
        return self.searcher.context(needs_current=False)

    def _postings(self, fieldname: str, btext: bytes, b: float | None) -> tuple[array, array]:
        """The weighting's score of the term in every article holding it."""
        docnums, scores = array("i"), array("d")  # 12 bytes a posting
        weighting = self.searcher.weighting
        if type(weighting) is not BM25F or not self._schema[fieldname].scorable:
            try:
                for sub, offset in self._leaves:
                    if (fieldname, btext) in sub.reader():
                        self._scored(sub.postings(fieldname, btext, weighting=weighting),
                                     offset, docnums, scores)
            except TimeUp:
                raise TimeUp((docnums, scores)) from None
            return docnums, scores
        found = [(sub.reader(), offset, key)
                 for (sub, offset), key in zip(self._leaves, self._segments(), strict=True)]
        raw, cut = self._raw_postings(found, fieldname, btext)
        idf, avgfl, B, K1 = self._bm25f_parameters(weighting, fieldname,
                                                   sum(entry[2] for entry in raw), b)
        for (reader, offset, key), (local, weights, _frequency) in zip(found, raw, strict=True):
            if not local:
                continue
            lengths = self.cache.lengths(reader, fieldname, key)
            try:
                self._bm25f(local, weights, idf, K1, self.cache.norms(lengths, avgfl, B, K1),
                            lengths.codes, offset, docnums, scores)
            except TypeError as exc:  # an article with the term has no length (None)
                raise DamagedSegment(f"lengths of {fieldname} are missing") from exc
        if cut:
            raise TimeUp((docnums, scores))
        return docnums, scores

    def _raw_postings(self, found: list, fieldname: str, btext: bytes
                      ) -> tuple[list[Postings], bool]:
        """Each segment's raw postings of the term (``found``: its reader, document number
        offset and cache key), and whether time cut them short: then the segment being read
        gives its first postings and the later ones none (only their document frequencies,
        so the idf stays the whole index's)."""
        raw: list[Postings] = []
        cut = False
        for reader, _offset, key in found:
            cut = cut or (any(entry[0] for entry in raw) and self.late())  # before the next
            if cut:
                frequency = reader.doc_frequency(fieldname, btext) \
                    if (fieldname, btext) in reader else 0
                raw.append((array("i"), array("d"), frequency))
                continue
            try:
                raw.append(self.cache.raw.get(
                    key, fieldname, btext, reader,
                    lambda reader=reader: self._read(reader, fieldname, btext)))
            except TimeUp as up:
                raw.append(up.partial)
                cut = True
        return raw, cut

    def _bm25f_parameters(self, weighting: BM25F, fieldname: str, frequency: int,
                          b: float | None) -> tuple[float, float, float, float]:
        """``(idf, average length, B, K1)`` as Whoosh's ``BM25FScorer`` takes them: the idf of
        :meth:`whoosh.scoring.WeightingModel.idf` over the term's document ``frequency``
        (summed over the segments' kept postings instead of looked up in each), the average
        field length of the whole index, the field's own B if it has one."""
        searcher = self.searcher
        idf = log(searcher.doc_count_all() / (frequency + 1)) + 1
        avgfl = searcher.avg_field_length(fieldname) or 1
        if b is None:
            b = weighting._field_B.get(fieldname, weighting.B)
        return idf, avgfl, b, weighting.K1

    def _read(self, reader, fieldname: str, btext: bytes) -> tuple[array, array]:
        """The raw postings of a term in one segment (none when the segment lacks it)."""
        return read_postings(reader, fieldname, btext, self.late)

    @staticmethod
    def _bm25f(local: array, weights: array, idf: float, K1: float, norms: list,
               codes: bytes | array, offset: int, docnums: array, scores: array) -> None:
        """:func:`whoosh.scoring.bm25`, the same arithmetic in the same order, per posting:
        ``norms`` holds its length part for each of the segment's length ``codes``
        (search/whoosh/scorecache.py)."""
        k1_plus_1 = K1 + 1
        if offset:
            docnums.extend([offset + docnum for docnum in local])
        else:
            docnums.extend(local)
        scores.extend([idf * ((tf * k1_plus_1) / (tf + norms[codes[docnum]]))
                       for docnum, tf in zip(local, weights, strict=True)])

    def _scored(self, matcher, offset: int, docnums: array, scores: array) -> None:
        count = 0
        while matcher.is_active():
            docnums.append(offset + matcher.id())
            scores.append(matcher.score())
            matcher.next()
            count += 1
            if not count % _CLOCK_EVERY and self.late():
                raise TimeUp

    def _compound(self, q: wq.CompoundQuery, combine: Callable[[list[Scores]], Scores]) -> Scores:
        subs = q.subqueries
        if not subs:
            return {}
        if len(subs) == 1:  # Whoosh gives the part's own matcher, without the boost
            return self._scores(subs[0])
        result = combine(subs)
        if q.boost != 1.0:
            boost = q.boost
            result = {docnum: score * boost for docnum, score in result.items()}
        return result

    def _union(self, subs) -> Scores:
        """Sum of the parts' scores; past the deadline, of the parts scored by then (once
        one of them matches: the later parts of a query weigh less)."""
        parts: list[Scores] = []
        for sub in subs:
            if parts and self.late():
                break
            part = self._scores(sub)
            if part:
                parts.append(part)
        if not parts:
            return {}
        parts.sort(key=len, reverse=True)
        result = dict(parts[0])
        get = result.get
        for part in parts[1:]:
            for docnum, score in part.items():
                result[docnum] = get(docnum, 0.0) + score
        return result

    def _intersection(self, subs) -> Scores:
        parts = sorted((self._scores(sub) for sub in subs), key=len)
        if not parts[0]:
            return {}
        first, rest = parts[0], parts[1:]
        common = set(first).intersection(*rest)
        return {docnum: first[docnum] + sum(part[docnum] for part in rest) for docnum in common}

    def _and_maybe(self, required: Scores, optional_query: wq.Query) -> Scores:
        """The required part's matches, plus the optional part's scores (unless the
        deadline has passed)."""
        if not required or self.late():
            return required
        optional = self._scores(optional_query)
        if not optional:
            return required
        get = optional.get
        return {docnum: score + get(docnum, 0.0) for docnum, score in required.items()}

    def _and_not(self, scored: Scores, excluded: wq.Query) -> Scores:
        if not scored:
            return scored
        removed = self.allowed(excluded)
        if not removed:
            return scored
        return {docnum: score for docnum, score in scored.items() if docnum not in removed}

    def _whoosh(self, q: wq.Query) -> Scores:
        """Any other query (phrases, ranges, ``Every``), through Whoosh's matcher segment by
        segment (a BM25F phrase through search/whoosh/phrases.py, which keeps its matches
        per segment); its scores kept like a term's when the query can be a key (Whoosh's
        phrases and ranges hash by their content)."""
        key: Hashable | None = (self._epoch, q)
        try:
            hash(key)
        except NotImplementedError:
            key = None
        match, used = self._matched, None
        if type(q) is wq.Phrase and self._by_words(q.fieldname):
            terms = raw_terms(q)
            match, used = self._phrase, lambda: self.cache.raw.touch(
                self._segments(), q.fieldname, terms)
        try:
            docnums, scores = match(q) if key is None else self.cache.term(
                key, lambda: match(q), self._deleted, self.deleted_docs, used)
        except TimeUp as up:  # the first matches only, not cached
            docnums, scores = up.partial
        return dict(zip(docnums, scores, strict=True))

    def _phrase(self, q: wq.Query) -> tuple[array, array]:
        assert isinstance(q, wq.Phrase)
        return phrase_scores(self, self._schema[q.fieldname], q)

    def _by_words(self, fieldname: str) -> bool:
        """Whether a phrase on ``fieldname`` goes through search/whoosh/phrases.py (BM25F on
        a scorable field with positions, whose arithmetic it repeats) rather than straight
        through Whoosh's matcher."""
        if fieldname not in self._schema or type(self.searcher.weighting) is not BM25F:
            return False
        field = self._schema[fieldname]
        return bool(field.scorable and field.format is not None
                    and field.format.supports("positions"))

    def _matched(self, q: wq.Query) -> tuple[array, array]:
        """The matches of ``q`` segment by segment; past the deadline, :class:`TimeUp` with
        those found so far (once there are some)."""
        docnums, scores = array("i"), array("d")
        context = self.searcher.context(needs_current=False)
        try:
            for sub, offset in self._leaves:
                if docnums and self.late():
                    raise TimeUp
                self._scored(q.matcher(sub, context), offset, docnums, scores)
        except TimeUp:
            raise TimeUp((docnums, scores)) from None
        return docnums, scores
