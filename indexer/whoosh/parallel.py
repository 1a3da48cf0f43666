"""The multi-process writer of ``--procs N``: Whoosh's ``MpWriter``, watched.

Used by indexer/whoosh/build.py for a full build with more than one process. Whoosh's parent writer
hands batches of articles to its writer processes through a bounded queue and, at the end,
waits for them; when one dies (disk full, OOM kill, a bug) the parent waits for ever on a
full queue while holding the index's writer lock, and a process that died before sending
its segment is simply left out of the commit. :class:`WatchedMpWriter` instead:

* puts on the queue in short waits, checking the writer processes between them, and raises
  :class:`WriterDied` as soon as one is gone;
* after the commit, raises :class:`WriterDied` when any process did not finish cleanly, so
  an index missing one process's articles is never published;
* stops its remaining processes on failure (:meth:`WatchedMpWriter.stop`);
* runs writer processes that end on an expected OS error with its ``errno`` as exit code
  (28 for a full disk) instead of a traceback.
"""

from __future__ import annotations

import errno
import os
import queue

from whoosh.multiproc import MpWriter, SubWriterTask

from indexer.whoosh.runs import use_packed_runs

__all__ = ["WatchedMpWriter", "WriterDied"]

#: Seconds between looks at the writer processes while the queue is full.
_PUT_WAIT = 0.5


class WriterDied(OSError):
    """A writer process of a multi-process build stopped before finishing its part.
    ``errno`` is what it died of when it said so (``ENOSPC``), else None."""

    def __init__(self, exitcode: int | None) -> None:
        if exitcode is not None and exitcode < 0:
            how = f"was killed by signal {-exitcode}"
        elif exitcode in errno.errorcode:
            how = f"stopped: {os.strerror(exitcode)}"
        else:
            how = f"stopped with exit code {exitcode}"
        code = exitcode if exitcode in errno.errorcode else None
        super().__init__(code, f"a writer process {how}")
        self.exitcode = exitcode


class _QuietSubWriterTask(SubWriterTask):
    """A writer process that ends on an OS error with its ``errno`` as exit code and no
    traceback: the parent reports what it died of."""

    def run(self) -> None:
        try:
            super().run()
        except OSError as exc:
            os._exit(exc.errno if exc.errno in errno.errorcode else 1)

    def _process_file(self, filename, doc_count) -> None:
        use_packed_runs(self.writer)  # before its first document (indexer/whoosh/runs.py)
        super()._process_file(filename, doc_count)


class _WatchedQueue:
    """The job queue of a :class:`WatchedMpWriter`: ``put`` gives up when a writer process
    has died instead of blocking for ever; everything else is the queue's."""

    def __init__(self, jobs, writer: WatchedMpWriter) -> None:
        self._jobs = jobs
        self._writer = writer

    def put(self, item) -> None:
        while True:
            self._writer.raise_if_died()
            try:
                self._jobs.put(item, timeout=_PUT_WAIT)
                return
            except queue.Full:
                continue

    def __getattr__(self, name: str):
        return getattr(self._jobs, name)


class WatchedMpWriter(MpWriter):
    """``MpWriter`` that notices dead writer processes (see the module's docstring)."""

    def __init__(self, ix, **kwargs) -> None:
        super().__init__(ix, **kwargs)
        self.jobqueue = _WatchedQueue(self.jobqueue, self)

    def start(self) -> WatchedMpWriter:
        """Start every writer process now (Whoosh starts each at its first job): a process
        forked later inherits whatever this one holds by then."""
        while len(self.tasks) < self.procs:
            self._new_task()
        return self

    def _new_task(self):
        task = _QuietSubWriterTask(self.storage, self.indexname, self.jobqueue,
                                   self.resultqueue, self.subargs, self.multisegment)
        self.tasks.append(task)
        task.start()
        return task

    def raise_if_died(self) -> None:
        """Raise :class:`WriterDied` if any writer process has failed (a process only ends
        cleanly once told to finish, so a clean end is no failure)."""
        for task in self.tasks:
            if task.exitcode not in (None, 0):
                raise WriterDied(task.exitcode)

    def _commit(self, mergetype, optimize, merge) -> None:
        super()._commit(mergetype, optimize, merge)
        for task in self.tasks:
            if task.exitcode != 0:
                raise WriterDied(task.exitcode)

    def stop(self) -> None:
        """End the writer processes still running and wait for them (after a failure)."""
        for task in self.tasks:
            if task.is_alive():
                task.terminate()
        for task in self.tasks:
            task.join(timeout=10)
