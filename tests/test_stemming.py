"""Endings (indexer/stemming.py and the dual rule of indexer/words.py), word by word."""

import pytest

from indexer.lexicon import Lexicon
from indexer.normalize import normalize
from indexer.stemming import stem_base
from indexer.words import WordAnalysis

WORDS = WordAnalysis(Lexicon({"حرب": 5, "الحرب": 9, "اليمن": 4, "يمن": 2}))


def stem(word):
    return WORDS.stem(normalize(word))


@pytest.mark.parametrize(
    ("a", "b"),
    [("اليمنيين", "يمنيون"), ("اليمنيين", "اليمن"), ("يمنيون", "يمني"), ("المصريين", "مصر"),
     ("الحربين", "حرب"), ("الحربين", "الحرب"), ("السياسيين", "السياسي"),
     ("الفلسطينيين", "فلسطين")],
)
def test_plural_dual_and_nisba_meet(a, b):
    assert stem(a) == stem(b)
    assert stem(b) == stem(a)


@pytest.mark.parametrize("word", ["المكسيك", "مملكة", "مالك", "اشتراك", "شريك", "إدراك"])
def test_final_kaf_is_kept(word):
    assert stem(word).endswith("ك")


@pytest.mark.parametrize(("a", "b"), [("مالك", "مال"), ("المكسيك", "مكس"), ("مملكة", "ممل"),
                                      ("تعيين", "تعي"), ("لبنان", "لبن")])
def test_words_are_not_cut_into_others(a, b):
    assert stem(a) != stem(b)


def test_dual_ending_needs_a_known_singular():
    assert stem_base("حربين") == "حربين"  # Snowball alone leaves it
    assert stem("تعيين") == "تعيين"
