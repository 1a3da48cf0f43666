"""The ranking of the Sphinx backend: the Whoosh backend's BM25F and coverage bonuses as a
Sphinx expression ranker.

Sits between the compiler (search/sphinx/compiler.py) and the backend's SELECT
(search/sphinx/backend.py). Whoosh scores each (field, term) with BM25
``boost * idf * tf (k1+1) / (tf + k1 (1 - b + b len / avglen))``, ``idf = ln(N/(n+1)) + 1``,
over ``content``, ``title``, ``lead`` and the exact spelling, with the weights and each
field's ``b`` of the query's kind (search/weights.py; ×0.5, ×0.6, ×0.5 and ``b`` 0.75, 0.9 for
``content``, for a query that is not a question). Sphinx's
field factors give, per field, ``tf_idf`` (Σ tf·idf, with Sphinx's idf ``ln(N/n)`` scaled by
``1/(2 ln(N+1))``: undone here with the shard's expected size), ``hit_count`` (Σ tf) and
``word_count`` (terms matched); field lengths are attributes (``index_field_lengths``) and
the average lengths come from the build's record. The expression is the same sum with the
tf of a field's terms taken as their mean (exact for one term a field, which is each word
of most queries). Coverage: the weights' ``coverage`` (+1.5 for a query that is not a
question) per query word the article holds (its stem in ``content``,
or for other kinds of words the terms matched in the exact field), +1000 when a query of two
words has both. Weights are integers in Sphinx: the expression is scaled by
:data:`SCALE`.

IDF is each shard's own (Sphinx 2.2 has no cluster-wide statistics without a global IDF
file): articles are spread over the shards by a hash of their id, so a term's share of a
shard is its share of the index, and scores compare across shards within sampling noise.
"""

from __future__ import annotations

import math

from search.weights import DEFAULT_B, DEFAULT_K1, STATEMENT, RankingWeights
from search.whoosh.compiler import ALL_WORDS_BONUS, ALL_WORDS_MAX

__all__ = ["ranking_options", "field_boost", "SCALE", "FIELD_CODES", "K1", "B"]

SCALE = 1000
K1, B = DEFAULT_K1, DEFAULT_B
#: Each field's code (its ``user_weight``) and the name of its Whoosh field.
FIELD_CODES = {"content": (1, "content"), "title": (2, "title"), "lead": (3, "lead"),
               "exact": (4, "content_exact")}


def field_boost(weights: RankingWeights, name: str) -> float:
    """The weight of a term in the field ``name`` (a key of :data:`FIELD_CODES`)."""
    return {"content": 1.0, "title": weights.title, "lead": weights.lead,
            "exact": weights.exact}[name]


def _by_field(values: dict[str, str]) -> str:
    """``IF(user_weight==1, v1, IF(user_weight==2, v2, …))``."""
    names = list(values)
    expression = values[names[-1]]
    for name in reversed(names[:-1]):
        expression = f"IF(user_weight=={FIELD_CODES[name][0]},{values[name]},{expression})"
    return expression


def _bm25(record: dict, weights: RankingWeights) -> str:
    articles = max(int(record.get("articles", 1)), 1)
    shard = max(articles / max(int(record.get("shards", 1)), 1), 1.0)
    scale = 2 * math.log(shard + 1)
    averages = record.get("avg_lengths", {})

    def norm(name: str) -> str:
        b = weights.b(FIELD_CODES[name][1])
        average = max(float(averages.get(name, 1)), 1e-6)
        return f"{1 - b:g}+{b:g}*{name}_len/{average:.6f}"

    lengths = _by_field({name: norm(name) for name in FIELD_CODES})
    boost = _by_field({name: f"{field_boost(weights, name):g}" for name in FIELD_CODES})
    return (f"sum({boost}*(tf_idf*{scale:.6f}+hit_count)*{K1 + 1:g}"
            f"/(hit_count/word_count+{K1:g}*({lengths})))")


def _coverage(groups: int, present: int, plain: bool, weights: RankingWeights) -> str:
    if groups <= 1:
        return ""
    field = "1" if plain else "4"
    matched = f"sum(IF(user_weight=={field},word_count,0))"
    parts = [f"+{weights.coverage:g}*{matched}"]
    if groups <= ALL_WORDS_MAX and present == groups:
        parts.append(f"+{ALL_WORDS_BONUS:g}*({matched}>={groups})")
    return "".join(parts)


def ranking_options(record: dict, groups: int, present: int, plain: bool,
                    weights: RankingWeights = STATEMENT) -> str:
    """The OPTION clause of a ranked SELECT, with the weights of the query's kind (the
    coverage bonus flat: search/sphinx/rescoring.py weighs it by IDF)."""
    expression = f"{SCALE}*({_bm25(record, weights)}{_coverage(groups, present, plain, weights)})"
    codes = ", ".join(f"{name}={code}" for name, (code, _) in FIELD_CODES.items())
    return (f"ranker=expr('{expression}'), field_weights=({codes}), "
            "idf='plain,tfidf_unnormalized'")
