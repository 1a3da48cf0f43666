"""Arabic text normalisation: the one table every part of Fahras uses.

Sits at the very start of the flow: the analyzer (indexer/whoosh/analysis.py) applies
:func:`normalize` to each token of the original text, the searcher applies it to
query words, prefixes and suggestions, and the highlighter compares normalised
forms, so a word typed one way finds the same word written another way.

The table follows DESIGN.md §2. Letter names come from pyarabic's constants; its
``normalize_hamza``/``normalize_alef`` helpers are deliberately not used (they map
أ to ء and ى to ا, which is not what we want).
"""

from __future__ import annotations

import re
import unicodedata

from pyarabic import araby

__all__ = [
    "normalize",
    "NORMALIZATION_TABLE",
    "NORMALIZATION_VERSION",
    "is_arabic_mark",
    "INVISIBLE_CHARS",
    "LIGATURE_WORDS",
]

#: Bump when the table changes: indexes built with another version must be rebuilt.
NORMALIZATION_VERSION = 2

_INVISIBLE = [0x200C, 0x200D, 0x200E, 0x200F, 0x061C, 0xFEFF, 0x00AD, 0x2060]
_INVISIBLE += list(range(0x202A, 0x202E + 1)) + list(range(0x2066, 0x2069 + 1))

#: Invisible format characters: removed, and never a word boundary (the tokenizer keeps a
#: word that holds one whole: indexer/whoosh/analysis.py's WORD_PATTERN lists them).
INVISIBLE_CHARS = "".join(chr(cp) for cp in _INVISIBLE)

_MARKS = (
    list(range(0x0610, 0x061A + 1))
    + list(range(0x064B, 0x065F + 1))
    + list(range(0x06D6, 0x06ED + 1))
)

#: Ligatures that stand for several words, and their words: the tokenizer turns each into
#: these words (all at the ligature's offsets). NFKC spells out the first two; the others
#: have no decomposition in Unicode.
LIGATURE_WORDS: dict[str, tuple[str, ...]] = {
    "\ufdfa": ("صلى", "الله", "عليه", "وسلم"),
    "\ufdfb": ("جل", "جلاله"),
    "\ufdfd": ("بسم", "الله", "الرحمن", "الرحيم"),
    "\ufdfe": ("سبحانه", "وتعالى"),
    "\ufdff": ("عز", "وجل"),
}

_LETTERS = {
    araby.ALEF_MADDA: araby.ALEF,
    araby.ALEF_HAMZA_ABOVE: araby.ALEF,
    araby.ALEF_HAMZA_BELOW: araby.ALEF,
    araby.ALEF_WASLA: araby.ALEF,
    "\u0672": araby.ALEF,  # alef with wavy hamza above
    "\u0673": araby.ALEF,  # alef with wavy hamza below
    araby.ALEF_MAKSURA: araby.YEH,
    "\u06cc": araby.YEH,  # Farsi yeh
    "\u06d2": araby.YEH,  # yeh barree
    araby.TEH_MARBUTA: araby.HEH,
    "\u06c0": araby.HEH,  # heh with yeh above
    "\u06c1": araby.HEH,  # heh goal
    "\u06d5": araby.HEH,  # ae
    "\u06a9": araby.KAF,  # keheh
    "\u06af": araby.KAF,  # gaf
    "\u06a4": araby.FEH,  # veh
    "\u067e": araby.BEH,  # peh
    "\u0686": araby.JEEM,  # tcheh
    "\u0670": araby.ALEF,  # superscript (dagger) alef: read, not dropped
    araby.WAW_HAMZA: araby.HAMZA,  # one seat for every hamza: مسؤول = مسئول
    araby.YEH_HAMZA: araby.HAMZA,
}

#: A final hamza after yeh is the same word as a final yeh-seated hamza (شيء = شئ).
_FINAL_YEH_HAMZA = re.compile(araby.YEH + araby.HAMZA + r"(?!\w)")


def _build_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {cp: None for cp in _INVISIBLE + _MARKS}
    table[ord(araby.TATWEEL)] = None
    table.update({ord(src): dst for src, dst in _LETTERS.items()})
    for zero in (0x0660, 0x06F0):  # Arabic-Indic and Persian (extended) digits
        table.update({zero + d: str(d) for d in range(10)})
    return table


#: ``str.translate`` table: code point -> replacement (``None`` deletes).
NORMALIZATION_TABLE: dict[int, str | None] = _build_table()

_MARK_SET = frozenset(chr(cp) for cp in _MARKS) | {araby.TATWEEL}


def is_arabic_mark(char: str) -> bool:
    """True for a diacritic, Quranic mark or tatweel: characters that vanish in normalisation."""
    return char in _MARK_SET


def normalize(text: str) -> str:
    """Return ``text`` in Fahras's normal form.

    NFKC (presentation forms and lam-alef ligatures to base letters), then the
    table (marks, tatweel and invisible characters removed; alef, yeh, heh, kaf,
    hamza seats, letters for foreign sounds and digits unified), a final ``يء`` read as
    ``ء``, then Latin case folding. Pure and idempotent.
    """
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    text = text.translate(NORMALIZATION_TABLE)
    if araby.HAMZA in text:
        text = _FINAL_YEH_HAMZA.sub(araby.HAMZA, text)
    return text.casefold()
