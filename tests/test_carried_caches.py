"""What the searcher keeps from one version of the index to the next is still true after it.

After an update or a delete the searcher does not start cold: raw postings per segment
(search/whoosh/postings.py), field lengths read in one go (search/whoosh/lengths.py) and the
signatures behind copy groups (search/whoosh/duplicates.py) are kept while their segment
lives. Here one Searcher is warmed, the index is changed under it, and every page it gives
must equal the page of a Searcher opened fresh on the changed index: same hits, same scores,
same totals and facets, same copies.
"""

from __future__ import annotations

import json
from array import array

import pytest

from indexer import build_index, delete_articles, update_index
from search import Searcher
from search.whoosh.lengths import segment_lengths
from search.whoosh.postings import PostingCache, read_postings

QUERIES = ["الحكومة", "الحكومة الجديدة", "أسعار النفط", '"البنك المركزي"', "مستشف*",
           "الحكومة -المستشفى", "النفط الذهب القمح"]


def page_of(searcher: Searcher, text: str) -> tuple:
    page = searcher.search(text, per_page=20)
    return (page.total, [(hit.id, round(hit.score, 9), hit.copies) for hit in page.hits],
            page.facets)


def write(path, records) -> list:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
                    encoding="utf-8")
    return [path]


@pytest.fixture()
def index_dir(web_corpus, tmp_path):
    folder = tmp_path / "index"
    build_index([web_corpus], folder)
    return folder


def test_pages_after_an_update_and_a_delete_equal_a_fresh_searchers(index_dir, tmp_path):
    from tests.conftest import web_articles

    records = web_articles()
    with Searcher(index_dir) as warm:
        for text in QUERIES:
            page_of(warm, text)
        changed = [{**r, "body": r["body"] + " الحكومة وأسعار النفط"} for r in records[::4]]
        copy = {**records[1], "id": "copy-of-1"}  # a new copy of an article
        update_index(write(tmp_path / "u.jsonl", [*changed, copy]), index_dir)
        with Searcher(index_dir) as fresh:
            for text in QUERIES:
                assert page_of(warm, text) == page_of(fresh, text), text
        delete_articles([r["id"] for r in records[2::6]], index_dir)
        with Searcher(index_dir) as fresh:
            for text in QUERIES:
                assert page_of(warm, text) == page_of(fresh, text), text
        assert warm.backend.handle.postings.held > 0


def test_after_a_delete_terms_are_not_scored_again_and_lose_the_deleted(index_dir):
    from tests.conftest import web_articles

    gone = [r["id"] for r in web_articles()[::3]]
    with Searcher(index_dir) as warm:
        for text in QUERIES:
            page_of(warm, text)
        scored_before = warm.cache_stats()["scored_terms"][1]
        delete_articles(gone, index_dir)
        pages = [page_of(warm, text) for text in QUERIES]
        # the same segments and statistics: every term's scores carried, none computed
        assert warm.cache_stats()["scored_terms"][1] == scored_before
        with Searcher(index_dir) as fresh:
            assert pages == [page_of(fresh, text) for text in QUERIES]
        assert not set(gone) & {hit_id for page in pages for hit_id, _, _ in page[1]}
        update_index(write(index_dir.parent / "more.jsonl", [
            {"id": "late-1", "title": "الحكومة تعلن", "body": "أعلنت الحكومة أسعار النفط"}]),
            index_dir)
        after_update = [page_of(warm, text) for text in QUERIES]
        assert warm.cache_stats()["scored_terms"][1] > scored_before  # new statistics
        with Searcher(index_dir) as fresh:
            assert after_update == [page_of(fresh, text) for text in QUERIES]


def test_after_deletes_one_after_another_pages_equal_a_fresh_searchers(index_dir):
    from tests.conftest import web_articles

    ids = [r["id"] for r in web_articles()]
    with Searcher(index_dir) as warm:
        for gone in (ids[::5], ids[1::5], ids[2::7]):
            [page_of(warm, text) for text in QUERIES]
            delete_articles(gone, index_dir)
            pages = [page_of(warm, text) for text in QUERIES]
            with Searcher(index_dir) as fresh:
                assert pages == [page_of(fresh, text) for text in QUERIES]


def test_lengths_in_one_go_equal_whoosh_per_article(index_dir):
    with Searcher(index_dir) as searcher, searcher.backend.handle.reading() as (_, whoosh):
        for leaf, _offset in whoosh.reader().leaf_readers():
            for field in ("title", "content", "no_such_field"):
                expected = [leaf.doc_field_length(d, field, 1) for d in range(leaf.doc_count_all())]
                coded = segment_lengths(leaf, field, 1)
                assert coded.decoded() == expected
                assert [coded.length(d) for d in range(len(expected))] == expected


def test_postings_read_before_a_delete_lose_the_deleted_articles(index_dir):
    from tests.conftest import web_articles

    with Searcher(index_dir) as searcher:
        with searcher.backend.handle.reading() as (_, whoosh):
            leaf = whoosh.reader().leaf_readers()[0][0]
            term = next(iter(leaf.lexicon("content")))
            cache = PostingCache()

            def read():
                return read_postings(leaf, "content", term, lambda: False)

            before = cache.get("segment", "content", term, leaf, read)
        delete_articles([web_articles()[0]["id"]], index_dir)
        with searcher.backend.handle.reading() as (_, whoosh):
            leaf = whoosh.reader().leaf_readers()[0][0]
            assert leaf.has_deletions()
            after = cache.get("segment", "content", term, leaf, lambda: pytest.fail("re-read"))
            expected = read_postings(leaf, "content", term, lambda: False)
    assert list(after[0]) == list(expected[0]) and list(after[1]) == list(expected[1])
    assert after[2] == expected[2] == before[2]  # Whoosh's frequency counts deleted ones
    assert len(after[0]) <= len(before[0])


