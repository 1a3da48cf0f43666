"""Close spellings found by generating one-edit variants give what Whoosh's scan gives.

:meth:`search.whoosh.vocabulary.Vocabulary.close_terms` looks up every string one edit away
(:func:`search.whoosh.vocabulary.one_edit_away`) instead of reading every term with the
prefix; on the web test index it must find exactly the terms Whoosh's
``terms_within`` finds, for words with and without an article, short and long.
"""

from __future__ import annotations

import time

import pytest

from search import Searcher
from search.whoosh.vocabulary import fixed_prefix_length, one_edit_away

WORDS = ["الحكومه", "الحكومة", "حكومه", "المستشفي", "مستشفي", "البنك", "بنك", "سعر",
         "اسعار", "القمح", "الاسواق", "وزاره", "المنتخب", "منتخب", "الصحه", "نفط"]


@pytest.fixture(scope="module")
def opened(web_index):
    with Searcher(web_index) as searcher, searcher.backend.handle.reading() as (version, whoosh):
        yield version.vocabulary, whoosh


@pytest.mark.parametrize("word", WORDS)
@pytest.mark.parametrize("maxdist", [1, 2])
def test_close_terms_are_whooshs_terms_within(opened, word, maxdist):
    vocabulary, searcher = opened
    reader = searcher.reader()
    expected = set(reader.terms_within("content_exact", word, maxdist,
                                       prefix=fixed_prefix_length(word)))
    found = {term for term, _ in vocabulary.close_terms(searcher, "content_exact", word,
                                                        maxdist)}
    assert found == expected
    counts = dict(vocabulary.close_terms(searcher, "content_exact", word, maxdist))
    assert all(counts[t] == reader.doc_frequency("content_exact", t) for t in counts)


def test_some_words_have_close_spellings_in_the_index(opened):
    vocabulary, searcher = opened
    assert "الحكومه" in dict(vocabulary.close_terms(searcher, "content_exact", "الحكومة", 1))
    assert dict(vocabulary.close_terms(searcher, "content_exact", "الحكومت", 1))


def test_one_edit_away_keeps_the_fixed_letters():
    variants = one_edit_away("كتاب", fixed=2)
    assert "كتاب" in variants and "كتب" in variants and "كتابة" not in variants
    assert "كتبا" in variants  # neighbours swapped
    assert "كتاا" in variants and "كتاءب" in variants
    assert all(v.startswith("كت") for v in variants)
    assert "كتاب1" in variants  # digits always
    assert "xكتاب" not in variants and "كتابx" not in variants
    assert "bookx" in one_edit_away("book")


@pytest.fixture(scope="module")
def many_terms_index(tmp_path_factory):
    """An index whose bodies hold 600 made-up words starting with ``ال`` (more than one
    batch of a scan between two looks at the clock)."""
    from indexer import build_index
    from tests.conftest import write_jsonl_records

    letters = "بتثجحخدذرزسشصضطظعغفقكلمنهوي"
    words = [f"ال{a}{b}{c}" for a in letters for b in letters[:5] for c in letters[:5]][:600]
    records = [{"id": f"w{i}", "title": "عنوان", "body": " ".join(words[i::6]),
                "date": "2021-01-01"} for i in range(6)]
    folder = tmp_path_factory.mktemp("many-terms")
    write_jsonl_records(folder / "many.jsonl", records)
    build_index([folder], folder / "index")
    return folder / "index"


def test_a_scan_cut_by_its_deadline_reads_one_batch_and_is_not_remembered(many_terms_index):
    with Searcher(many_terms_index) as searcher, \
            searcher.backend.handle.reading() as (version, whoosh):
        vocabulary = version.vocabulary
        past = time.monotonic() - 1
        late = vocabulary.prefix_terms(whoosh, "content_exact", "ال", 1000, past)
        full = vocabulary.prefix_terms(whoosh, "content_exact", "ال", 1000)
        assert 0 < len(late) < len(full) and set(late) <= set(full)
        assert len(full) >= 600
        misses = searcher.cache_stats()["vocabulary"][1]
        assert vocabulary.prefix_terms(whoosh, "content_exact", "ال", 1000) == full
        assert searcher.cache_stats()["vocabulary"][1] == misses  # the whole one was kept


def test_a_scan_that_ends_past_its_deadline_but_whole_is_remembered(web_index):
    with Searcher(web_index) as searcher, searcher.backend.handle.reading() as (version, whoosh):
        vocabulary = version.vocabulary
        past = time.monotonic() - 1
        late_close = vocabulary.close_terms(whoosh, "content_exact", "الحكومه", 2, past)
        misses = searcher.cache_stats()["vocabulary"][1]
        assert vocabulary.close_terms(whoosh, "content_exact", "الحكومه", 2) == late_close
        assert "الحكومه" in dict(late_close)
        assert searcher.cache_stats()["vocabulary"][1] == misses


def test_one_edit_look_ups_cut_by_the_deadline_still_find_the_word_itself(web_index):
    with Searcher(web_index) as searcher, searcher.backend.handle.reading() as (version, whoosh):
        vocabulary = version.vocabulary
        late = vocabulary.close_terms(whoosh, "content_exact", "الحكومه", 1, time.monotonic() - 1)
        full = vocabulary.close_terms(whoosh, "content_exact", "الحكومه", 1)
        assert "الحكومه" in dict(late) and set(late) <= set(full)
        misses = searcher.cache_stats()["vocabulary"][1]
        vocabulary.close_terms(whoosh, "content_exact", "الحكومه", 1)
        assert searcher.cache_stats()["vocabulary"][1] == misses  # the whole one was kept


def test_a_search_out_of_time_in_its_expansions_says_so(web_index):
    with Searcher(web_index, time_limit=1e-9) as hurried:
        assert hurried.search("الحكومه~2").timed_out
        assert hurried.search("الحكو*").timed_out
    with Searcher(web_index) as searcher:
        page = searcher.search("الحكومه~2")
        assert not page.timed_out and page.total >= 1
