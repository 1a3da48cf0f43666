"""Which search backend reads an index: the Whoosh one for a folder, the Sphinx one for a
cluster address.

Sits between the searcher (search/searcher.py), which asks for a backend once when it is
opened, and the backends (search/whoosh/, search/sphinx/); the address itself is read and
checked by indexer/address.py.
"""

from __future__ import annotations

import os

from indexer.address import IndexAddress, resolve_address
from search.backend import SearchBackend
from search.labels import LabelTable

__all__ = ["open_backend"]


def open_backend(index: str | os.PathLike[str] | IndexAddress | None,
                 labels: LabelTable | None = None) -> SearchBackend:
    """The backend of the index at ``index`` (see :func:`~indexer.address.resolve_address`)."""
    address = resolve_address(index)
    if address.folder is None:
        from search.sphinx.backend import SphinxBackend

        return SphinxBackend(address, labels)
    from search.whoosh.backend import WhooshBackend

    return WhooshBackend(address.folder, labels)
