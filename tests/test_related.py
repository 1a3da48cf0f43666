"""Words of a rare query word's root (search/related.py), on both backends: a Whoosh folder
and a 2-node Sphinx cluster holding :data:`ARTICLES`."""

from __future__ import annotations

import pytest

from indexer.roots import root_of
from indexer.stemming import stem_base
from search import Searcher
from search.related import MAX_RELATED, RARE_SHARE, RelatedWords
from search.sphinx.rescoring import query_positions
from tests.conftest import assert_ranked_alike, cluster_of, either_searcher, whoosh_index_of

#: A noun in one article and its verb in another, a verb whose noun no article has, and
#: enough other articles that one article is a rare word's share: written for these tests.
ARTICLES = [
    {"id": "verb", "title": "نصيحة للناس",
     "body": "قال الشيخ للناس اصبروا على الشدائد ثم اصبروا فإن الفرج قريب، اصبروا ولا تيأسوا."},
    {"id": "noun", "title": "مثل شعبي", "body": "الصبر مفتاح الفرج كما يقول المثل."},
    {"id": "fast", "title": "نذر", "body": "نذرت للرحمن صوما فلن أكلم اليوم أحدا."},
    *({"id": f"w{i}", "title": f"نشرة الطقس {i}",
       "body": f"أمطار خفيفة على الساحل ورياح معتدلة في اليوم {i} من الشهر."}
      for i in range(int(2 / RARE_SHARE))),  # one article: half the rare share
]


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory):
    return whoosh_index_of(tmp_path_factory.mktemp("related"), ARTICLES)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    yield from cluster_of(tmp_path_factory.mktemp("related-cluster"), ARTICLES)


@pytest.fixture(scope="module", params=["whoosh", "sphinx"])
def either(request, index_dir) -> Searcher:
    yield from either_searcher(request, index_dir)


def ids(page) -> list[str]:
    return [hit.id for hit in page.hits]


# ------------------------------------------------------------------ on an index
def test_a_rare_word_of_a_question_finds_its_roots_other_words(either):
    assert either.related.of("الصبر") == ("اصبر",)   # the stem of اصبروا
    # صيام: no article has it; صوما has its root
    assert either.related.of("الصيام") == ("صوم",)
    assert ids(either.search("ما هو الصيام؟")) == ["fast"]


def test_words_typed_as_words_find_what_was_typed(either):
    assert ids(either.search("الصيام")) == []
    assert ids(either.search("الصبر")) == ["noun"]


def test_the_word_itself_ranks_first(either):
    # one word: the article holding it before the one with its verb three times
    assert ids(either.search("ما الصبر؟")) == ["noun", "verb"]
    # two words: a related word is not the word, so only "noun" has both
    page = either.search("هل الصبر يأتي بالفرج؟")
    assert ids(page) == ["noun", "verb"]
    assert page.hits[0].score - page.hits[1].score > 1  # a coverage bonus at least


def test_a_required_word_is_not_met_by_a_related_word(either):
    assert ids(either.search("هل +الصبر يأتي بالفرج؟")) == ["noun"]


def test_related_words_rank_but_are_not_marked(either):
    # marking them would have the highlighter stem most words of every snippet
    page = either.search("ما الصبر؟")
    marks = {hit.id: [hit.snippet.text[start:end] for start, end in hit.snippet.matches]
             for hit in page.hits}
    assert marks == {"noun": ["الصبر"], "verb": []}


def test_common_words_and_names_get_none(either):
    assert either.related.of("الطقس") == ()   # in every weather bulletin
    assert either.related.of("خاشقجي") == ()  # a name: no pattern fits
    assert either.related.of("في") == ()


def test_excluded_words_keep_only_themselves(either):
    # -الصبر leaves out the article with the noun, not the one with the verb
    assert ids(either.search("هل يأتي الفرج -الصبر؟")) == ["verb"]


def test_the_backends_score_related_words_alike(index_dir, cluster):
    # the last question has اصبروا as a word and as الصبر's related word: one token twice
    questions = ("ما الصبر؟", "هل الصبر يأتي بالفرج؟", "ما هو الصيام؟", "ما الصبر ولماذا اصبروا؟")
    assert_ranked_alike(index_dir, cluster.address, questions)


def test_a_token_written_twice_has_two_query_positions():
    match = '((a | t_a) | (b | x_b)) | (((c | t_c) | (a | t_a))) | ("x_d x_e" MAYBE "t_d t_e")'
    assert query_positions(match) == ["a", "t_a", "b", "x_b", "c", "t_c", "a", "t_a",
                                      "x_d", "x_e", "t_d", "t_e"]


# ------------------------------------------------------------------ the choice alone
class CountedLexicon:
    """Article counts of stems, written for a test (no proclitics: a word's stem is the
    stemmer's)."""

    def __init__(self, counts: dict[str, int]):
        self.counts = counts

    def stem(self, word):
        return stem_base(word)

    def remembered(self, key, compute):
        return compute()

    def stem_counts(self, stems):
        return {stem: self.counts[stem] for stem in stems if self.counts.get(stem)}


def related(counts, word, articles=1000):
    return RelatedWords(CountedLexicon(counts), lambda: articles).of(word)


def test_the_most_frequent_relatives_are_kept():
    counts = {"تحريف": 2, "حرف": 90, "يحرف": 30, "محرف": 10, "تحرف": 5, "انحراف": 1}
    assert related(counts, "تحريف") == ("حرف", "يحرف", "محرف", "تحرف")[:MAX_RELATED]
    assert related({"يحرف": 3}, "تحريف") == ("يحرف",)   # the word itself need not be held
    assert related({"تحريف": 2}, "تحريف") == ()


def test_only_rare_words_are_related():
    counts = {"تحريف": 21, "يحرف": 30}
    assert related(counts, "تحريف", articles=int(21 / RARE_SHARE) - 1) == ()  # over the share
    assert related(counts, "تحريف", articles=int(21 / RARE_SHARE) + 1) == ("يحرف",)


def test_a_stem_of_another_root_is_left_out():
    # يستقال is a pattern of قول, but the stemmer makes it استقال, which reads as سقل
    assert stem_base("يستقال") == "استقال" and root_of("استقال") != root_of("قول")
    assert related({"قول": 1, "استقال": 99, "اقوال": 5}, "قول") == ("اقوال",)


def test_stop_words_are_never_related():
    # بات ("became") is built on the root of بيت, and is a stop word
    assert related({"بيت": 1, "بات": 500, "بوت": 3}, "بيت") == ("بوت",)
