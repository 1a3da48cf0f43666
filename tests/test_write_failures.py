"""Writers that fail cleanly (indexer/whoosh/parallel.py, indexer/diskspace.py,
indexer/whoosh/build.py): a writer process that dies or a disk that fills up stops the
build within seconds, releases the lock, leaves no partial generation and no traceback,
says so in one line (and in ``--json``), and the live index keeps serving.

The disk-full tests run on a small tmpfs that the test mounts (root only); where it cannot
mount one they skip and say why.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_crash_safety import alive, children_of

from indexer import IndexStore, build_index
from indexer.diskspace import estimate_build_bytes, space_warning
from search import Searcher

WORDS_TEXT = ("السوق المدينة القطار الميناء الحديقة المكتبة الجامعة المصنع الطلاب الأسعار "
              "القرية الجبل النهر البحر الصيادون المسرح الجمهور المهرجان القمح الخبز")
WORDS = WORDS_TEXT.split()
RUN = "from indexer.cli import main; main()"


def corpus(path: Path, count: int, seed: int = 5) -> Path:
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8") as fh:
        for n in range(count):
            record = {"id": f"w{n}", "title": " ".join(rng.choices(WORDS, k=6)),
                      "body": " ".join(rng.choices(WORDS, k=300)) + f" رقم{n}",
                      "date": f"2019-{1 + n % 12:02d}-{1 + n % 28:02d}"}
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def fahras_index(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", RUN, *args], capture_output=True, text=True,
                          timeout=timeout)


def assert_left_serving(index_dir: Path, live: str, documents: int) -> None:
    """The live generation is the one before the failure, nothing else was left behind,
    and a searcher reads it."""
    gens = sorted(p.name for p in index_dir.iterdir() if p.name.startswith("gen-"))
    assert gens == [live], gens
    with Searcher(index_dir) as searcher:
        assert searcher.check() == documents


@pytest.fixture(scope="module")
def sources(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("sources")
    return {"small": corpus(folder / "small.jsonl", 30),
            "big": corpus(folder / "big.jsonl", 2500, seed=9)}


def test_a_killed_writer_process_stops_the_build_at_once(sources, tmp_path):
    index_dir = tmp_path / "index"
    build_index([sources["small"]], index_dir)
    live = IndexStore(index_dir).current().name
    proc = subprocess.Popen(
        [sys.executable, "-c", RUN, "build", str(sources["big"]), "--index-dir",
         str(index_dir), "--procs", "2", "--json"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    workers: list[int] = []
    while time.monotonic() < deadline and proc.poll() is None and len(workers) < 2:
        workers = children_of(proc.pid)
        time.sleep(0.05)
    assert len(workers) >= 2, "the writer processes never started"
    os.kill(workers[0], signal.SIGKILL)  # as the OOM killer would
    killed_at = time.monotonic()
    out, err = proc.communicate(timeout=60)
    assert time.monotonic() - killed_at < 20
    assert proc.returncode == 1, (out, err)
    answer = json.loads(out)
    assert answer["ok"] is False and "killed by signal 9" in answer["error"], answer
    assert "the index was left as it was" in answer["error"]
    assert "Traceback" not in err, err
    assert not any(alive(pid) for pid in workers), "a writer process outlived the build"
    assert_left_serving(index_dir, live, 30)
    update = fahras_index("update", str(sources["small"]), "--index-dir", str(index_dir))
    assert update.returncode == 0, update.stderr  # the lock was released


# ---------------------------------------------------------------------------- a full disk


@pytest.fixture
def small_disk(tmp_path):
    """A 12 MB tmpfs mounted for the test, unmounted after it."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=12m", "tmpfs", str(mount)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({done.stderr.strip() or 'not root'})")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def fill(disk: Path, leave_bytes: int) -> Path:
    """A file that takes all but ``leave_bytes`` of the disk's free space."""
    free = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
    filler = disk / "filler"
    with open(filler, "wb") as fh:
        fh.truncate(0)
        fh.write(b"\0" * max(0, free - leave_bytes))
    return filler


@pytest.mark.parametrize("procs", ["1", "2"])
def test_a_full_disk_stops_the_build_with_one_line(sources, small_disk, procs):
    index_dir = small_disk / "index"
    build_index([sources["small"]], index_dir)
    live = IndexStore(index_dir).current().name
    filler = fill(small_disk, 1 << 20)
    for as_json in (False, True):
        done = fahras_index("build", str(sources["big"]), "--index-dir", str(index_dir),
                            "--procs", procs, *(["--json"] if as_json else []), timeout=90)
        assert done.returncode == 1, (done.stdout, done.stderr)
        assert "Traceback" not in done.stderr, done.stderr
        message = json.loads(done.stdout)["error"] if as_json else done.stderr
        assert f"no space left on {small_disk} while writing the index at {index_dir}: " \
               "the index was left as it was" in message, message
        assert "warning: only" in done.stderr  # said before the build began
        assert_left_serving(index_dir, live, 30)
    filler.unlink()
    update = fahras_index("update", str(sources["small"]), "--index-dir", str(index_dir))
    assert update.returncode == 0, update.stderr  # the lock was released


def test_a_full_disk_stops_an_update_with_one_line(sources, small_disk):
    index_dir = small_disk / "index"
    build_index([sources["small"]], index_dir)
    live = IndexStore(index_dir).current().name
    fill(small_disk, 64 << 10)
    done = fahras_index("update", str(sources["big"]), "--index-dir", str(index_dir),
                        "--json")
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr
    error = json.loads(done.stdout)["error"]
    assert error.startswith(f"no space left on {small_disk}") and "not applied" in error
    assert_left_serving(index_dir, live, 30)


def test_the_space_warning_compares_free_space_with_the_estimate(sources, small_disk):
    assert estimate_build_bytes([sources["big"]]) > 12 << 20
    warning = space_warning(small_disk / "index", [sources["big"]])
    assert warning is not None and str(small_disk) in warning
    assert space_warning(small_disk / "index", [sources["small"]]) is None


def test_a_cut_gzip_file_is_estimated_by_its_own_size(tmp_path):
    """A ``.gz`` file cut short ends in bytes that are no record of its size: they must not
    make the estimate (and the warning) gigabytes."""
    import gzip

    packed = gzip.compress(("عن التمر والزيتون. " * 2000).encode("utf-8"))
    whole, cut = tmp_path / "whole.jsonl.gz", tmp_path / "cut.jsonl.gz"
    whole.write_bytes(packed)
    cut.write_bytes(packed[:-4] + b"\xff\xff\xff\xff")  # a junk size record: 4 GB
    assert estimate_build_bytes([whole]) == 17 * len(("عن التمر والزيتون. " * 2000).encode())
    assert estimate_build_bytes([cut]) == 17 * cut.stat().st_size
