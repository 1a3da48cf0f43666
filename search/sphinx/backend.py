"""The Sphinx backend: answers the searcher's questions (search/backend.py) from a cluster.

Sits under the searcher (search/searcher.py) and over the live slot (search/sphinx/live.py):
it compiles a parsed query to SphinxQL (search/sphinx/compiler.py) ranked by the expression of
search/sphinx/ranking.py, and asks the distributed index of the first node that answers,
which gathers every shard; the result, its total and its facets (GROUP BY queries, Sphinx
2.2 has no FACET) come back in one round trip. A node that does not answer leaves its shard
out: the answer is flagged ``partial`` and names it. Copies of one article (the Whoosh
backend's groups of copies) are not grouped here: each article counts once.
"""

from __future__ import annotations

import math
import re
import time
from collections import Counter
from collections.abc import Sequence

from indexer.address import IndexAddress
from indexer.normalize import normalize
from indexer.sphinx.client import NodeDown, Row, SphinxError
from indexer.sphinx.schema import doc_id, shard_of, stored_fields, token
from indexer.stopwords import is_stop_word
from search.backend import Filters, Found, SearchRequest, StoredArticle, StoredHit
from search.errors import ArticleNotFound, IndexDamaged, IndexMismatch
from search.highlight import HighlightTerms
from search.labels import LABEL_FIELDS, LabelTable
from search.query import ParsedQuery
from search.results import FACET_FIELDS, FacetValue, IndexInfo
from search.sphinx.compiler import (
    ORDER_BY,
    CompiledMatch,
    compile_match,
    facet_values,
    filter_conditions,
)
from search.sphinx.lexicon import SphinxLexicon
from search.sphinx.live import LiveIndex, SlotVersion, unreachable_as_damage
from search.sphinx.ranking import SCALE, ranking_options
from search.sphinx.rescoring import LENGTH_COLUMNS, RESCORE_DEPTH, Rescorer, query_positions

__all__ = ["SphinxBackend"]

#: Most ids a word-only exclusion of a listing leaves out.
MAX_EXCLUDED = 10_000
#: Key terms of an article that "similar" searches for.
SIMILAR_TERMS = 12
_FACET_LIMIT = 1000
_AGENT_DOWN = re.compile(r"agent ([^:\s]+:\d+)")


