"""Term-at-a-time scoring (search/whoosh/scoring.py) gives Whoosh's own matches and scores.

Each query the compiler makes is run both ways on an index of several segments with
deleted articles (a build, then an update that changes some articles and adds others):
through Whoosh's collector, document at a time, and through :class:`QueryScorer`. The
matched articles must be the same and every score equal (to rounding).
"""

from __future__ import annotations

import json
from collections import Counter

import pytest
from whoosh import query as wq

from indexer import build_index, update_index
from search import Searcher
from search.query import parse_query
from search.whoosh.compiler import compile_query
from search.whoosh.scorecache import ScoreCache
from search.whoosh.scoring import QueryScorer

QUERIES = [
    "الحكومة",
    "الحكومة الجديدة",
    "وزارة الصحة المستشفى",
    "ما هي أسباب ارتفاع أسعار النفط في الأسواق العالمية",
    '"البنك المركزي"',
    '"سعر الفائدة" البنك',
    "الحكومة -المستشفى",
    "title:الحكومة",
    "مستشف*",
    "الحكومه~",
    "الحكومة OR المستشفى",
    "category:اقتصاد الأسعار",
    "النفط الذهب القمح",
]


def whoosh_scores(searcher, query) -> dict[int, float]:
    results = searcher.search(query, limit=None)
    return {docnum: score for score, docnum in results.top_n}


@pytest.fixture(scope="module")
def searcher(web_corpus, tmp_path_factory):
    from tests.conftest import web_articles

    index_dir = tmp_path_factory.mktemp("scoring") / "index"
    build_index([web_corpus], index_dir)
    records = web_articles()
    changed = [{**r, "body": r["body"] + " الحكومة والأسعار"} for r in records[::5]]
    added = [{"id": f"extra-{n}", "title": f"الحكومة والنفط {n}",
              "body": "ارتفاع أسعار النفط والذهب في الأسواق العالمية " * (n % 4 + 1)}
             for n in range(30)]
    update = tmp_path_factory.mktemp("scoring-update") / "update.jsonl"
    update.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n"
                              for r in changed + added), encoding="utf-8")
    update_index([update], index_dir)
    with Searcher(index_dir) as opened, \
            opened.backend.handle.reading() as (version, whoosh_searcher):
        yield version, whoosh_searcher


def test_the_index_has_segments_and_deletions(searcher):
    _, whoosh_searcher = searcher
    reader = whoosh_searcher.reader()
    assert len(reader.leaf_readers()) >= 2
    assert reader.doc_count_all() > reader.doc_count()


@pytest.mark.parametrize("text", QUERIES)
def test_same_matches_and_scores_as_whoosh(searcher, text):
    version, whoosh_searcher = searcher
    compiled = compile_query(parse_query(text), whoosh_searcher, version.vocabulary)
    query = compiled.query
    if compiled.filter is not None:
        query = wq.And([query, compiled.filter])
    expected = whoosh_scores(whoosh_searcher, query)
    assert expected, f"{text!r} should match something in the test corpus"
    for cache in (ScoreCache(), ScoreCache()):  # computed, then the same from the cache
        for _ in range(2):
            found = QueryScorer(whoosh_searcher, cache).scores(query)
            assert found.keys() == expected.keys()
            for docnum, score in expected.items():
                assert found[docnum] == pytest.approx(score, rel=1e-9, abs=1e-9), docnum


