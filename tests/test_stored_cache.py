"""The stored fields of shown hits are kept per version of the index (search/whoosh/stored.py)."""

from __future__ import annotations

import pytest

from search import Searcher
from search.whoosh.stored import StoredFieldCache


def test_kept_fields_are_whooshs_and_read_only(web_index):
    with Searcher(web_index) as searcher, searcher.backend.handle.reading() as (_, whoosh):
        cache = StoredFieldCache()
        for docnum in range(whoosh.doc_count_all()):
            assert dict(cache.fields(whoosh, docnum)) == whoosh.stored_fields(docnum)
        fields = cache.fields(whoosh, 0)
        assert cache.fields(whoosh, 0) is fields
        with pytest.raises(TypeError):
            fields["title"] = "عنوان آخر"  # type: ignore[index]


def test_the_cache_is_bounded_by_the_text_it_holds(web_index):
    with Searcher(web_index) as searcher, searcher.backend.handle.reading() as (_, whoosh):
        cache = StoredFieldCache(max_chars=2000)
        for docnum in range(whoosh.doc_count_all()):
            cache.fields(whoosh, docnum)
        assert 0 < cache._entries.held <= 2000


def test_a_page_shown_again_reads_no_stored_fields(web_index):
    with Searcher(web_index) as searcher:
        first = searcher.search("الحكومة")
        hits, misses = searcher.cache_stats()["stored"]
        again = searcher.search("الحكومة")
        assert again.hits == first.hits
        assert searcher.cache_stats()["stored"] == (hits + len(first.hits), misses)
