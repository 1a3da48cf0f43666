"""The proclitic decision (indexer/lexicon.py) word by word: the forms of a word meet on one
stem, and the pairs that only look alike stay apart (counts in conftest.SAMPLE_COUNTS)."""

import pytest

from indexer.lexicon import LEXICON_FILE, Lexicon
from indexer.normalize import normalize
from indexer.words import count_words


def same(words, a, b):
    return words.stem(normalize(a)) == words.stem(normalize(b))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("فلسطين", "بفلسطين"), ("فلسطين", "لفلسطين"), ("وزير", "الوزير"), ("وزير", "والوزير"),
        ("لبنان", "ولبنان"), ("لبنان", "بلبنان"), ("مصر", "بمصر"), ("مصر", "وبمصر"),
        ("بيروت", "ببيروت"), ("وزارة", "الوزارة"), ("وزارة", "بالوزارة"), ("وزارة", "للوزارة"),
        ("واحد", "الواحد"), ("وطن", "الوطن"), ("وطن", "والوطن"), ("بحر", "البحر"),
        ("بيت", "البيت"), ("برنامج", "البرنامج"), ("بريطانيا", "لبريطانيا"),
        ("الانتخابات", "والانتخابات"), ("قال", "وقال"), ("مسؤول", "المسئول"),
    ],
)
def test_forms_of_a_word_meet_both_ways(sample_words, a, b):
    assert same(sample_words, a, b)
    assert same(sample_words, b, a)


@pytest.mark.parametrize(
    ("a", "b"),
    [("وزارة", "زار"), ("وزارة", "زارة"), ("واحد", "الأحد"), ("واحد", "أحد"), ("وطن", "طن"),
     ("بحر", "الحر"), ("بحر", "حر"), ("فلسطين", "لسطين"), ("وزير", "زير"), ("لبنان", "بنان"),
     ("برنامج", "رنامج"), ("بريطانيا", "ريطانيا"), ("بيت", "يت")],
)
def test_look_alikes_stay_apart(sample_words, a, b):
    assert not same(sample_words, a, b)
    assert not same(sample_words, b, a)


def test_unseen_word_is_decided_by_the_same_rule(sample_words):
    # never counted: the rest is a known word, the whole is not
    assert sample_words.base("وببيروت") == "بيروت"
    assert sample_words.base("فبيروت") == "بيروت"
    assert sample_words.base("وزيتون") == "وزيتون"  # زيتون is not known either


def test_article_combinations_are_cut_by_form():
    lexicon = Lexicon({}, frozenset({"له"}))
    assert lexicon.base("والمدرسه") == lexicon.base("للمدرسه") == "مدرسه"
    assert lexicon.base("الله") == "الله"  # the rest is a stop word
    assert lexicon.base("الم") == "الم"  # one letter left
    assert lexicon.base("وقال") == "وقال"  # no counts: letters stay


def test_counts_are_collected_saved_and_loaded(tmp_path):
    texts = ["قال الوزير بمصر", "وقال الوزير في مصر", "مصر مصر كلمة"]
    lexicon = count_words(texts)
    assert lexicon.count("مصر") == 3 and lexicon.count("الوزير") == 2
    assert lexicon.count("كلمه") == 1 and lexicon.count("غايب") == 0
    lexicon.save(tmp_path)
    assert Lexicon.load(tmp_path).counts == lexicon.counts
    opened = Lexicon.open(tmp_path)  # looked up in place: the same counts and decisions
    assert dict(opened.counts) == lexicon.counts
    for word in ("مصر", "بمصر", "وقال", "الوزير", "غايب"):
        assert opened.count(word) == lexicon.count(word)
        assert opened.base(word) == lexicon.base(word)


def test_a_missing_or_garbled_lexicon_fails_clearly(tmp_path):
    with pytest.raises(FileNotFoundError):
        Lexicon.load(tmp_path)
    (tmp_path / LEXICON_FILE).write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(ValueError, match="not a counts table"):
        Lexicon.load(tmp_path)
    with pytest.raises(ValueError, match="not a counts table"):
        Lexicon.open(tmp_path)
