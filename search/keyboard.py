"""A query typed on the wrong keyboard layout, read on the one that was meant.

Sits before parsing in the searcher (search/searcher.py): a reader who forgets to switch
the keyboard types ``hgkt'`` for ``النفط`` (the same keys on the standard Arabic PC layout),
or ``لخخلمث`` for ``google``. :class:`KeyboardReader` reads the text on the other layout and
says to search that reading instead when the index holds every word of it, at least
:data:`MIN_ARTICLES` articles each, and the words as typed are at least
:data:`MORE_FREQUENT` times rarer (a Latin query that finds articles of its own, ``gaza``,
stays as typed; an Arabic query with a word in :data:`MIN_ARTICLES` articles is not read as
Latin at all, which keeps the usual search free of the second look-up). The searcher says
so on the page (``SearchPage.keyboard``).
"""

from __future__ import annotations

import re

from search.backend import Lexicon
from search.highlight import is_noise_word
from search.layout import ARABIC_KEYS
from search.query import analyze_words

__all__ = ["KeyboardReader", "arabic_reading", "latin_readings", "MIN_ARTICLES",
           "MORE_FREQUENT"]

#: Each word of the other reading must be in at least this many articles.
MIN_ARTICLES = 3
#: ... and its rarest word this many times more frequent than the most frequent typed word.
MORE_FREQUENT = 10

_TO_ARABIC = {ord(key): value for key, value in ARABIC_KEYS.items() if len(key) == 1}
#: Each Arabic letter back to its key (``لا`` is read as ``g`` ``h``, and as ``b`` too).
_TO_LATIN = str.maketrans({v: k.lower() for k, v in ARABIC_KEYS.items()
                           if len(v) == 1 and "\u0621" <= v <= "\u064a" and k.isascii()})
_LATIN = re.compile(r"[A-Za-z]")
_ARABIC = re.compile(r"[\u0621-\u064a]")


def arabic_reading(text: str) -> str:
    """``text`` as the Arabic layout reads the same keys (other characters unchanged)."""
    return text.translate(_TO_ARABIC)


def latin_readings(text: str) -> list[str]:
    """``text`` as a US layout reads the same keys: ``لا`` as two keys, and as ``b``."""
    readings = [text.translate(_TO_LATIN)]
    if "لا" in text:
        readings.append(text.replace("لا", "b").translate(_TO_LATIN))
    return readings


def _content_words(text: str) -> list[str]:
    return [w for w, _, _ in analyze_words(text) if not is_noise_word(w)]


class KeyboardReader:
    """Decides, from the article counts of ``lexicon``, whether a query was typed on the
    wrong layout."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon

    def reading(self, text: str) -> str | None:
        """The other layout's reading of ``text`` when that is what was meant, else None."""
        latin, arabic = bool(_LATIN.search(text)), bool(_ARABIC.search(text))
        if latin == arabic:  # no letters, or both scripts: typed as meant
            return None
        typed = _content_words(text)
        if not typed:
            return None
        readings = [arabic_reading(text)] if latin else latin_readings(text)
        counts = self.lexicon.frequencies(typed)
        most = max((counts.get(w, 0) for w in typed), default=0)
        if arabic and most >= MIN_ARTICLES:
            return None  # Arabic words the index holds were meant as Arabic
        for reading in readings:
            words = _content_words(reading)
            if not words:
                continue
            found = self.lexicon.frequencies(words)
            rarest = min(found.get(w, 0) for w in words)
            if rarest >= MIN_ARTICLES and rarest > most * MORE_FREQUENT:
                return " ".join(reading.split())
        return None
