"""Crash safety: a rebuild killed with SIGKILL at any moment never costs the live index.

A build runs in a child process over a corpus big enough to take a few seconds and is killed:

* at ten moments spread over the build, from a fixed seed: seven while the articles are
  read and indexed (when a given share of them has been read, so the moment does not depend
  on the machine's speed) and three while the index is committed and published (a share of
  the time an uninterrupted build takes for that); every kill while reading must leave the
  old index live;
* at exact points of the commit and the publish, by a child that kills itself there (inside
  Whoosh's commit, before the metadata, before and after the ``CURRENT`` swap, while the old
  generations are removed);
* with ``procs=2``, whose writer processes must die with it and not keep the writer lock.

After every kill the index opens with :class:`search.Searcher`, answers the marker query with
the same articles as before, a searcher opened before the crash keeps answering, the writer
lock is free at once, and no more than one crashed generation lies about; the last build
succeeds without any cleanup by hand and leaves only the live generation and its previous one.
A ``CURRENT`` pointer garbled by other means (bytes that are not text, a missing generation,
nothing) counts as no index, and the next build repairs it.
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

from indexer import IndexStore, build_index
from search import IndexNotFound, Searcher

MARKER = "زعفرانية"  # appears in the anchor articles only
ANCHORS = [
    {"id": f"anchor-{n}", "title": f"حقول {MARKER} في الوادي الأخضر رقم {n}",
     "body": f"يزرع الفلاحون {MARKER} على ضفاف النهر ويبيعونها في سوق البلدة كل خميس.",
     "date": f"202{n}-0{n + 1}-1{n}", "category": "زراعة"}
    for n in range(5)
]
_WORDS_TEXT = (
    "الحكومة الوزير المدينة السوق الأسعار المدرسة الطلاب الملعب الفريق المباراة الطقس "
    "الأمطار القطار المحطة الجسر النهر الميناء السفينة المصنع العمال الجامعة الباحثون "
    "المستشفى الأطباء المكتبة الكتاب المسرح الجمهور الحديقة الأشجار البحر الصيادون "
    "الانتخابات البرلمان الصحراء القافلة الجبل القرية المهرجان الشعراء الخبز القمح"
)
_WORDS = _WORDS_TEXT.split()
BIG_FILLERS = 2400
SMALL_FILLERS = 20
MEDIUM_FILLERS = 60
KILL_POINTS_SEED = 20261123
CHILD = r"""
import os, shutil, signal, sys
import indexer.whoosh.store as store
from indexer import build_index

source, index_dir, point, procs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])

def die(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)

if point == "toc":  # inside Whoosh's commit: segments written, table of contents not yet
    from whoosh import index as whoosh_index
    whoosh_index.TOC.write = die
elif point == "meta":  # the Whoosh index committed, Fahras's metadata not yet written
    store.IndexStore.write_meta = staticmethod(die)
elif point in ("swap", "swapped"):  # just before / just after CURRENT is replaced
    real_replace = os.replace
    def replace(src, dst):
        if os.path.basename(dst) == "CURRENT":
            if point == "swap":
                die()
            real_replace(src, dst)
            die()
        return real_replace(src, dst)
    store.os.replace = replace
