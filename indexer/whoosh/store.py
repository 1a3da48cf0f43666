"""The on-disk layout of an index directory: generations, the pointer, the lock.

Used by indexer/whoosh/build.py to write and by the searcher to find the live index::

    index/
      CURRENT                 name of the live generation (replaced atomically)
      .writelock              held (flock) by the one process writing
      gen-20261123T101500123456Z-4242/   a complete Whoosh index + fahras.json

``fahras.json`` records how the generation was built and, under ``segment_files``, the
size of every segment file when it was last written: Whoosh never changes a segment's
files once written, so a reader that finds one missing or of another size knows the
index is damaged (search/whoosh/damage.py).

A rebuild writes a new generation beside the live one and only then swaps
``CURRENT`` with ``os.replace``: a crash or Ctrl-C at any point leaves the old
index serving. The previous generation is kept until the next swap so readers
that still hold it keep working; leftovers of a crashed build are removed by the
next writer. The lock dies with its holder: processes it forks (the writers of
``procs=N``) let go of it and, on Linux, are killed when it dies.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import signal
import sys
import time
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

from indexer.address import resolve_index_dir
from indexer.errors import IndexLocked, IndexNotFound

__all__ = ["IndexStore", "segment_files", "META_FILE", "SEGMENT_FILES"]

META_FILE = "fahras.json"
#: The key of fahras.json that lists the segment files and their sizes.
SEGMENT_FILES = "segment_files"
_POINTER = "CURRENT"
_LOCK = ".writelock"
_PREFIX = "gen-"





#: (lock fd, holder pid) of the writer locks this process holds, for _release_in_child.
_held_locks: list[tuple[int, int]] = []
_PR_SET_PDEATHSIG = 1
_prctl = None  # libc's prctl on Linux, looked up by the lock holder before it forks


def _find_prctl():
    global _prctl
    if _prctl is None and sys.platform.startswith("linux"):
        import ctypes  # only a writer that forks needs it

        with contextlib.suppress(OSError, AttributeError):
            _prctl = ctypes.CDLL(None).prctl
    return _prctl


def _release_in_child() -> None:
    """In a process forked while a writer lock is held (the writers of ``--procs N``): let go
    of the lock, and die with the parent, so that a killed build leaves neither a lock held
    nor orphans writing into a generation that the next writer removes."""
    if not _held_locks:
        return
    holders = {pid for _, pid in _held_locks}
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd, _ in _held_locks:
        os.dup2(devnull, fd)  # the fd number stays valid; the lock file is no longer shared
    os.close(devnull)
    _held_locks.clear()
    if _prctl is not None:
        _prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() not in holders:  # the parent died before prctl took effect
            os._exit(1)


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_release_in_child)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class IndexStore:
    """One index directory: which generation is live, and how to replace it."""

    def __init__(self, root: str | os.PathLike[str] | None = None) -> None:
        self.root = resolve_index_dir(root)

    def current(self) -> Path | None:
        """The live generation's folder, or None when there is no index yet."""
        try:
            name = (self.root / _POINTER).read_text(encoding="utf-8").strip()
        except (FileNotFoundError, NotADirectoryError, UnicodeDecodeError):
            return None  # no pointer (or the index path is a file), or a garbled one
        path = self.root / name
        return path if name.startswith(_PREFIX) and path.is_dir() else None

    def require_current(self) -> Path:
        path = self.current()
        if path is None:
            raise IndexNotFound(self.root)
        return path

    def pointer_stamp(self) -> tuple[int, int] | None:
        """A cheap fingerprint of the pointer (inode, mtime) to notice a swap."""
        try:
            st = (self.root / _POINTER).stat()
        except (FileNotFoundError, NotADirectoryError):
            return None
        return (st.st_ino, st.st_mtime_ns)

    def new_generation(self) -> Path:
        self.root.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
        path = self.root / f"{_PREFIX}{stamp}-{os.getpid()}"
        path.mkdir()
        return path

    def publish(self, generation: Path) -> None:
        """Make ``generation`` live atomically, then drop all but it and the one before."""
        previous = self.current()
        tmp = self.root / f".{_POINTER}.{os.getpid()}.tmp"
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(generation.name + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.root / _POINTER)
        _fsync_dir(self.root)
        keep = {generation.name} | ({previous.name} if previous else set())
        self._remove_generations(lambda name: name not in keep)

    def discard(self, generation: Path) -> None:
        shutil.rmtree(generation, ignore_errors=True)

    def remove_stale(self) -> None:
        """Remove what a crashed writer left: generations newer than the live one."""
        live = self.current()
        live_name = live.name if live else ""
        self._remove_generations(lambda name: name > live_name)
        for tmp in self.root.glob(f".{_POINTER}.*.tmp"):
            tmp.unlink(missing_ok=True)

    def _remove_generations(self, doomed) -> None:
        if not self.root.is_dir():
            return
        for path in self.root.iterdir():
            if path.name.startswith(_PREFIX) and path.is_dir() and doomed(path.name):
                shutil.rmtree(path, ignore_errors=True)

    @contextlib.contextmanager
    def write_lock(self, wait: float = 0.0) -> Iterator[None]:
        """Hold the writer lock; released by the OS even if the process is killed."""
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / _LOCK, "a+", encoding="utf-8") as fh:
            deadline = time.monotonic() + max(wait, 0.0)
            while True:
                try:
                    fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        fh.seek(0)
                        raise IndexLocked(self.root, fh.read().strip()) from None
                    time.sleep(0.1)
            fh.seek(0)
            fh.truncate()
            fh.write(f"pid {os.getpid()}")
            fh.flush()
            held = (fh.fileno(), os.getpid())
            _find_prctl()
            _held_locks.append(held)
            try:
                yield
            finally:
                with contextlib.suppress(ValueError):
                    _held_locks.remove(held)
                fh.seek(0)
                fh.truncate()
                fcntl.flock(fh.fileno(), fcntl.LOCK_UN)

    @staticmethod
    def read_meta(generation: Path) -> dict:
        try:
            return json.loads((generation / META_FILE).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}

    @staticmethod
    def write_meta(generation: Path, meta: dict) -> None:
        """Replace the generation's record with ``meta`` and the sizes of its segment files
        as they are now (call it after each commit)."""
        meta = {**meta, SEGMENT_FILES: segment_files(generation)}
        tmp = generation / f".{META_FILE}.tmp"
        tmp.write_text(json.dumps(meta, ensure_ascii=False, indent=2), encoding="utf-8")
        os.replace(tmp, generation / META_FILE)


def segment_files(generation: Path) -> dict[str, int]:
    """``{file name: size}`` of the segment files of a generation (``MAIN_<segment>.*``;
    not the table of contents, which each commit writes anew, nor the lock)."""
    return {path.name: path.stat().st_size for path in sorted(generation.glob("MAIN_*.*"))}
