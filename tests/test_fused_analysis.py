"""The one-loop analyzer gives exactly the tokens of its chain of filters, and word_forms
gives exactly WORD_PATTERN's words with their normal forms and stems."""

import itertools
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh.analysis.analyzers import CompositeAnalyzer

from indexer.normalize import normalize
from indexer.whoosh.analysis import ArabicAnalyzer, LexiconSource, exact_analyzer, stemmed_analyzer
from indexer.words import WORD_PATTERN

_WORDS = LexiconSource().analysis()
stem_word, word_forms = _WORDS.stem, _WORDS.word_forms

TEXTS = [
    "",
    "ـــ َُ",
    "كَتَبَ الـــوزيرُ إلى المُؤْتَمَرِ في ٢٠٢٤ وفي عام ۲۰۲۵",
    "#عاصي_الحلاني، قال: نعم! a_b _x_ __ ـ_ـ",
    "ﺍﻟﻤﺪﺭﺳﺔ ﻻعب کتاب یوم COVID-19 5G iPhone ß ﬁ",
    "في في في الحكومة من الى على\u200cالحكومة\u200d والحكومة فالمدرسة",
    "قال علي على المنبر: عَلِيّ وعلـي على",  # the name kept, the stop word dropped
]
KEYS = ("text", "pos", "startchar", "endchar", "stopped", "boost", "original")
OPTIONS = [
    dict(zip(("positions", "chars", "keeporiginal", "removestops", "start_pos", "start_char"),
             values, strict=True))
    for values in itertools.product([False, True], [False, True], [False, True],
                                    [False, True], [0, 3], [0, 7])
]

# Arabic letters, marks, tatweel, joiners, digits, Latin, underscore and separators.
_ALPHABET = st.sampled_from(
    list("ابتةثجحخدذرسشصضطظعغفقكلمنهويىءآأإؤئ") + list("\u064b\u064e\u0650\u0651\u0652\u0640")
    + list("\u200c\u200d\u0660\u06f1\ufefb\ufe8d") + list("aZ9_ ،.-\n")
)


def _tokens(analyzer, text, **options):
    return [tuple(getattr(t, key, None) for key in KEYS) for t in analyzer(text, **options)]


def _chain(analyzer):
    return CompositeAnalyzer(*analyzer.items)  # the same filters, one generator each


@pytest.mark.parametrize("make", [stemmed_analyzer, exact_analyzer])
@pytest.mark.parametrize("text", TEXTS)
def test_fused_pass_equals_the_chain(make, text):
    fused = make()
    assert isinstance(fused, ArabicAnalyzer)
    for options in OPTIONS:
        for no_morph in (False, True):
            expected = _tokens(_chain(fused), text, no_morph=no_morph, **options)
            assert _tokens(fused, text, no_morph=no_morph, **options) == expected, options


@settings(max_examples=200, deadline=None)
@given(st.text(_ALPHABET, max_size=60))
def test_fused_pass_equals_the_chain_on_any_text(text):
    for make in (stemmed_analyzer, exact_analyzer):
        fused = make()
        for options in ({"positions": True}, {"chars": True, "removestops": False}):
            assert _tokens(fused, text, **options) == _tokens(_chain(fused), text, **options)


def test_same_text_twice_reuses_the_scan_and_stays_right():
    text = TEXTS[2]
    stemmed, exact = stemmed_analyzer(), exact_analyzer()
    first = _tokens(stemmed, text, positions=True)
    assert _tokens(exact, text, positions=True) == _tokens(_chain(exact), text, positions=True)
    assert _tokens(stemmed, text, positions=True) == first


def test_other_compositions_use_the_chain():
    from whoosh.analysis import LowercaseFilter

    analyzer = stemmed_analyzer() | LowercaseFilter()
    assert type(analyzer) is CompositeAnalyzer
    assert [t.text for t in analyzer("والحكومة")] == [t.text for t in stemmed_analyzer()("حكومة")]


@settings(max_examples=200, deadline=None)
@given(st.text(_ALPHABET, max_size=60))
def test_word_forms_are_word_pattern_words(text):
    expected = [
        (m.start(), m.end(), normalize(m.group()), stem_word(normalize(m.group())))
        for m in re.finditer(WORD_PATTERN, text)
    ]
    assert word_forms(text) == expected
