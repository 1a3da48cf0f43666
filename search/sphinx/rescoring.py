"""The exact Whoosh-backend score of the best candidates, from Sphinx's ranking factors.

Sits after the SELECT of the Sphinx backend (search/sphinx/backend.py): the expression ranker
(search/sphinx/ranking.py) picks the candidates, but it sees each field's terms only in sum
and each shard's own IDF. For a query of plain words it also asks for ``PACKEDFACTORS()``
(every query term's frequency in the article: each token belongs to one field, so that is
the term's frequency in its field) and the field lengths, and this module scores the
candidates as search/whoosh/compiler.py's query does: BM25F per (field, term) with the IDF of
the whole index (its article counts from the dictionary, ``ln(N/(n+1)) + 1``), the weights
and fields' ``b`` of the query's kind (search/weights.py), the coverage bonus of each query
word found (weighed by the IDF of its stem for a question; a related word, search/related.py,
adds to the score only) and +1000 when a two-word query has both, or a one-word query with
related words has the word itself.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from search.sphinx.compiler import CompiledMatch
from search.sphinx.live import SlotVersion
from search.sphinx.ranking import FIELD_CODES, K1
from search.weights import coverage_bonuses
from search.whoosh.compiler import ALL_WORDS_BONUS, ALL_WORDS_MAX

__all__ = ["Rescorer", "RESCORE_DEPTH", "LENGTH_COLUMNS", "query_positions"]

#: How many candidates of the expression ranker are scored again.
RESCORE_DEPTH = 200
#: The field length attributes selected with the factors, in :data:`FIELD_CODES` order.
LENGTH_COLUMNS = tuple(f"{name}_len" for name in FIELD_CODES)
_WORD = re.compile(r"word(\d+)=\(tf=(\d+), idf=([-0-9.e]+)\)")
_DICTIONARY_KIND = {"content": "stem", "title": "title", "exact": "exact"}


_MATCH_TOKEN = re.compile(r'[^\s()|"]+')
_MATCH_OPERATORS = frozenset({"MAYBE"})


def query_positions(match: str) -> list[str]:
    """The token at each query position of the MATCH ``match`` of a rescorable query
    (words, quoted words and phrases), as ``PACKEDFACTORS()`` numbers its ``word<i>``: a
    token written twice (two words of one root, a related word that is another word's)
    has two positions, and Sphinx reports it under one of them."""
    return [found for found in _MATCH_TOKEN.findall(match) if found not in _MATCH_OPERATORS]


class Rescorer:
    """Scores candidates of one query: ``keywords`` are the query's tokens by query
    position (:func:`query_positions`)."""

    def __init__(self, version: SlotVersion, compiled: CompiledMatch,
                 keywords: Sequence[str]) -> None:
        record = version.record
        self.articles = max(int(record.get("articles", 1)), 1)
        shard = max(self.articles / max(int(record.get("shards", 1)), 1), 1.0)
        self.local_scale = 2 * math.log(shard + 1)  # undoes Sphinx's idf scaling
        self.averages = {name: max(float(record.get("avg_lengths", {}).get(name, 1)), 1e-6)
                         for name in FIELD_CODES}
        self.tokens = list(keywords)
        self.positions: dict[str, list[int]] = {}
        for i, keyword in enumerate(self.tokens):
            self.positions.setdefault(keyword, []).append(i)
        self.known = [compiled.keywords.get(keyword) for keyword in keywords]
        self.groups = [[i for i, keyword in enumerate(keywords) if keyword in group]
                       for group in compiled.group_tokens]
        # one word with related words (which belong to no group): its own articles first
        self.one_word_first = (len(self.groups) == 1 and
                               len(self.groups[0]) < sum(k is not None for k in self.known))
        self.idf = self._global_idf(version)
        self.b = {name: compiled.weights.b(whoosh) for name, (_, whoosh) in FIELD_CODES.items()}
        self.bonuses = coverage_bonuses(compiled.weights, [self._group_idf(group)
                                                           for group in self.groups])

    def _global_idf(self, version: SlotVersion) -> dict[int, float]:
        wanted: dict[str, list[str]] = {}
        for found in self.known:
            if found is not None and found[0] in _DICTIONARY_KIND:
                wanted.setdefault(_DICTIONARY_KIND[found[0]], []).append(found[1])
        df = {kind: version.terms.frequencies(kind, terms) for kind, terms in wanted.items()}
        idf = {}
        for i, found in enumerate(self.known):
            if found is not None and found[0] in _DICTIONARY_KIND:
                n = df[_DICTIONARY_KIND[found[0]]].get(found[1], 0)
                idf[i] = math.log(self.articles / (n + 1)) + 1
        return idf

    def _group_idf(self, group: list[int]) -> float | None:
        """The IDF of the commonest stem a query word is looked for as in ``content``."""
        found = [self.idf[i] for i in group
                 if i in self.idf and self.known[i] is not None
                 and self.known[i][0] == "content"]  # type: ignore[index]
        return min(found) if found else None

    def score(self, packed: str, lengths: Sequence[object]) -> float:
        """The Whoosh score of one candidate from its ``PACKEDFACTORS()`` and field lengths."""
        length = {name: int(str(value) or 0) for name, value in zip(FIELD_CODES, lengths,
                                                                   strict=True)}
        found: set[int] = set()
        scored: set[str] = set()
        total = 0.0
        for match in _WORD.finditer(packed):
            i, tf = int(match.group(1)), int(match.group(2))
            if tf <= 0 or i >= len(self.known) or self.known[i] is None \
                    or self.tokens[i] in scored:
                continue
            field, _term, weight = self.known[i]  # type: ignore[misc]
            found.update(self.positions[self.tokens[i]])
            scored.add(self.tokens[i])
            idf = self.idf.get(i)
            if idf is None:  # a lead term: its shard's own IDF, as Sphinx reports it
                idf = float(match.group(3)) * self.local_scale + 1
            b = self.b[field]
            norm = K1 * (1 - b + b * length[field] / self.averages[field])
            total += weight * idf * tf * (K1 + 1) / (tf + norm)
        if len(self.groups) > 1:
            held = [bonus for group, bonus in zip(self.groups, self.bonuses, strict=True)
                    if found.intersection(group)]
            matched = len(held)
            total += sum(held)
            if len(self.groups) <= ALL_WORDS_MAX and matched == len(self.groups):
                total += ALL_WORDS_BONUS
        elif self.one_word_first and found.intersection(self.groups[0]):
            total += ALL_WORDS_BONUS
        return total