@pytest.mark.parametrize(("text", "matches"), [
    ('"وأضاف المسؤولون أن النتائج"', True),  # four words: Whoosh adds their scores as a tree
    ('"النتائج ستظهر خلال"', True),
    ('"خفض سعر الفائدة"', True),
    ('"سعر الفائدة للمرة الأولى"', False),
])
def test_phrases_scored_from_their_words_equal_whooshs_matcher(searcher, text, matches):
    from search.whoosh.counters import CacheCounters
    from search.whoosh.postings import PostingCache

    version, whoosh_searcher = searcher
    compiled = compile_query(parse_query(text), whoosh_searcher, version.vocabulary).query
    phrases = [q for q in compiled.leaves() if isinstance(q, wq.Phrase)] or [compiled]
    words = phrases[0].words
    segments = len(whoosh_searcher.reader().leaf_readers())
    for query in (wq.Phrase("content_exact", words), wq.Phrase("content_exact", words,
                                                                 boost=2.5),
                  wq.Phrase("content_exact", words, slop=2), compiled):
        expected = whoosh_scores(whoosh_searcher, query)
        assert bool(expected) == matches
        counters = CacheCounters()
        raw = PostingCache(counters=counters)  # kept across versions: here, across caches
        for attempt in ("whoosh", "weights read", "from weights"):
            cache = ScoreCache(version.segments, version.path, postings=raw)  # a new epoch
            hits = counters.snapshot().get("postings", (0, 0))[0]
            found = QueryScorer(whoosh_searcher, cache).scores(query)
            assert found.keys() == expected.keys()
            assert all(found[d] == pytest.approx(s, rel=1e-12) for d, s in expected.items())
            if attempt == "from weights" and expected:  # matches and weights, each segment
                assert counters.snapshot()["postings"][0] - hits >= segments * (1 + len(words))
        kept = Counter(key[1:] for key in raw._entries._entries if key[2][0] == "phrase")
        assert kept and set(kept.values()) == {segments}  # matches kept segment by segment


def test_scores_of_term_boosts_and_constant_parts(searcher):
    _, whoosh_searcher = searcher
    term = wq.Term("content", "حكوم")
    query = wq.Or([
        wq.Term("title", "حكوم", boost=2.0),
        wq.ConstantScoreQuery(term, 7.0),
        wq.AndMaybe(wq.Term("content_exact", "الحكومة"), wq.Term("title", "نفط")),
    ], boost=1.5)
    expected = whoosh_scores(whoosh_searcher, query)
    found = QueryScorer(whoosh_searcher, ScoreCache()).scores(query)
    assert found.keys() == expected.keys()
    assert all(found[d] == pytest.approx(s, rel=1e-9) for d, s in expected.items())


def test_deleted_articles_never_match(searcher):
    _, whoosh_searcher = searcher
    reader = whoosh_searcher.reader()
    deleted = {d for d in range(reader.doc_count_all()) if reader.is_deleted(d)}
    assert deleted
    found = QueryScorer(whoosh_searcher, ScoreCache()).scores(wq.Term("content", "حكوم"))
    assert found and not deleted & found.keys()


def test_term_scores_are_whooshs_bm25_bit_for_bit(searcher):
    """The length part worked out per length code gives, posting by posting, exactly the
    float of whoosh.scoring.bm25 over the article's own length (not merely close)."""
    from whoosh.scoring import bm25

    from indexer.normalize import normalize

    version, whoosh_searcher = searcher
    reader = whoosh_searcher.reader()
    weighting = whoosh_searcher.weighting
    stem = version.vocabulary.words.stem
    for field, text in (("content", stem("الحكومة")), ("title", stem("والنفط")),
                        ("content_exact", normalize("الحكومة"))):
        btext = whoosh_searcher.schema[field].to_bytes(text)
        scorer = QueryScorer(whoosh_searcher, ScoreCache())
        found = scorer.scores(wq.Term(field, text))
        assert found
        idf = whoosh_searcher.idf(field, text)
        avgfl = whoosh_searcher.avg_field_length(field) or 1
        B = weighting._field_B.get(field, weighting.B)
        expected = {}
        for leaf, offset in reader.leaf_readers():
            if (field, btext) not in leaf:
                continue
            for docnum, tf in leaf.postings(field, btext).items_as("weight"):
                length = leaf.doc_field_length(docnum, field, 1)
                expected[offset + docnum] = bm25(idf, tf, length, avgfl, B, weighting.K1)
        assert found == expected


