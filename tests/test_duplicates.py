"""Copies of one article under two ids: found when indexing, one result per group, every id
kept; and groups that stay right after updates and deletes."""

from __future__ import annotations

import random
from datetime import datetime

import pytest
from conftest import write_jsonl_records

from indexer import build_index, delete_articles, index_stats, update_index
from indexer.duplicates import (
    CONTAINED,
    NEAR_DUPLICATE,
    SKETCH_SIZE,
    _smallest,
    are_copies,
    containment,
    duplicate_key,
    group_copies,
    resemblance,
    text_signature,
)
from search import Searcher

BODY = ("أعلنت وزارة الزراعة أن محصول القمح هذا العام فاق التوقعات بعد موسم أمطار جيد، "
        "وقالت إن المخازن الحكومية استقبلت كميات قياسية من المزارعين في المحافظات الشمالية. "
        "وأضافت الوزارة أن أسعار الشراء ستبقى ثابتة حتى نهاية الموسم، وأن التعويضات ستصرف "
        "للمزارعين الذين تضررت حقولهم من السيول خلال الأسبوع الأول من الشهر.")
WEATHER_A = ("تتوقع الأرصاد طقسا مشمسا ودرجات حرارة تصل إلى ثلاثين درجة في المناطق الساحلية، "
             "مع رياح خفيفة إلى معتدلة ورطوبة عالية في ساعات الصباح الأولى.")
WEATHER_B = ("تتوقع الأرصاد أمطارا رعدية على المرتفعات الغربية وانخفاضا في درجات الحرارة، "
             "مع رياح نشطة قد تثير الغبار في المناطق الصحراوية خلال فترة المساء.")


def record(id_, title="محصول قياسي من القمح", body=BODY, date="2022-06-01", **extra):
    return {"id": id_, "title": title, "body": body, "date": date, "category": "economy",
            **extra}


RECORDS = [
    record("http-1", url="http://news.example/wheat"),
    record("https-1", url="https://news.example/wheat"),  # the same page, another address
    record("feed-2", body=BODY + " وتبدأ عمليات التسويق الأسبوع المقبل."),  # near copy
    record("other-day", date="2022-06-02"),  # the same text on another day: another article
    record("weather-am", title="حالة الطقس اليوم", body=WEATHER_A, category="weather"),
    record("weather-pm", title="حالة الطقس اليوم", body=WEATHER_B, category="weather"),
]


@pytest.fixture
def index_dir(tmp_path):
    build_index([write_jsonl_records(tmp_path / "a.jsonl", RECORDS)], tmp_path / "index")
    return tmp_path / "index"


def test_exact_copies_resemble_fully_and_near_ones_closely():
    same = text_signature(BODY)
    assert resemblance(same, text_signature(BODY)) == 1.0
    near = resemblance(same, text_signature(BODY + " وتبدأ عمليات التسويق الأسبوع المقبل."))
    assert NEAR_DUPLICATE <= near < 1.0
    assert resemblance(text_signature(WEATHER_A), text_signature(WEATHER_B)) < 0.2


def test_a_text_republished_with_more_added_is_a_copy():
    longer = BODY + " " + WEATHER_A + " " + WEATHER_B
    short, long_ = text_signature(BODY), text_signature(longer)
    assert resemblance(short, long_) < NEAR_DUPLICATE
    assert containment(short, long_) >= CONTAINED
    assert are_copies(short, long_)
    assert not are_copies(text_signature(WEATHER_A), text_signature(WEATHER_B))


def test_key_is_normalised_title_and_day():
    day = datetime(2022, 6, 1, 8)
    assert duplicate_key("محصولٌ قياسيّ من القمح", day, "") == duplicate_key(
        "محصول قياسي من القمح", datetime(2022, 6, 1, 20), "")
    assert duplicate_key("محصول قياسي", day, "") != duplicate_key("محصول قياسي", None, "")


def test_grouping_needs_the_same_key_and_close_text():
    a, b = text_signature(WEATHER_A), text_signature(WEATHER_B)
    marked = [("x", "k1", a), ("y", "k1", a), ("z", "k2", a), ("w", "k1", b)]
    assert group_copies(marked) == [("x", "y")]


def test_one_result_per_group_and_every_id_kept(index_dir):
    with Searcher(index_dir) as searcher:
        page = searcher.search("القمح")
        assert page.total == 2  # the group of three, and the same text on another day
        by_id = {hit.id: hit for hit in page.hits}
        shown = [hit for hit in page.hits if hit.copies == 3]
        assert len(shown) == 1 and shown[0].id in {"http-1", "https-1", "feed-2"}
        assert by_id["other-day"].copies == 1
        assert sum(f.count for f in page.facets["category"]) == 2
        for id_ in ("http-1", "https-1", "feed-2", "other-day"):
            article = searcher.get(id_)
            assert article.id == id_
        assert set(searcher.get("https-1").copies) == {"http-1", "feed-2"}
        assert searcher.get("other-day").copies == ()
        assert searcher.doc_count() == len(RECORDS)


