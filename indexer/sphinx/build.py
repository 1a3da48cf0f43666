"""Writing a Fahras index into a Sphinx cluster: builds into a fresh slot, updates and
deletes on the article's shard.

Sits after the readers (indexer/sources.py) and the rows of indexer/sphinx/schema.py; the
index backend (indexer/sphinx/backend.py) binds these functions to an address.

* A build needs every node. It empties the slot not in use on every node, counts the words
  of the sources (the lexicon that decides proclitics, as the Whoosh build does), writes each
  article to its shard (a stable hash of its id) and the dictionary of terms to every node,
  stores the slot's record and lexicon, and only then points the index at the new slot: a
  build that fails leaves the old slot serving.
* An update or delete writes each article to its own shard, one statement per batch; a shard
  that does not answer stops it with a clear error, and what was written before stays.
"""

from __future__ import annotations

import json
import os
import time
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime, timezone
from pathlib import Path

from indexer.duplicates import CopyMarker
from indexer.errors import BuildError, IndexNotFound
from indexer.reading import collect_lexicon, read_unique
from indexer.report import BuildReport
from indexer.sources import Article, find_source_files
from indexer.sphinx.client import NodeDown, Nodes
from indexer.sphinx.schema import (
    COLUMNS,
    SCHEMA_VERSION,
    SLOTS,
    TERM_KINDS,
    ArticleRow,
    Tables,
    article_row,
    chunks,
    doc_id,
    row_values,
    shard_of,
    term_key,
    token,
)
from indexer.sphinx.store import MetaStore
from indexer.words import WordAnalysis

__all__ = ["SphinxWriter"]

Progress = Callable[[int], None]
PathLike = str | os.PathLike[str]
#: Articles per INSERT statement.
BATCH = 100
#: Dictionary rows per INSERT statement.
DICT_BATCH = 1000


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _insert(table: str, columns: tuple[str, ...], rows: list[tuple], verb: str = "INSERT"
            ) -> tuple[str, list]:
    marks = "(" + ", ".join(["%s"] * len(columns)) + ")"
    sql = f"{verb} INTO {table} ({', '.join(columns)}) VALUES " + ", ".join([marks] * len(rows))
    return sql, [value for row in rows for value in row]


