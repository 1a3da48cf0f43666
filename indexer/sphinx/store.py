"""The meta table of a Fahras index in Sphinx: which slot is live, each slot's record and
lexicon.

Sits between the writer (indexer/sphinx/build.py), which fills a slot and then points the
index at it, and the searcher (search/sphinx/), which reads the pointer to know which tables
to ask. Every node keeps the same rows (``NAME_meta``), so any node that answers can say
where the index is; a build that fails before :meth:`MetaStore.publish` leaves the pointer,
and so the old slot, in place.

Rows: ``id 1`` the pointer (``{"slot": "a"}``); ``id 10+k`` the record of slot ``k`` (JSON:
schema version, generation, times, counts, field lengths); ``id 1000*(k+1)+n`` the ``n``-th
piece of slot ``k``'s lexicon (indexer/lexicon.py: the counts the proclitic decision uses);
``id 10000*(k+1)+n`` the ``n``-th piece of its word pairs (indexer/pairs.py).
"""

from __future__ import annotations

import json

from indexer.lexicon import Lexicon
from indexer.pairs import PairTable
from indexer.sphinx.client import NodeDown, Nodes
from indexer.sphinx.schema import SLOTS, Tables
from indexer.stopwords import normalized_stop_words

__all__ = ["MetaStore", "LEXICON_PIECE"]

#: Characters of the lexicon's JSON per row.
LEXICON_PIECE = 500_000
_POINTER_ID = 1


def _record_id(slot: str) -> int:
    return 10 + SLOTS.index(slot)


def _piece_id(slot: str, piece: int) -> int:
    return 1000 * (SLOTS.index(slot) + 1) + piece


def _pair_piece_id(slot: str, piece: int) -> int:
    return 10_000 * (SLOTS.index(slot) + 1) + piece


def _pieces(text: str) -> list[str]:
    return [text[i:i + LEXICON_PIECE] for i in range(0, len(text), LEXICON_PIECE)]


class MetaStore:
    """The meta rows of index ``tables`` on ``nodes``."""

    def __init__(self, nodes: Nodes, tables: Tables) -> None:
        self.nodes = nodes
        self.tables = tables

    # ---------------------------------------------------------------- reading

    def _read(self, ids: list[int], node: int | None = None) -> dict[int, str]:
        """``id -> payload`` from ``node``, else from the first node that answers."""
        wanted = ", ".join(map(str, ids))
        sql = (f"SELECT id, payload FROM {self.tables.meta} WHERE id IN ({wanted}) "
               f"LIMIT {len(ids)}")
        rows = self.nodes.query_any(sql) if node is None else self.nodes.query(node, sql)
        return {int(row[0]): row[1] for row in rows}

    def live_slot(self, node: int | None = None) -> str | None:
        """The slot the index points at; None before the first build."""
        found = self._read([_POINTER_ID], node).get(_POINTER_ID)
        return json.loads(found)["slot"] if found else None

    def record(self, slot: str) -> dict:
        found = self._read([_record_id(slot)]).get(_record_id(slot))
        return json.loads(found) if found else {}

    def live(self) -> tuple[str, dict] | None:
        """``(slot, record)`` of the live slot, read from one node; None before a build."""
        for i in range(len(self.nodes)):
            try:
                rows = self._read([_POINTER_ID, *map(_record_id, SLOTS)], i)
            except NodeDown:
                if i == len(self.nodes) - 1:
                    raise
                continue
            if _POINTER_ID not in rows:
                return None
            slot = json.loads(rows[_POINTER_ID])["slot"]
            return slot, json.loads(rows.get(_record_id(slot)) or "{}")
        return None

    def lexicon(self, slot: str, pieces: int) -> Lexicon:
        found = self._read([_piece_id(slot, n) for n in range(pieces)])
        text = "".join(found[_piece_id(slot, n)] for n in range(pieces))
        return Lexicon(json.loads(text), normalized_stop_words())

    def pairs(self, slot: str, pieces: int) -> PairTable:
        if not pieces:  # a build whose articles repeat no pair
            return PairTable()
        found = self._read([_pair_piece_id(slot, n) for n in range(pieces)])
        text = "".join(found[_pair_piece_id(slot, n)] for n in range(pieces))
        return PairTable.loads(text, f"the word pairs of {self.tables.meta}")

    # ---------------------------------------------------------------- writing

    def _replace_everywhere(self, rows: list[tuple[int, str]], reachable: bool = False) -> None:
        """Write ``rows`` on every node (``reachable``: on every node that answers)."""
        sql = f"REPLACE INTO {self.tables.meta} (id, note, payload, seq) VALUES (%s, '', %s, 0)"
        for node in range(len(self.nodes)):
            try:
                for row_id, payload in rows:
                    self.nodes.query(node, sql, (row_id, payload))
            except NodeDown:
                if not reachable:
                    raise

    def write_slot(self, slot: str, record: dict, lexicon: Lexicon | None,
                   reachable: bool = False, pairs: PairTable | None = None) -> dict:
        """Store ``record`` (and ``lexicon``, ``pairs``) of ``slot`` on every node
        (``reachable``: on those that answer, for the record of an update)."""
        rows = []
        if lexicon is not None:
            pieces = _pieces(json.dumps(lexicon.counts, ensure_ascii=False, sort_keys=True))
            record = {**record, "lexicon_pieces": len(pieces)}
            rows += [(_piece_id(slot, n), piece) for n, piece in enumerate(pieces)]
        if pairs is not None:
            pieces = _pieces(pairs.dumps())
            record = {**record, "pairs_pieces": len(pieces)}
            rows += [(_pair_piece_id(slot, n), piece) for n, piece in enumerate(pieces)]
        rows.append((_record_id(slot), json.dumps(record, ensure_ascii=False)))
        self._replace_everywhere(rows, reachable)
        return record

    def publish(self, slot: str) -> None:
        """Point the index at ``slot`` on every node."""
        self._replace_everywhere([(_POINTER_ID, json.dumps({"slot": slot}))])
