"""The weights of each kind of query (search/weights.py), and how both backends use them.

A question (a question mark, or a first word that only asks) is ranked with
:data:`~search.weights.QUESTION`: each of its words an article holds counts more, the rarer
the more, and a long text counts less; anything else with
:data:`~search.weights.STATEMENT`.
"""

from __future__ import annotations

import time

import pytest
from whoosh import query as wq

from indexer import build_index
from search import Searcher
from search.query import parse_query
from search.sphinx.ranking import ranking_options
from search.weights import (
    QUESTION,
    STATEMENT,
    RankingWeights,
    coverage_bonuses,
    is_question,
    weights_for,
)
from search.whoosh.collect import collect
from search.whoosh.compiler import ALL_WORDS_BONUS, compile_query
from tests.conftest import write_jsonl_records


@pytest.mark.parametrize("text", [
    "متى انسحبت إسرائيل من غزة؟",
    "من هو مؤسس المدينة?",
    "هل يغلق الميناء أبوابه",
    "لِماذا ارتفعت الأسعار",  # diacritics
    "كيف تعمل الخلايا الشمسية",
    "- ماهو أطول نهر في العالم",  # a leading dash, then the question
    "قمة الزعيمين.. لماذا سنغافورة؟",  # a headline asking: a question mark is a question
])
def test_questions(text: str) -> None:
    assert is_question(text)
    assert weights_for(parse_query(text)) is QUESTION


@pytest.mark.parametrize("text", [
    "من القاهرة: افتتاح المعرض الدولي للكتاب",  # من: "from"
    "ما زال البحث جاريا عن المفقودين",  # ما: "not"
    "الحكومة تناقش الميزانية",
    '"كرة القدم" المنتخب',
    "",
    "لم يعد الطقس باردا",  # لم: "did not", not "why"
])
def test_statements(text: str) -> None:
    assert not is_question(text)
    assert weights_for(parse_query(text)) is STATEMENT


def test_coverage_bonuses_follow_the_idf_and_average_the_coverage() -> None:
    bonuses = coverage_bonuses(QUESTION, [1.0, 3.0, None])
    assert bonuses[1] == pytest.approx(3 * bonuses[0])
    assert bonuses[2] == pytest.approx(QUESTION.coverage)  # no IDF: the mean
    assert sum(bonuses[:2]) / 2 == pytest.approx(QUESTION.coverage)
    assert coverage_bonuses(STATEMENT, [1.0, 3.0, None]) == [STATEMENT.coverage] * 3
    assert coverage_bonuses(QUESTION, [None, None]) == [QUESTION.coverage] * 2
    half = RankingWeights(title=0.5, lead=0.4, exact=0.5, coverage=1.0, coverage_idf=0.5)
    assert coverage_bonuses(half, [1.0, 3.0]) == pytest.approx([0.75, 1.25])


def test_weights_are_checked() -> None:
    with pytest.raises(ValueError, match="coverage_idf"):
        RankingWeights(title=0.5, lead=0.4, exact=0.5, coverage=1.0, coverage_idf=1.5)
    with pytest.raises(ValueError, match="length_norm"):
        RankingWeights(title=0.5, lead=0.4, exact=0.5, coverage=1.0,
                       length_norm=(("body", 0.5),))
    with pytest.raises(ValueError, match="length_norm"):
        RankingWeights(title=0.5, lead=0.4, exact=0.5, coverage=1.0,
                       length_norm=(("content", 1.5),))
    assert QUESTION.b("content") == STATEMENT.b("content") == 0.9  # one scored entry a term
    assert QUESTION.b("title") == STATEMENT.b("lead") == 0.75


# ------------------------------------------------------------------ on a small index

FILLER = "وتحدث السكان عن الطقس والأسواق والمدارس والطرق في المنطقة. "
ARTICLES = [
    # the answer: a short passage with both words of the question
    {"id": "short", "title": "", "body": "شيد الملك القلعة فوق التل."},
    # a long article holding the same words, twice each, among many others
    {"id": "long", "title": "", "body": "القلعة والملك " + FILLER * 12 + "القلعة والملك"},
    # a rare word (one article) beside a common one (every article below)
    {"id": "rare", "title": "", "body": "وصل المسافر إلى الواحة بعد رحلة طويلة."},
    *({"id": f"common{n}", "title": "", "body": f"رحلة القطار رقم {n} تأخرت اليوم."}
      for n in range(6)),
]


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Searcher:
    root = tmp_path_factory.mktemp("weights")
    build_index([write_jsonl_records(root / "docs.jsonl", ARTICLES)], root / "index")
    with Searcher(root / "index") as opened:
        yield opened


def _scores(searcher: Searcher, q: str) -> dict[str, float]:
    return dict(searcher.rank(q, 50))


def _collected(searcher, version, compiled, length_norm=None) -> dict[str, float]:
    found = collect(searcher, version.scores, compiled.query, None, time.monotonic() + 60,
                    length_norm)
    return {searcher.stored_fields(d)["id"]: s for d, s in found.scores.items()}


def test_a_long_text_holding_the_words_counts_less_than_whoosh_s_default(small) -> None:
    with small.backend.handle.reading() as (version, searcher):
        for text in ("من شيد القلعة والملك؟", "شيد القلعة والملك"):
            compiled = compile_query(parse_query(text), searcher, version.vocabulary)
            ours = _collected(searcher, version, compiled, dict(compiled.weights.length_norm))
            plain = _collected(searcher, version, compiled)
            assert ours["short"] - ours["long"] > plain["short"] - plain["long"], text
    assert dict(small.rank("شيد القلعة والملك", 5)) == pytest.approx(ours)  # the last


def test_a_question_weighs_each_word_it_holds_by_its_rarity(small) -> None:
    with small.backend.handle.reading() as (version, searcher):
        for text, weights in (("أين الواحة ورحلة؟", QUESTION), ("الواحة رحلة القطار", STATEMENT)):
            compiled = compile_query(parse_query(text), searcher, version.vocabulary)
            assert compiled.weights is weights
            bonuses = [q.score for q in compiled.query.subqueries
                       if isinstance(q, wq.ConstantScoreQuery) and q.score < ALL_WORDS_BONUS]
            if weights is QUESTION:  # الواحة (one article) over رحلة (seven)
                assert bonuses[0] > QUESTION.coverage > bonuses[1]
                assert sum(bonuses) / 2 == pytest.approx(QUESTION.coverage)
            else:
                assert bonuses == [STATEMENT.coverage] * 3
    # holding the rare word beats holding the common one, more for the question
    question, statement = _scores(small, "أين الواحة ورحلة؟"), _scores(small, "الواحة رحلة")
    assert question["rare"] - question["common0"] > statement["rare"] - statement["common0"]


def test_the_sphinx_ranker_uses_the_weights_of_the_query() -> None:
    record = {"articles": 100, "shards": 2, "avg_lengths": {"content": 50.0, "title": 8.0}}
    question = ranking_options(record, 3, 3, True, QUESTION)
    statement = ranking_options(record, 3, 3, True, STATEMENT)
    for options in (question, statement):
        assert "0.1+0.9*content_len/50.000000" in options
        assert "0.25+0.75*title_len/8.000000" in options
    assert f"+{QUESTION.coverage:g}*sum(" in question
    assert f"+{STATEMENT.coverage:g}*sum(" in statement
    assert f"IF(user_weight==3,{QUESTION.lead:g}," in question
    assert f"IF(user_weight==3,{STATEMENT.lead:g}," in statement