def test_length_parts_are_shared_by_segments_and_bounded(searcher):
    version, whoosh_searcher = searcher
    cache = ScoreCache(version.segments, version.path)
    leaves = [leaf for leaf, _offset in whoosh_searcher.reader().leaf_readers()]
    tables = [cache.norms(cache.lengths(leaf, "content"), 120.0, 0.75, 1.2) for leaf in leaves]
    assert len(tables) >= 2 and all(table is tables[0] for table in tables)  # one byte scale
    assert tables[0][0] is None and len(tables[0]) == 256  # byte 0: no length
    for n in range(3 * ScoreCache.NORMS_KEPT):
        cache.norms(cache.lengths(leaves[0], "content"), 100.0 + n, 0.75, 1.2)
    assert len(cache._norms) == ScoreCache.NORMS_KEPT


def test_lengths_of_another_codec_are_coded_by_their_values():
    from search.whoosh.lengths import segment_lengths

    class Reader:  # a segment whose lengths are offered one article at a time only
        lengths = [3, None, 7, 3, 250, 7]

        def doc_count_all(self):
            return len(self.lengths)

        def doc_field_length(self, docnum, fieldname, default):
            return self.lengths[docnum]

    coded = segment_lengths(Reader(), "content", 1)
    assert coded.decoded() == Reader.lengths and len(coded.values) == 4
    assert coded.scale == tuple(coded.values)


def test_the_cache_is_bounded():
    from array import array

    cache = ScoreCache(max_postings=100)
    for n in range(20):
        cache.term(("t", n), lambda: (array("l", range(10)), array("d", [1.0] * 10)))
    assert cache.postings <= 100
    cache.term(("big",), lambda: (array("l", range(60)), array("d", [1.0] * 60)))
    assert cache.postings <= 100  # too big to keep: computed, not held


def test_entries_count_their_own_cost_not_only_their_postings():
    from array import array

    from search.whoosh.postings import ENTRY_POSTINGS

    cache = ScoreCache(max_postings=10 * ENTRY_POSTINGS, max_filter_members=10 * ENTRY_POSTINGS)
    for n in range(1000):  # rare terms: no postings at all
        cache.term(("rare", n), lambda: (array("l"), array("d")))
        cache.filter(("none", n), frozenset)
    assert len(cache._terms._entries) <= 10 and len(cache._filters._entries) <= 10


def test_past_its_deadline_a_query_scores_its_first_postings_and_caches_nothing(tmp_path):
    from tests.conftest import write_jsonl_records

    records = [{"id": f"n{i}", "title": f"خبر {i}", "body": f"الحكومة والوزارة رقم {i % 13}"}
               for i in range(3000)]
    build_index([write_jsonl_records(tmp_path / "many.jsonl", records)], tmp_path / "index")
    with Searcher(tmp_path / "index") as opened, \
            opened.backend.handle.reading() as (version, whoosh_searcher):
        cache = ScoreCache(version.segments, version.path)
        queries = [compile_query(parse_query(text), whoosh_searcher, version.vocabulary).query
                   for text in ("الحكومة الوزارة", '"الحكومة والوزارة"')]
        for query in queries:
            late = QueryScorer(whoosh_searcher, cache, deadline=0.0)  # long past
            found = late.scores(query)
            assert late.timed_out and 0 < len(found) < 3000
            full = QueryScorer(whoosh_searcher, cache).scores(query)
            assert len(full) == 3000 and all(found[d] <= full[d] + 1e-9 for d in found)


