"""The Arabic analyzers: tokens, offsets, stop words, proclitics, stems, pickling."""

import pickle

import pytest

from indexer.lexicon import Lexicon
from indexer.normalize import normalize
from indexer.stopwords import ARABIC_STOP_WORDS, normalized_stop_words
from indexer.whoosh.analysis import ArabicTokenizer, exact_analyzer, stemmed_analyzer
from indexer.words import WordAnalysis, lead_text

#: An index without counts: only the article and its combinations are cut.
stem_word = WordAnalysis(Lexicon({}, normalized_stop_words())).stem


def terms(text, analyzer=None):
    return [t.text for t in (analyzer or stemmed_analyzer())(text)]


@pytest.mark.parametrize(
    "variant",
    [
        "المدرسة",  # plain
        "المَدْرَسَةُ",  # vocalised
        "المدرسه",  # teh marbuta written as heh
        "المدرســة",  # tatweel
        "المدرس\u200cة",  # zero-width non-joiner
        "ﺍﻟﻤﺪﺭﺳﺔ",  # presentation forms
    ],
)
def test_spelling_variants_give_the_same_term(variant):
    assert terms(variant) == terms("المدرسة")
    assert terms(variant, exact_analyzer()) == ["المدرسه"]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("أحمد", "احمد"),
        ("إسلام", "اسلام"),
        ("آمال", "امال"),
        ("مستشفى", "مستشفي"),
        ("مسؤول", "مسئول"),
        ("٢٠٢٤", "2024"),
        ("۲۰۲۴", "2024"),
        ("ﻻعب", "لاعب"),
        ("کتاب", "كتاب"),
        ("یوم", "يوم"),
        ("IPHONE", "iphone"),
    ],
)
def test_equivalent_spellings(a, b):
    assert terms(a) == terms(b)
    assert terms(a, exact_analyzer()) == terms(b, exact_analyzer())


def test_tokenizer_keeps_vocalised_words_whole():
    words = [t.text for t in ArabicTokenizer()("كَتَبَ الطّالِبُ الدَّرْسَ")]
    assert words == ["كَتَبَ", "الطّالِبُ", "الدَّرْسَ"]


def test_tokenizer_splits_on_underscore_and_punctuation():
    words = [t.text for t in ArabicTokenizer()("#عاصي_الحلاني، قال: نعم!")]
    assert words == ["عاصي", "الحلاني", "قال", "نعم"]


def test_offsets_point_into_the_original_text():
    text = "وَصَلَ الـــوزيرُ إلى المُؤْتَمَرِ في ٢٠٢٤"
    for token in stemmed_analyzer()(text, chars=True):
        original = text[token.startchar:token.endchar]
        assert stem_word(normalize(original)) == token.text
    marked = [text[t.startchar:t.endchar] for t in stemmed_analyzer()(text, chars=True)]
    assert marked == ["وَصَلَ", "الـــوزيرُ", "المُؤْتَمَرِ", "٢٠٢٤"]


def test_stop_words_removed_in_both_spellings():
    assert terms("إلى الى على في") == []
    assert terms("ذهب إلى السوق") == terms("ذهب الى السوق")


def test_the_name_ali_is_not_the_stop_word_ala():
    """Folded, ``علي`` (the name) and ``على`` ("on") are one form; the written spelling
    decides, as Lucene's stop filter before its normaliser does."""
    assert terms("على") == []
    assert terms("علي") == terms("عَلِيّ") == terms("علـي") == [stem_word("علي")]
    assert terms("جلس علي على الكرسي") == [stem_word("جلس"), stem_word("علي"),
                                            stem_word("الكرسي")]
    assert terms("علي على", exact_analyzer()) == ["علي", "علي"]  # phrases see both
    positions = [t.pos for t in stemmed_analyzer()("علي على الكرسي", positions=True)]
    assert positions == [0, 1]  # the stop word's place is renumbered, as before


def test_stop_words_kept_in_exact_analyzer():
    assert terms("إلى السوق", exact_analyzer()) == ["الي", "السوق"]


