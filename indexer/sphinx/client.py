"""SphinxQL connections to the nodes of a cluster, and what a node that is down looks like.

Sits under every call of the Sphinx backend, writing (indexer/sphinx/build.py) and searching
(search/sphinx/). A :class:`Nodes` keeps a few open connections per node (pymysql
connections are not shared between threads: each call borrows one and gives it back), opens
a new one when a node that was down answers again, and turns a node that does not answer
into a :class:`NodeDown`.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator, Sequence
from typing import Any

import pymysql

from indexer.address import IndexAddress
from indexer.errors import FahrasError

__all__ = ["Nodes", "NodeDown", "SphinxError", "Row"]

Row = tuple[Any, ...]
#: Seconds to wait for a node to accept a connection.
CONNECT_SECONDS = 1.0
#: Seconds a node may take to answer one statement.
READ_SECONDS = 60.0
#: Seconds a node that did not answer is left alone before it is tried again.
RETRY_SECONDS = 1.0
_IDLE_PER_NODE = 8


class SphinxError(FahrasError):
    """A statement a node refused (the message says which node and why)."""


class NodeDown(SphinxError):
    """A node that cannot be reached."""

    def __init__(self, node: str, reason: object) -> None:
        super().__init__(f"node {node} does not answer ({reason})")
        self.node = node


def _is_connection_failure(exc: BaseException) -> bool:
    if isinstance(exc, (pymysql.err.OperationalError, pymysql.err.InterfaceError)):
        code = exc.args[0] if exc.args else 0
        return not isinstance(code, int) or code in (0, 2003, 2006, 2013) or code >= 2000
    return isinstance(exc, (OSError, EOFError))


class Nodes:
    """The nodes of one cluster address; thread-safe."""

    def __init__(self, address: IndexAddress) -> None:
        self.address = address
        self.names = [f"{host}:{port}" for host, port in address.nodes]
        self._idle: list[list[pymysql.connections.Connection]] = [[] for _ in self.names]
        self._lock = threading.Lock()
        #: when each node that did not answer may be tried again (``time.monotonic()``)
        self._retry_at = [0.0] * len(self.names)

    def __len__(self) -> int:
        return len(self.names)

    def _connect(self, node: int) -> pymysql.connections.Connection:
        """A new connection; a node that failed within :data:`RETRY_SECONDS` is not tried
        (a failed connect costs a fifth of a second: every search would pay it)."""
        if time.monotonic() < self._retry_at[node]:
            raise NodeDown(self.names[node], "it did not answer a moment ago")
        host, port = self.address.nodes[node]
        try:
            conn = pymysql.connect(host=host, port=port, autocommit=True, charset="utf8",
                                   connect_timeout=CONNECT_SECONDS, read_timeout=READ_SECONDS,
                                   write_timeout=READ_SECONDS,
                                   client_flag=pymysql.constants.CLIENT.MULTI_STATEMENTS)
        except Exception as exc:  # noqa: BLE001 - whatever stops the connection
            self._retry_at[node] = time.monotonic() + RETRY_SECONDS
            raise NodeDown(self.names[node], exc) from exc
        self._retry_at[node] = 0.0
        return conn

    @contextlib.contextmanager
    def connection(self, node: int) -> Iterator[pymysql.connections.Connection]:
        """A connection to ``node`` for the length of a call; :class:`NodeDown` when the
        node cannot be reached, :class:`SphinxError` when it refuses a statement."""
        with self._lock:
            idle = self._idle[node]
            conn = idle.pop() if idle else None
        if conn is None:
            conn = self._connect(node)
        try:
            yield conn
        except pymysql.err.MySQLError as exc:
            if _is_connection_failure(exc):
                conn.close()
                raise NodeDown(self.names[node], exc) from exc
            self._give_back(node, conn)
            raise SphinxError(f"node {self.names[node]}: {exc.args[-1]}") from exc
        except (OSError, EOFError) as exc:
            conn.close()
            raise NodeDown(self.names[node], exc) from exc
        else:
            self._give_back(node, conn)

    def _give_back(self, node: int, conn: pymysql.connections.Connection) -> None:
        with self._lock:
            if len(self._idle[node]) < _IDLE_PER_NODE:
                self._idle[node].append(conn)
                return
        conn.close()

    def query(self, node: int, sql: str, args: Sequence[object] | None = None) -> list[Row]:
        """The rows of one statement on ``node``."""
        with self.connection(node) as conn, conn.cursor() as cursor:
            cursor.execute(sql, args)
            return list(cursor.fetchall())

    def query_any(self, sql: str, args: Sequence[object] | None = None) -> list[Row]:
        """The rows of one statement from the first node that answers (for what every node
        holds a copy of: the meta rows, the dictionary)."""
        for node in range(len(self.names)):
            try:
                return self.query(node, sql, args)
            except NodeDown:
                if node == len(self.names) - 1:
                    raise
        raise NodeDown(", ".join(self.names), "the address names no node")

    def batch(self, node: int, statements: Sequence[str]) -> list[list[Row]]:
        """The rows of each statement, sent to ``node`` in one round trip (a multi-query)."""
        with self.connection(node) as conn, conn.cursor() as cursor:
            cursor.execute(";\n".join(statements))
            results = [list(cursor.fetchall())]
            while cursor.nextset():
                results.append(list(cursor.fetchall()))
            return results

    def alive(self, node: int) -> bool:
        """True when ``node`` answers a statement now."""
        try:
            self.query(node, "SHOW STATUS LIKE 'uptime'")
        except SphinxError:
            return False
        return True

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, [[] for _ in self.names]
        for conns in idle:
            for conn in conns:
                conn.close()
