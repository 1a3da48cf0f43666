"""Where an index is: a folder (the Whoosh backend) or a Sphinx cluster address.

The one place that reads ``--index`` / ``$FAHRAS_INDEX`` (and the older ``--index-dir`` /
``$FAHRAS_INDEX_DIR``, a folder), checks the value and says which backend keeps the index.
The writing side (indexer/backend.py) and the searching side (search/backends.py) both open
their backend from an :class:`IndexAddress`; nothing else looks at the text.

Forms::

    ./index, /srv/fahras/index          a folder: the Whoosh backend (the default ./index)
    sphinx://host:port[,host:port…]/name
                                        a Sphinx (or Manticore) cluster: the SphinxQL port
                                        of each node, in shard order, and the index name
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from indexer.errors import FahrasError

__all__ = ["IndexAddress", "AddressError", "parse_address", "resolve_address",
           "resolve_index_dir", "SPHINX_SCHEME"]

SPHINX_SCHEME = "sphinx://"
_NAME = re.compile(r"[a-z][a-z0-9]{0,30}")
_NODE = re.compile(r"(?P<host>[A-Za-z0-9.\-]+|\[[0-9a-fA-F:]+\]):(?P<port>\d{1,5})")


class AddressError(FahrasError, ValueError):
    """An index address that cannot be read."""


@dataclass(frozen=True)
class IndexAddress:
    """A parsed index address: ``folder`` for Whoosh, else ``nodes`` and ``name`` of a
    Sphinx cluster (``nodes`` are ``(host, SphinxQL port)`` in shard order)."""

    text: str
    folder: Path | None = None
    nodes: tuple[tuple[str, int], ...] = ()
    name: str = ""

    @property
    def is_cluster(self) -> bool:
        return self.folder is None

    def __str__(self) -> str:
        return self.text


def _cluster(text: str) -> IndexAddress:
    rest = text[len(SPHINX_SCHEME):]
    hosts, slash, name = rest.partition("/")
    if not slash or not _NAME.fullmatch(name):
        raise AddressError(
            f"bad index address {text!r}: it must end with /NAME, NAME a lower-case letter "
            "then up to 30 lower-case letters or digits (sphinx://host:port[,host:port…]/name)")
    nodes = []
    for part in hosts.split(","):
        match = _NODE.fullmatch(part.strip())
        port = int(match.group("port")) if match else 0
        if not match or not 0 < port < 65536:
            raise AddressError(f"bad node {part!r} in index address {text!r}: "
                               "give host:port (the node's SphinxQL port)")
        nodes.append((match.group("host").strip("[]"), port))
    if len(set(nodes)) != len(nodes):
        raise AddressError(f"index address {text!r} names a node twice")
    return IndexAddress(text, None, tuple(nodes), name)


def parse_address(value: str | os.PathLike[str]) -> IndexAddress:
    """The address ``value`` names; raises :class:`AddressError` for a malformed one."""
    text = os.fspath(value)
    if text.startswith(SPHINX_SCHEME):
        return _cluster(text)
    if "://" in text:
        raise AddressError(f"unknown kind of index address {text!r}: give a folder or "
                           "sphinx://host:port[,host:port…]/name")
    return IndexAddress(text, Path(text))


def resolve_address(value: str | os.PathLike[str] | IndexAddress | None = None
                    ) -> IndexAddress:
    """The index address: ``value`` when given, else ``$FAHRAS_INDEX``, else
    ``$FAHRAS_INDEX_DIR``, else the folder ``./index``."""
    if isinstance(value, IndexAddress):
        return value
    if value is not None and os.fspath(value):
        return parse_address(value)
    for variable in ("FAHRAS_INDEX", "FAHRAS_INDEX_DIR"):
        if os.environ.get(variable):
            return parse_address(os.environ[variable])
    return parse_address("index")


def resolve_index_dir(index_dir: str | os.PathLike[str] | None = None) -> Path:
    """The index folder: ``index_dir`` when given, else ``$FAHRAS_INDEX`` or
    ``$FAHRAS_INDEX_DIR``, else ``./index``; :class:`AddressError` when the address is a
    cluster's (see :func:`resolve_address`)."""
    address = resolve_address(index_dir)
    if address.folder is None:
        raise AddressError(f"the index at {address} is a cluster, not a folder")
    return address.folder