class SphinxBackend:
    """A Fahras index in a Sphinx cluster; thread-safe, follows rebuilds by itself."""

    def __init__(self, address: IndexAddress, labels: LabelTable | None = None) -> None:
        self.live = _open_live(address)
        self.address = address.text
        self.nodes = self.live.nodes
        self.tables = self.live.tables
        self.labels = labels
        self.lexicon = SphinxLexicon(self.live)
        record = self.live.current().record
        if int(record.get("shards", len(self.nodes))) != len(self.nodes):
            raise IndexMismatch(self.address, f"{record.get('shards')} shards",
                                f"{len(self.nodes)} (the nodes of the address)")

    def close(self) -> None:
        self.live.close()

    # ---------------------------------------------------------------- asking the cluster

    def _batch(self, statements: Sequence[str]) -> tuple[list[list[Row]], tuple[str, ...]]:
        """The rows of each statement from the first node that answers, and the nodes left
        out (down, or not reached by that node)."""
        down: list[str] = []
        for node in range(len(self.nodes)):
            try:
                results = self.nodes.batch(node, statements)
            except NodeDown:
                down.append(self.nodes.names[node])
                continue
            agents = [agent for rows in results for row in rows
                      if len(row) == 2 and row[0] == "warning"
                      for agent in _AGENT_DOWN.findall(str(row[1]))]
            if agents:  # the warning names the agent's API port: say which node it is
                down += [name for i, name in enumerate(self.nodes.names)
                         if i != node and not self.nodes.alive(i)] or agents
            return results, tuple(dict.fromkeys(down))
        raise NodeDown(", ".join(self.nodes.names), "no node of the cluster answers")

    def _where(self, version: SlotVersion, compiled: CompiledMatch, filters: Filters
               ) -> str | None:
        """The WHERE clause, or None when nothing can match."""
        parts = [*compiled.conditions,
                 *filter_conditions(version, self._label_names(version), filters)]
        match = compiled.match
        if match == "":
            return None
        if compiled.excluded:
            if match is None:
                parts.append(self._excluded_ids(version, compiled.excluded))
            else:
                match = f"({match}) -({compiled.excluded})"
        if match is not None:
            assert "'" not in match and "\\" not in match  # tokens are letters, digits and _
            parts.insert(0, f"MATCH('{match}')")
        return " AND ".join(parts)

    def _excluded_ids(self, version: SlotVersion, excluded: str) -> str:
        (rows, *_), _ = self._batch([
            f"SELECT id FROM {self.tables.everything(version.slot)} WHERE MATCH('{excluded}') "
            f"LIMIT {MAX_EXCLUDED} OPTION ranker=none, max_matches={MAX_EXCLUDED}"])
        ids = [str(row[0]) for row in rows]
        return f"id NOT IN ({', '.join(ids)})" if ids else "id > 0"

    # ---------------------------------------------------------------- searching

    @unreachable_as_damage
    def search(self, request: SearchRequest) -> Found:
        started = time.monotonic()
        version = self.live.current()
        parsed = request.parsed
        compiled = compile_match(parsed, version, self._label_names(version))
        listing = not parsed.has_terms
        filtered = filter_conditions(version, {}, request.filters)
        if listing and not (parsed.has_constraints or filtered):
            return Found(0, terms=compiled.terms)
        where = self._where(version, compiled, request.filters)
        if where is None:
            return Found(0, terms=compiled.terms)
        table = self.tables.everything(version.slot)
        clause = f"WHERE {where}" if where else ""
        wanted = request.offset + request.limit
        millis = max(int(request.time_limit * 1000), 1)
        options = "ranker=none" if listing else ranking_options(
            version.record, compiled.groups, compiled.present, compiled.plain, compiled.weights)
        order = ORDER_BY[request.sort]
        statements = [
            f"SELECT id, WEIGHT() AS w, doc FROM {table} {clause} ORDER BY {order} "
            f"LIMIT {request.offset}, {request.limit} OPTION {options}, "
            f"max_matches={max(wanted, 1)}, max_query_time={millis}",
            "SHOW META",
            *(f"SELECT {name}, COUNT(*) AS c FROM {table} {clause} GROUP BY {name} "
              f"ORDER BY c DESC LIMIT {_FACET_LIMIT} OPTION ranker=none, "
              f"max_matches={_FACET_LIMIT}, max_query_time={millis}" for name in FACET_FIELDS),
        ]
        rescored = bool(compiled.keywords) and request.sort == "relevance" and \
            wanted <= RESCORE_DEPTH
        if rescored:  # the page's order from the exact scores, its stored fields after
            statements[0] = (f"SELECT id FROM {table} {clause} LIMIT 1 OPTION ranker=none, "
                             f"max_query_time={millis}")
        (rows, meta, *facets), down = self._batch(statements)
        total = int(dict((str(k), v) for k, v, *_ in meta).get("total_found", 0))
        if rescored:
            hits = self._stored_hits(version, self._ranked(
                version, compiled, where, "id", wanted, millis)[request.offset:])
        else:
            hits = tuple(StoredHit(stored_fields(doc), int(w) / SCALE if not listing else 0.0)
                         for _, w, doc in rows)
        counted = {name: facet_values(found)
                   for name, found in zip(FACET_FIELDS, facets, strict=True)}
        timed_out = time.monotonic() - started > request.time_limit
        return Found(total, hits, counted, compiled.terms, timed_out, partial=down)

    def _stored_hits(self, version: SlotVersion, ranked: list[tuple[object, float]]
                     ) -> tuple[StoredHit, ...]:
        if not ranked:
            return ()
        ids = ", ".join(str(doc) for doc, _ in ranked)
        (rows,), _ = self._batch([
            f"SELECT id, doc FROM {self.tables.everything(version.slot)} WHERE id IN ({ids}) "
            f"LIMIT {len(ranked)} OPTION ranker=none, max_matches={len(ranked)}"])
        docs = {int(doc_id_): doc for doc_id_, doc in rows}
        return tuple(StoredHit(stored_fields(docs[int(str(doc))]), score)
                     for doc, score in ranked if int(str(doc)) in docs)

    @unreachable_as_damage
    def rank(self, parsed: ParsedQuery, limit: int, time_limit: float) -> list[tuple[str, float]]:
        version = self.live.current()
        labels = self._label_names(version)
        millis = max(int(time_limit * 1000), 1)
        for relaxed in (False, True):
            compiled = compile_match(parsed, version, labels, relaxed=relaxed)
            where = self._where(version, compiled, Filters())
            if where is None:
                continue
            ranked = self._ranked(version, compiled, where, "aid", limit, millis)
            if ranked:
                return [(str(aid), score) for aid, score in ranked]
        return []

    def _ranked(self, version: SlotVersion, compiled: CompiledMatch, where: str,
                column: str, limit: int, millis: int) -> list[tuple[object, float]]:
        """``(column, score)`` of the ``limit`` best matches; for a query of plain words the
        best :data:`RESCORE_DEPTH` of the expression ranker scored again exactly
        (search/sphinx/rescoring.py)."""
        options = ranking_options(version.record, compiled.groups, compiled.present,
                                  compiled.plain, compiled.weights)
        table = self.tables.everything(version.slot)
        if not compiled.keywords:
            (rows,), _ = self._batch([
                f"SELECT {column}, WEIGHT() AS w FROM {table} WHERE {where} "
                f"ORDER BY w DESC, id ASC LIMIT {limit} OPTION {options}, "
                f"max_matches={max(limit, 1)}, max_query_time={millis}"])
            return [(row[0], int(row[1]) / SCALE) for row in rows]
        depth = max(limit, RESCORE_DEPTH)
        (rows,), _ = self._batch([
            f"SELECT {column}, WEIGHT() AS w, PACKEDFACTORS() AS f, "
            f"{', '.join(LENGTH_COLUMNS)} FROM {table} WHERE {where} "
            f"ORDER BY w DESC, id ASC LIMIT {depth} OPTION {options}, "
            f"max_matches={depth}, max_query_time={millis}"])
        rescorer = Rescorer(version, compiled, query_positions(compiled.match or ""))
        scored = [(row[0], rescorer.score(str(row[2]), row[3:])) for row in rows]
        scored.sort(key=lambda pair: -pair[1])
        return scored[:limit]

    @unreachable_as_damage
    def count(self, parsed: ParsedQuery, filters: Filters, time_limit: float) -> int:
        version = self.live.current()
        compiled = compile_match(parsed, version, self._label_names(version))
        if compiled.match is None:
            return 0
        where = self._where(version, compiled, filters)
        if where is None:
            return 0
        (_, meta), _ = self._batch([
            f"SELECT id FROM {self.tables.everything(version.slot)} WHERE {where} LIMIT 1 "
            f"OPTION ranker=none, max_query_time={max(int(time_limit * 1000), 1)}",
            "SHOW META"])
        return int(dict((str(k), v) for k, v, *_ in meta).get("total_found", 0))

    # ---------------------------------------------------------------- articles

    def _stored(self, version: SlotVersion, article_id: str) -> dict:
        text = str(article_id)
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            raise ArticleNotFound(text) from None
        shard = shard_of(text, len(self.nodes))
        rows = self.nodes.query(shard, f"SELECT doc FROM {self.tables.shard(version.slot)} "
                                       f"WHERE id = {doc_id(text)} LIMIT 1")
        fields = stored_fields(rows[0][0]) if rows else None
        if fields is None or fields.get("id") != text:
            raise ArticleNotFound(text)
        return fields

    @unreachable_as_damage
    def article(self, article_id: str, parsed: ParsedQuery | None = None) -> StoredArticle:
        version = self.live.current()
        fields = self._stored(version, article_id)
        terms = HighlightTerms()
        if parsed is not None:
            terms = compile_match(parsed, version, self._label_names(version)).terms
        return StoredArticle(fields, terms)

    @unreachable_as_damage
    def similar(self, article_id: str, n: int) -> tuple[StoredHit, ...]:
        version = self.live.current()
        fields = self._stored(version, article_id)
        text = "\n".join(str(fields.get(name) or "") for name in ("title", "summary", "body"))
        counts = Counter(stem for norm, stem in version.words.forms(text)
                         if norm and not is_stop_word(norm))
        found = version.terms.frequencies("stem", list(counts))
        articles = max(int(version.record.get("articles", 1)), 1)
        weight = {stem: tf * (math.log(articles / (found[stem] + 1)) + 1)
                  for stem, tf in counts.items() if found.get(stem)}
        best = sorted(weight, key=lambda stem: (-weight[stem], stem))[:SIMILAR_TERMS]
        if not best:
            return ()
        match = " | ".join(token(stem) for stem in best)
        options = ranking_options(version.record, 1, 1, True)
        (rows,), _ = self._batch([
            f"SELECT id, WEIGHT() AS w, doc FROM {self.tables.everything(version.slot)} "
            f"WHERE MATCH('{match}') AND id != {doc_id(str(article_id))} "
            f"ORDER BY w DESC, id ASC LIMIT {n} OPTION {options}"])
        return tuple(StoredHit(stored_fields(doc), int(w) / SCALE) for _, w, doc in rows)

    # ---------------------------------------------------------------- the index

    @unreachable_as_damage
    def label_counts(self, fieldname: str) -> tuple[FacetValue, ...]:
        version = self.live.current()

        def count() -> tuple[FacetValue, ...]:
            (rows,), _ = self._batch([
                f"SELECT {fieldname}, COUNT(*) AS c FROM {self.tables.everything(version.slot)} "
                f"GROUP BY {fieldname} ORDER BY c DESC LIMIT {_FACET_LIMIT} "
                f"OPTION max_matches={_FACET_LIMIT}"])
            return facet_values(rows)
        return version.cache.get(("counts", fieldname, version.record.get("updated_at")), count)

    def _label_names(self, version: SlotVersion) -> dict[str, dict[str, tuple[str, ...]]]:
        """Each label field's codes by the normal form of the code and of its display name."""
        def names() -> dict[str, dict[str, tuple[str, ...]]]:
            found: dict[str, dict[str, tuple[str, ...]]] = {}
            for fieldname in LABEL_FIELDS:
                table: dict[str, tuple[str, ...]] = {}
                for value in self.label_counts(fieldname):
                    shown = {value.value}
                    if self.labels is not None:
                        shown.add(self.labels.label(fieldname, value.value))
                    for key in dict.fromkeys(map(normalize, shown)):
                        table[key] = (*table.get(key, ()), value.value)
                found[fieldname] = table
            return found
        return version.cache.get(("labels", version.record.get("updated_at")), names)

    def _shard_counts(self) -> tuple[int, tuple[str, ...]]:
        version = self.live.current()
        total, down = 0, []
        for node in range(len(self.nodes)):
            try:
                rows = self.nodes.query(node, f"SELECT COUNT(*) FROM "
                                              f"{self.tables.shard(version.slot)}")
            except NodeDown:
                down.append(self.nodes.names[node])
                continue
            total += int(rows[0][0])
        if len(down) == len(self.nodes):
            raise IndexDamaged(self.address, NodeDown(", ".join(down), "no node answers"))
        return total, tuple(down)

    def check(self) -> int:
        """Every node that answers counts its shard; no node answering is damage."""
        try:
            return self._shard_counts()[0]
        except SphinxError as exc:
            raise IndexDamaged(self.address, exc) from exc

    @unreachable_as_damage
    def info(self) -> IndexInfo:
        version = self.live.current()
        documents, down = self._shard_counts()
        return IndexInfo(documents=documents, generation=version.generation,
                         updated_at=version.record.get("updated_at"), down=down)

    @unreachable_as_damage
    def doc_count(self) -> int:
        return self._shard_counts()[0]

    def cache_stats(self) -> dict[str, tuple[int, int]]:
        cache = self.live.current().cache
        return {"terms": (cache.hits, cache.misses)}


def _open_live(address: IndexAddress) -> LiveIndex:
    try:
        return LiveIndex(address)
    except NodeDown as exc:
        raise IndexDamaged(address.text, exc) from exc
