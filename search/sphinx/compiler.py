"""Parsed query → a SphinxQL full-text MATCH, its filters, and the terms to highlight.

Sits between the parser (search/query.py) and the Sphinx backend (search/sphinx/backend.py),
as search/whoosh/compiler.py does for Whoosh, with the same meaning (see there): a word
matches its stem in ``content``, ``title`` and ``lead`` and its spelling in ``exact``; a
quoted word or phrase matches ``exact`` (and, weakly, ``title``); ``word*`` and ``word~``
become the index's most frequent expansions (``word~`` also the plain word); the query's
words are alternatives, those required (``+word``, ``AND``) must all match with the others
as ``MAYBE``, and the ranking expression (search/sphinx/ranking.py) adds the coverage
bonuses. Every token is
marked by its field (indexer/sphinx/schema.py), so a term needs no field operator.
"""

from __future__ import annotations

import heapq
import time
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone

from indexer.normalize import normalize
from indexer.sphinx.schema import FIELD_MARKS, label_key, token
from search.backend import Filters
from search.highlight import HighlightTerms, is_noise_word
from search.query import Clause, ParsedQuery
from search.related import RELATED_WEIGHT
from search.results import FacetValue
from search.sphinx.live import SlotVersion
from search.variants import VARIANT_WEIGHT
from search.weights import STATEMENT, RankingWeights, weights_for
from search.whoosh.compiler import ALL_WORDS_MAX, QUOTED_WORD_BOOST
from search.whoosh.vocabulary import ARTICLES, MAX_EXPANSIONS

__all__ = ["CompiledMatch", "compile_match", "label_keys", "date_condition",
           "filter_conditions", "ORDER_BY", "facet_values"]

_T, _L, _X = FIELD_MARKS["title"], FIELD_MARKS["lead"], FIELD_MARKS["exact"]
#: Clause kinds searched as a word: one typed, another spelling of it (search/variants.py)
#: and a word of its root (search/related.py: its stem in ``content`` only).
_WORDS = ("word", "variant", "related")


@dataclass(frozen=True)
class CompiledMatch:
    """``match`` ranks (None: no words; ``""``: words that match nothing), ``excluded`` is
    the MATCH of what ``-word`` leaves out, ``conditions`` the WHERE conditions of the
    query's own filters; ``groups`` counts the query's words, ``plain`` says each is a plain
    word (the coverage bonus counts them in ``content``)."""

    match: str | None
    excluded: str | None
    conditions: tuple[str, ...]
    terms: HighlightTerms
    groups: int = 0
    present: int = 0
    plain: bool = True
    timed_out: bool = False
    #: For a query search/sphinx/rescoring.py scores exactly (words, quoted words, phrases):
    #: each token's ``(field, term, weight)``, and each query word's tokens.
    keywords: dict[str, tuple[str, str, float]] = field(default_factory=dict)
    group_tokens: tuple[frozenset[str], ...] = ()
    #: The weights of the query's kind (search/weights.py).
    weights: RankingWeights = STATEMENT


def _any(tokens: Iterable[str]) -> str:
    found = list(dict.fromkeys(tokens))
    if not found:
        return ""
    return found[0] if len(found) == 1 else "(" + " | ".join(found) + ")"


