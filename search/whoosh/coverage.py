"""The query's words as alternatives, each with its coverage bonus: the top of a ranking query.

Sits under search/whoosh/compiler.py, which compiles each word of a query (its OR group) into
a query of what holds the word and a list of its related words' queries (search/related.py),
then asks :func:`ranked_groups` for the whole: every word's score (with its related words'),
plus a constant for each word an article holds (:func:`~search.weights.coverage_bonuses`),
plus :data:`ALL_WORDS_BONUS` when a short query's words are all there. A related word adds
to its word's score only: it earns no bonus.
"""

from __future__ import annotations

from whoosh import query as wq

from search.weights import RankingWeights, coverage_bonuses

__all__ = ["ALL_WORDS_BONUS", "ALL_WORDS_MAX", "ranked_groups", "scored_word"]

#: Added to the score of an article that has every word of a short query.
ALL_WORDS_BONUS = 1000.0
#: Queries of at most this many words (OR groups) put the articles with all of them first.
ALL_WORDS_MAX = 2


def scored_word(group: wq.Query, related: list[wq.Query]) -> wq.Query:
    """A word's query with its related words' (which add to its score only)."""
    found = [query for query in (group, *related) if query is not wq.NullQuery]
    if not found:
        return wq.NullQuery
    return wq.Or([group, *related]) if len(found) > 1 else found[0]


def ranked_groups(weights: RankingWeights, groups: list[wq.Query],
                  related: list[list[wq.Query]], idfs: list[float | None]) -> wq.Query | None:
    """The query's words as alternatives (each with its related words) and their coverage
    bonuses (each weighed by the word's IDF when ``weights`` say so: search/weights.py)."""
    if not groups:
        return None
    if len(groups) == 1:  # the articles that hold the word itself first
        one = scored_word(groups[0], related[0])
        if one is groups[0] or groups[0] is wq.NullQuery:
            return one
        return wq.Or([one, wq.ConstantScoreQuery(groups[0], ALL_WORDS_BONUS)])
    scored = [scored_word(g, r) for g, r in zip(groups, related, strict=True)]
    scored = [query for query in scored if query is not wq.NullQuery]
    held = [(g, idf) for g, idf in zip(groups, idfs, strict=True) if g is not wq.NullQuery]
    if not scored:
        return wq.NullQuery
    bonuses = coverage_bonuses(weights, [idf for _, idf in held])
    coverage = [wq.ConstantScoreQuery(g, bonus)
                for (g, _), bonus in zip(held, bonuses, strict=True)]
    if len(groups) <= ALL_WORDS_MAX and len(held) == len(groups):
        coverage.append(wq.ConstantScoreQuery(wq.And(groups), ALL_WORDS_BONUS))
    return wq.Or([*scored, *coverage])
