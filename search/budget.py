"""How one search's time limit is shared between finding the articles and making the page.

Used by the searcher (search/searcher.py). The backend (search/backend.py) stops collecting
at the time it is given and answers with what it found; making the page of hits after
that (the best hits, their stored fields, facets, snippets) still takes time. So that a
search ends near its limit, not a page's cost after it, the backend is given what is left
of the limit less that cost, learnt from the searches that reached their limit: each one
that ran past it shows how long its page took beyond the backend's share (the backend's
own ordering, stored fields and facets included). The median of
the last :data:`WINDOW` is kept, so one slow page (a pause of the machine) does not make
every later search give up early.
"""

from __future__ import annotations

import statistics
import threading
from collections import deque

__all__ = ["TimeBudget", "WINDOW", "LEAST_SHARE"]

#: How many of the last searches that reached their limit make the estimate of a page's cost.
WINDOW = 32
#: The least time a backend is given (seconds): it still reads the first postings of a
#: query's first part, so a search that has matches never comes back empty.
LEAST_SHARE = 1e-6


class TimeBudget:
    """The time limit (seconds) of the searches of one searcher, and the cost of their
    pages past the backend's share; thread-safe."""

    def __init__(self, limit: float) -> None:
        self.limit = float(limit)
        self._page_costs: deque[float] = deque(maxlen=WINDOW)
        self._lock = threading.Lock()

    def page_cost(self) -> float:
        """The median seconds a search that reached its limit ran past the end of its
        backend's share (0 before any did)."""
        with self._lock:
            costs = list(self._page_costs)
        return statistics.median(costs) if costs else 0.0

    def find_by(self, started: float) -> float:
        """When (``time.perf_counter()``) a search begun at ``started`` must be done finding
        to end near its limit: the limit less what a page costs past the backend's share."""
        return started + self.limit - self.page_cost()

    def share(self, started: float, now: float) -> float:
        """The seconds the backend may take, asked at ``now``, in a search begun at
        ``started`` (both ``time.perf_counter()``): until :meth:`find_by`, never nothing."""
        return max(self.find_by(started) - now, LEAST_SHARE)

    def record(self, share_end: float, finished: float, reached: bool) -> None:
        """A search whose backend's share ended at ``share_end`` and which ended at
        ``finished``; ``reached``: the backend was cut at the end of its share (only those
        show what a page costs past it)."""
        if reached:
            with self._lock:
                self._page_costs.append(max(finished - share_end, 0.0))