def _matcher_postings(leaf, field: str, term: bytes) -> tuple[list[int], list[float]]:
    """The postings as Whoosh's public matcher gives them, one at a time."""
    ids, weights = [], []
    matcher = leaf.postings(field, term)
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        matcher.next()
    return ids, weights


def test_postings_read_by_block_equal_the_matchers_with_deletions(index_dir):
    from tests.conftest import web_articles

    delete_articles([article["id"] for article in web_articles()[:3]], index_dir)
    with Searcher(index_dir) as searcher, searcher.backend.handle.reading() as (_, whoosh):
        leaf = whoosh.reader().leaf_readers()[0][0]
        assert leaf.has_deletions()
        checked = 0
        for field in ("content", "title"):
            for term in leaf.lexicon(field):
                docnums, weights, frequency = read_postings(leaf, field, term, lambda: False)
                assert (list(docnums), list(weights)) == _matcher_postings(leaf, field, term)
                assert frequency == leaf.doc_frequency(field, term)
                checked += 1
        assert checked > 100
        assert read_postings(leaf, "content", "لاتوجدكلمةكهذه".encode(), lambda: False) == (
            array("i"), array("d"), 0)


def test_columns_in_one_go_equal_whoosh_per_article(index_dir, tmp_path):
    from indexer.whoosh.columns import column_values
    from search.whoosh.collect import COLUMNS
    from tests.conftest import web_articles

    update_index(write(tmp_path / "u.jsonl", [{**web_articles()[0], "body": "نص جديد"}]),
                 index_dir)
    with Searcher(index_dir) as searcher, searcher.backend.handle.reading() as (_, whoosh):
        leaves = whoosh.reader().leaf_readers()
        assert len(leaves) >= 2
        for leaf, _offset in leaves:
            for name in COLUMNS:
                if leaf.has_column(name):
                    assert column_values(leaf, name) == list(leaf.column_reader(name)), name


def test_a_settled_folder_is_not_listed_again_and_its_next_commit_is_seen_at_once(index_dir):
    import os

    with Searcher(index_dir) as searcher:
        handle = searcher.backend.handle
        folder = handle.current().path
        old = folder.stat().st_mtime_ns - 10 * handle.SETTLED_NS  # as if written long ago
        os.utime(folder, ns=(old, old))
        before = searcher.search("المشمش").total
        assert handle._listed is not None and handle._listed[1] == old  # the listing is kept
        update_index(write(index_dir.parent / "late.jsonl", [
            {"id": "late-apricot", "title": "موسم المشمش", "body": "بدأ موسم المشمش مبكرا"}]),
            index_dir)
        assert searcher.search("المشمش").total == before + 1


def test_a_folder_just_written_is_listed_once_for_a_while_and_a_new_commit_seen_at_once(
        index_dir):
    with Searcher(index_dir) as searcher:
        handle = searcher.backend.handle
        handle.UNSETTLED_REUSE = 60.0  # as long as this test: no clock in the assertions
        update_index(write(index_dir.parent / "fresh.jsonl", [
            {"id": "fresh-fig", "title": "موسم التين", "body": "بدأ موسم التين"}]), index_dir)
        assert searcher.search("التين").total == 1
        listed = handle._listed
        assert listed is not None and listed[3] != float("inf")  # not settled: two seconds
        searcher.search("التين")
        assert handle._listed is listed  # the folder was not listed again
        update_index(write(index_dir.parent / "fresher.jsonl", [
            {"id": "fresh-fig-2", "title": "سوق التين", "body": "امتلأ سوق التين"}]), index_dir)
        assert searcher.search("التين").total == 2  # the folder's time moved: listed again


def test_a_delete_lends_the_columns_and_labels_and_an_update_does_not(index_dir, tmp_path):
    """After a delete the version's columns are the same list objects as before (not decoded
    again) and its labels are carried; after an update that brings a new category, both are
    read again, and ``category:`` finds the new label."""
    from tests.conftest import web_articles

    records = web_articles()
    with Searcher(index_dir) as warm:
        backend = warm.backend
        page_of(warm, "category:ثقافة الحكومة")

        def columns_and_labels():
            with backend.handle.reading() as (version, whoosh):
                return (backend._columns(version, whoosh),
                        version.vocabulary.labels(whoosh, "category"))

        columns, labels = columns_and_labels()
        delete_articles([r["id"] for r in records[::5]], index_dir)
        after_delete, labels_after = columns_and_labels()
        assert after_delete is columns and labels_after is labels
        new = {**records[1], "id": "new-category", "category": "سباحة"}
        update_index(write(tmp_path / "u.jsonl", [new]), index_dir)
        after_update, labels_update = columns_and_labels()
        assert after_update is not columns and labels_update is not labels
        assert len(after_update["category"]) == len(columns["category"]) + 1
        assert [hit.id for hit in warm.search("category:سباحة").hits] == ["new-category"]
        with Searcher(index_dir) as fresh:
            for text in [*QUERIES, "category:ثقافة الحكومة"]:
                assert page_of(warm, text) == page_of(fresh, text), text
