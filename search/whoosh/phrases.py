"""Phrases scored from their words' postings, the articles they match kept per segment.

Sits under the query scorer (search/whoosh/scoring.py), beside its terms. Whoosh matches a
phrase by walking its words' postings and positions together (a ``SpanNear2`` over an
``IntersectionMatcher``), tens of microseconds an article, and scores a match as the sum of
its words' BM25F scores (in the order of Whoosh's binary tree of intersections), times the
phrase's boost. Which articles of a segment hold a phrase never changes while the segment
lives (a delete only marks articles), so the matches are kept per segment in the raw
postings cache (search/whoosh/postings.py), across versions: after an update only the
segments it wrote are matched again, and each match is scored from its words' raw postings
(kept there too) with the new statistics. The result is Whoosh's, number for number
(tests/test_scoring.py).
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Hashable, Sequence
from functools import partial
from typing import Protocol, cast

from whoosh import query as wq
from whoosh.fields import FieldType
from whoosh.searching import SearchContext

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

    def word_scores_at(self, fieldname: str, btext: bytes, wanted: array
                       ) -> list[float | None]: ...


def phrase_scores(scorer: PhraseScorer, field: FieldType, q: wq.Phrase
                  ) -> tuple[array, array]:
    """``(docnums, scores)`` of the articles phrase ``q`` (on ``field``) matches, as Whoosh
    scores them; :class:`TimeUp` with those found and scored so far when the scorer is late
    (an article whose words were not all scored by then is left out)."""
    try:
        words = [field.to_bytes(word) for word in q.words]
    except ValueError:
        return array("i"), array("d")
    cut = False
    try:
        docnums = _matches(scorer, q)
    except TimeUp as up:
        docnums, cut = cast(array, up.partial), True
    scored: list[list[float | None]] = []
    for btext in words:
        try:
            scored.append(scorer.word_scores_at(q.fieldname, btext, docnums))
        except TimeUp as up:
            scored.append(cast(list[float | None], up.partial))
            cut = True
    kept, scores = array("i"), array("d")
    for at, docnum in enumerate(docnums):
        parts = [part for word in scored if (part := word[at]) is not None]
        if len(parts) == len(scored):
            kept.append(docnum)
            total = _sum_tree(parts)
            scores.append(total * q.boost if q.boost != 1.0 else total)
    if cut:
        raise TimeUp((kept, scores))
    return kept, scores


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


def _matches(scorer: PhraseScorer, q: wq.Phrase) -> array:
    """The global numbers of the articles ``q`` matches, segment by segment (the matches
    of each kept in the raw postings cache)."""
    found = array("i")
    key = _matches_key(q)
    for sub, offset in scorer.leaves():
        reader = sub.reader()
        segment = segment_key(scorer.cache.path, reader)
        try:
            local, _none, _count = scorer.cache.raw.get(
                segment, q.fieldname, key, reader, partial(_match_segment, sub, q,
                                                           scorer.context(), scorer.late))
        except TimeUp as up:
            read = cast(tuple[array, array, int], up.partial)
            found.extend([offset + docnum for docnum in read[0]])
            raise TimeUp(found) from None
        found.extend([offset + docnum for docnum in local])
    return found


def _match_segment(sub, q: wq.Phrase, context, late: Callable[[], bool]
                   ) -> tuple[array, array, int]:
    """The segment's articles matching ``q`` (Whoosh's matcher: deleted ones left out), as a
    raw postings entry without weights."""
    docnums = array("i")
    matcher = wq.Phrase(q.fieldname, q.words, slop=q.slop).matcher(sub, context)
    while matcher.is_active():
        docnums.append(matcher.id())
        matcher.next()
        if not len(docnums) % _CLOCK_EVERY and late():
            raise TimeUp((docnums, array("d"), len(docnums)))
    return docnums, array("d"), len(docnums)


def _sum_tree(scores: Sequence[float]) -> float:
    """The sum as Whoosh's ``make_binary_tree`` of intersections adds: halves, then
    left + right (float addition is not associative)."""
    if len(scores) == 1:
        return scores[0]
    half = len(scores) // 2
    return _sum_tree(scores[:half]) + _sum_tree(scores[half:])
