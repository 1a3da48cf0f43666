"""web/heap.py: freed heap pages go back to the system, on a schedule the server owns."""

from __future__ import annotations

import ctypes
import threading
import time

import pytest

from web.heap import HeapTrimmer, heap_trim_call

BLOCK = 8192      # below glibc's mmap threshold: these blocks live in the heap
BLOCKS = 8000     # about 64 MiB


def _rss_anon_kib() -> int:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("RssAnon:"):
                return int(line.split()[1])
    pytest.skip("this system does not report RssAnon in /proc/self/status")


def test_trimming_gives_freed_heap_pages_back():
    trim = heap_trim_call()
    if trim is None:
        pytest.skip("this C library has no malloc_trim (not glibc)")
    libc = ctypes.CDLL(None)
    libc.malloc.restype, libc.malloc.argtypes = ctypes.c_void_p, [ctypes.c_size_t]
    libc.free.argtypes = [ctypes.c_void_p]
    blocks = [libc.malloc(BLOCK) for _ in range(BLOCKS)]
    for block in blocks:
        ctypes.memset(block, 1, BLOCK)  # touched, so resident
    kept = blocks[::50]  # a few live blocks spread over the heap keep free() from shrinking it
    for block in [b for i, b in enumerate(blocks) if i % 50]:
        libc.free(block)
    before = _rss_anon_kib()
    assert trim() is True
    after = _rss_anon_kib()
    freed_kib = BLOCK * (BLOCKS - len(kept)) // 1024
    assert before - after > freed_kib // 2, (before, after, freed_kib)
    for block in kept:
        libc.free(block)


def test_the_trimmer_trims_on_its_interval_until_stopped():
    calls = threading.Semaphore(0)

    def counted() -> bool:
        calls.release()
        return False

    trimmer = HeapTrimmer(0.01, trim=counted).start()
    for _ in range(3):
        assert calls.acquire(timeout=5), "the trimmer did not trim on its interval"
    trimmer.stop()
    assert not trimmer._thread.is_alive()
    done = trimmer.trims
    time.sleep(0.05)
    assert trimmer.trims == done


@pytest.mark.parametrize("interval", [0, -1.5])
def test_an_interval_that_is_not_positive_is_refused(interval):
    with pytest.raises(ValueError, match="positive"):
        HeapTrimmer(interval, trim=lambda: False)
