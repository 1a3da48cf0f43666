"""Name variants (search/variants.py) and the keyboard layout (search/keyboard.py), on both
backends: a Whoosh folder and a 2-node Sphinx cluster holding :data:`ARTICLES`."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from search import Searcher
from search.cli import main as search_main
from search.keyboard import arabic_reading, latin_readings
from search.results import Expansion
from search.variants import MAX_VARIANTS, NameVariants, spelling_candidates
from tests.conftest import cluster_of, either_searcher, whoosh_index_of

#: Names in two spellings each, ordinary words that differ by a long vowel or a G letter
#: and carry pronouns, and a Latin word: written for these tests.
ARTICLES = [
    {"id": "n1", "title": "ترامب يلتقي رئيس الوزراء",
     "body": "التقى الرئيس ترامب رئيس الوزراء في البيت الأبيض، وقال ترامب إن اللقاء كان مثمرا."},
    {"id": "n2", "title": "ترمب يغادر القمة مبكرا",
     "body": "غادر ترمب القمة قبل موعدها."},
    {"id": "n3", "title": "شركة غوغل تطلق خدمة للخرائط",
     "body": "أعلنت غوغل خدمة جديدة للخرائط على موقع google للبحث."},
    {"id": "n4", "title": "جوجل تحدث تطبيق البريد",
     "body": "حدثت جوجل تطبيق البريد، كما ذكر موقع google الرسمي."},
    {"id": "n5", "title": "نتنياهو يلقي خطابا",
     "body": "ألقى نتنياهو خطابا أمام البرلمان."},
    {"id": "n6", "title": "نتانياهو في زيارة رسمية",
     "body": "وصل نتانياهو في زيارة رسمية، وتناول حديث google عن الزيارة."},
    {"id": "o1", "title": "مكتب جديد للبريد",
     "body": "افتتح المكتب الجديد أبوابه، وقال مدير مكتبه إن مكتبها الآخر يبقى مفتوحا."},
    {"id": "o2", "title": "مكاتب الشركة في المدينة",
     "body": "نقلت الشركة مكاتبها إلى وسط المدينة، وتضم مكاتبه الجديدة قاعة كبيرة."},
    {"id": "k1", "title": "أسعار القمح ترتفع", "body": "ارتفعت أسعار القمح في الأسواق."},
    {"id": "k2", "title": "محصول القمح وفير", "body": "جاء محصول القمح وفيرا هذا العام."},
    {"id": "k3", "title": "استيراد القمح", "body": "زاد استيراد القمح بعد الجفاف."},
]


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory):
    return whoosh_index_of(tmp_path_factory.mktemp("variants"), ARTICLES)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    yield from cluster_of(tmp_path_factory.mktemp("variants-cluster"), ARTICLES)


@pytest.fixture(scope="module", params=["whoosh", "sphinx"])
def either(request, index_dir) -> Searcher:
    yield from either_searcher(request, index_dir)


def ids(page) -> list[str]:
    return [hit.id for hit in page.hits]


# ------------------------------------------------------------------ the rules alone
def test_candidates_follow_the_three_rules():
    assert "ترمب" in spelling_candidates("ترامب")       # a long vowel left out
    assert "بوتين" in spelling_candidates("بوتن")       # ... or written
    assert "جوجل" in spelling_candidates("غوغل")        # every G letter alike
    assert "غوجل" not in spelling_candidates("غوغل")
    assert "روسيه" in spelling_candidates("روسيا")      # final ا / ه
    assert spelling_candidates("علم") == []            # too short to vary
    assert "ترامب" not in spelling_candidates("ترامب")


class CountedLexicon:
    """Article counts written for a test (no proclitics, every word its own stem)."""

    def __init__(self, counts: dict[str, int], together: dict[frozenset, int] | None = None):
        self.counts = counts
        self.together = together or {}

    def frequencies(self, words):
        return {w: self.counts[w] for w in words if self.counts.get(w)}

    def shared(self, word, other):
        return self.together.get(frozenset((word, other)), 0)

    def base(self, word):
        return word

    def remembered(self, key, compute):
        return compute()

    def stem(self, word):
        return word


def variants(counts, together=None, word=None):
    return NameVariants(CountedLexicon(counts, together)).of(word or next(iter(counts)))


def test_a_name_and_its_spellings_the_index_holds():
    assert variants({"ترامب": 100, "ترمب": 20}) == ("ترمب",)
    assert variants({"ترمب": 20, "ترامب": 100}) == ("ترامب",)
    assert variants({"ترامب": 100}) == ()  # only spellings that occur
    many = {"نتنياهو": 90, "نتانياهو": 80, "نيتنياهو": 3, "ناتنياهو": 2, "نتناياهو": 1}
    assert variants(many) == ("نتانياهو", "نيتنياهو", "ناتنياهو")[:MAX_VARIANTS]


def test_ordinary_words_do_not_merge():
    # pronouns: مكتبه and مكاتبها are written, so these are two words
    assert variants({"مكتب": 50, "مكاتب": 30, "مكتبه": 12, "مكاتبها": 8}) == ()
    # a form of a shorter word (كتاب + ها), a verb of another person (يتراوح)
    assert variants({"كتابها": 50, "كتبها": 5, "كتاب": 40}) == ()
    assert variants({"تتراوح": 50, "تتراح": 2, "يتراوح": 20}) == ()
    # the article: المدينه is written as often as a noun's article form is
    assert variants({"مدينه": 100, "مدينيه": 5, "المدينه": 60}) == ()
    # the article seldom, as a brand name takes it
    assert variants({"فيسبوك": 100, "فايسبوك": 10, "الفيسبوك": 6}) == ("فايسبوك",)


def test_two_names_found_together_are_two_people():
    counts = {"محمد": 400, "محمود": 100}
    assert variants(counts, {frozenset(counts): 40}) == ()
    assert variants(counts, {frozenset(counts): 5}) == ("محمود",)


def test_the_lexicon_counts_words_alike_on_both_backends(either):
    lexicon = either.backend.lexicon
    assert lexicon.frequencies(["ترامب", "ترمب", "القمح", "غايب"]) == {
        "ترامب": 1, "ترمب": 1, "القمح": 3}
    assert lexicon.shared("ترامب", "الرءيس") == 1 and lexicon.shared("ترامب", "ترمب") == 0
    assert lexicon.base("والقمح") == "قمح" and lexicon.stem("القمح") == lexicon.stem("قمح")
    assert lexicon.remembered(("test", 1), lambda: "first") == "first"
    assert lexicon.remembered(("test", 1), lambda: "second") == "first"


# ------------------------------------------------------------------ variants found
def test_each_spelling_finds_the_other_below_itself(either):
    page = either.search("ترامب")
    assert ids(page) == ["n1", "n2"]
    assert page.expansions == (Expansion("ترامب", ("ترمب",)),)
    other = either.search("ترمب")
    assert ids(other) == ["n2", "n1"]
    assert other.expansions == (Expansion("ترمب", ("ترامب",)),)


def test_g_letters_and_long_vowels(either):
    assert set(ids(either.search("جوجل"))) == {"n3", "n4"}
    assert set(ids(either.search("غوغل"))) == {"n3", "n4"}
    assert set(ids(either.search("نتانياهو"))) == {"n5", "n6"}


def test_variants_are_marked_in_snippets(either):
    hit = next(h for h in either.search("ترامب").hits if h.id == "n2")
    assert "<mark>ترمب</mark>" in hit.title_highlight.html


def test_the_article_page_marks_the_variants(either):
    assert "<mark>ترمب</mark>" in either.get("n2", query="ترامب").title_html


def test_ordinary_words_with_pronouns_do_not_merge(either):
    page = either.search("مكتب")
    assert ids(page) == ["o1"] and page.expansions == ()
    assert ids(either.search("مكاتب")) == ["o2"]


def test_quoted_words_and_exclusions(either):
    assert ids(either.search('"ترامب"')) == ["n1"]  # exactly this spelling
    page = either.search("الرئيس -ترمب")
    assert "n1" not in ids(page) and "n2" not in ids(page)


def test_rank_finds_the_variants_too(either):
    assert [doc for doc, _ in either.rank("ترمب")] == ["n2", "n1"]


# ------------------------------------------------------------------ keyboard layout
def test_keyboard_readings():
    assert arabic_reading("hgkt'") == "النفط"
    assert arabic_reading("hgrlp") == "القمح"
    assert "google" in latin_readings("لخخلمث")
    assert "bbc" in latin_readings("لالاؤ")


def test_latin_keys_meaning_arabic_are_searched_as_arabic(either):
    page = either.search("hgrlp")
    assert page.keyboard == "القمح"
    assert set(ids(page)) == {"k1", "k2", "k3"}
    assert page.to_dict()["keyboard"] == "القمح"


def test_arabic_keys_meaning_a_latin_word(either):
    page = either.search("لخخلمث")
    assert page.keyboard == "google" and set(ids(page)) == {"n3", "n4", "n6"}


def test_words_of_the_index_stay_as_typed(either):
    assert either.search("google").keyboard is None
    assert either.search("القمح").keyboard is None
    assert either.search("qwzx").keyboard is None  # neither reading is in the index


# ------------------------------------------------------------------ shown
def test_the_command_line_says_so(index_dir):
    result = CliRunner().invoke(search_main, ["--index-dir", str(index_dir), "ترامب"])
    assert result.exit_code == 0, result.output
    assert "«ترامب» وتشمل: ترمب" in result.output
    result = CliRunner().invoke(search_main, ["--index-dir", str(index_dir), "hgrlp"])
    assert "searched «القمح»" in result.output
    result = CliRunner().invoke(search_main, ["--index-dir", str(index_dir), "--json", "ترمب"])
    assert json.loads(result.output)["expansions"] == [{"word": "ترمب", "variants": ["ترامب"]}]


def test_the_page_and_the_api_say_so(index_dir):
    from web import close_searcher, create_app

    app = create_app({"TESTING": True, "FAHRAS_INDEX_DIR": str(index_dir)})
    try:
        client = app.test_client()
        html = client.get("/?q=ترامب").get_data(as_text=True)
        assert "وتشمل: <bdi>ترمب</bdi>" in html
        html = client.get("/?q=hgrlp").get_data(as_text=True)
        assert "نتائج البحث عن <bdi>القمح</bdi>" in html
        answer = client.get("/api/search?q=ترامب").get_json()
        assert answer["expansions"] == [{"word": "ترامب", "variants": ["ترمب"]}]
        assert answer["keyboard"] is None
    finally:
        close_searcher(app)
