"""Suggestions that read the whole query, on both backends: the word pairs a build collects
(indexer/pairs.py), "did you mean" scored with them and the keyboard (search/suggest/), the
corrected results shown at once, completions given the words before.

The corpus is written here: a small archive where ``أسعار النفط``, ``الانتخابات الرئاسية`` and
``كرة القدم`` are common pairs, while ``الرئاسة`` and ``القوات`` are more common words alone.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from search import Searcher
from tests.conftest import write_jsonl_records


def _articles() -> list[dict]:
    found: list[dict] = []

    def add(title: str, body: str, times: int) -> None:
        for i in range(times):
            day = date(2020, 1, 1) + timedelta(days=len(found))  # never copies of each other
            found.append({"id": f"c{len(found):03d}", "title": title,
                          "body": f"{body} العدد {i}.", "date": day.isoformat()})

    add("ارتفاع أسعار النفط", "سجلت أسعار النفط ارتفاعا جديدا في الأسواق", 8)
    add("تقرير عن الخام", "تراجع النفت الخام في تقرير قديم", 1)  # a real-word typo, elsewhere
    add("بيان من الرئاسة", "أصدرت الرئاسة بيانا حول الزيارة", 10)
    add("موعد الانتخابات الرئاسية", "تجري الانتخابات الرئاسية في الربيع", 4)
    add("نهائي كرة القدم", "فاز الفريق في مباراة كرة القدم", 5)
    add("انسحاب القوات", "انسحبت القوات من المدينة", 12)
    add("زيارة إلى فلسطين", "وصل الوفد إلى فلسطين صباحا", 6)
    add("الانتخابات البلدية", "بدأت الانتخابات البلدية في المدينة", 250)
    add("خطأ مطبعي", "ورد في الخبر الانتخبارات بدلا من الكلمة", 1)
    return found


@pytest.fixture(scope="module")
def context_corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("context")
    return write_jsonl_records(folder / "articles.jsonl", _articles())


@pytest.fixture(scope="module")
def context_index(context_corpus):
    from indexer import build_index

    index = context_corpus.parent / "index"
    build_index([context_corpus], index)
    return index


@pytest.fixture(scope="module", params=["whoosh", "sphinx"])
def context(request, context_corpus, context_index, tmp_path_factory):
    """A searcher over the corpus in a Whoosh folder, then in a 2-node cluster."""
    if request.param == "whoosh":
        with Searcher(context_index) as opened:
            yield opened
        return
    from indexer import build_index
    from tests.conftest import start_cluster

    cluster = start_cluster(tmp_path_factory.mktemp("context-cluster") / "cluster")
    try:
        build_index([context_corpus], cluster.address)
        with Searcher(cluster.address) as opened:
            yield opened
    finally:
        cluster.stop()


# ---------------------------------------------------------------- did you mean


def test_a_real_word_typo_is_corrected_by_its_neighbour(context):
    page = context.search("أسعار النفت")
    assert page.total >= 8  # أسعار alone finds the oil articles: no "few results" rule
    assert page.suggestion == "أسعار النفط" and page.results_for is None


def test_a_common_pair_of_real_words_is_left_alone(context):
    assert context.search("أسعار النفط").suggestion is None
    assert context.search("الانتخابات البلدية").suggestion is None


def test_the_neighbour_and_the_keyboard_choose_between_close_spellings(context):
    # الرئاسة is the more frequent word, one letter away too; ب sits next to ي
    page = context.search("الانتخابات الرئاسبة")
    assert page.suggestion == "الانتخابات الرئاسية"


def test_a_word_alone_is_corrected_to_its_frequent_spelling(context):
    page = context.search("فلسطبن", correct=False)
    assert page.total == 0 and page.suggestion == "فلسطين"


# ---------------------------------------------------------------- corrected results


def test_a_query_that_finds_nothing_shows_its_correction_at_once(context):
    page = context.search("فلسطبن")
    assert page.query == "فلسطبن" and page.results_for == "فلسطين"
    assert page.total == 6 and len(page.hits) == 6 and page.suggestion is None
    assert page.to_dict()["results_for"] == "فلسطين"
    assert "<mark>فلسطين</mark>" in page.hits[0].title_highlight.html


def test_a_query_that_finds_enough_keeps_its_own_results(context):
    page = context.search("أسعار النفت")
    assert page.results_for is None and page.total == context.search("أسعار النفت").total


# ---------------------------------------------------------------- completions


def test_the_last_word_is_completed_after_the_word_before(context):
    # القوات is the more frequent word starting with الق, but كرة is followed by القدم
    assert context.suggest("كرة الق") == ["كرة القدم"]
    assert context.suggest("الق")[0] == "القوات"


def test_a_text_ending_in_a_space_is_offered_the_next_word(context):
    assert context.suggest("أسعار ")[0] == "أسعار النفط"


def test_a_rare_misspelling_is_not_offered_beside_its_frequent_spelling(context):
    offered = context.suggest("الانتخ", n=10)
    assert "الانتخابات" in offered and "الانتخبارات" not in offered


# ---------------------------------------------------------------- the surfaces


@pytest.fixture(scope="module")
def context_client(context_index):
    from web import close_searcher, create_app

    app = create_app({"TESTING": True, "FAHRAS_INDEX_DIR": str(context_index)})
    yield app.test_client()
    close_searcher(app)


def test_the_api_says_whose_results_it_gives(context_client):
    data = context_client.get("/api/search?q=فلسطبن").get_json()
    assert data["results_for"] == "فلسطين" and data["total"] == 6 and data["query"] == "فلسطبن"
    typed = context_client.get("/api/search?q=فلسطبن&exact=1").get_json()
    assert typed["results_for"] is None and typed["total"] == 0
    assert typed["suggestion"] == "فلسطين"
    assert context_client.get("/api/search?q=فلسطبن&exact=2").status_code == 400


def test_the_page_shows_the_correction_and_links_to_what_was_typed(context_client):
    html = context_client.get("/?q=فلسطبن").get_data(as_text=True)
    assert "نتائج البحث عن:" in html and "ابحث بدلًا من ذلك عن:" in html
    assert 'class="search-as-typed" href="/?q=%D9%81%D9%84%D8%B3%D8%B7%D8%A8%D9%86&amp;exact=1"' \
        in html
    assert html.count('<li class="hit">') == 6 and "<mark>فلسطين</mark>" in html
    typed = context_client.get("/?q=فلسطبن&exact=1").get_data(as_text=True)
    assert "نتائج البحث عن:" not in typed and "هل تقصد" in typed


def test_the_suggest_api_adds_the_best_articles_when_asked(context_client):
    data = context_client.get("/api/suggest?q=كرة الق&articles=3").get_json()
    assert data["suggestions"][0] == "كرة القدم"
    assert len(data["articles"]) == 3
    assert all(a["title"] == "نهائي كرة القدم" and a["href"].startswith("/articles/")
               for a in data["articles"])
    assert "articles" not in context_client.get("/api/suggest?q=كرة الق").get_json()
    # a half-typed word that completes to nothing is searched as typed, never "corrected"
    assert context_client.get("/api/suggest?q=فلسطب&articles=3").get_json()["articles"] == []
    assert context_client.get("/api/suggest?q=كرة&articles=9").status_code == 400


def test_the_command_line_says_whose_results_it_prints(context_index):
    from click.testing import CliRunner

    from search.cli import main

    shown = CliRunner().invoke(main, ["فلسطبن", "--index-dir", str(context_index)])
    assert shown.exit_code == 0, shown.output
    assert "showing results for «فلسطين» — search for «فلسطبن» instead with --exact" \
        in shown.output and "6 results for «فلسطين»" in shown.output
    typed = CliRunner().invoke(main, ["فلسطبن", "--exact", "--index-dir", str(context_index)])
    assert "did you mean: فلسطين" in typed.output and "no results" in typed.output