@dataclass
class _Compiler:
    version: SlotVersion
    relaxed: bool = False
    words: set[str] = field(default_factory=set)
    stems: set[str] = field(default_factory=set)
    prefixes: list[str] = field(default_factory=list)
    phrases: list[tuple[str, ...]] = field(default_factory=list)

    def clause(self, clause: Clause) -> str:
        return getattr(self, f"_{clause.kind}")(clause)

    def stem(self, norm: str) -> str:
        return self.version.words.stem(norm)

    def terms(self) -> HighlightTerms:
        return HighlightTerms(frozenset(self.words), frozenset(self.stems),
                              tuple(self.prefixes), tuple(self.phrases), self.version.words)

    def _word(self, clause: Clause) -> str:
        norm = clause.words[0]
        if self.relaxed and clause.field == "any" and not is_noise_word(norm):
            return self._near(norm)
        stem = self.stem(norm)
        self.stems.add(stem)
        self.words.add(norm)
        if clause.field == "title":
            return token(stem, _T)
        if is_noise_word(norm):
            return token(norm, _X)
        spelling = self.version.words.lexicon.spelling(norm)
        return _any([token(stem), token(stem, _T), token(stem, _L), token(spelling, _X)])

    def _variant(self, clause: Clause) -> str:
        """Another spelling of a word (search/variants.py): the word's tokens (weighed lower
        by the rescoring, :func:`_clause_terms`)."""
        return self._word(replace(clause, kind="word"))

    def _related(self, clause: Clause) -> str:
        """A word of the same root as a rare query word (search/related.py): its stem's
        token in ``content`` (weighed lower by the rescoring, never counted as the word
        held, not marked); none when relaxed."""
        return "" if self.relaxed else token(clause.words[0])

    def _exact(self, clause: Clause) -> str:
        norm = clause.words[0]
        self.words.add(norm)
        exact, title = token(norm, _X), token(self.stem(norm), _T)
        if clause.field == "title":
            return f"({exact} {title})"
        return f"({exact} MAYBE {title})"

    def _phrase(self, clause: Clause) -> str:
        self.phrases.append(clause.words)
        stems = [token(self.stem(w), _T) for w in clause.words if not is_noise_word(w)]
        title = f'"{" ".join(stems)}"' if len(stems) > 1 else ""
        if clause.field == "title":
            return title or (stems[0] if stems else "")
        exact = '"' + " ".join(token(w, _X) for w in clause.words) + '"'
        return f"({exact} MAYBE {title})" if title else exact

    def _prefix(self, clause: Clause) -> str:
        """``word*``: the most frequent words starting with it, also after an article ``ال``."""
        prefix = clause.words[0]
        if clause.field == "title":
            bare = self.version.words.base(prefix)
            kind, mark, variants = "title", _T, [bare if len(bare) >= 2 else prefix]
        elif prefix.startswith(ARTICLES):
            kind, mark, variants = "exact", _X, [prefix]
        else:
            kind, mark, variants = "exact", _X, [prefix, *(a + prefix for a in ARTICLES)]
        self.prefixes.extend(variants)
        found = {pair for variant in variants
                 for pair in self.version.terms.prefix_terms(kind, variant, MAX_EXPANSIONS)}
        best = heapq.nsmallest(MAX_EXPANSIONS, found, key=lambda item: (-item[1], item[0]))
        return _any(token(term, mark) for term, _ in best)

    def _near(self, norm: str) -> str:
        terms = [term for term, _ in self.version.terms.near_terms(norm)]
        self.words.update(terms)
        return _any(token(term, _X) for term in terms)

    def _fuzzy(self, clause: Clause) -> str:
        norm = clause.words[0]
        if clause.field == "title":
            kind, mark, word = "title", _T, self.stem(norm)
        else:
            kind, mark, word = "exact", _X, norm
        terms = [term for term, _ in self.version.terms.close_terms(kind, word, clause.distance)]
        (self.stems if kind == "title" else self.words).update(terms)
        plain = self._word(Clause("word", (norm,), clause.field))
        return _any([plain, *(token(term, mark) for term in terms if term != word)])


def label_keys(version: SlotVersion, labels: dict[str, tuple[str, ...]],
               names: Iterable[str | None]) -> list[int]:
    """The keys of the labels named (normal form of a code or display name) in ``names``."""
    keys = []
    for name in filter(None, names):
        found = labels.get(normalize(name.strip()), ())
        keys += [label_key(label) for label in found] or [label_key(name)]
    return keys


def _stamp(moment: datetime) -> int:
    return int(moment.replace(tzinfo=timezone.utc).timestamp())


