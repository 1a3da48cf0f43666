"""What a query costs before it runs, and how many costly searches run at once.

Sits between the parser (search/query.py) and the searcher (search/searcher.py). A plain word
is one term to score; a prefix (``word*``) or a typo-tolerant word (``word~``, ``word~2``)
first expands to up to :data:`~search.whoosh.vocabulary.MAX_EXPANSIONS` terms of the index, and at
two edits that means scanning the term list. :func:`query_cost` prices each clause in rough
milliseconds of work on a 40,000-article index (measured with ``tests/bench/cost.py``), and
:class:`CostGate`:

* refuses a query over :data:`MAX_QUERY_COST` with a :class:`~search.errors.QueryError`
  that says what to drop (the API answers 400 ``bad_parameter``), and
* lets at most ``limit`` searches over :data:`EXPENSIVE_COST` run at once in the process;
  one more raises :class:`~search.errors.SearchBusy` (the API answers 429 with
  ``Retry-After``), so cheap searches and health checks keep being answered while clients
  send costly queries.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

from search.errors import QueryError, SearchBusy
from search.query import Clause, ParsedQuery

__all__ = [
    "query_cost", "clause_cost", "CostGate", "MAX_QUERY_COST", "EXPENSIVE_COST", "CLAUSE_COSTS",
]

#: Rough cost of a clause by kind (a phrase: per word; fuzzy: by distance), in units of
#: about 10 ms of a cold search on ANT at the 95th percentile (``tests/bench/cost.py``).
CLAUSE_COSTS = {"word": 1, "exact": 1, "phrase": 1, "prefix": 10, "fuzzy": 4, "fuzzy2": 50}
#: Queries costing more are refused: about what a search can do within its 2 s limit.
MAX_QUERY_COST = 300
#: Searches costing more count against the gate's limit of concurrent costly searches:
#: one word at two edits, four prefixes or ten words at one edit.
EXPENSIVE_COST = 40


def clause_cost(clause: Clause) -> int:
    """The rough cost of one clause (see :data:`CLAUSE_COSTS`)."""
    if clause.kind == "fuzzy":
        return CLAUSE_COSTS["fuzzy2" if clause.distance >= 2 else "fuzzy"]
    if clause.kind == "phrase":
        return CLAUSE_COSTS["phrase"] * len(clause.words)
    return CLAUSE_COSTS.get(clause.kind, CLAUSE_COSTS["word"])


def query_cost(parsed: ParsedQuery) -> int:
    """The rough cost of running ``parsed`` (see :data:`CLAUSE_COSTS`)."""
    return sum(clause_cost(clause) for clause in parsed.clauses)


def _too_costly(parsed: ParsedQuery, cost: int) -> QueryError:
    fuzzy = sum(1 for c in parsed.clauses if c.kind == "fuzzy")
    prefixes = sum(1 for c in parsed.clauses if c.kind == "prefix")
    return QueryError(
        f"the query is too costly to run ({cost} > {MAX_QUERY_COST}): it has {fuzzy} "
        f"typo-tolerant words (~) and {prefixes} prefixes (*); use fewer, "
        f"at most {MAX_QUERY_COST // CLAUSE_COSTS['fuzzy2']} with ~2"
    )


class CostGate:
    """Prices queries and bounds the costly searches a process runs at once."""

    def __init__(self, limit: int) -> None:
        if not (isinstance(limit, int) and limit >= 1):
            raise QueryError(f"the limit of costly searches must be 1 or more, not {limit!r}")
        self.limit = limit
        self._slots = threading.BoundedSemaphore(limit)

    @contextlib.contextmanager
    def admit(self, parsed: ParsedQuery) -> Iterator[int]:
        """Run the body for ``parsed`` when it may run now; yields its cost. Raises
        :class:`QueryError` when it costs too much and :class:`SearchBusy` when
        ``limit`` costly searches are already running."""
        cost = query_cost(parsed)
        if cost > MAX_QUERY_COST:
            raise _too_costly(parsed, cost)
        if cost <= EXPENSIVE_COST:
            yield cost
            return
        if not self._slots.acquire(blocking=False):
            raise SearchBusy(self.limit)
        try:
            yield cost
        finally:
            self._slots.release()