@pytest.mark.parametrize("text", ["الحكومة الجديدة", "ما هي أسباب ارتفاع أسعار النفط؟"])
def test_a_query_with_its_own_field_b_scores_as_whoosh_with_those_b(searcher, text):
    from whoosh.scoring import BM25F
    from whoosh.searching import Searcher as WhooshSearcher

    version, whoosh_searcher = searcher
    query = compile_query(parse_query(text), whoosh_searcher, version.vocabulary).query
    length_norm = {"content": 1.0, "content_exact": 0.3}
    other = WhooshSearcher(whoosh_searcher.reader(), closereader=False,
                           weighting=BM25F(content_B=1.0, content_exact_B=0.3))
    expected = whoosh_scores(other, query)
    default = whoosh_scores(whoosh_searcher, query)
    assert expected != default
    cache = ScoreCache()
    for _ in range(2):  # scored with each b, then from the cache: never mixed up
        found = QueryScorer(whoosh_searcher, cache, length_norm=length_norm).scores(query)
        assert all(found[d] == pytest.approx(s, rel=1e-9) for d, s in expected.items())
        plain = QueryScorer(whoosh_searcher, cache).scores(query)
        assert all(plain[d] == pytest.approx(s, rel=1e-9) for d, s in default.items())


def test_past_its_deadline_an_or_stops_at_the_first_part_that_matches(searcher):
    _, whoosh_searcher = searcher
    first, second = wq.Term("content", "حكوم"), wq.Term("title", "نفط")
    full_second = QueryScorer(whoosh_searcher, ScoreCache()).scores(second)
    late = QueryScorer(whoosh_searcher, ScoreCache(), deadline=0.0)
    found = late.scores(wq.Or([first, second]))
    alone = QueryScorer(whoosh_searcher, ScoreCache(), deadline=0.0).scores(first)
    assert late.timed_out and found and found == alone  # the second part was left out
    assert full_second.keys() - found.keys()


def test_past_its_deadline_and_maybe_gives_its_required_part_only(searcher):
    _, whoosh_searcher = searcher
    required, optional = wq.Term("content", "حكوم"), wq.Term("title", "حكوم")
    late = QueryScorer(whoosh_searcher, ScoreCache(), deadline=0.0)
    found = late.scores(wq.AndMaybe(required, optional))
    alone = QueryScorer(whoosh_searcher, ScoreCache(), deadline=0.0).scores(required)
    assert found and found == alone
    scored = QueryScorer(whoosh_searcher, ScoreCache()).scores(wq.AndMaybe(required, optional))
    assert any(scored[d] > alone[d] for d in alone)  # in time, the optional part adds


@pytest.mark.parametrize("query", [
    wq.Term("content", "حكوم"),
    wq.Or([wq.Term("content", "حكوم"), wq.Term("title", "نفط"), wq.Term("nofield", "x")]),
    wq.Or([wq.Term("content_exact", "الحكومه"), wq.Or([wq.Term("title", "اسعار")])]),
    wq.Phrase("content_exact", ["البنك", "المركزي"]),
    wq.Term("content", "لاتوجدكلمةكهذه"),
])
def test_filters_and_exclusions_let_through_whooshs_articles(searcher, query):
    _, whoosh_searcher = searcher
    expected = frozenset(whoosh_searcher.docs_for_query(query))
    cache = ScoreCache()
    for _ in range(2):  # read, then from the cache; never cut by a deadline
        assert QueryScorer(whoosh_searcher, cache, deadline=0.0).allowed(query) == expected


def test_a_words_weights_read_at_some_articles_equal_its_postings_there(searcher):
    from array import array

    from search.whoosh.postings import read_postings, read_weights_at

    _, whoosh_searcher = searcher
    checked = 0
    for leaf, _offset in whoosh_searcher.reader().leaf_readers():
        btext = "حكوم".encode()
        docnums, weights, _frequency = read_postings(leaf, "content", btext, lambda: False)
        some = array("i", docnums[::3])
        assert list(read_weights_at(leaf, "content", btext, some)) == list(weights[::3])
        checked += len(some)
        if docnums:
            with pytest.raises(KeyError):  # an article without the word is an error, not 0
                read_weights_at(leaf, "content", btext, array("i", [leaf.doc_count_all() + 5]))
    assert checked
