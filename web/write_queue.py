"""One writer at a time for the write API, with the single-article PUTs that arrive together
committed together.

Used by web/write_api.py. Every write of this server passes through one :class:`WriteQueue`
(in ``app.extensions``): a thread-level gate, handed over at once, keeps this server's
writes in turn (the index's file lock, polled, is left to tell processes apart: a CLI build).

Each commit of the index costs the same whether it carries one article or twenty, and each
one gives the searcher a new version to open. So a PUT does not commit alone when others
wait: whoever holds the gate takes every PUT queued by then (one article a request, ids all
different: a second PUT of the same id waits for the next commit, so the later one wins as
it would in turn) and writes them through one :func:`indexer.update_index` call, the one
indexing path. Each request still gets the report of its own article, from the update's
``on_article`` outcomes and its skipped lines; if the commit fails, every request of it
fails alike and nothing of it is written.
"""

from __future__ import annotations

import re
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from indexer import BuildReport, IndexLocked, update_index

__all__ = ["WriteQueue", "BATCH_FILE"]

BATCH_FILE = "request.jsonl"
_LINE = re.compile(r"^(?P<path>.*?):(?P<line>\d+): (?P<reason>.*)$", re.S)


@dataclass(eq=False)
class _Put:
    article_id: str
    line: bytes  # one JSON object, one line, UTF-8 (made by the write API)
    done: threading.Event = field(default_factory=threading.Event)
    report: BuildReport | None = None
    error: BaseException | None = None


class WriteQueue:
    """The writes of one app; safe to share between threads."""

    def __init__(self, index_dir: str, wait: float) -> None:
        self.index_dir = index_dir
        self.wait = wait
        self._gate = threading.Lock()
        self._lock = threading.Lock()  # guards _pending
        self._pending: list[_Put] = []

    @contextmanager
    def turn(self) -> Iterator[None]:
        """Hold the gate (raises IndexLocked after ``wait`` seconds)."""
        if not self._gate.acquire(timeout=self.wait):
            raise IndexLocked(self.index_dir, "another write of this server")
        try:
            yield
        finally:
            self._gate.release()

    def put(self, article_id: str, line: bytes) -> BuildReport:
        """Write one article (a JSON line); its report, as if it had been written alone."""
        item = _Put(article_id, line)
        with self._lock:
            self._pending.append(item)
        deadline = time.monotonic() + self.wait
        while not item.done.is_set():
            if self._gate.acquire(timeout=max(deadline - time.monotonic(), 0.0)):
                try:
                    if not item.done.is_set():
                        self._write(self._take())
                finally:
                    self._gate.release()
            elif self._withdraw(item):
                raise IndexLocked(self.index_dir, "another write of this server")
            else:
                item.done.wait()  # taken by the writer at work: its result is coming
        if item.error is not None:
            raise item.error
        assert item.report is not None
        return item.report

    def _withdraw(self, item: _Put) -> bool:
        with self._lock:
            if item in self._pending:
                self._pending.remove(item)
                return True
        return False

    def _take(self) -> list[_Put]:
        """The queued PUTs in arrival order, each id once (a repeat waits its turn)."""
        with self._lock:
            taken: list[_Put] = []
            ids: set[str] = set()
            for item in self._pending:
                if item.article_id not in ids:
                    ids.add(item.article_id)
                    taken.append(item)
            self._pending = [item for item in self._pending if item not in taken]
        return taken

    def _write(self, batch: list[_Put]) -> None:
        outcomes: dict[str, str] = {}
        try:
            with tempfile.TemporaryDirectory(prefix="fahras-write-") as folder:
                source = Path(folder) / BATCH_FILE
                source.write_bytes(b"".join(item.line + b"\n" for item in batch))
                record: Callable[[str, str], object] = outcomes.__setitem__
                report = update_index([source], self.index_dir, wait=self.wait,
                                      on_article=record)
            skipped = _skipped_by_line(report.skipped)
            for number, item in enumerate(batch, start=1):
                item.report = _own_report(report, outcomes.get(item.article_id),
                                          skipped.get(number))
        except BaseException as exc:  # noqa: BLE001 - handed to every request of the batch
            for item in batch:
                item.error = exc
        finally:
            for item in batch:
                item.done.set()


def _skipped_by_line(skipped: list[str]) -> dict[int, str]:
    """``{line: "request:1: reason"}`` of the batch file's skipped records (each request
    is one line: its own line 1; the server's temporary path is never shown)."""
    found = {}
    for text in skipped:
        match = _LINE.match(text)
        if match:
            found[int(match["line"])] = f"request:1: {match['reason']}"
    return found


def _own_report(batch: BuildReport, outcome: str | None, skipped: str | None) -> BuildReport:
    report = BuildReport("update", batch.index_dir, read=1, seconds=batch.seconds)
    if outcome is not None:
        setattr(report, outcome, 1)
    else:
        report.skipped.append(skipped or "the article could not be read")
    return report
