"""The issue's words on the real ANT corpus: with the lexicon a build of ANT collects, the
forms of a word meet both ways and the look-alikes stay apart. Skips without the corpus."""

from __future__ import annotations

import gzip
import json

import pytest

from indexer.normalize import normalize
from indexer.stopwords import normalized_stop_words
from indexer.words import WordAnalysis, count_words

MEET = [("فلسطين", "بفلسطين"), ("وزير", "الوزير"), ("لبنان", "ولبنان"), ("مصر", "بمصر"),
        ("بيروت", "ببيروت"), ("مسؤول", "مسئول"), ("شؤون", "شئون"), ("برنامج", "البرنامج"),
        ("بريطانيا", "لبريطانيا"), ("وزارة", "بالوزارة"), ("الانتخابات", "والانتخابات"),
        ("اليمنيين", "اليمن"), ("الحربين", "الحرب"), ("بيت", "البيت"), ("وطن", "الوطن"),
        ("بحر", "البحر")]
APART = [("وزارة", "زار"), ("واحد", "الأحد"), ("وطن", "طن"), ("بحر", "الحر"),
         ("المكسيك", "مكس"), ("مملكة", "ممل"), ("مالك", "مال")]


@pytest.fixture(scope="module")
def ant_words(shared_data) -> WordAnalysis:
    path = shared_data / "ant_news" / "ant_news.jsonl.gz"
    if not path.exists():
        pytest.skip(f"the ANT corpus is not at {path}")

    def texts():
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for line in fh:
                record = json.loads(line)
                yield f"{record.get('title') or ''}\n{record.get('body') or ''}"

    return WordAnalysis(count_words(texts(), normalized_stop_words()))


def stem(words, word):
    return words.stem(normalize(word))


@pytest.mark.parametrize(("a", "b"), MEET)
def test_forms_meet_on_ant_both_ways(ant_words, a, b):
    assert stem(ant_words, a) == stem(ant_words, b)
    assert stem(ant_words, b) == stem(ant_words, a)


@pytest.mark.parametrize(("a", "b"), APART)
def test_look_alikes_stay_apart_on_ant(ant_words, a, b):
    assert stem(ant_words, a) != stem(ant_words, b)


def test_every_stem_holds_only_letters_of_its_word_on_ant(ant_words, shared_data):
    """What lets a snippet skip stemming a word that lacks a sought stem's letters
    (indexer/words.py: STEM_EXTRA_LETTERS), checked on every word of ANT."""
    from indexer.words import stem_letters, surfaces

    path = shared_data / "ant_news" / "ant_news.jsonl.gz"
    seen: set[str] = set()
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            seen.update(surfaces(f"{record.get('title') or ''} {record.get('body') or ''}"))
    wrong = [(word, norm, found) for word in seen for norm, found in [ant_words.form(word)]
             if found and not stem_letters(found) <= set(norm)]
    assert len(seen) > 200_000 and wrong == []
