"""Roots and patterns (indexer/roots.py): which stems share a root, and which do not."""

from __future__ import annotations

import pytest

from indexer.roots import PATTERNS, ROOT_SLOTS, WEAK, derived_words, root_of


@pytest.mark.parametrize("stems, root", [
    (("صبر", "صابر", "اصبر", "تصبير", "يصبر", "مصبور"), "صبر"),
    (("حرف", "يحرف", "تحريف"), "حرف"),
    (("علم", "عالم", "اعلام", "معلوم", "استعلام", "تعليم"), "علم"),
    (("جهاد", "جاهد", "مجاهد"), "جهد"),
    (("انتقاد", "نقد", "منتقد"), "نقد"),
    (("انسحاب", "سحب", "يسحب"), "سحب"),
])
def test_the_forms_of_a_root_meet(stems, root):
    assert {stem: root_of(stem) for stem in stems} == dict.fromkeys(stems, root)


def test_long_vowels_of_a_root_are_one_letter():
    # صوم / صيام, قال / يقول: the root's و is written ا, و or ي
    assert root_of("صوم") == root_of("صيام") == "ص" + WEAK + "م"
    assert root_of("قال") == root_of("يقول") == "ق" + WEAK + "ل"
    # a long vowel is read as the pattern's before the root's
    assert root_of("صابر") == "صبر"
    assert root_of("يكون") == "ك" + WEAK + "ن"


def test_what_fits_no_pattern_has_no_root():
    assert root_of("خاشقج") is None   # a foreign name
    assert root_of("اب") is None      # too short
    assert root_of("اوي") is None     # vowels only
    assert root_of("") is None


def test_roots_that_must_stay_apart():
    # a proclitic-like first letter is the root's own; two letters have no root
    assert (root_of("وطن"), root_of("طن")) == (WEAK + "طن", None)
    assert (root_of("بحر"), root_of("حر")) == ("بحر", None)
    assert root_of("زار") != root_of("وزير")    # visited / minister
    assert root_of("كاتب") != root_of("مكسيك")


def test_derived_words_read_back_to_their_root():
    words = derived_words("صبر")
    assert {"صابر", "اصبر", "تصبير", "مصبور", "استصبار"} <= set(words)
    assert len(words) == len(set(words))
    assert all(root_of(word) == "صبر" for word in words)
    weak = derived_words("ص" + WEAK + "م")
    assert {"صوم", "صيام", "صام"} <= set(weak)
    assert all(root_of(word) == "ص" + WEAK + "م" for word in weak)


def test_every_pattern_has_the_three_letters_of_a_root_in_order():
    for pattern in PATTERNS:
        assert [letter for letter in pattern if letter in ROOT_SLOTS] == list(ROOT_SLOTS)
    assert len(PATTERNS) == len(set(PATTERNS))
