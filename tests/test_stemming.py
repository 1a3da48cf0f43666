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


def test_a_stem_holds_only_letters_of_its_word_and_the_extra_ones():
    """Snippets skip stemming a word that lacks a sought stem's letters (indexer/words.py);
    the words of the seed articles, and the verb forms whose stem gains an alef."""
    from pathlib import Path

    from indexer.stopwords import normalized_stop_words
    from indexer.words import stem_letters, surfaces

    seeds = Path(__file__).resolve().parents[1] / "seeds"
    words = {w for path in seeds.glob("*.txt") for w in surfaces(path.read_text("utf-8"))}
    words |= {"يستعدون", "تستجيب", "نستغل", "ويستهلكون", "فتستهدفه"}
    analysis = WordAnalysis(Lexicon({}, normalized_stop_words()))
    checked = 0
    for word in words:
        norm, stem = analysis.form(word)
        if stem:
            assert stem_letters(stem) <= set(norm), (word, norm, stem)
            checked += 1
    assert checked > 500
    assert analysis.form("يستعدون")[1].startswith("است")  # the alef the stemmer writes
