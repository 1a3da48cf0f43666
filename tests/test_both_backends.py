"""The same searches on both backends: a Whoosh folder and a 2-node Sphinx cluster holding
the same articles (tests/conftest.py's SEARCH_ARTICLES) answer alike.

Each behaviour runs once per backend (``backend`` is the parameter); the last tests compare
the two rankings directly.
"""

from __future__ import annotations

import pytest

from search import ArticleNotFound, Searcher
from tests.conftest import assert_ranked_alike, either_searcher


@pytest.fixture(scope="module", params=["whoosh", "sphinx"])
def either(request, search_index) -> Searcher:
    """A searcher over the Whoosh index, then over the cluster."""
    yield from either_searcher(request, search_index, "search_cluster")


def ids(page) -> list[str]:
    return [hit.id for hit in page.hits]


def test_an_article_with_both_words_ranks_first(either):
    page = either.search("الحكومة الميزانية")
    assert ids(page)[0] == "s01"
    assert {"s02", "s03"} <= set(ids(page))


def test_a_phrase_keeps_its_words_together(either):
    assert ids(either.search('"كرة القدم"')) == ["s04"]


def test_title_restricts_to_titles(either):
    assert ids(either.search("title:مهرجان")) == ["s06"]


def test_alef_spellings_and_diacritics_are_one_word(either):
    assert {"s08", "s09"} <= set(ids(either.search("احمد")))
    assert "s08" in ids(either.search("الطالب"))


def test_prefix_or_and_exclusion(either):
    assert "s14" in ids(either.search("اقتصا*"))
    assert set(ids(either.search("القمح OR الذهب"))) == {"s15", "s16"}
    excluded = ids(either.search("الحكومة -الميزانية"))
    assert "s01" not in excluded and "s02" in excluded


def test_filters_dates_and_sorting(either):
    economy = either.search("أسعار", category="اقتصاد")
    assert economy.total == 2 and {hit.category for hit in economy.hits} == {"اقتصاد"}
    listed = either.search("", date_from="2022")
    assert ids(listed) == ["s04", "s13", "s12", "s05"]  # newest first
    assert ids(either.search("المنتخب", year=2022, sort="oldest")) == ["s12", "s13", "s04"]
    assert ids(either.search("category:رياضة date:2022-12")) != []
    assert "s04" not in ids(either.search("المنتخب -category:رياضة"))


def test_facets_count_the_whole_result(either):
    page = either.search("الحكومة", per_page=1)
    assert page.total == 4 and len(page.hits) == 1
    categories = {value.value: value.count for value in page.facets["category"]}
    assert categories == {"اقتصاد": 1, "سياسة": 1, "منوعات": 1}
    assert not page.partial


def test_snippets_mark_the_words(either):
    hit = either.search("الميزانية").hits[0]
    assert "<mark>" in hit.snippet.html or "<mark>" in hit.title_html


def test_articles_similar_and_missing(either):
    article = either.get("s01", "الميزانية")
    assert article.title == "الحكومة تناقش الميزانية" and "<mark>" in article.body_html
    assert [hit.id for hit in either.similar("s12", 2)][0] == "s13"
    with pytest.raises(ArticleNotFound):
        either.get("no-such-article")


def test_completions_and_did_you_mean(either):
    assert "الحكومة" in either.suggest("الحكو")
    page = either.search("الميزانيه")  # the same word: normalised
    assert page.total >= 2
    assert either.search("الميزانبة").suggestion is not None


def test_the_index_describes_itself(either):
    assert either.check() == 16 and either.doc_count() == 16
    assert either.info().documents == 16 and not either.info().down
    counts = {value.value: value.count for value in either.categories()}
    assert counts["رياضة"] == 4 and counts["اقتصاد"] == 5
    assert {value.value for value in either.sources()} == {"وكالة الأنباء", "جريدة النهار"}



def test_and_and_plus_keep_only_articles_with_the_word(either):
    assert ids(either.search("الحكومة AND الميزانية")) == ["s01"]
    required = either.search("+الميزانية الحكومة")
    assert ids(required)[0] == "s01" and set(ids(required)) == {"s01", "s03"}
    assert either.search("+الحكومة +الغائبة").total == 0
    assert set(ids(either.search("القمح و الذهب"))) == {"s15", "s16"}  # و is no operator


def test_laysa_excludes_like_not(either):
    assert set(ids(either.search("ليس الميزانية الحكومة"))) == \
        set(ids(either.search("NOT الميزانية الحكومة"))) == {"s02", "s10", "s11"}
    assert either.search("ليس").total == 0  # searched as the word: no article has it


def test_a_typo_tolerant_word_finds_at_least_the_word(either):
    plain = set(ids(either.search("حكومة")))
    assert len(plain) == 4 and plain <= set(ids(either.search("حكومة~")))
    assert {"s15", "s16"} <= set(ids(either.search("اسعاء~")))  # a typo still found
    assert set(ids(either.search("title:مهرجن~"))) == {"s06"}



def test_a_search_past_its_time_limit_says_so_and_keeps_what_it_found(search_index, request):
    for address in (search_index, request.getfixturevalue("search_cluster").address):
        with Searcher(address, time_limit=1e-6) as hurried:
            page = hurried.search('"كرة القدم" OR الحكومة')
            assert page.timed_out and page.hits and page.suggestion is None, address


QUERIES = ["الحكومة الميزانية", "المنتخب الوطني مباراة الحسم", "أسعار القمح",
           "مهرجان", '"كرة القدم"', "احمد معرض"]
#: Questions, ranked with the weights of a question (search/weights.py) on both backends.
QUESTIONS = ["متى ناقشت الحكومة مشروع الميزانية؟", "هل يستعد المنتخب الوطني لمباراة الحسم",
             "ما هي أسعار القمح والذهب في الأسواق؟"]


def test_the_backends_find_the_same_articles(search_index, search_cluster):
    with Searcher(search_index) as whoosh, Searcher(search_cluster.address) as sphinx:
        for query in QUERIES + QUESTIONS:
            mine, theirs = whoosh.search(query), sphinx.search(query)
            assert mine.total == theirs.total, query
            assert ids(mine)[:1] == ids(theirs)[:1], query
            assert set(ids(mine)) == set(ids(theirs)), query


def test_the_backends_score_a_question_alike(search_index, search_cluster):
    assert_ranked_alike(search_index, search_cluster.address, QUESTIONS)
