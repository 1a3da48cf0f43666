"""Errors the indexer raises; the base of every Fahras error.

The searcher (search/errors.py) builds on :class:`FahrasError`, and every command
line tool turns these into a clear message and an exit code.
"""

from __future__ import annotations

__all__ = [
    "FahrasError",
    "IndexNotFound",
    "IndexMismatch",
    "IndexLocked",
    "BuildError",
]


class FahrasError(Exception):
    """Base class: a problem the user can act on, with a message that says how."""


class IndexNotFound(FahrasError):
    """No Fahras index at the given path."""

    def __init__(self, path: object) -> None:
        super().__init__(
            f"no Fahras index at {path}; build one with: fahras-index build SOURCE... "
            f"--index-dir {path}"
        )
        self.path = str(path)


class IndexMismatch(FahrasError):
    """The index was written with another schema or analysis version."""

    def __init__(self, path: object, found: object, expected: object) -> None:
        super().__init__(
            f"the index at {path} has schema version {found}, this Fahras needs {expected}; "
            f"rebuild it with: fahras-index build SOURCE... --index-dir {path}"
        )
        self.path = str(path)
        self.found = found
        self.expected = expected


class IndexLocked(FahrasError):
    """Another process is writing to the index."""

    def __init__(self, path: object, holder: str = "") -> None:
        who = f" ({holder})" if holder else ""
        super().__init__(
            f"another process{who} is writing to the index at {path}; "
            "wait for it to finish or pass --wait SECONDS"
        )
        self.path = str(path)


class BuildError(FahrasError):
    """A build or update that cannot go ahead; the existing index is left as it was.

    ``skipped`` lists the records that could not be read, each ``"FILE[:LINE]: reason"``.
    """

    def __init__(self, message: str, skipped: list[str] | None = None) -> None:
        super().__init__(message)
        self.skipped = list(skipped or [])
