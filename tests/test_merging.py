"""The live index's merge policy (indexer/whoosh/merging.py): an update drops segments with
nothing live left and merges a tier that grew past its share; a delete keeps the layout; and
what a search finds never depends on how the segments were merged."""

from __future__ import annotations

from conftest import write_jsonl_records
from whoosh import index as whoosh_index

from indexer import build_index, delete_articles, update_index
from indexer.whoosh.merging import SEGMENTS_PER_TIER, TIER_BASE, tier
from indexer.whoosh.store import IndexStore
from search import Searcher

WORDS = ["الزيتون", "القمح", "الشعير", "العدس", "الحمص", "السمسم", "الكمون"]


def article(number: int, note: str = "") -> dict:
    word = WORDS[number % len(WORDS)]
    return {"id": f"m{number}", "title": f"موسم {word} في القرية {number}",
            "body": f"بدأ قطاف {word} هذا العام مبكرا. {note}", "date": "2024-06-01"}


def segments(index_dir) -> list[tuple[str, int, int]]:
    ix = whoosh_index.open_dir(str(IndexStore(index_dir).current()))
    try:
        return [(s.segment_id(), s.doc_count_all(), s.doc_count()) for s in ix._segments()]
    finally:
        ix.close()


def found(index_dir) -> dict[str, list[str]]:
    with Searcher(index_dir) as searcher:
        return {word: sorted(hit.id for hit in searcher.search(word, per_page=100).hits)
                for word in WORDS}


def test_tiers_grow_tenfold():
    assert [tier(n) for n in (0, 1, TIER_BASE - 1, TIER_BASE, 10 * TIER_BASE - 1,
                               10 * TIER_BASE, 100 * TIER_BASE)] == [0, 0, 0, 1, 1, 2, 3]


def test_an_update_drops_a_segment_whose_articles_were_all_replaced(tmp_path):
    index_dir = tmp_path / "index"
    build_index([write_jsonl_records(tmp_path / "a.jsonl", [article(n) for n in range(6)])],
                index_dir)
    update_index([write_jsonl_records(tmp_path / "b.jsonl", [article(n) for n in (6, 7)])],
                 index_dir)
    assert len(segments(index_dir)) == 2
    update_index([write_jsonl_records(tmp_path / "c.jsonl",
                                      [article(n, "منقح") for n in (6, 7)])], index_dir)
    layout = segments(index_dir)
    assert len(layout) == 2 and all(live == total for _, total, live in layout)
    with Searcher(index_dir) as searcher:
        assert {hit.id for hit in searcher.search("منقح").hits} == {"m6", "m7"}


def test_many_small_updates_are_merged_and_find_what_a_fresh_build_finds(tmp_path):
    index_dir, fresh_dir = tmp_path / "index", tmp_path / "fresh"
    first = [article(n) for n in range(10)]
    build_index([write_jsonl_records(tmp_path / "a.jsonl", first)], index_dir)
    everything = list(first)
    for batch in range(SEGMENTS_PER_TIER + 3):
        news = [article(100 + 3 * batch + k) for k in range(3)] + [article(batch, "منقح")]
        update_index([write_jsonl_records(tmp_path / f"u{batch}.jsonl", news)], index_dir)
        everything = [a for a in everything if a["id"] not in {n["id"] for n in news}] + news
        assert len(segments(index_dir)) <= SEGMENTS_PER_TIER + 1
    layout = segments(index_dir)
    assert sum(live for _, _, live in layout) == len(everything)
    build_index([write_jsonl_records(tmp_path / "all.jsonl", everything)], fresh_dir)
    assert found(index_dir) == found(fresh_dir)


def test_a_delete_keeps_every_segment_even_an_emptied_one(tmp_path):
    index_dir = tmp_path / "index"
    build_index([write_jsonl_records(tmp_path / "a.jsonl", [article(n) for n in range(4)])],
                index_dir)
    update_index([write_jsonl_records(tmp_path / "b.jsonl", [article(n) for n in (8, 9)])],
                 index_dir)
    before = [name for name, _, _ in segments(index_dir)]
    delete_articles(["m8", "m9"], index_dir)
    after = segments(index_dir)
    assert [name for name, _, _ in after] == before
    assert [live for _, _, live in after] == [4, 0]
    assert found(index_dir)[WORDS[1]] == ["m1"]