class SphinxWriter:
    """Writes the index ``tables`` on ``nodes``."""

    def __init__(self, nodes: Nodes, tables: Tables) -> None:
        self.nodes = nodes
        self.tables = tables
        self.meta = MetaStore(nodes, tables)

    # ---------------------------------------------------------------- build

    def build(self, sources: Iterable[PathLike], progress: Progress | None = None
              ) -> BuildReport:
        sources = [Path(s) for s in sources]
        find_source_files(sources)
        report = BuildReport("build", self.nodes.address.text)
        started = time.monotonic()
        down = [name for i, name in enumerate(self.nodes.names) if not self.nodes.alive(i)]
        if down:
            raise BuildError(f"a build needs every node; {', '.join(down)} do(es) not answer; "
                             "the index was left as it was")
        live = self.meta.live()
        slot = SLOTS[1] if live and live[0] == SLOTS[0] else SLOTS[0]
        try:
            for node in range(len(self.nodes)):
                self.nodes.query(node, f"TRUNCATE RTINDEX {self.tables.shard(slot)}")
                self.nodes.query(node, f"TRUNCATE RTINDEX {self.tables.dictionary(slot)}")
            lexicon, pairs = collect_lexicon(sources)
            words = WordAnalysis(lexicon)
            terms, lengths = self._write_articles(slot, read_unique(sources, report, progress),
                                                  words, report)
            if not report.indexed:
                raise BuildError(f"no articles could be read from "
                                 f"{', '.join(map(str, sources))} ({len(report.skipped)} "
                                 "skipped); the index was left as it was", report.skipped)
            self._write_dictionary(slot, terms)
            report.seconds = round(time.monotonic() - started, 3)
            record = self._record(report, lengths, live[1] if live else {})
            self.meta.write_slot(slot, record, lexicon, pairs=pairs)
            self.meta.publish(slot)
        except NodeDown as exc:
            raise BuildError(f"the build stopped: {exc}; the index was left as it was") from exc
        return report

    def _record(self, report: BuildReport, lengths: Counter, previous: dict) -> dict:
        articles = report.indexed
        return {
            "schema_version": SCHEMA_VERSION, "generation": f"sphinx-{time.time_ns()}",
            "built_at": _now(), "updated_at": _now(), "build_seconds": report.seconds,
            "articles": articles, "shards": len(self.nodes),
            "avg_lengths": {name: lengths[name] / max(articles, 1) for name in lengths},
            "builds": previous.get("builds", 0) + 1,
        }

    def _write_articles(self, slot: str, articles: Iterable[Article], words: WordAnalysis,
                        report: BuildReport) -> tuple[Counter, Counter]:
        terms: Counter = Counter()
        lengths: Counter = Counter()
        marker = CopyMarker()
        pending: list[list[ArticleRow]] = [[] for _ in range(len(self.nodes))]
        table = self.tables.shard(slot)
        # the nodes take each batch while the next ones are analysed (a few batches ahead)
        with ThreadPoolExecutor(len(self.nodes)) as sending:
            sent: list[Future] = []
            for article in articles:
                row = article_row(article, words, marker)
                for kind, found in row.terms.items():
                    terms.update((kind, term) for term in found)
                lengths.update(row.lengths)
                shard = pending[shard_of(article.id, len(self.nodes))]
                shard.append(row)
                report.indexed += 1
                if len(shard) >= BATCH:
                    sent.append(sending.submit(self._insert_rows, table, list(shard), "INSERT"))
                    shard.clear()
                    while len(sent) > 2 * len(self.nodes):
                        sent.pop(0).result()
            sent += [sending.submit(self._insert_rows, table, shard, "INSERT")
                     for shard in pending if shard]
            for future in sent:
                future.result()
        return terms, lengths

    def _insert_rows(self, table: str, rows: list[ArticleRow], verb: str) -> None:
        node = shard_of(rows[0].article_id, len(self.nodes))
        sql, args = _insert(table, COLUMNS, [row_values(row) for row in rows], verb)
        self.nodes.query(node, sql, args)

    def _write_dictionary(self, slot: str, terms: Counter, verb: str = "INSERT") -> None:
        """The terms and their counts, on every node (an update: on those that answer; a
        node that was down misses the new terms of that update until the next build)."""
        columns = ("id", "word", "term", "kind", "df", "key")
        rows = [(term_key(kind, term), token(term), term, TERM_KINDS[kind], df,
                 term_key(kind, term)) for (kind, term), df in terms.items()]
        statements = [_insert(self.tables.dictionary(slot), columns, batch, verb)
                      for batch in chunks(rows, DICT_BATCH)]

        def send(node: int) -> None:
            try:
                for sql, args in statements:
                    self.nodes.query(node, sql, args)
            except NodeDown:
                if verb == "INSERT":
                    raise
        with ThreadPoolExecutor(len(self.nodes)) as sending:
            for future in [sending.submit(send, node) for node in range(len(self.nodes))]:
                future.result()

    # ---------------------------------------------------------------- update, delete

    def _live(self) -> tuple[str, dict]:
        live = self.meta.live()
        if live is None:
            raise IndexNotFound(self.nodes.address.text)
        return live

    def _existing(self, slot: str, ids: list[str]) -> dict[str, str]:
        """``article id -> fingerprint`` of those of ``ids`` the index holds."""
        found: dict[str, str] = {}
        by_shard: dict[int, list[str]] = {}
        for article_id in ids:
            by_shard.setdefault(shard_of(article_id, len(self.nodes)), []).append(article_id)
        for shard, members in by_shard.items():
            wanted = ", ".join(str(doc_id(a)) for a in members)
            sql = (f"SELECT aid, doc FROM {self.tables.shard(slot)} WHERE id IN ({wanted}) "
                   f"LIMIT {len(members)} OPTION max_matches={max(len(members), 1)}")
            for aid, doc in self.nodes.query(shard, sql):
                found[aid] = _fingerprint(doc)
        return found

    def update(self, sources: Iterable[PathLike], progress: Progress | None = None,
               on_article: Callable[[str, str], object] | None = None) -> BuildReport:
        sources = [Path(s) for s in sources]
        find_source_files(sources)
        slot, record = self._live()
        report = BuildReport("update", self.nodes.address.text)
        started = time.monotonic()
        words = WordAnalysis(self.meta.lexicon(slot, record.get("lexicon_pieces", 0)))
        marker = CopyMarker()
        try:
            for batch in chunks(read_unique(sources, report, progress), BATCH):
                self._update_batch(slot, batch, words, marker, report, on_article)
        except NodeDown as exc:
            raise BuildError(f"the update stopped: {exc}; the {report.indexed + report.updated} "
                             "articles written before it are in the index") from exc
        report.seconds = round(time.monotonic() - started, 3)
        self.meta.write_slot(slot, {**record, "updated_at": _now()}, None, reachable=True)
        return report

    def _update_batch(self, slot: str, batch: list[Article], words: WordAnalysis,
                      marker: CopyMarker, report: BuildReport,
                      on_article: Callable[[str, str], object] | None) -> None:
        existing = self._existing(slot, [a.id for a in batch])
        by_shard: dict[int, list[ArticleRow]] = {}
        terms: Counter = Counter()
        outcomes = []
        for article in batch:
            row = article_row(article, words, marker)
            old = existing.get(article.id)
            outcome = ("indexed" if old is None else
                       "unchanged" if old == _fingerprint(row.values["doc"]) else "updated")
            outcomes.append((article.id, outcome))
            if outcome == "unchanged":
                continue
            by_shard.setdefault(shard_of(article.id, len(self.nodes)), []).append(row)
            if outcome == "indexed":
                for kind, found in row.terms.items():
                    terms.update((kind, term) for term in found)
        for rows in by_shard.values():
            self._insert_rows(self.tables.shard(slot), rows, "REPLACE")
        self._add_terms(slot, terms)
        for article_id, outcome in outcomes:
            setattr(report, outcome, getattr(report, outcome) + 1)
            if on_article is not None:
                on_article(article_id, outcome)

    def _add_terms(self, slot: str, terms: Counter) -> None:
        """Add the terms of new articles to the dictionary (their counts raised)."""
        if not terms:
            return
        keys = {term_key(kind, term): (kind, term) for kind, term in terms}
        known: Counter = Counter()
        table = self.tables.dictionary(slot)
        for batch in chunks(list(keys), DICT_BATCH):
            sql = (f"SELECT key, df FROM {table} WHERE key IN ({', '.join(map(str, batch))}) "
                   f"LIMIT {len(batch)} OPTION max_matches={len(batch)}")
            for key, df in self.nodes.query_any(sql):
                known[keys[int(key)]] = int(df)
        self._write_dictionary(slot, Counter({k: known[k] + n for k, n in terms.items()}),
                               "REPLACE")

    def delete(self, ids: Iterable[str]) -> BuildReport:
        slot, record = self._live()
        ids = list(dict.fromkeys(str(i) for i in ids))
        report = BuildReport("delete", self.nodes.address.text)
        started = time.monotonic()
        try:
            existing = self._existing(slot, ids)
            report.not_found = [i for i in ids if i not in existing]
            for article_id in ids:
                if article_id in existing:
                    shard = shard_of(article_id, len(self.nodes))
                    self.nodes.query(shard, f"DELETE FROM {self.tables.shard(slot)} "
                                            f"WHERE id = {doc_id(article_id)}")
                    report.deleted += 1
        except NodeDown as exc:
            raise BuildError(f"the delete stopped: {exc}; {report.deleted} articles were "
                             "deleted before it") from exc
        report.seconds = round(time.monotonic() - started, 3)
        self.meta.write_slot(slot, {**record, "updated_at": _now()}, None, reachable=True)
        return report


def _fingerprint(doc: object) -> str:
    return str(json.loads(str(doc)).get("fingerprint", ""))
