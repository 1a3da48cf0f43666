"""Giving freed heap memory back to the system while the server runs.

Sits beside the production server (web/server.py, started by web/cli.py): a long-running
`fahras-web` process allocates and frees large blocks all the time — article bodies for
snippets, scored postings of each index version (search/whoosh/scoring.py), the result sets of
common words — and every update opens a new index version while the old one still answers the
requests it has. The C library keeps what was freed inside its heap for later, so the
process's resident memory climbs to the highest point two overlapping versions and two busy
threads ever reached, and stays there, although Python holds no more than before.

A :class:`HeapTrimmer` asks glibc (``malloc_trim``) every ``interval`` seconds to hand the
free pages of its heap back. It costs a few milliseconds a call. Where the C library has no
such call (musl, macOS) :func:`heap_trim_call` is None and the server says so at start.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import threading
from collections.abc import Callable

__all__ = ["HeapTrimmer", "heap_trim_call", "TRIM_INTERVAL"]

#: Seconds between two trims (``FAHRAS_HEAP_TRIM_SECONDS``; 0 turns trimming off).
TRIM_INTERVAL = 30.0


def heap_trim_call() -> Callable[[], bool] | None:
    """A call that gives free heap pages back to the system (True when it freed some), or
    None when the C library has none."""
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name)
        trim = libc.malloc_trim
    except (OSError, AttributeError, TypeError):
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return lambda: bool(trim(0))


class HeapTrimmer:
    """A daemon thread that trims the heap every ``interval`` seconds until :meth:`stop`."""

    def __init__(self, interval: float = TRIM_INTERVAL,
                 trim: Callable[[], bool] | None = None) -> None:
        if interval <= 0:
            raise ValueError(f"the trim interval must be positive, not {interval}")
        call = trim if trim is not None else heap_trim_call()
        if call is None:
            raise OSError("this C library cannot give freed memory back (no malloc_trim)")
        self.interval = interval
        self.trims = 0
        self._trim = call
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name="fahras-heap-trim", daemon=True)

    def start(self) -> HeapTrimmer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopped.set()
        if self._thread.is_alive():
            self._thread.join()

    def _run(self) -> None:
        while not self._stopped.wait(self.interval):
            self._trim()
            self.trims += 1
