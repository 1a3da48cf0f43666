"""The searchd configuration of one node of a Fahras cluster, written from the schema.

Sits between the table layout (indexer/sphinx/schema.py) and the local cluster
(indexer/sphinx/cluster.py). Sphinx 2.2 declares its real-time indexes in the configuration
(it has no CREATE TABLE), so every table a Fahras index will ever use is declared here: for
each slot the node's shard, the distributed index over every node's shard, the dictionary,
and one meta table. Manticore reads the same file in its "plain mode".
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from indexer.sphinx.schema import CHARSET_TABLE, SLOTS, TEXT_FIELDS, Tables

__all__ = ["NodePorts", "node_config"]

#: Milliseconds a node waits to reach another before it answers without it.
AGENT_CONNECT_TIMEOUT = 300
#: Milliseconds a node waits for another's answer.
AGENT_QUERY_TIMEOUT = 10_000
_SHARD_ATTRIBUTES = (
    ("string", "aid"), ("string", "doc"), ("string", "category"), ("string", "source"),
    ("bigint", "category_key"), ("bigint", "source_key"), ("bigint", "ts"), ("uint", "dated"),
    ("uint", "year"),
)
_DICT_ATTRIBUTES = (("string", "term"), ("uint", "kind"), ("uint", "df"), ("bigint", "key"))
_META_ATTRIBUTES = (("string", "payload"), ("uint", "seq"))


@dataclass(frozen=True)
class NodePorts:
    """A node's SphinxQL port (what Fahras talks to) and its API port (what the other
    nodes' distributed indexes talk to)."""

    host: str
    sql: int
    api: int


def _rt(path: Path, name: str, fields: tuple[str, ...],
        attributes: tuple[tuple[str, str], ...], extra: str = "") -> str:
    lines = [f"index {name}", "{", "    type = rt", f"    path = {path / name}",
             *(f"    rt_field = {field}" for field in fields),
             *(f"    rt_attr_{kind} = {attr}" for kind, attr in attributes),
             f"    charset_table = {CHARSET_TABLE}", "    rt_mem_limit = 256M",
             "    dict = keywords", "    docinfo = extern"]
    if extra:
        lines.append(extra)
    return "\n".join([*lines, "}", ""])


def _distributed(tables: Tables, slot: str, me: int, nodes: list[NodePorts]) -> str:
    agents = [f"    agent = {node.host}:{node.api}:{tables.shard(slot)}"
              for i, node in enumerate(nodes) if i != me]
    return "\n".join([
        f"index {tables.everything(slot)}", "{", "    type = distributed",
        f"    local = {tables.shard(slot)}", *agents,
        f"    agent_connect_timeout = {AGENT_CONNECT_TIMEOUT}",
        f"    agent_query_timeout = {AGENT_QUERY_TIMEOUT}", "}", "",
    ])


def node_config(name: str, me: int, nodes: list[NodePorts], folder: Path) -> str:
    """The configuration of node ``me`` of ``nodes`` for index ``name``, its files in
    ``folder`` (data/, the pid file, logs)."""
    tables = Tables(name)
    data = folder / "data"
    parts = []
    for slot in SLOTS:
        parts.append(_rt(data, tables.shard(slot), TEXT_FIELDS, _SHARD_ATTRIBUTES,
                         "    index_field_lengths = 1"))
        parts.append(_distributed(tables, slot, me, nodes))
        parts.append(_rt(data, tables.dictionary(slot), ("word",), _DICT_ATTRIBUTES,
                         "    min_prefix_len = 1"))
    parts.append(_rt(data, tables.meta, ("note",), _META_ATTRIBUTES))
    node = nodes[me]
    parts.append("\n".join([
        "searchd", "{",
        f"    listen = {node.host}:{node.sql}:mysql41",
        f"    listen = {node.host}:{node.api}",
        f"    log = {folder / 'searchd.log'}",
        f"    query_log = {folder / 'query.log'}",
        f"    pid_file = {folder / 'searchd.pid'}",
        f"    binlog_path = {data}",
        "    workers = threads",
        "    max_packet_size = 32M",
        "    max_filter_values = 16384",
        "    seamless_rotate = 1",
        "}", "",
    ]))
    return "\n".join(parts)
