"""The stored fields of shown hits are kept per segment (search/whoosh/stored.py)."""

from __future__ import annotations

import pytest

from indexer import build_index, update_index
from search import Searcher
from search.whoosh.stored import StoredFieldCache
from tests.conftest import web_articles, write_jsonl_records


def test_kept_fields_are_whooshs_and_read_only(web_index):
    with Searcher(web_index) as searcher, \
            searcher.backend.handle.reading() as (version, whoosh):
        cache = StoredFieldCache()
        for docnum in range(whoosh.doc_count_all()):
            assert dict(cache.fields(version.path, whoosh, docnum)) == \
                whoosh.stored_fields(docnum)
        fields = cache.fields(version.path, whoosh, 0)
        assert cache.fields(version.path, whoosh, 0) is fields
        with pytest.raises(TypeError):
            fields["title"] = "عنوان آخر"  # type: ignore[index]


def test_the_cache_is_bounded_by_the_text_it_holds(web_index):
    with Searcher(web_index) as searcher, \
            searcher.backend.handle.reading() as (version, whoosh):
        cache = StoredFieldCache(max_chars=2000)
        for docnum in range(whoosh.doc_count_all()):
            cache.fields(version.path, whoosh, docnum)
        assert 0 < cache.held <= 2000


def test_a_page_shown_again_reads_no_stored_fields(web_index):
    with Searcher(web_index) as searcher:
        first = searcher.search("الحكومة")
        hits, misses = searcher.cache_stats()["stored"]
        again = searcher.search("الحكومة")
        assert again.hits == first.hits
        assert searcher.cache_stats()["stored"] == (hits + len(first.hits), misses)


def test_after_an_update_pages_show_the_new_text_and_keep_the_old_segments(tmp_path):
    records = web_articles()
    build_index([write_jsonl_records(tmp_path / "a.jsonl", records)], tmp_path / "index")
    with Searcher(tmp_path / "index") as searcher:
        before = searcher.search("الحكومة", per_page=20)
        changed = {**records[0], "title": "عنوان جديد عن الحكومة والمطر"}
        update_index([write_jsonl_records(tmp_path / "u.jsonl", [changed])], tmp_path / "index")
        _, misses = searcher.cache_stats()["stored"]
        after = searcher.search("الحكومة", per_page=20)
        titles = {hit.id: hit.title for hit in after.hits}
        assert titles[changed["id"]] == changed["title"]
        # only the changed article (in the new segment) was read again
        assert searcher.cache_stats()["stored"][1] == misses + 1
        assert {h.id for h in after.hits} == {h.id for h in before.hits}
    with Searcher(tmp_path / "index") as fresh:
        assert fresh.search("الحكومة", per_page=20).hits == after.hits
