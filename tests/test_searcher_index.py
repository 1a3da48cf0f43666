"""The searcher and the index's life: missing, mismatched, rebuilt, updated, shared, slow."""

import json
import threading

import pytest
from conftest import write_jsonl_records
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer import IndexStore, build_index, delete_articles, update_index
from search import FahrasError, IndexDamaged, IndexMismatch, IndexNotFound, QueryError, Searcher

NEWS = [
    {"id": "n1", "title": "افتتاح جسر جديد", "body": "افتتحت البلدية جسرا جديدا فوق النهر.",
     "date": "2023-01-05", "category": "محليات"},
    {"id": "n2", "title": "مطر غزير في الشمال", "body": "هطل مطر غزير على مدن الشمال.",
     "date": "2023-01-06", "category": "طقس"},
]


@pytest.fixture
def small_index(tmp_path):
    build_index([write_jsonl_records(tmp_path / "news.jsonl", NEWS)], tmp_path / "index")
    return tmp_path / "index"


def test_missing_index(tmp_path):
    with pytest.raises(IndexNotFound, match="fahras-index build") as caught:
        Searcher(tmp_path / "nothing-here")
    assert str(tmp_path / "nothing-here") in str(caught.value)


def test_an_index_path_that_is_a_file(tmp_path):
    (tmp_path / "a-file").write_text("not an index", encoding="utf-8")
    with pytest.raises(IndexNotFound, match="fahras-index build"):
        Searcher(tmp_path / "a-file")


def test_mismatched_schema_version(small_index):
    store = IndexStore(small_index)
    generation = store.current()
    meta = store.read_meta(generation)
    store.write_meta(generation, {**meta, "schema_version": 999})
    with pytest.raises(IndexMismatch, match="999") as caught:
        Searcher(small_index)
    assert "fahras-index build" in str(caught.value)


def test_rebuilt_index_is_picked_up(tmp_path, small_index):
    with Searcher(small_index) as searcher:
        assert searcher.search("جسر").total == 1
        replacement = [{"id": "r1", "title": "سباق الدراجات", "body": "انطلق السباق صباحا."}]
        build_index([write_jsonl_records(tmp_path / "other.jsonl", replacement)], small_index)
        assert searcher.search("جسر").total == 0
        assert [h.id for h in searcher.search("الدراجات").hits] == ["r1"]
        assert searcher.doc_count() == 1
        assert searcher.suggest("الدر") == ["الدراجات"]


def test_update_and_delete_are_picked_up(tmp_path, small_index):
    with Searcher(small_index) as searcher:
        assert searcher.search("مطر").total == 1
        more = [{"id": "n3", "title": "مطر وبرد", "body": "تساقط البرد مع المطر.",
                 "date": "2023-01-07", "category": "طقس"}]
        update_index([write_jsonl_records(tmp_path / "more.jsonl", more)], small_index)
        assert {h.id for h in searcher.search("مطر").hits} == {"n2", "n3"}
        assert searcher.get("n3").title == "مطر وبرد"
        delete_articles(["n2"], small_index)
        assert [h.id for h in searcher.search("مطر").hits] == ["n3"]


def test_closed_searcher_refuses_work(small_index):
    searcher = Searcher(small_index)
    searcher.close()
    with pytest.raises(FahrasError, match="closed"):
        searcher.search("جسر")


def test_bad_time_limit(small_index):
    with pytest.raises(QueryError, match="time_limit"):
        Searcher(small_index, time_limit=0)


def test_concurrent_searches_from_eight_threads(searcher):
    queries = ["الحكومة", "الميزانية", '"كرة القدم"', "أحمد", "المنتخب الجيران", "اقتص*",
               "الحكومع~", "category:رياضة", "مهرجان", "أسعار -الذهب"]
    expected = {q: searcher.search(q).to_dict()["hits"] for q in queries}
    failures, barrier = [], threading.Barrier(8)

    def work(offset):
        barrier.wait()
        for round_ in range(25):
            query = queries[(offset + round_) % len(queries)]
            try:
                if searcher.search(query).to_dict()["hits"] != expected[query]:
                    failures.append(f"different results for {query}")
            except Exception as exc:  # reported below, with the thread's query
                failures.append(f"{query}: {exc!r}")

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []


def test_concurrent_searches_during_updates(tmp_path, small_index):
    stop, failures = threading.Event(), []
    with Searcher(small_index) as searcher:

        def work():
            while not stop.is_set():
                try:
                    assert searcher.search("مطر").total >= 1
                except Exception as exc:  # reported below
                    failures.append(repr(exc))

        threads = [threading.Thread(target=work) for _ in range(4)]
        for thread in threads:
            thread.start()
        for n in range(4):
            extra = [{"id": f"u{n}", "title": f"مطر {n}", "body": "مطر خفيف."}]
            update_index([write_jsonl_records(tmp_path / f"u{n}.jsonl", extra)], small_index)
        stop.set()
        for thread in threads:
            thread.join()
        assert failures == [] and searcher.search("مطر").total == 5


