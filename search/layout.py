"""The standard Arabic (101) PC keyboard layout, key by key: one table for the two readers
of keys.

Under search/keyboard.py (a query typed on the wrong layout, ``hgkt'`` for ``النفط``) and
search/suggest/keyboard.py (a slip to the neighbouring key, ``ب`` for ``ي``, costs less in
"did you mean"). Plain data, no I/O.
"""

from __future__ import annotations

__all__ = ["ARABIC_KEYS", "KEY_ROWS", "arabic_rows"]

#: The Arabic character on each key of a US keyboard, unshifted, and the shifted keys that
#: give a letter or a mark.
ARABIC_KEYS: dict[str, str] = {
    "`": "ذ", "q": "ض", "w": "ص", "e": "ث", "r": "ق", "t": "ف", "y": "غ", "u": "ع", "i": "ه",
    "o": "خ", "p": "ح", "[": "ج", "]": "د", "a": "ش", "s": "س", "d": "ي", "f": "ب", "g": "ل",
    "h": "ا", "j": "ت", "k": "ن", "l": "م", ";": "ك", "'": "ط", "z": "ئ", "x": "ء", "c": "ؤ",
    "v": "ر", "b": "لا", "n": "ى", "m": "ة", ",": "و", ".": "ز", "/": "ظ",
    "H": "أ", "Y": "إ", "N": "آ", "G": "لأ", "T": "لإ", "B": "لآ", "J": "ـ",
    "Q": "\u064e", "W": "\u064b", "E": "\u064f", "R": "\u064c", "A": "\u0650", "S": "\u064d",
    "X": "\u0652", "~": "\u0651",
}  # fmt: skip

#: The letter rows of the keyboard (the ``q``, ``a`` and ``z`` rows), left to right as the
#: keys sit, and how far each row is shifted right of the first.
KEY_ROWS: tuple[tuple[str, float], ...] = (
    ("qwertyuiop[]", 0.0),
    ("asdfghjkl;'", 0.25),
    ("zxcvbnm,./", 0.75),
)


def arabic_rows() -> tuple[tuple[tuple[str, ...], float], ...]:
    """The Arabic characters of each row's keys (one entry a key: ``لا`` is one key), with
    the row's shift."""
    return tuple((tuple(ARABIC_KEYS[key] for key in keys), shift) for keys, shift in KEY_ROWS)
