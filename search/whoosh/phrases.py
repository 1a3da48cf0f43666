"""Phrases scored from their words' postings, the articles they match kept per segment.

Sits under the query scorer (search/whoosh/scoring.py), beside its terms. Whoosh matches a
phrase by walking its words' postings and positions together (a ``SpanNear2`` over an
``IntersectionMatcher``), tens of microseconds an article, and scores a match as the sum of
its words' BM25F scores (in the order of Whoosh's binary tree of intersections), times the
phrase's boost. Which articles of a segment hold a phrase never changes while the segment
lives (a delete only marks articles), so the matches are kept per segment in the raw
postings cache (search/whoosh/postings.py), across versions, with each word's weight in
each match. The first time, a segment runs the matcher Whoosh's phrase builds, which
scores its matches and gives them and their weights to the cache; later (after an update:
the statistics changed) the held matches are scored from their weights with the
statistics of the day, so only the segments the update wrote run the matcher. Weights
that left the cache before their matches are read again by skipping through the word's
postings to the matches (a few blocks, where the whole postings of a word like في are tens
of thousands). The result is Whoosh's, number for number (tests/test_scoring.py).
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Hashable, Sequence
from functools import partial
from typing import Protocol, cast

from whoosh import query as wq
from whoosh.fields import FieldType
from whoosh.searching import SearchContext

from search.whoosh.damage import DamagedSegment
from search.whoosh.lengths import LengthCodes
from search.whoosh.postings import TimeUp, read_weights_at
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
    raw = scorer.cache.raw
    parameters: list[Parameters] | None = None
    for sub, offset in scorer.leaves():
        if docnums and scorer.late():
            raise TimeUp((docnums, scores))
        reader = sub.reader()
        segment = segment_key(scorer.cache.path, reader)
        held = raw.peek(segment, q.fieldname, _matches_key(q), reader)
        if held is None:
            try:
                local, found, weighed = _match_segment(sub, q, words, scorer.context(),
                                                       scorer.late)
            except TimeUp as up:
                local, found = cast(tuple[array, array], up.partial)
                docnums.extend([offset + docnum for docnum in local])
                scores.extend(found)
                raise TimeUp((docnums, scores)) from None
            raw.put(segment, q.fieldname, _matches_key(q), reader,
                    (local, array("d"), len(local)))
            for at, word_weights in enumerate(weighed):
                raw.put(segment, q.fieldname, _word_key(q, at), reader,
                        (local, word_weights, len(local)))
        else:
            local = held[0]
            weights = [raw.get(segment, q.fieldname, _word_key(q, at), reader,
                               partial(_weights_entry, reader, q.fieldname, btext, local))[1]
                       for at, btext in enumerate(words)]
            if parameters is None:
                parameters = [scorer.word_parameters(q.fieldname, btext) for btext in words]
            lengths = scorer.cache.lengths(reader, q.fieldname, segment)
            norms = [scorer.cache.norms(lengths, avgfl, B, K1)
                     for _idf, avgfl, B, K1 in parameters]
            found = _from_weights(local, weights, parameters, lengths, norms, q.boost)
        docnums.extend([offset + docnum for docnum in local])
        scores.extend(found)
    return docnums, scores


def raw_terms(q: wq.Phrase) -> list[Hashable]:
    """What a phrase's scores come from in each segment's raw postings cache: its matches
    and each word's weights in them."""
    return [_matches_key(q), *(_word_key(q, at) for at in range(len(q.words)))]


def _matches_key(q: wq.Phrase) -> tuple:
    return ("phrase", tuple(q.words), q.slop)


def _word_key(q: wq.Phrase, at: int) -> tuple:
    return ("phrase", tuple(q.words), q.slop, at)


def _weights_entry(reader, fieldname: str, btext: bytes, matches: array
                   ) -> tuple[array, array, int]:
    """A word's weights in a segment's matches, as a raw postings entry (the same articles
    as the matches, so that a later delete filters both alike)."""
    return matches, read_weights_at(reader, fieldname, btext, matches), len(matches)


def _from_weights(matches: array, weights: list[array], parameters: list[Parameters],
                  lengths: LengthCodes, norms: list[list], boost: float) -> array:
    """The scores of a segment's matches from each word's weight in them, as Whoosh's
    matcher adds them; ``norms``: each word's BM25F length part per length code
    (:meth:`~search.whoosh.scorecache.ScoreCache.norms`)."""
    scores = array("d")
    codes, values = lengths.codes, lengths.values
    for at, docnum in enumerate(matches):
        code = codes[docnum]
        if values[code] is None:
            raise DamagedSegment("lengths of a phrase's field are missing")
        parts = [idf * ((tf * (K1 + 1)) / (tf + norm[code]))
                 for tf, norm, (idf, _avgfl, _B, K1)
                 in zip((word[at] for word in weights), norms, parameters, strict=True)]
        total = _sum_tree(parts)
        scores.append(total * boost if boost != 1.0 else total)
    return scores


def _match_segment(sub, q: wq.Phrase, words: list[bytes], context,
                   late: Callable[[], bool]) -> tuple[array, array, list[array]]:
    """The segment's articles matching ``q``, their scores and each word's weight in them,
    by the matcher Whoosh's phrase builds (deleted articles left out; none when a word is
    not in the segment); :class:`TimeUp` with those found so far when ``late()``."""
    docnums, scores = array("i"), array("d")
    weights: list[array] = [array("d") for _ in words]
    reader = sub.reader()
    if any((q.fieldname, word) not in reader for word in words):
        return docnums, scores, weights
    near = wq.SpanNear2([wq.Term(q.fieldname, word) for word in words], slop=q.slop,
                        ordered=True, mindist=1)
    matcher = near.matcher(sub, context)
    parts, boost = matcher.ms, q.boost
    while matcher.is_active():
        docnums.append(matcher.id())
        scores.append(matcher.score() * boost if boost != 1.0 else matcher.score())
        for word, part in zip(weights, parts, strict=True):
            word.append(part.weight())
        matcher.next()
        if not len(docnums) % _CLOCK_EVERY and late():
            raise TimeUp((docnums, scores))
    return docnums, scores, weights


def _sum_tree(scores: Sequence[float]) -> float:
    """The sum as Whoosh's ``make_binary_tree`` of intersections adds: halves, then
    left + right (float addition is not associative)."""
    if len(scores) == 1:
        return scores[0]
    half = len(scores) // 2
    return _sum_tree(scores[:half]) + _sum_tree(scores[half:])
