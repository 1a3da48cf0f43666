"""Real words through a real index: the lexicon a build stores decides proclitics for the
index, the queries and the highlights alike; an index of the previous schema says to
rebuild."""

from __future__ import annotations

import json

import pytest

from indexer import IndexStore, build_index
from indexer.countsfile import CountsFile
from indexer.lexicon import LEXICON_FILE
from indexer.whoosh.schema import SCHEMA_VERSION
from search import IndexMismatch, Searcher

ARTICLES = [
    {"id": "egypt1", "title": "اقتصاد مصر",
     "body": "نما اقتصاد مصر هذا العام وقالت مصر إن النمو مستمر."},
    {"id": "egypt2", "title": "زيارة", "body": "وصل الوفد بمصر صباحا في زيارة رسمية."},
    {"id": "egypt3", "title": "مصر والسودان",
     "body": "اتفقت مصر والسودان على مشروع مشترك في مصر."},
    {"id": "ministry", "title": "بيان الوزارة",
     "body": "أصدرت وزارة الصحة بيانا، وقالت الوزارة إن الوضع مستقر."},
    {"id": "visit", "title": "جولة", "body": "زار الرئيس المدينة ثم زار المستشفى."},
    {"id": "polls", "title": "الانتخابات", "body": "بدأت الانتخابات أمس والانتخابات تستمر يومين."},
    {"id": "polls2", "title": "نتائج",
     "body": "أعلنت نتائج الانتخابات في المدن، وقيل إن الانتخابات نزيهة."},
    {"id": "egypt4", "title": "طقس", "body": "الطقس في مصر حار، والحرارة في مصر مرتفعة."},
]


@pytest.fixture(scope="module")
def words_index(tmp_path_factory):
    folder = tmp_path_factory.mktemp("words")
    source = folder / "news.jsonl"
    source.write_text("\n".join(json.dumps(a, ensure_ascii=False) for a in ARTICLES),
                      encoding="utf-8")
    build_index([source], folder / "ix")
    return folder / "ix"


def ids(searcher, query):
    return {hit.id for hit in searcher.search(query, per_page=100).hits}


def test_the_build_stores_its_lexicon(words_index):
    counts = CountsFile(IndexStore(words_index).current() / LEXICON_FILE)
    assert counts["مصر"] >= 2 and counts["الانتخابات"] >= 2


def test_a_proclitic_meets_the_bare_word_both_ways(words_index):
    with Searcher(words_index) as searcher:
        assert "egypt2" in ids(searcher, "مصر")
        assert {"egypt1", "egypt3", "egypt4"} <= ids(searcher, "بمصر")


def test_a_word_that_starts_like_a_proclitic_is_not_cut(words_index):
    with Searcher(words_index) as searcher:
        assert ids(searcher, "وزارة") == {"ministry"}
        assert ids(searcher, "زار") == {"visit"}


def test_a_proclitic_changes_nothing_in_ranking(words_index):
    with Searcher(words_index) as searcher:
        assert searcher.rank("والانتخابات") == searcher.rank("الانتخابات")
        assert searcher.rank("بالانتخابات") == searcher.rank("الانتخابات")


def test_highlights_decide_like_the_index(words_index):
    with Searcher(words_index) as searcher:
        hit = next(h for h in searcher.search("مصر").hits if h.id == "egypt2")
        assert "<mark>بمصر</mark>" in hit.snippet.html
        visit = searcher.get("visit", query="وزارة")
        assert "<mark>" not in visit.body_html


def test_an_index_of_the_previous_schema_must_be_rebuilt(words_index, tmp_path):
    store = IndexStore(words_index)
    meta = store.read_meta(store.current())
    previous = SCHEMA_VERSION - 1
    store.write_meta(store.current(), {**meta, "schema_version": previous})
    try:
        with pytest.raises(IndexMismatch, match=f"schema version {previous}, this Fahras "
                           f"needs {SCHEMA_VERSION}") as caught:
            Searcher(words_index)
        assert "rebuild it with: fahras-index build" in str(caught.value)
    finally:
        store.write_meta(store.current(), meta)