def test_stop_list_is_normalised_data():
    stops = normalized_stop_words()
    assert "الي" in stops and "علي" in stops
    assert len(stops) <= len(set(ARABIC_STOP_WORDS))
    assert all(normalize(w) == w for w in stops)


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("والحكومه", "حكومه"),
        ("فالحكومه", "حكومه"),
        ("بالحكومه", "حكومه"),
        ("كالحكومه", "حكومه"),
        ("للحكومه", "حكومه"),
        ("الحكومه", "حكومه"),
        ("وقال", "قال"),
        ("فقالوا", "قالوا"),
        ("بقرار", "قرار"),
        ("لسوريا", "سوريا"),
    ],
)
def test_proclitics_stripped(word, expected, sample_words):
    assert sample_words.base(word) == expected


@pytest.mark.parametrize(
    "word",
    [
        "ولد",  # و + 2 letters: a word, not a proclitic
        "وطن",
        "فرنسا",  # ف needs 5 letters after it
        "فكره",  # "idea": would collide with "ball" if cut
        "الم",  # ال + one letter
        "بال",  # the word itself
        "لله",
        "بيان",  # ب + 3 letters
        "لقاء",  # ل + 3 letters
        "لبن",
    ],
)
def test_short_words_survive(word, sample_words):
    assert sample_words.base(word) == word


def test_conjoined_definite_article_stems_like_plain():
    assert terms("والحكومة") == terms("الحكومة") == terms("حكومة") == terms("للحكومة")
    assert terms("فالمدرسة") == terms("المدرسة")


def test_snowball_prefix_removal_undone():
    # Snowball reads these initial letters as prefixes; our stems keep them.
    assert stem_word("فرنسا").startswith("فرنس")
    assert stem_word("سيارات").startswith("سيار")
    assert stem_word("سياره") == stem_word("سيارات") or stem_word("سياره").startswith("سيار")


def test_feminine_plural_stems_like_singular():
    assert stem_word("احتجاجات") == stem_word("الاحتجاجات") == stem_word("احتجاج")
    assert stem_word("سيارات") == stem_word("سياره")
    assert stem_word("بات") == "بات"  # too short to be a plural


def test_lead_text_is_the_first_words():
    text = "الأول، الثاني\nالثالث الرابع."
    assert lead_text(text, 2) == "الأول، الثاني"
    assert lead_text(text, 4) == "الأول، الثاني\nالثالث الرابع"
    assert lead_text(text, 10) == "الأول، الثاني\nالثالث الرابع"
    assert lead_text("", 3) == lead_text("...", 3) == ""


def test_suffixes_stemmed():
    assert stem_word("معلمين") == stem_word("معلمون")
    assert stem_word("طالبه") == stem_word("طالب")


def test_latin_and_digits_not_stemmed():
    assert terms("COVID-19 5G") == ["covid", "19", "5g"]


def test_analyzers_pickle_and_compare_equal():
    for make in (stemmed_analyzer, exact_analyzer):
        analyzer = make()
        analyzer("تسخين الذاكرة المؤقتة")  # fill caches; they must not be pickled
        clone = pickle.loads(pickle.dumps(analyzer))
        assert clone == make()
        assert terms("المدرسة والحكومة", clone) == terms("المدرسة والحكومة", make())
        assert len(pickle.dumps(analyzer)) < 10_000


@pytest.mark.parametrize(
    "invisible", ["\u200e", "\u200f", "\u061c", "\u00ad", "\u2060", "\u2066", "\u2069",
                  "\u202b", "\ufeff"],
)
def test_invisible_character_inside_a_word_keeps_it_one_token(invisible):
    text = f"زار الوز{invisible}ير المدينة"
    tokens = [(t.text, t.pos, t.startchar, t.endchar)
              for t in exact_analyzer()(text, positions=True, chars=True)]
    assert [t[0] for t in tokens] == ["زار", "الوزير", "المدينه"]
    assert text[tokens[1][2]:tokens[1][3]] == f"الوز{invisible}ير"
    assert [t[1] for t in tokens] == [0, 1, 2]


def test_multi_word_ligature_gives_its_words_at_its_offsets():
    text = "قال النبي ﷺ اليوم"
    tokens = [(t.text, t.pos, t.startchar, t.endchar)
              for t in exact_analyzer()(text, positions=True, chars=True)]
    assert [t[0] for t in tokens] == ["قال", "النبي", "صلي", "الله", "عليه", "وسلم", "اليوم"]
    start = text.index("ﷺ")
    assert {(t[2], t[3]) for t in tokens[2:6]} == {(start, start + 1)}
    assert [t[1] for t in tokens] == list(range(7))
    assert [t.text for t in exact_analyzer()("جل ﷻ")] == ["جل", "جل", "جلاله"]
