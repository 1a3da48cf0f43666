"""Packed posting runs (indexer/whoosh/runs.py): what a writer spills to disk comes back
sorted and whole, smaller than Whoosh's own runs, and a cut run is an error, not a loss."""

from __future__ import annotations

import random

import pytest
from whoosh.filedb.filestore import FileStorage
from whoosh.writing import PostingPool

from indexer.whoosh.runs import RUN_BATCH, PackedPostingPool


def postings(n: int, seed: int = 7) -> list[tuple]:
    rng = random.Random(seed)
    words = ["مصر", "الوزير", "انتخاب", "نفط", "a", "كرة"]
    return [(rng.choice(["content", "title", "content_exact"]),
             f"{rng.choice(words)}{rng.randrange(500)}".encode(),
             rng.randrange(50_000), float(rng.randrange(1, 4)),
             None if rng.random() < 0.3 else bytes(rng.randrange(256) for _ in range(4)))
            for _ in range(n)]


def spill(pool, items: list[tuple], every: int) -> list[tuple]:
    for i, item in enumerate(items, 1):
        pool.add(item)
        if i % every == 0:
            pool.save()
    return list(pool.items())


def run_bytes(folder) -> int:
    return sum(path.stat().st_size for path in folder.glob("*.run"))


def test_runs_give_back_every_posting_in_order(tmp_path):
    items = postings(3 * RUN_BATCH + 17)
    pool = PackedPostingPool(FileStorage(str(tmp_path)).create(), None)
    assert spill(pool, items, every=RUN_BATCH + 5) == sorted(items)
    assert not list(tmp_path.glob("*.run"))  # each run is removed once read


def test_merged_runs_stay_sorted(tmp_path):
    items = postings(4000, seed=3)
    pool = PackedPostingPool(FileStorage(str(tmp_path)).create(), None)
    for i, item in enumerate(items, 1):
        pool.add(item)
        if i % 300 == 0:
            pool.save()
    pool.reduce_to(2, 4)  # merges runs into runs, as a large build does
    assert list(pool.items()) == sorted(items)


def test_packed_runs_are_smaller_than_whooshs(tmp_path):
    items = postings(20_000)
    sizes = {}
    for name, kind in (("whoosh", PostingPool), ("packed", PackedPostingPool)):
        folder = tmp_path / name
        folder.mkdir()
        pool = kind(FileStorage(str(folder)).create(), None)
        for item in items:
            pool.add(item)
        pool.save()
        sizes[name] = run_bytes(folder)
    assert sizes["packed"] * 3 < sizes["whoosh"], sizes


def test_a_cut_run_is_an_error(tmp_path):
    pool = PackedPostingPool(FileStorage(str(tmp_path)).create(), None)
    for item in postings(RUN_BATCH * 2):
        pool.add(item)
    pool.save()
    (run,) = tmp_path.glob("*.run")
    run.write_bytes(run.read_bytes()[:-10])
    with pytest.raises(OSError, match="cut short"):
        list(pool.items())