def date_condition(start: datetime | None, end: datetime | None) -> str | None:
    """Articles dated within ``[start, end]`` (either side open)."""
    if start is None and end is None:
        return None
    low = _stamp(start) if start is not None else -(1 << 62)
    high = _stamp(end) if end is not None else 1 << 62
    return f"dated = 1 AND ts BETWEEN {low} AND {high}"


def filter_conditions(version: SlotVersion, labels: dict[str, dict[str, tuple[str, ...]]],
                      filters: Filters) -> list[str]:
    """The WHERE conditions of a search's filters (besides the query's own)."""
    conditions = []
    for name, wanted in (("category", filters.category), ("source", filters.source)):
        if wanted:
            keys = label_keys(version, labels.get(name, {}), [wanted])
            conditions.append(f"{name}_key IN ({', '.join(map(str, keys))})")
    dates = date_condition(filters.date_from, filters.date_to)
    if dates:
        conditions.append(dates)
    if filters.year is not None:
        conditions.append(f"year = {int(filters.year)}")
    return conditions


def compile_match(parsed: ParsedQuery, version: SlotVersion,
                  labels: dict[str, dict[str, tuple[str, ...]]], *, relaxed: bool = False,
                  deadline: float | None = None) -> CompiledMatch:
    """The SphinxQL of ``parsed`` against ``version``; ``labels`` maps each label field's
    normal-form names to its codes. ``relaxed`` replaces plain words by those a typo away."""
    compiler = _Compiler(version, relaxed)
    held = [_any([*(compiler.clause(clause) for clause in group if clause.kind != "related"),
                  *_quoted_stems(version, parsed, group)]) for group in parsed.groups]
    related = [_any(filter(None, (compiler.clause(clause) for clause in group
                                 if clause.kind == "related")))
               for group in parsed.groups]
    groups = [_any(filter(None, parts)) for parts in zip(held, related, strict=True)]
    present = [group for group in groups if group]
    match = None if not groups else _match(groups, held, related, parsed.required)
    scratch = _Compiler(version)  # exclusions are not highlighted
    excluded = [scratch.clause(clause) for clause in parsed.excluded]
    excluded = [part for part in excluded if part]
    conditions = []
    for name, wanted in (("category", parsed.categories), ("source", parsed.sources)):
        if wanted:
            keys = label_keys(version, labels[name], wanted)
            conditions.append(f"{name}_key IN ({', '.join(map(str, keys))})")
    for name, label in parsed.excluded_labels:
        keys = label_keys(version, labels[name], [label])
        conditions.append(f"{name}_key NOT IN ({', '.join(map(str, keys))})")
    dates = date_condition(parsed.date_from, parsed.date_to)
    if dates:
        conditions.append(dates)
    plain = not relaxed and all(c.kind in _WORDS and c.field == "any"
                                and not is_noise_word(c.words[0]) for c in parsed.clauses)
    rescorable = _rescorable(parsed, relaxed)
    weights = weights_for(parsed)
    keywords, group_tokens = (_scored_keywords(version, parsed, weights) if rescorable
                              else ({}, ()))
    return CompiledMatch(
        match, " | ".join(f"({e})" for e in excluded) or None, tuple(conditions),
        compiler.terms(), len(groups), len(present), plain,
        deadline is not None and time.monotonic() > deadline, keywords, group_tokens, weights)


def _match(groups: list[str], held: list[str], related: list[str],
           required: tuple[int, ...]) -> str:
    """The query's words (each with its related words) as alternatives; with required
    words, those must all match (a related word does not count) and the rest only add to
    the ranking (``""`` when a required word matches nothing)."""
    optional = " | ".join(f"({g})" for i, g in enumerate(groups) if g and i not in required)
    if not required:
        return optional
    needed = [held[i] for i in required]
    if not all(needed):
        return ""
    must = " ".join(f"({g})" for g in needed)
    optional = " | ".join(filter(None, [optional, *(f"({related[i]})" for i in required
                                                      if related[i])]))
    return f"({must}) MAYBE ({optional})" if optional else must


