"""The ranking rules of search/whoosh/compiler.py, on a tiny index built for them.

Short queries are strict (every word first); long question-like queries prefer the
articles with more of their words, and count the words of their quoted parts; a word
in the opening of the body weighs more than further down; ``Searcher.rank``
(evaluation, batch runs) orders exactly like ``Searcher.search`` (the web page and the API).
"""

from __future__ import annotations

import json

import pytest

from indexer import build_index
from search import Searcher
from search.query import parse_query

ARTICLES = [
    # one of the two words, many times and in the title
    {"id": "one", "title": "الزيتون الزيتون",
     "body": "الزيتون ثم الزيتون ثم الزيتون في كل مكان، وموسم الزيتون طويل."},
    # both words, once each, in a long body
    {"id": "both", "title": "أخبار المزارع",
     "body": "يقطف الفلاحون الزيتون في الخريف ويبيعون الزيت في السوق الأسبوعية "
             "بعد أن ينقلوه بالشاحنات إلى المعاصر القريبة من القرية الجبلية."},
    {"id": "other", "title": "السوق الشعبية",
     "body": "السوق مزدحمة يوم الجمعة بالباعة والمشترين."},
    {"id": "answer", "title": "بناء السد",
     "body": "بدأ بناء السد الكبير على النهر عام 1960 بعد دراسة طويلة للمهندسين."},
    {"id": "noise", "title": "النهر والسد",
     "body": "النهر النهر النهر يفيض كل ربيع، والسد السد السد يحمي القرى."},
    # the same words, one mentions the mine deep in the body, the other in its lead
    {"id": "late", "title": "", "body": "حكاية " * 45 + "المنجم"},
    {"id": "lead", "title": "", "body": "المنجم " + "حكاية " * 45},
    # a pasted headline's quote: its words together, or apart
    {"id": "together", "title": "", "body": "بدأ موسم الحصاد في السهل الشرقي أمس."},
    {"id": "apart", "title": "", "body": "الحصاد في السهل الشرقي بعيد عن الموسم الماضي."},
    # كرهت ("I hated") and كرة ("ball"), which meet once ة is folded to ه and stemmed
    {"id": "hated", "title": "", "body": "قالت اللاعبة إنها كرهت الخسارة أمس."},
    {"id": "ball", "title": "", "body": "قال المدرب إن كرة السلة انتهت أمس."},
    # the name علي, and the preposition على, which folds to the same letters
    {"id": "ali", "title": "", "body": "فاز علي بالسباق الطويل في المدينة."},
    {"id": "ala", "title": "", "body": "وضع الكتاب على الطاولة في المدينة."},
]


@pytest.fixture(scope="module")
def ranked(tmp_path_factory: pytest.TempPathFactory) -> Searcher:
    root = tmp_path_factory.mktemp("ranking")
    docs = root / "docs.jsonl"
    docs.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in ARTICLES),
                    encoding="utf-8")
    build_index([docs], root / "index")
    with Searcher(root / "index") as searcher:
        yield searcher


def _ids(searcher: Searcher, q: str) -> list[str]:
    return [hit.id for hit in searcher.search(q, per_page=50).hits]


def test_two_words_put_articles_with_both_first(ranked: Searcher) -> None:
    found = _ids(ranked, "الزيتون السوق")
    assert found[0] == "both"
    assert set(found[1:]) == {"one", "other"}


def test_question_words_are_left_out(ranked: Searcher) -> None:
    assert parse_query("ماهو الزيتون؟").clauses[0].words == ("الزيتون",)
    assert [c.words[0] for c in parse_query("متى بدأ بناء السد").clauses] == ["بدا", "بناء", "السد"]
    assert parse_query("ماهو").clauses[0].words == ("ماهو",)  # nothing else: searched as is


def test_long_question_prefers_more_of_its_words(ranked: Searcher) -> None:
    found = _ids(ranked, "متى بدأ بناء السد على النهر الكبير؟")
    assert found[0] == "answer"


def test_opening_words_weigh_more(ranked: Searcher) -> None:
    assert _ids(ranked, "المنجم") == ["lead", "late"]


def test_quoted_parts_of_long_queries_count_their_words(ranked: Searcher) -> None:
    # neither phrase is in any article, but the words of both are in "noise"
    found = _ids(ranked, '"السد العالي" "النهر الجاري" 1960')
    assert found[0] == "answer" and "noise" in found
    assert _ids(ranked, '"السد العالي"') == []  # alone, a phrase is still a phrase
    assert set(_ids(ranked, '"السد العالي" النهر')) == {"answer", "noise"}


@pytest.mark.parametrize("q", ["الزيتون السوق", "متى بدأ بناء السد على النهر الكبير؟",
                               "النهر", "السد OR الزيت", '"السد العالي" "النهر الجاري" 1960'])
def test_rank_orders_like_search(ranked: Searcher, q: str) -> None:
    page = ranked.search(q, per_page=50)
    assert [hit.id for hit in page.hits] == [docid for docid, _ in ranked.rank(q, 50)]
    assert [round(h.score, 4) for h in page.hits] == [round(s, 4) for _, s in ranked.rank(q, 50)]


def test_the_name_ali_is_searched_and_the_stop_word_ala_is_not(ranked: Searcher) -> None:
    assert _ids(ranked, "علي") == ["ali"]
    assert _ids(ranked, "علي المدينة")[0] == "ali"  # a word of the query, not dropped
    assert set(_ids(ranked, "على المدينة")) == {"ali", "ala"}  # على dropped: المدينة alone
    hit = ranked.search("علي", per_page=1).hits[0]
    assert "<mark>علي</mark>" in hit.snippet.html
    page = ranked.get("ala", query="علي المدينة")
    assert "<mark>على</mark>" not in page.body_html and "<mark>المدينة</mark>" in page.body_html


def test_a_quote_in_a_long_query_is_its_words_and_the_quote_adds_weight(ranked: Searcher) -> None:
    # a headline pasted with a quote: both articles have the words, one has the quote
    q = 'بدأ "موسم الحصاد" في السهل الشرقي'
    assert _ids(ranked, q)[:2] == ["together", "apart"]
    assert _ids(ranked, q) == [docid for docid, _ in ranked.rank(q, 50)]
    assert _ids(ranked, '"موسم الحصاد"') == ["together"]  # alone, a quote is still a phrase


def test_the_spelling_typed_outranks_a_folded_match(ranked: Searcher) -> None:
    # كرهت and كرة share a stem; as written, only one article says كرهت: it comes first
    assert _ids(ranked, "كرهت") == ["hated", "ball"]
