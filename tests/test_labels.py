"""Display names of category and source codes: the shipped table, a user file, and their use in
hits, facets, articles, the API, the pages and the query syntax."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from conftest import write_jsonl_records

from indexer import build_index
from search import Searcher
from search.labels import LabelsError, LabelTable, load_labels
from web import close_searcher, create_app

RECORDS = [
    {"id": "e1", "title": "ارتفاع أسعار النفط", "body": "ارتفعت أسعار النفط في الأسواق.",
     "date": "2018-03-01", "category": "economy", "source": "SkyNewsArabia"},
    {"id": "e2", "title": "البورصة تربح", "body": "ربحت البورصة في ختام تداولات الأسبوع.",
     "date": "2018-03-02", "category": "economy", "source": "CNN"},
    {"id": "s1", "title": "فوز الفريق", "body": "فاز الفريق في المباراة النهائية.",
     "date": "2018-03-03", "category": "sport", "source": "SkyNewsArabia"},
    {"id": "x1", "title": "خبر محلي", "body": "خبر من المدينة عن الأسواق.",
     "date": "2018-03-04", "category": "cityDesk", "source": "Local Paper"},
]


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("labels")
    build_index([write_jsonl_records(folder / "a.jsonl", RECORDS)], folder / "index")
    return folder / "index"


def test_shipped_table_names_the_common_codes():
    table = load_labels("")
    assert table.label("category", "sport") == "رياضة"
    assert table.label("category", "economy") == "اقتصاد"
    assert table.label("category", "internationalNews") == "أخبار دولية"
    assert table.label("category", "Economy") == "اقتصاد"  # case-insensitive
    assert table.label("source", "SkyNewsArabia") == "سكاي نيوز عربية"
    assert table.label("category", "cityDesk") == "cityDesk"  # no name: the code itself


def test_user_file_extends_and_overrides(tmp_path):
    path = tmp_path / "labels.json"
    path.write_text(json.dumps({"category": {"cityDesk": "أخبار المدينة", "sport": "رياضات"}}),
                    encoding="utf-8")
    table = load_labels(path)
    assert table.label("category", "cityDesk") == "أخبار المدينة"
    assert table.label("category", "sport") == "رياضات"
    assert table.label("category", "economy") == "اقتصاد"


def test_user_file_from_the_environment(tmp_path):
    path = tmp_path / "labels.json"
    path.write_text(json.dumps({"source": {"Local Paper": "الصحيفة المحلية"}}), encoding="utf-8")
    code = ("from search.labels import load_labels; "
            "print(load_labels().label('source', 'Local Paper'))")
    env = {**os.environ, "FAHRAS_LABELS": str(path)}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                         text=True, check=True, encoding="utf-8").stdout
    assert out.strip() == "الصحيفة المحلية"


@pytest.mark.parametrize("content, message", [
    ("{not json", "not valid JSON"),
    ('{"section": {}}', "must be a JSON object like"),
    ('{"category": {"sport": 3}}', "must map codes to non-empty names"),
])
def test_bad_user_file_says_what_is_wrong(tmp_path, content, message):
    path = tmp_path / "labels.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(LabelsError, match=message):
        load_labels(path)


def test_missing_user_file(tmp_path):
    with pytest.raises(LabelsError, match="cannot read the label file"):
        load_labels(tmp_path / "nope.json")


def test_hits_facets_and_articles_carry_code_and_label(index_dir):
    with Searcher(index_dir, labels=LabelTable({})) as plain, Searcher(index_dir) as searcher:
        page = searcher.search("الأسواق")
        hit = next(h for h in page.hits if h.id == "e1")
        assert (hit.category, hit.category_label) == ("economy", "اقتصاد")
        assert (hit.source, hit.source_label) == ("SkyNewsArabia", "سكاي نيوز عربية")
        facets = {f.value: f.label for f in page.facets["category"]}
        assert facets == {"economy": "اقتصاد", "cityDesk": "cityDesk"}
        article = searcher.get("s1")
        assert (article.category, article.category_label) == ("sport", "رياضة")
        assert plain.get("s1").category_label == "sport"


@pytest.mark.parametrize("query, ids", [
    ("category:اقتصاد", {"e1", "e2"}),
    ("قسم:رياضة", {"s1"}),
    ("قسم:رياضه", {"s1"}),  # compared after normalising
    ("category:economy", {"e1", "e2"}),
    ('مصدر:"سكاي نيوز عربية"', {"e1", "s1"}),
    ("الأسواق -category:اقتصاد", {"x1"}),
])
def test_query_syntax_finds_codes_by_their_display_name(index_dir, query, ids):
    with Searcher(index_dir) as searcher:
        assert {hit.id for hit in searcher.search(query).hits} == ids


def test_filter_parameter_takes_the_display_name(index_dir):
    with Searcher(index_dir) as searcher:
        assert {h.id for h in searcher.search("", category="اقتصاد").hits} == {"e1", "e2"}


@pytest.fixture
def client(index_dir):
    app = create_app({"TESTING": True, "FAHRAS_INDEX_DIR": str(index_dir)})
    yield app.test_client()
    close_searcher(app)


def test_api_returns_code_and_label(client):
    data = client.get("/api/search", query_string={"q": "الأسواق"}).get_json()
    hit = next(h for h in data["hits"] if h["id"] == "e1")
    assert (hit["category"], hit["category_label"]) == ("economy", "اقتصاد")
    assert {"value": "economy", "label": "اقتصاد", "count": 1} in data["facets"]["category"]
    article = client.get("/api/articles/s1").get_json()["article"]
    assert (article["category"], article["category_label"]) == ("sport", "رياضة")


def test_pages_show_the_label(client):
    html = client.get("/", query_string={"q": "الأسواق"}).get_data(as_text=True)
    assert "اقتصاد" in html and "سكاي نيوز عربية" in html
    assert ">economy<" not in html
    assert "category=economy" in html  # the facet link filters by the code
    article = client.get("/articles/s1").get_data(as_text=True)
    assert "رياضة" in article and ">sport<" not in article
    home = client.get("/").get_data(as_text=True)
    assert "اقتصاد" in home