elif point == "cleanup":  # removing the generations that are no longer needed
    def rmtree(path, ignore_errors=False):
        files = sorted(e.path for e in os.scandir(path) if e.is_file())
        for name in files[: len(files) // 2]:
            os.remove(name)
        die()
    store.shutil.rmtree = rmtree
read = 0
def progress(n):  # one line per article read, for the parent to kill on
    global read
    read += n
    print("READ", read, flush=True)
build_index([source], index_dir, procs=procs, progress=progress)
print("BUILT", flush=True)
"""


def filler(n: int, rng: random.Random) -> dict:
    return {
        "id": f"filler-{n}",
        "title": " ".join(rng.choices(_WORDS, k=6)),
        "body": " ".join(rng.choices(_WORDS, k=280)) + f" رقم{n}",
        "date": f"20{10 + n % 12}-{1 + n % 12:02d}-{1 + n % 28:02d}",
        "category": rng.choice(("محليات", "اقتصاد", "رياضة", "ثقافة")),
    }


def write_corpus(path: Path, fillers: int, seed: int) -> Path:
    rng = random.Random(seed)
    records = ANCHORS + [filler(n, rng) for n in range(fillers)]
    rng.shuffle(records)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
                    encoding="utf-8")
    return path


def start_build(source: Path, index_dir: Path, point: str = "none", procs: int = 1):
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, str(source), str(index_dir), point, str(procs)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def children_of(pid: int) -> list[int]:
    """Pids of the live children of ``pid`` (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def generations(index_dir: Path) -> list[str]:
    return sorted(p.name for p in index_dir.iterdir() if p.name.startswith("gen-"))


def answer(searcher: Searcher) -> tuple[int, list[str]]:
    page = searcher.search(MARKER, per_page=20)
    return page.total, sorted(hit.id for hit in page.hits)


EXPECTED = (len(ANCHORS), sorted(a["id"] for a in ANCHORS))


class World:
    """The index under test, its corpora, and a searcher opened before any crash."""

    def __init__(self, tmp: Path) -> None:
        self.index_dir = tmp / "index"
        self.small = write_corpus(tmp / "small.jsonl", SMALL_FILLERS, seed=1)
        self.big = write_corpus(tmp / "big.jsonl", BIG_FILLERS, seed=2)
        report = build_index([self.small], self.index_dir)
        assert report.indexed == len(ANCHORS) + SMALL_FILLERS
        self.counts = {len(ANCHORS) + n for n in (SMALL_FILLERS, MEDIUM_FILLERS, BIG_FILLERS)}
        self.first_live = IndexStore(self.index_dir).current().name
        self.reader = Searcher(self.index_dir)
        assert answer(self.reader) == EXPECTED

    def check_after_crash(self, why: str) -> str:
        """Everything a crash must leave intact; returns the live generation's name."""
        store = IndexStore(self.index_dir)
        live = store.current()
        assert live is not None, f"{why}: no live index"
        assert live.name >= self.first_live, why
        with Searcher(self.index_dir) as fresh:
            assert answer(fresh) == EXPECTED, why
            assert fresh.doc_count() in self.counts, why
        assert answer(self.reader) == EXPECTED, f"{why}: the open searcher"
        started = time.monotonic()
        with store.write_lock(wait=5):
            pass
        assert time.monotonic() - started < 1.0, f"{why}: the writer lock stayed held"
        assert len(generations(self.index_dir)) <= 3, f"{why}: {generations(self.index_dir)}"
        return live.name

    def close(self) -> None:
        self.reader.close()


@pytest.fixture
def world(tmp_path):
    opened = World(tmp_path)
    yield opened
    opened.close()


def kill_points() -> list[tuple[str, float]]:
    """Ten moments of a build, from a fixed seed: seven while the articles are read and
    indexed (a fraction of them read), three while the index is committed and published
    (a fraction of the time that takes, after the last article was read)."""
    rng = random.Random(KILL_POINTS_SEED)
    reading = [("read", round(rng.uniform(n / 7, (n + 1) / 7), 3)) for n in range(7)]
    commit = [("commit", round(rng.uniform(0.05 + n * 0.3, 0.35 + n * 0.3), 3))
              for n in range(3)]
    return reading + commit


def build_and_kill(world: World, phase: str, fraction: float, commit_seconds: float):
    """A build of the big corpus killed at ``fraction`` of the reading or of the commit."""
    total = len(ANCHORS) + BIG_FILLERS
    proc = start_build(world.big, world.index_dir)
    for line in proc.stdout:
        if not line.startswith("READ"):
            continue
        read = int(line.split()[1])
        if phase == "read" and read >= max(1, int(fraction * total)):
            proc.send_signal(signal.SIGKILL)
            break
        if phase == "commit" and read == total:
            try:
                proc.wait(timeout=fraction * commit_seconds)
            except subprocess.TimeoutExpired:
                proc.send_signal(signal.SIGKILL)
            break
    out, err = proc.communicate(timeout=60)
    return proc.returncode, err


def test_sigkill_at_ten_moments_of_a_build(world):
    proc = start_build(world.big, world.index_dir)
    total = len(ANCHORS) + BIG_FILLERS
    commit_started = None
    for line in proc.stdout:
        if line.strip() == f"READ {total}":
            commit_started = time.monotonic()
    proc.wait(timeout=120)
    commit_seconds = time.monotonic() - commit_started
    assert proc.returncode == 0, proc.stderr.read()[-2000:]
    world.check_after_crash("uninterrupted build")
    outcomes = []
    for phase, fraction in kill_points():
        before = IndexStore(world.index_dir).current().name
        code, err = build_and_kill(world, phase, fraction, commit_seconds)
        why = f"killed at {fraction:.2f} of the {phase} phase (exit {code})"
        assert code in (0, -signal.SIGKILL), f"{why}: {err[-2000:]}"
        live = world.check_after_crash(why)
        if code == -signal.SIGKILL:
            outcomes.append((phase, "kept old" if live == before else "new live"))
        else:
            outcomes.append((phase, "finished"))
        if phase == "read":
            assert outcomes[-1] == ("read", "kept old"), why
    report = build_index([world.big], world.index_dir)  # no cleanup by hand
    assert report.indexed == len(ANCHORS) + BIG_FILLERS and not report.skipped
    assert_clean(world)


@pytest.mark.parametrize("point", ["toc", "meta", "swap", "swapped", "cleanup"])
def test_sigkill_during_commit_and_publish(world, tmp_path, point):
    medium = write_corpus(tmp_path / "medium.jsonl", MEDIUM_FILLERS, seed=3)
    build_index([medium], world.index_dir)  # a previous generation for "cleanup" to remove
    build_index([world.small], world.index_dir)
    before = IndexStore(world.index_dir).current().name
    proc = start_build(medium, world.index_dir, point)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == -signal.SIGKILL and "BUILT" not in out, err[-2000:]
    live = world.check_after_crash(point)
    if point in ("toc", "meta", "swap"):
        assert live == before  # not published: the old index serves
        with Searcher(world.index_dir) as fresh:
            assert fresh.doc_count() == len(ANCHORS) + SMALL_FILLERS
    else:
        assert live > before  # published completely before the kill
        with Searcher(world.index_dir) as fresh:
            assert fresh.doc_count() == len(ANCHORS) + MEDIUM_FILLERS
    if point == "swap":
        assert list(world.index_dir.glob(".CURRENT.*.tmp")), "the pointer was not being written"
    report = build_index([world.small], world.index_dir)
    assert report.indexed == len(ANCHORS) + SMALL_FILLERS
    assert_clean(world)


def test_sigkill_of_a_multiprocess_build_frees_the_lock(world):
    started = time.monotonic()
    proc = start_build(world.big, world.index_dir, procs=2)
    workers: list[int] = []
    deadline = started + 60
    while time.monotonic() < deadline and proc.poll() is None:
        workers = children_of(proc.pid)
        if len(workers) >= 2:
            break
        time.sleep(0.05)
    assert len(workers) >= 2, "the writer processes never started"
    time.sleep(0.5)  # let them write into the new generation
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=60)
    gone_by = time.monotonic() + 10
    while time.monotonic() < gone_by and any(alive(pid) for pid in workers):
        time.sleep(0.05)
    assert not any(alive(pid) for pid in workers), "writer processes outlived the build"
    world.check_after_crash("procs=2")
    report = build_index([world.small], world.index_dir, procs=2)
    assert report.indexed == len(ANCHORS) + SMALL_FILLERS
    assert_clean(world)


@pytest.mark.parametrize("garbage", [b"\xff\xfe\x00\x01 garbled", b"gen-that-is-not-there\n", b""])
def test_garbled_pointer_means_no_index_and_the_next_build_repairs_it(world, garbage):
    (world.index_dir / "CURRENT").write_bytes(garbage)
    assert IndexStore(world.index_dir).current() is None
    with pytest.raises(IndexNotFound):
        Searcher(world.index_dir)
    report = build_index([world.small], world.index_dir)
    assert report.indexed == len(ANCHORS) + SMALL_FILLERS
    with Searcher(world.index_dir) as fresh:
        assert answer(fresh) == EXPECTED
    assert answer(world.reader) == EXPECTED  # a reader opened before picks the new index up


def assert_clean(world: World) -> None:
    """After a successful build: the live generation and one previous, nothing else."""
    store = IndexStore(world.index_dir)
    gens = generations(world.index_dir)
    assert len(gens) == 2 and store.current().name == gens[-1], gens
    leftovers = [p.name for p in world.index_dir.iterdir()
                 if not p.name.startswith("gen-") and p.name not in ("CURRENT", ".writelock")]
    assert leftovers == []
    for gen in gens:
        assert not list((world.index_dir / gen).glob("*.tmp")), gen
    with Searcher(world.index_dir) as fresh:
        assert answer(fresh) == EXPECTED
    assert answer(world.reader) == EXPECTED
    assert os.path.getsize(world.index_dir / "CURRENT") > 0