def test_near_but_different_articles_are_not_merged(index_dir):
    with Searcher(index_dir) as searcher:
        page = searcher.search("الأرصاد")
        assert sorted(hit.id for hit in page.hits) == ["weather-am", "weather-pm"]
        assert all(hit.copies == 1 for hit in page.hits)


def test_listing_and_category_counts_see_one_per_group(index_dir):
    with Searcher(index_dir) as searcher:
        assert searcher.search("", category="economy").total == 2
        counts = {f.value: f.count for f in searcher.categories()}
        assert counts == {"economy": 2, "weather": 2}


def test_similar_leaves_out_the_articles_own_copies(index_dir):
    with Searcher(index_dir) as searcher:
        related = [hit.id for hit in searcher.similar("http-1", n=5)]
        assert not {"https-1", "feed-2"} & set(related)
        assert "other-day" in related


def test_stats_count_every_article_and_the_groups(index_dir):
    stats = index_stats(index_dir)
    assert stats.articles == len(RECORDS)
    assert (stats.copy_groups, stats.copies) == (1, 3)
    assert stats.categories == {"economy": 4, "weather": 2}


def test_deleting_the_shown_copy_shows_another(index_dir):
    with Searcher(index_dir) as searcher:
        shown = next(hit for hit in searcher.search("القمح").hits if hit.copies == 3).id
        delete_articles([shown], index_dir)
        page = searcher.search("القمح")
        assert page.total == 2
        again = next(hit for hit in page.hits if hit.id != "other-day")
        assert again.id != shown and again.copies == 2
        with pytest.raises(KeyError):
            searcher.get(shown)
    assert index_stats(index_dir).copies == 2


def test_changing_a_copy_takes_it_out_of_its_group(index_dir, tmp_path):
    changed = record("https-1", title="محصول قياسي من الشعير",
                     body=BODY.replace("القمح", "الشعير"))
    update_index([write_jsonl_records(tmp_path / "b.jsonl", [changed])], index_dir)
    with Searcher(index_dir) as searcher:
        assert set(searcher.get("http-1").copies) == {"feed-2"}
        assert searcher.get("https-1").copies == ()
        assert searcher.search("القمح").total == 2
        assert searcher.search("الشعير").total == 1
    changed_back = record("https-1", url="https://news.example/wheat")
    update_index([write_jsonl_records(tmp_path / "c.jsonl", [changed_back])], index_dir)
    with Searcher(index_dir) as searcher:
        assert set(searcher.get("http-1").copies) == {"https-1", "feed-2"}
    assert (index_stats(index_dir).copy_groups, index_stats(index_dir).copies) == (1, 3)


def test_an_open_searcher_sees_new_copies_after_an_update(index_dir, tmp_path):
    with Searcher(index_dir) as searcher:
        assert searcher.search("الأرصاد").total == 2
        copy = record("weather-am-2", title="حالة الطقس اليوم", body=WEATHER_A,
                      category="weather")
        update_index([write_jsonl_records(tmp_path / "d.jsonl", [copy])], index_dir)
        page = searcher.search("الأرصاد")
        assert page.total == 2
        assert sorted(hit.copies for hit in page.hits) == [1, 2]


def test_pages_and_api_show_the_copies(index_dir):
    from web import close_searcher, create_app

    app = create_app({"TESTING": True, "FAHRAS_INDEX_DIR": str(index_dir)})
    try:
        client = app.test_client()
        html = client.get("/", query_string={"q": "القمح"}).get_data(as_text=True)
        assert html.count('class="hit"') == 2 and "3 نسخ من هذا المقال" in html
        article = client.get("/articles/http-1").get_data(as_text=True)
        assert "نسخ أخرى من هذا المقال" in article
        assert "/articles/https-1" in article and "/articles/feed-2" in article
        data = client.get("/api/search", query_string={"q": "القمح"}).get_json()
        assert data["total"] == 2 and sorted(h["copies"] for h in data["hits"]) == [1, 3]
        got = client.get("/api/articles/feed-2").get_json()["article"]
        assert set(got["copies"]) == {"http-1", "https-1"}
    finally:
        close_searcher(app)


@pytest.mark.parametrize("size", [0, 3, 64, 255, 257, 1000, 20000])
def test_the_sketch_keeps_the_smallest_hashes_of_any_set(size: int) -> None:
    rng = random.Random(size)
    uniform = {rng.getrandbits(32) for _ in range(size)}
    skewed = {rng.getrandbits(12) for _ in range(size)}  # all under any bound: the fallback
    for values in (uniform, skewed):
        assert _smallest(values, SKETCH_SIZE) == sorted(values)[:SKETCH_SIZE]
