"""Errors the searcher raises, all of them :class:`FahrasError`.

Sits beside every other search module: the index errors come from the indexer
(indexer/errors.py) and are re-exported here so that code embedding the searcher
imports every error from one place; the search-only ones are defined below. The
command line (search/cli.py) and the web front end turn any of them into a clear
message.
"""

from __future__ import annotations

from indexer.errors import FahrasError, IndexMismatch, IndexNotFound

__all__ = [
    "FahrasError", "IndexNotFound", "IndexMismatch", "IndexDamaged", "QueryError",
    "ArticleNotFound", "SearchBusy",
]


class QueryError(FahrasError, ValueError):
    """A search parameter that cannot be honoured (a bad page, sort or date).

    The text a person types is never an error on its own: any string is a valid
    query. The message says what was wrong and what is accepted.
    """


class ArticleNotFound(FahrasError, KeyError):
    """No article with the given id in the index."""

    def __init__(self, article_id: str) -> None:
        super().__init__(f"no article with id {article_id!r} in the index")
        self.id = article_id

    def __str__(self) -> str:  # KeyError would show the message in quotes
        return str(self.args[0])


class IndexDamaged(FahrasError):
    """The live index is there but its files cannot be read (truncated, deleted, garbled)."""

    def __init__(self, path: object, cause: BaseException) -> None:
        super().__init__(
            f"the index at {path} cannot be read ({type(cause).__name__}); rebuild it with: "
            f"fahras-index build SOURCE... --index-dir {path}"
        )
        self.path = str(path)


class SearchBusy(FahrasError):
    """As many costly searches as allowed are running already; try again shortly."""

    #: Seconds after which trying again is likely to succeed (a search's time limit).
    retry_after = 2

    def __init__(self, limit: int) -> None:
        super().__init__(
            f"{limit} costly searches (typo-tolerant or prefix words) are running already; "
            f"try again in a few seconds"
        )
        self.limit = limit
