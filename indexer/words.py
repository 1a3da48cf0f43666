"""The words of a text and their analysis: the Whoosh-free core of Fahras's Arabic.

Sits under everything that reads words: the analyzers (indexer/whoosh/analysis.py) feed its
tokens to Whoosh, the query parser (search/query.py) cuts queries with it, the compiler
and the highlighter (search/compiler.py, search/highlight.py) stem and compare with the
:class:`WordAnalysis` of the index they read. A :class:`WordAnalysis` belongs to one
index (its :class:`~indexer.lexicon.Lexicon` says which first letters are proclitics)
and remembers the forms it has seen, within a bound.

Tokenising follows the ORIGINAL text: a word keeps the offsets of the text as written
(diacritics, tatweel, invisible characters inside it); a multi-word ligature (``ﷺ``)
gives its words, each at the ligature's offsets.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable

from indexer.lexicon import Lexicon
from indexer.normalize import LIGATURE_WORDS, normalize
from indexer.stemming import stem_base
from indexer.stopwords import normal_word

__all__ = [
    "WORD_PATTERN", "WordAnalysis", "spans", "surfaces", "lead_text", "LEAD_WORDS", "count_words",
    "STEM_EXTRA_LETTERS", "stem_letters",
]

#: Marks, tatweel, invisible format characters (LRM/RLM, ALM, soft hyphen, word joiner,
#: isolates, BOM…) and the multi-word ligatures (U+FDF0–U+FDFF) are word characters: a
#: word they sit inside stays one token (normalisation removes or expands them).
_IN_WORD = (r"\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED\u0640\u200C-\u200F\u061C"
            r"\u00AD\u2060\u202A-\u202E\u2066-\u2069\uFEFF\uFDF0-\uFDFF")
#: A word: letters and digits (not ``_``) plus the characters above.
WORD_PATTERN = rf"(?:[^\W_]|[{_IN_WORD}])+"

#: How many words of an article's body make its lead (the ``lead`` field).
LEAD_WORDS = 40

#: WORD_PATTERN's characters plus ``_`` in ONE character class, twice as fast to scan as
#: its alternation; a match holding ``_`` is split by WORD_PATTERN itself.
_SCAN = re.compile(rf"[\w{_IN_WORD}]+")
_WORD = re.compile(WORD_PATTERN)
_LIGATURE = re.compile("[" + "".join(LIGATURE_WORDS) + "]")

Span = tuple[str, int, int]
_DUAL_PLURAL = ("ين", "ون")
#: The letters a stem may hold that its normalised word does not (the stemmer writes ``است``
#: for ``يست``, ``تست``, ``نست``); every other letter of a stem is one of its word's
#: (tests/test_stemming.py checks it on the corpora, word by word).
STEM_EXTRA_LETTERS = frozenset("ايء")


def stem_letters(stem: str) -> frozenset[str]:
    """The letters any word whose stem is ``stem`` holds in its normal form."""
    return frozenset(stem) - STEM_EXTRA_LETTERS


def _split_ligatures(surface: str, offset: int) -> list[Span]:
    out: list[Span] = []
    position = 0
    for match in _LIGATURE.finditer(surface):
        if match.start() > position:
            out.append((surface[position:match.start()], offset + position, offset + match.start()))
        out += [(word, offset + match.start(), offset + match.end())
                for word in LIGATURE_WORDS[match.group()]]
        position = match.end()
    if position < len(surface):
        out.append((surface[position:], offset + position, offset + len(surface)))
    return out


def spans(text: str) -> list[Span]:
    """``(surface, start, end)`` of each word of ``text`` (WORD_PATTERN's words, ligatures
    spelled out)."""
    found: list[Span] = []
    for match in _SCAN.finditer(text):
        if "_" in match.group():
            offset = match.start()
            found += [(sub.group(), offset + sub.start(), offset + sub.end())
                      for sub in _WORD.finditer(match.group())]
        else:
            found.append((match.group(), match.start(), match.end()))
    if _LIGATURE.search(text):
        found = [piece for surface, start, _ in found for piece in _split_ligatures(surface, start)]
    return found


def surfaces(text: str) -> list[str]:
    """The words of ``text``, as :func:`spans` finds them (faster: no offsets)."""
    if "_" in text or _LIGATURE.search(text):
        return [surface for surface, _, _ in spans(text)]
    return _SCAN.findall(text)


def lead_text(text: str, words: int = LEAD_WORDS) -> str:
    """The beginning of ``text`` up to the end of its ``words``-th word (all of it when shorter)."""
    end = 0
    for count, match in enumerate(_WORD.finditer(text), start=1):
        end = match.end()
        if count >= words:
            break
    return text[:end]


def count_words(texts: Iterable[str], stop_words: frozenset[str] = frozenset(),
                on_words: Callable[[list[str]], object] | None = None) -> Lexicon:
    """The lexicon of ``texts``: how often each normal form is seen (the build's first pass).
    ``on_words`` is given the words of each text as written (the build counts its word pairs
    there, indexer/pairs.py)."""
    seen: Counter[str] = Counter()
    for text in texts:
        words = surfaces(text)
        seen.update(words)
        if on_words is not None:
            on_words(words)
    normal: Counter[str] = Counter()
    for surface, count in seen.items():
        normal[normalize(surface)] += count
    normal.pop("", None)
    return Lexicon.collect_counts(normal, stop_words)


class WordAnalysis:
    """Normal form and stem of words, for one index (its lexicon), remembered within a bound.

    ``memo`` bounds the forms kept (emptied when full: a build meets its frequent forms
    again at once, and a long-running server must not hold a corpus's worth).
    """

    def __init__(self, lexicon: Lexicon, memo: int = 1 << 15) -> None:
        self.lexicon = lexicon
        self.memo = memo
        self._forms: dict[str, tuple[str, str]] = {}
        self._norms: dict[str, str] = {}  # normal forms of words left unstemmed
        self._stems: dict[str, str] = {}
        self._last: tuple[str | None, list[tuple[str, str]]] = (None, [])

    def stem(self, norm: str) -> str:
        """The stem of a normalised word: its proclitics decided by the lexicon, then suffixes."""
        stem = self._stems.get(norm)
        if stem is None:
            if len(self._stems) >= self.memo:
                self._stems.clear()
            stem = self._stems[norm] = self._stem(norm) if norm else ""
        return stem

    def _stem(self, norm: str) -> str:
        stem = stem_base(self.lexicon.base(norm))
        # a dual or plural ending Snowball left on a short word: cut when the singular is
        # a known word (الحربين → حرب; not تعيين: تعي is not a word)
        if stem.endswith(_DUAL_PLURAL) and len(stem) >= 5 and self.lexicon.knows(stem[:-2]):
            stem = stem_base(stem[:-2])
        return stem

    def base(self, norm: str) -> str:
        """A normalised word without its proclitics."""
        return self.lexicon.base(norm)

    def form(self, surface: str) -> tuple[str, str]:
        """``(normal form, stem)`` of a word as written; ``("", "")`` when it vanishes."""
        entry = self._forms.get(surface)
        if entry is None:
            norm = normal_word(surface)  # علي (the name) stays apart from the stop word على
            if norm == surface and norm.__class__ is str:
                norm = surface  # one string object for both when nothing changes
            entry = (norm, self.stem(norm) if norm else "")
            if len(self._forms) >= self.memo:
                self._forms.clear()
            self._forms[surface] = entry
        return entry

    def forms(self, text: str) -> list[tuple[str, str]]:
        """``(normal form, stem)`` of each word of ``text``; the last text's are kept, so
        ``content`` and ``content_exact`` (the same string) are scanned once."""
        last = self._last
        if last[0] is text:
            return last[1]
        get, form = self._forms.get, self.form
        found = [get(word) or form(word) for word in surfaces(text)]
        self._last = (text, found)
        return found

    def word_forms(self, text: str, known_only: bool = False,
                   sought: tuple[frozenset[str], ...] | None = None,
                   ) -> list[tuple[int, int, str, str]]:
        """``(start, end, normal form, stem)`` of every word of ``text``; with ``known_only``,
        of the words whose forms are remembered only (none analysed: a bounded cost). With
        ``sought`` (the :func:`stem_letters` of the stems looked for), a word whose normal form
        lacks the letters of every one of them is not stemmed (its stem given as ``""``: it
        cannot have one of those stems), and its normal form is remembered apart; so a page's
        snippets stem only the words that may match, however many words its articles hold."""
        get, form = self._forms.get, self.form
        if sought is None:
            if known_only:
                known = ((start, end, get(surface)) for surface, start, end in spans(text))
                return [(start, end, *entry) for start, end, entry in known if entry is not None]
            return [(start, end, *(get(surface) or form(surface)))
                    for surface, start, end in spans(text)]
        sought_form = self.sought_form
        found = []
        for surface, start, end in spans(text):
            entry = sought_form(surface, sought, known_only)
            if entry is not None:
                found.append((start, end, *entry))
        return found

    def sought_form(self, surface: str, sought: tuple[frozenset[str], ...],
                    known_only: bool = False) -> tuple[str, str] | None:
        """``(normal form, stem)`` of a word as written, stemmed only when its normal form holds
        the letters of one of the stems ``sought`` (else its stem is given as ``""``); with
        ``known_only``, None for a word that would have to be analysed."""
        entry = self._forms.get(surface)
        if entry is not None:
            return entry
        norm = self._norms.get(surface)
        if norm is None:
            if known_only:
                return None
            norm = self._normal(surface)
        if not _may_hold(norm, sought):
            return norm, ""
        return None if known_only else self.form(surface)

    def _normal(self, surface: str) -> str:
        """The normal form of a word met outside the memo of forms, remembered apart."""
        norm = normal_word(surface)
        if len(self._norms) >= self.memo:
            self._norms.clear()
        self._norms[surface] = norm
        return norm


def _may_hold(norm: str, sought: tuple[frozenset[str], ...]) -> bool:
    """Whether normal form ``norm`` holds the letters of one of the stems ``sought``."""
    if len(sought) == 1:
        return sought[0].issubset(norm)
    letters = set(norm)
    return any(need <= letters for need in sought)
