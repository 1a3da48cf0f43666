"""The ranking of the Sphinx backend: the Whoosh backend's BM25F and coverage bonuses as a
Sphinx expression ranker.

Sits between the compiler (search/sphinx/compiler.py) and the backend's SELECT
(search/sphinx/backend.py). Whoosh scores each (field, term) with BM25
``boost * idf * tf (k1+1) / (tf + k1 (1 - b + b len / avglen))``, ``idf = ln(N/(n+1)) + 1``,
over ``content``, ``title`` (×0.5), ``lead`` (×0.4) and the exact spelling (×0.5). Sphinx's
field factors give, per field, ``tf_idf`` (Σ tf·idf, with Sphinx's idf ``ln(N/n)`` scaled by
``1/(2 ln(N+1))``: undone here with the shard's expected size), ``hit_count`` (Σ tf) and
``word_count`` (terms matched); field lengths are attributes (``index_field_lengths``) and
the average lengths come from the build's record. The expression is the same sum with the
tf of a field's terms taken as their mean (exact for one term a field, which is each word
of most queries). Coverage: +1 per query word the article holds (its stem in ``content``,
or for other kinds of words the terms matched in the exact field), +1000 when a query of two
words has both. Weights are integers in Sphinx: the expression is scaled by
:data:`SCALE`.

IDF is each shard's own (Sphinx 2.2 has no cluster-wide statistics without a global IDF
file): articles are spread over the shards by a hash of their id, so a term's share of a
shard is its share of the index, and scores compare across shards within sampling noise.
"""

from __future__ import annotations

import math

from search.whoosh.compiler import (
    ALL_WORDS_BONUS,
    ALL_WORDS_MAX,
    COVERAGE_BONUS,
    EXACT_BOOST,
    LEAD_BOOST,
    TITLE_BOOST,
)

__all__ = ["ranking_options", "SCALE", "FIELD_CODES", "K1", "B"]

SCALE = 1000
K1, B = 1.2, 0.75
#: Each field's code (its ``user_weight``) and boost.
FIELD_CODES = {"content": (1, 1.0), "title": (2, TITLE_BOOST), "lead": (3, LEAD_BOOST),
               "exact": (4, EXACT_BOOST)}


def _by_field(values: dict[str, str]) -> str:
    """``IF(user_weight==1, v1, IF(user_weight==2, v2, …))``."""
    names = list(values)
    expression = values[names[-1]]
    for name in reversed(names[:-1]):
        expression = f"IF(user_weight=={FIELD_CODES[name][0]},{values[name]},{expression})"
    return expression


def _bm25(record: dict) -> str:
    articles = max(int(record.get("articles", 1)), 1)
    shard = max(articles / max(int(record.get("shards", 1)), 1), 1.0)
    scale = 2 * math.log(shard + 1)
    averages = record.get("avg_lengths", {})
    norm = _by_field({name: f"{name}_len/{max(float(averages.get(name, 1)), 1e-6):.6f}"
                      for name in FIELD_CODES})
    boost = _by_field({name: f"{FIELD_CODES[name][1]:g}" for name in FIELD_CODES})
    return (f"sum({boost}*(tf_idf*{scale:.6f}+hit_count)*{K1 + 1:g}"
            f"/(hit_count/word_count+{K1:g}*({1 - B:g}+{B:g}*{norm})))")


def _coverage(groups: int, present: int, plain: bool) -> str:
    if groups <= 1:
        return ""
    field = "1" if plain else "4"
    matched = f"sum(IF(user_weight=={field},word_count,0))"
    parts = [f"+{COVERAGE_BONUS:g}*{matched}"]
    if groups <= ALL_WORDS_MAX and present == groups:
        parts.append(f"+{ALL_WORDS_BONUS:g}*({matched}>={groups})")
    return "".join(parts)


def ranking_options(record: dict, groups: int, present: int, plain: bool) -> str:
    """The OPTION clause of a ranked SELECT."""
    expression = f"{SCALE}*({_bm25(record)}{_coverage(groups, present, plain)})"
    weights = ", ".join(f"{name}={code}" for name, (code, _) in FIELD_CODES.items())
    return (f"ranker=expr('{expression}'), field_weights=({weights}), "
            "idf='plain,tfidf_unnormalized'")
