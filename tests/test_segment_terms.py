"""Term look-ups kept per segment across versions (search/whoosh/segmentterms.py).

After an update, the close spellings, prefixes and frequencies a warm Searcher gives must be
those a fresh Searcher gives, and only the new segment is asked again.
"""

from __future__ import annotations

import time

from indexer import build_index, update_index
from search import Searcher
from tests.conftest import web_articles, write_jsonl_records

WORDS = ["الحكومه", "الحكومة", "البنك", "اسعار", "المستشفي"]


def _answers(searcher: Searcher) -> dict:
    with searcher.backend.handle.reading() as (version, whoosh):
        vocabulary = version.vocabulary
        return {
            "close": [vocabulary.close_terms(whoosh, "content_exact", w, 1) for w in WORDS],
            "prefix": [vocabulary.prefix_terms(whoosh, "content_exact", w[:3], 50) for w in WORDS],
            "frequencies": vocabulary.frequencies(whoosh, "content_exact", WORDS),
            "stems": vocabulary.frequencies(whoosh, "content", ["حكوم", "بنك", "لاشيء"]),
        }


def test_after_an_update_answers_are_a_fresh_searchers_and_old_segments_are_not_asked(tmp_path):
    records = web_articles()
    build_index([write_jsonl_records(tmp_path / "a.jsonl", records)], tmp_path / "index")
    with Searcher(tmp_path / "index") as warm:
        before = _answers(warm)
        assert before["frequencies"] and before["stems"] and "لاشيء" not in before["stems"]
        added = [{"id": f"new{i}", "title": "الحكومة الجديدة", "body": "الحكومه والبنك والبنوك"}
                 for i in range(3)]
        update_index([write_jsonl_records(tmp_path / "u.jsonl", added)], tmp_path / "index")
        hits, misses = warm.cache_stats()["segment_terms"]
        after = _answers(warm)
        new_hits, new_misses = warm.cache_stats()["segment_terms"]
        with Searcher(tmp_path / "index") as fresh:
            assert after == _answers(fresh)
    assert after["frequencies"]["الحكومه"] == before["frequencies"]["الحكومه"] + 3
    # close spellings of each word, each distinct prefix, two frequency questions
    asked = len(WORDS) + len({w[:3] for w in WORDS}) + 2
    assert new_misses - misses == asked  # the new segment's answers only
    assert new_hits - hits == asked  # the old segment's, kept


def test_look_ups_cut_by_the_deadline_are_not_kept(web_index):
    with Searcher(web_index) as searcher, searcher.backend.handle.reading() as (version, whoosh):
        terms = version.vocabulary.terms
        near = [f"كلمة{i}" for i in range(100)] + ["الحكومه"]
        late, whole = terms.held(version.path, whoosh.reader(), "content_exact", "x", near,
                                 time.monotonic() - 1)
        assert not whole and "الحكومه" not in late
        full, whole = terms.held(version.path, whoosh.reader(), "content_exact", "x", near, None)
        assert whole and "الحكومه" in full