def _scored_keywords(version: SlotVersion, parsed: ParsedQuery, weights: RankingWeights
                     ) -> tuple[dict[str, tuple[str, str, float]], tuple[frozenset[str], ...]]:
    """Each token of a query of words, quoted words and phrases with its field, term and
    weight (the sum of its roles' boosts, as Whoosh sums the term queries), and each query
    word's tokens."""
    keywords: dict[str, tuple[str, str, float]] = {}
    groups = []
    long_query = len(parsed.groups) > ALL_WORDS_MAX
    for group in parsed.groups:
        tokens = set()
        for clause in group:
            for name, term, boost in _clause_terms(version, clause, long_query, weights):
                made = token(term, FIELD_MARKS[name])
                old = keywords.get(made)
                keywords[made] = (name, term, boost + (old[2] if old else 0.0))
                if clause.kind != "related":  # held as the word only when it is the word
                    tokens.add(made)
        groups.append(frozenset(tokens))
    return keywords, tuple(groups)


def _clause_terms(version: SlotVersion, clause: Clause, long_query: bool,
                  weights: RankingWeights) -> list[tuple[str, str, float]]:
    """``(field, term, boost)`` of each term query search/whoosh/compiler.py makes of
    ``clause``."""
    if clause.kind == "related":
        return [("content", clause.words[0], RELATED_WEIGHT)]
    stems = [version.words.stem(w) for w in clause.words if not is_noise_word(w)]
    if clause.kind in _WORDS:
        spelling = version.words.lexicon.spelling(clause.words[0])
        weight = VARIANT_WEIGHT if clause.kind == "variant" else 1.0
        return [("content", stems[0], weight), ("title", stems[0], weights.title * weight),
                ("lead", stems[0], weights.lead * weight),
                ("exact", spelling, weights.exact * weight)]
    found = [("exact", word, 1.0) for word in clause.words]
    if clause.kind == "exact" or len(stems) > 1:
        found += [("title", stem, weights.title) for stem in stems]
    if long_query:
        found += [("content", stem, QUOTED_WORD_BOOST) for stem in dict.fromkeys(stems)]
    return found


def _rescorable(parsed: ParsedQuery, relaxed: bool) -> bool:
    """True for a query of plain words, quoted words and phrases (not ``title:``, ``*`` or
    ``~``), which search/sphinx/rescoring.py scores exactly."""
    return not relaxed and all(
        c.field == "any" and (c.kind in ("exact", "phrase")
                              or (c.kind in _WORDS and not is_noise_word(c.words[0])))
        for c in parsed.clauses)


def _quoted_stems(version: SlotVersion, parsed: ParsedQuery, group: tuple[Clause, ...]
                  ) -> list[str]:
    """The stems of a long query's quoted words and phrases, as weak evidence in
    ``content`` (search/whoosh/compiler.py's ``quoted_words``)."""
    if len(parsed.groups) <= ALL_WORDS_MAX:
        return []
    return [token(version.words.stem(w)) for c in group if c.kind in ("exact", "phrase")
            and c.field == "any" for w in c.words if not is_noise_word(w)]


#: The ORDER BY of each sort (undated articles last either way).
ORDER_BY = {"relevance": "w DESC, id ASC", "newest": "dated DESC, ts DESC, id ASC",
            "oldest": "dated DESC, ts ASC, id ASC"}


def facet_values(rows: list[tuple]) -> tuple[FacetValue, ...]:
    """``(value, count)`` rows of a GROUP BY as facet values, most frequent first (an empty
    label and year 0, for none, left out)."""
    values = [FacetValue(str(value), int(count)) for value, count in rows
              if str(value) not in ("", "0")]
    return tuple(sorted(values, key=lambda v: (-v.count, v.value)))
