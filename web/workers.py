"""Several serving processes on one port: `fahras-web --workers N`.

Sits between `fahras-web` (web/cli.py) and the waitress server of each process
(web/server.py). Searching is CPU-bound and Python runs one thread at a time, so one process
uses one core however many threads it has. Here the parent binds one set of listening
sockets a worker, all on one port with ``SO_REUSEPORT`` (:func:`worker_sockets`), then forks
``N`` worker processes; each one builds its own Flask app and Searcher (nothing that reads the
index is shared across a fork: Whoosh readers keep file positions) and runs waitress, with
Fahras's channel and limits, on its own inherited sockets. The kernel spreads new connections
over the sockets of the port. With one socket shared by every worker, the worker that woke
first accepted a whole burst of connections (a client's 16 keep-alive connections), and the
others stayed idle: two workers served at 1× one process in about half the runs. A worker
started again takes its slot's sockets, which the parent keeps open, with the connections
waiting in them.

The parent only supervises: a worker that dies is started again (at most
:data:`RESTARTS_PER_MINUTE` times a minute, so a worker that cannot start does not spin); on
SIGTERM or SIGINT every worker is told to stop (SIGTERM), and killed after
:data:`STOP_SECONDS` (``stop_seconds``). Both signals are held back while a worker is
forked, so a stop that comes then is never lost: the parent has the new pid on its list
before it takes the signal, and the new worker has its own handler before it does. Each
worker's Searcher follows the index's ``CURRENT`` pointer and its updates by itself, so a
new generation reaches every worker with no signal.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import sys
import time
from collections import deque
from collections.abc import Callable

from waitress.adjustments import Adjustments

__all__ = ["bind_sockets", "WorkerPool", "RESTARTS_PER_MINUTE", "STOP_SECONDS"]

#: How many times a minute dead workers are started again before the pool gives up.
RESTARTS_PER_MINUTE = 10
#: Seconds the workers have to finish their requests once told to stop.
STOP_SECONDS = 10.0
#: Seconds between two looks for a worker that ended, while supervising.
REAP_SECONDS = 0.1
_STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


def bind_sockets(host: str, port: int, backlog: int,
                 reuse_port: bool = False) -> list[socket.socket]:
    """Listening sockets for ``host``:``port`` as waitress would open them (every address
    the name resolves to), bound and listening; with ``reuse_port``, sockets that others
    may bind to the same port too (``SO_REUSEPORT``)."""
    sockets: list[socket.socket] = []
    try:
        for family, kind, proto, address in Adjustments(host=host, port=port).listen:
            sock = socket.socket(family, kind, proto)
            sockets.append(sock)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if reuse_port:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
            if family == socket.AF_INET6:
                sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            if not port and sockets[1:]:  # port 0: every address on the port picked first
                address = (address[0], sockets[0].getsockname()[1], *address[2:])
            sock.bind(address)
            sock.listen(backlog)
    except OSError:
        for sock in sockets:
            sock.close()
        raise
    return sockets


def worker_sockets(host: str, port: int, backlog: int, count: int) -> list[list[socket.socket]]:
    """One set of listening sockets a worker, all on one port (the first set's, when ``port``
    is 0), where the system spreads connections over the workers (``SO_REUSEPORT``); one
    shared set for every worker where it has no ``SO_REUSEPORT``."""
    if not hasattr(socket, "SO_REUSEPORT"):
        return [bind_sockets(host, port, backlog)] * count
    first = bind_sockets(host, port, backlog, reuse_port=True)
    sets = [first]
    try:
        bound = first[0].getsockname()[1]
        for _ in range(count - 1):
            sets.append(bind_sockets(host, bound, backlog, reuse_port=True))
    except OSError:
        for sock in (sock for found in sets for sock in found):
            sock.close()
        raise
    return sets


class WorkerPool:
    """``count`` forked processes that each run ``serve(slot)`` (``slot`` from 0 to
    ``count - 1``); one that dies is started again in its slot."""

    def __init__(self, serve: Callable[[int], None], count: int,
                 echo: Callable[[str], None] = print,
                 stop_seconds: float = STOP_SECONDS) -> None:
        if count < 1:
            raise ValueError(f"a worker pool needs at least one worker, not {count}")
        self.serve = serve
        self.count = count
        self.echo = echo
        self.stop_seconds = stop_seconds
        self.pids: dict[int, int] = {}  # each worker's pid -> its slot
        self._restarts: deque[float] = deque()
        self._stopping = False

    def run(self) -> int:
        """Start the workers and supervise them until told to stop; the exit code."""
        previous = {sig: signal.signal(sig, self._stop) for sig in _STOP_SIGNALS}
        try:
            for slot in range(self.count):
                self._start(slot)
            return self._supervise()
        finally:
            self.stop()
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def _start(self, slot: int) -> None:
        signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
        try:
            pid = os.fork()
            if pid == 0:
                self._work(slot)
            self.pids[pid] = slot
        finally:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)

    def _work(self, slot: int) -> None:
        """The worker: its own signals, serve, and never return into the parent."""
        code = 0
        try:
            signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the parent
            signal.signal(signal.SIGTERM, _raise_exit)
            signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)
            self.serve(slot)
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 0
        except BaseException:  # noqa: BLE001 - reported, then the parent restarts it
            import traceback

            traceback.print_exc()
            code = 1
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)

    def _supervise(self) -> int:
        """Start a worker again each time one ends, until told to stop: the exit code.

        Looks every :data:`REAP_SECONDS` rather than blocking in ``os.wait()``, so a stop
        hands over to :meth:`stop`, which waits a bounded time, even when a worker does
        not end."""
        while self.pids and not self._stopping:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid == 0:
                time.sleep(REAP_SECONDS)
                continue
            slot = self.pids.pop(pid)
            if self._stopping:
                break
            self.echo(f"worker {pid} ended ({_how(status)}); starting another")
            if not self._may_restart():
                self.echo(f"workers died {RESTARTS_PER_MINUTE} times within a minute; "
                          "stopping")
                return 1
            self._start(slot)
        return 0

    def _may_restart(self) -> bool:
        now = time.monotonic()
        self._restarts.append(now)
        while self._restarts and now - self._restarts[0] > 60:
            self._restarts.popleft()
        return len(self._restarts) <= RESTARTS_PER_MINUTE

    def _stop(self, signum: int, _frame) -> None:
        self._stopping = True
        for pid in list(self.pids):
            _signal(pid, signal.SIGTERM)

    def stop(self) -> None:
        """Tell every worker to stop, wait for them, kill the ones that do not."""
        self._stopping = True
        deadline = time.monotonic() + self.stop_seconds
        for pid in list(self.pids):
            _signal(pid, signal.SIGTERM)
        while self.pids and time.monotonic() < deadline:
            for pid in list(self.pids):
                if _reaped(pid):
                    del self.pids[pid]
            time.sleep(0.05)
        for pid in list(self.pids):
            _signal(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            del self.pids[pid]


def _raise_exit(signum: int, _frame) -> None:
    """A worker's SIGTERM: leave serving, once (a second one does not cut the clean-up)."""
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise SystemExit(0)


def _signal(pid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, sig)


def _reaped(pid: int) -> bool:
    try:
        done, _status = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return done == pid


def _how(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"killed by signal {os.WTERMSIG(status)}"
    return f"exit code {os.waitstatus_to_exitcode(status)}"
