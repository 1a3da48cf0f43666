"""The normalisation table of DESIGN.md §2, row by row."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indexer.normalize import NORMALIZATION_TABLE, is_arabic_mark, normalize


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # compatibility forms and lam-alef ligatures -> base letters (NFKC)
        ("\ufefb", "لا"),  # ﻻ lam-alef isolated
        ("\ufef7", "لا"),  # ﻷ lam-alef with hamza above -> then alef unified
        ("\ufe8d\ufee0\ufecb\ufee0\ufee2", "العلم"),  # presentation forms
        ("\ufdf2", "الله"),  # ligature
    ],
)
def test_compatibility_forms(raw, expected):
    assert normalize(raw) == expected


@pytest.mark.parametrize(
    "invisible",
    ["\u200c", "\u200d", "\u200e", "\u200f", "\u061c", "\u202a", "\u202b", "\u202c",
     "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069", "\ufeff", "\u00ad",
     "\u2060"],
)
def test_invisible_format_characters_removed(invisible):
    assert normalize(f"كت{invisible}اب") == "كتاب"


def test_tatweel_removed():
    assert normalize("كـــبير") == "كبير"


@pytest.mark.parametrize(
    "mark",
    [chr(cp) for cp in [*range(0x0610, 0x061B), *range(0x064B, 0x0660),
                        *range(0x06D6, 0x06EE)]],
)
def test_every_diacritic_and_quranic_mark_removed(mark):
    assert normalize(f"ع{mark}لم") == "علم"
    assert is_arabic_mark(mark)


def test_fully_vocalised_word():
    assert normalize("الطَّالِبُ") == "الطالب"
    assert normalize("كَتَبَ") == "كتب"


@pytest.mark.parametrize("alef", ["\u0622", "\u0623", "\u0625", "\u0671", "\u0672", "\u0673"])
def test_alef_forms(alef):
    assert normalize(f"{alef}مل") == "امل"


@pytest.mark.parametrize("yeh", ["\u0649", "\u06cc", "\u06d2"])
def test_yeh_forms(yeh):
    assert normalize(f"عل{yeh}") == "علي"


@pytest.mark.parametrize("heh", ["\u0629", "\u06c0", "\u06c1", "\u06d5"])
def test_teh_marbuta_and_heh_forms(heh):
    assert normalize(f"مدرس{heh}") == "مدرسه"


def test_keheh():
    assert normalize("\u06a9تاب") == "كتاب"


def test_hamza_on_waw_and_yeh_is_one_hamza():
    assert normalize("مؤتمر") == "مءتمر"
    assert normalize("رئيس") == "رءيس"


def test_arabic_indic_and_persian_digits():
    assert normalize("٠١٢٣٤٥٦٧٨٩") == "0123456789"
    assert normalize("۰۱۲۳۴۵۶۷۸۹") == "0123456789"


def test_latin_casefolded():
    assert normalize("iPhone COVID") == "iphone covid"


def test_hamza_alone_and_waw_kept():
    # bare hamza and plain letters are not touched
    assert normalize("سماء") == "سماء"
    assert normalize("وطن") == "وطن"


def test_table_is_one_translate_table():
    assert NORMALIZATION_TABLE[0x0640] is None
    assert NORMALIZATION_TABLE[0x0623] == "ا"


@given(st.text())
def test_idempotent(text):
    once = normalize(text)
    assert normalize(once) == once


@pytest.mark.parametrize(
    ("a", "b"),
    [("مسؤول", "مسئول"), ("شؤون", "شئون"), ("شيء", "شئ"), ("رئيس", "رءيس"),
     ("المسؤولين", "المسئولين")],
)
def test_hamza_seats_meet(a, b):
    assert normalize(a) == normalize(b)
    assert normalize(b) == normalize(a)


@pytest.mark.parametrize(("a", "b"), [("مسؤول", "مسول"), ("شيء", "شي"), ("سوء", "سو")])
def test_hamza_is_not_dropped(a, b):
    assert normalize(a) != normalize(b)


@pytest.mark.parametrize(
    ("foreign", "arabic"),
    [("ڤيديو", "فيديو"), ("پاكستان", "باكستان"), ("چاي", "جاي"), ("گوگل", "كوكل")],
)
def test_letters_for_foreign_sounds(foreign, arabic):
    assert normalize(foreign) == normalize(arabic)


def test_superscript_alef_is_read_as_alef():
    assert normalize("ٱلْكِتَٰبُ") == "الكتاب"
    assert normalize("ٱلْكِتَٰبُ") != normalize("الكتب")