def test_time_limit_gives_partial_results(tmp_path):
    records = [{"id": f"n{i}", "title": f"خبر رقم {i}", "body": f"الحكومة والوزارة رقم {i % 97}",
                "date": f"{2000 + i % 20}-01-01", "category": f"c{i % 7}"} for i in range(4000)]
    build_index([write_jsonl_records(tmp_path / "many.jsonl", records)], tmp_path / "index")
    with Searcher(tmp_path / "index", time_limit=0.001) as hurried:
        for query in ("الحكومة والوزارة", '"الحكومة والوزارة"', "+الحكومة الوزارة"):
            partial = hurried.search(query)
            # cut short: flagged, with the matches found by then (never none)
            assert partial.timed_out and partial.hits and 0 < partial.total < 4000, query
            assert partial.suggestion is None
    with Searcher(tmp_path / "index") as patient:
        page = patient.search("الحكومة والوزارة", per_page=1)
        assert not page.timed_out and page.total == 4000


# ---------------------------------------------------------------------------- any text at all

_SYNTAX = list('"“«»-−*~:()OR NOT AND أو title: category: date: 2020..2021 ..:') + [
    "ال", "الحكومة", "أحمد", "\u064e", "\u0651", "\u0640", "\u200c", "\x00", "\n", " ", "٢٠٢٠"]


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(st.text(max_size=80),
                 st.lists(st.sampled_from(_SYNTAX), max_size=30).map("".join)))
def test_any_text_is_a_query(searcher, text):
    try:
        page = searcher.search(text)
    except QueryError:
        return
    assert page.total >= len(page.hits)
    json.dumps(page.to_dict())
    searcher.suggest(text)
    assert searcher.rank(text, limit=5) is not None


def test_five_thousand_characters_of_noise(searcher):
    noise = "".join(chr(0x600 + (i * 7919) % 0x100) + "*~\"-"[i % 4] * (i % 11 == 0)
                    for i in range(5000))
    page = searcher.search(noise)
    assert page.total >= 0 and page.elapsed_ms < 5000
    assert searcher.search("الحكومة " * 2000).total == 4



# ---------------------------------------------------------------------------- health check


def test_check_reads_the_index_through(tmp_path):
    records = [{"id": f"h{i}", "title": f"خبر {i}", "body": "الحكومة تعلن الميزانية",
                "date": "2020-01-01", "category": "اقتصاد"} for i in range(20)]
    index_dir = tmp_path / "index"
    build_index([write_jsonl_records(tmp_path / "h.jsonl", records)], index_dir)
    with Searcher(index_dir) as searcher:
        assert searcher.check() == 20
    generation = IndexStore(index_dir).current()
    opened = Searcher(index_dir)
    for path in generation.iterdir():  # postings and columns are read only when needed
        if path.suffix in (".pst", ".col"):
            path.write_bytes(path.read_bytes()[:16])
    with opened, pytest.raises(IndexDamaged, match="cannot be read.*fahras-index build"):
        opened.check()  # a searcher opened before the damage finds it too
    with pytest.raises(IndexDamaged, match="cannot be read.*fahras-index build"):
        Searcher(index_dir)  # the files are not the sizes they were written with
    for path in generation.glob("*.trm"):  # the term index is read on opening
        path.write_bytes(path.read_bytes()[:16])
    with pytest.raises(IndexDamaged):
        Searcher(index_dir)
    (generation / "fahras.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(IndexDamaged):
        Searcher(index_dir)


def test_category_counts_leave_out_deleted_and_replaced_articles(tmp_path):
    records = [{"id": f"c{i}", "title": f"خبر {i}", "body": "نص الخبر",
                "category": "اقتصاد" if i % 3 else "رياضة"} for i in range(30)]
    index_dir = tmp_path / "index"
    build_index([write_jsonl_records(tmp_path / "a.jsonl", records)], index_dir)
    moved = [{**r, "category": "صحة"} for r in records[:6]]  # 2 رياضة, 4 اقتصاد move
    update_index([write_jsonl_records(tmp_path / "b.jsonl", moved)], index_dir)
    delete_articles(["c29", "c27"], index_dir)  # one اقتصاد, one رياضة
    with Searcher(index_dir) as searcher:
        counts = {value.value: value.count for value in searcher.categories()}
    assert counts == {"اقتصاد": 20 - 4 - 1, "رياضة": 10 - 2 - 1, "صحة": 6}


def test_segment_data_survives_updates_and_goes_with_its_segment(tmp_path):
    records = [{"id": f"s{i}", "title": f"خبر {i}", "body": "الحكومة تعلن الميزانية الجديدة",
                "date": f"20{10 + i % 9}-01-01", "category": "اقتصاد"} for i in range(40)]
    index_dir = tmp_path / "index"
    build_index([write_jsonl_records(tmp_path / "a.jsonl", records)], index_dir)
    with Searcher(index_dir) as searcher:
        searcher.search("الحكومة")
        segments = searcher.backend.handle.segments
        before = dict(segments._values)
        assert before  # lengths and columns of the one segment
        extra = [{**records[0], "id": "s-new", "title": "خبر جديد", "category": "صحة"}]
        update_index([write_jsonl_records(tmp_path / "b.jsonl", extra)], index_dir)
        page = searcher.search("الحكومة")
        assert page.total == 41 and ("صحة", 1) in [(f.value, f.count) for f in
                                                  page.facets["category"]]
        for key, value in before.items():  # read again for nothing: the same objects
            assert segments._values[key] is value
        assert len(segments) > len(before)
        build_index([write_jsonl_records(tmp_path / "b.jsonl", extra)], index_dir)
        assert searcher.search("الحكومة").total == 1
        assert not before.keys() & segments._values.keys()  # the old generation is gone
