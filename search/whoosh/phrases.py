"""Phrases scored from their words' postings, the articles they match kept per segment.

Sits under the query scorer (search/whoosh/scoring.py), beside its terms. Whoosh matches a
phrase by walking its words' postings and positions together (a ``SpanNear2`` over an
``IntersectionMatcher``), tens of microseconds an article, and scores a match as the sum of
its words' BM25F scores (in the order of Whoosh's binary tree of intersections), times the
phrase's boost. Which articles of a segment hold a phrase never changes while the segment
lives (a delete only marks articles), so the matches are kept per segment in the raw
postings cache (search/whoosh/postings.py), across versions. A segment whose matches and
words' postings are all held there is scored from them, with the statistics of the day:
after an update only the segments it wrote run Whoosh's matcher again. Any other segment
runs it, which scores its matches and gives them to the cache. The result is Whoosh's,
number for number (tests/test_scoring.py).
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Callable, Hashable, Sequence
from typing import Protocol, cast

from whoosh import query as wq
from whoosh.fields import FieldType
from whoosh.searching import SearchContext

from search.whoosh.damage import DamagedSegment
from search.whoosh.postings import TimeUp
from search.whoosh.scorecache import ScoreCache
from search.whoosh.segments import segment_key

__all__ = ["PhraseScorer", "phrase_scores", "raw_terms"]

#: How many matches are read between two looks at the clock (a match costs tens of
#: microseconds).
_CLOCK_EVERY = 16


class PhraseScorer(Protocol):
    """What :func:`phrase_scores` needs of the query scorer (search/whoosh/scoring.py)."""

    cache: ScoreCache

    def leaves(self) -> list: ...

    def late(self) -> bool: ...

    def context(self) -> SearchContext: ...

    def word_parameters(self, fieldname: str, btext: bytes
                        ) -> tuple[float, float, float, float]: ...


#: ``(idf, average length, B, K1)`` of a word, as BM25F takes them.
Parameters = tuple[float, float, float, float]


def phrase_scores(scorer: PhraseScorer, field: FieldType, q: wq.Phrase
                  ) -> tuple[array, array]:
    """``(docnums, scores)`` of the articles phrase ``q`` (on ``field``) matches, as Whoosh
    scores them; :class:`TimeUp` with those found so far when the scorer is late."""
    try:
        words = [field.to_bytes(word) for word in q.words]
    except ValueError:
        return array("i"), array("d")
    docnums, scores = array("i"), array("d")
    key, raw = _matches_key(q), scorer.cache.raw
    parameters: list[Parameters] | None = None
    for sub, offset in scorer.leaves():
        if docnums and scorer.late():
            raise TimeUp((docnums, scores))
        reader = sub.reader()
        segment = segment_key(scorer.cache.path, reader)
        held = _held(raw, segment, q.fieldname, [key, *words], reader)
        if held is None:
            try:
                local, found = _match_segment(sub, q, scorer.context(), scorer.late)
            except TimeUp as up:
                local, found = cast(tuple[array, array], up.partial)
                docnums.extend([offset + docnum for docnum in local])
                scores.extend(found)
                raise TimeUp((docnums, scores)) from None
            raw.put(segment, q.fieldname, key, reader, (local, array("d"), len(local)))
        else:
            if parameters is None:
                parameters = [scorer.word_parameters(q.fieldname, btext) for btext in words]
            local, found = _from_words(held, parameters, scorer.cache.lengths(reader, q.fieldname),
                                       q.boost)
        docnums.extend([offset + docnum for docnum in local])
        scores.extend(found)
    return docnums, scores


def raw_terms(field: FieldType, q: wq.Phrase) -> list[Hashable]:
    """What a phrase's scores come from in each segment's raw postings cache: its matches
    and its words' postings."""
    try:
        words: list[Hashable] = [field.to_bytes(word) for word in q.words]
    except ValueError:
        words = []
    return [_matches_key(q), *words]


def _matches_key(q: wq.Phrase) -> tuple:
    return ("phrase", tuple(q.words), q.slop)


def _held(raw, segment, fieldname: str, terms: list, reader) -> list | None:
    """The raw entries of ``terms`` in the segment (its matches, then each word's postings)
    when every one is held, else None."""
    held = []
    for term in terms:
        entry = raw.peek(segment, fieldname, term, reader)
        if entry is None:
            return None
        held.append(entry)
    return held


def _from_words(held: list, parameters: list[Parameters], lengths: list,
                boost: float) -> tuple[array, array]:
    """A segment's matches scored from its words' postings, as Whoosh's matcher would."""
    (matches, _none, _count), words = held[0], held[1:]
    scores = array("d")
    for docnum in matches:
        length = lengths[docnum]
        if length is None:
            raise DamagedSegment("lengths of a phrase's field are missing")
        parts = []
        for (local, weights, _frequency), (idf, avgfl, B, K1) in zip(words, parameters,
                                                                     strict=True):
            tf = weights[bisect_left(local, docnum)]  # the article holds every word
            parts.append(idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * length / avgfl))))
        total = _sum_tree(parts)
        scores.append(total * boost if boost != 1.0 else total)
    return matches, scores


def _match_segment(sub, q: wq.Phrase, context, late: Callable[[], bool]
                   ) -> tuple[array, array]:
    """The segment's articles matching ``q`` and their scores, by Whoosh's matcher (deleted
    articles left out); :class:`TimeUp` with those found so far when ``late()``."""
    docnums, scores = array("i"), array("d")
    matcher = q.matcher(sub, context)
    while matcher.is_active():
        docnums.append(matcher.id())
        scores.append(matcher.score())
        matcher.next()
        if not len(docnums) % _CLOCK_EVERY and late():
            raise TimeUp((docnums, scores))
    return docnums, scores


def _sum_tree(scores: Sequence[float]) -> float:
    """The sum as Whoosh's ``make_binary_tree`` of intersections adds: halves, then
    left + right (float addition is not associative)."""
    if len(scores) == 1:
        return scores[0]
    half = len(scores) // 2
    return _sum_tree(scores[:half]) + _sum_tree(scores[half:])
