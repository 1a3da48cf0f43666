"""The index's words: expansions, close spellings, labels and display forms.

Sits between the index and the parts of the searcher that reason about words:
the query compiler (search/whoosh/compiler.py) expands ``word*`` and ``word~`` here and
matches ``category:`` labels; suggestions and "did you mean" (search/suggest/)
take their candidates from here. One :class:`Vocabulary` belongs to one version
of the index (the searcher makes a new one when the index changes), so its
caches never go stale; they are bounded and safe to share between threads.

Costs stay bounded on large indexes: expansions keep the most frequent terms,
scans of the term list stop after :data:`MAX_SCAN` terms per segment, and close
spellings keep their first letter fixed (after an article ``ال`` / ``وال`` …; two
letters for words starting with ``ا``, which normalising makes very common).
"""

from __future__ import annotations

import heapq
import re
import threading
from collections.abc import Callable, Hashable, Sequence
from pathlib import Path
from typing import Any

from whoosh.query import Term
from whoosh.searching import Searcher as WhooshSearcher
from whoosh.support.levenshtein import damerau_levenshtein

from indexer.normalize import INVISIBLE_CHARS, is_arabic_mark, normalize
from indexer.words import WORD_PATTERN, WordAnalysis
from search.labels import LabelTable
from search.whoosh.counters import CacheCounters
from search.whoosh.segmentterms import SCAN_CLOCK_EVERY, SegmentTerms, deadline_passed

__all__ = [
    "Vocabulary",
    "ARTICLES",
    "MAX_EXPANSIONS",
    "MAX_SCAN",
    "fixed_prefix_length",
    "typo_distance",
    "one_edit_away",
    "TYPO_LETTERS",
]

#: ``word*`` and ``word~`` search at most this many of the matching terms.
MAX_EXPANSIONS = 200
#: At most this many terms of each index segment are read for one prefix.
MAX_SCAN = 50_000
_CACHE_SIZE = 4096
#: The definite article and the proclitics written with it, longest first.
ARTICLES = ("وال", "فال", "بال", "كال", "ال", "لل")
_WORD = re.compile(WORD_PATTERN)
#: The letters a typo may bring into a word: the Arabic letters normalisation keeps.
TYPO_LETTERS = "".join(
    sorted({normalize(chr(cp)) for cp in [*range(0x0621, 0x063B), *range(0x0641, 0x064B)]}
           - {""})
)
_DIGITS = "0123456789"
_LATIN = "abcdefghijklmnopqrstuvwxyz"
_INVISIBLE = frozenset(INVISIBLE_CHARS)


def _hidden(char: str) -> bool:
    return is_arabic_mark(char) or char in _INVISIBLE


def typo_distance(word: str) -> int:
    """How many letters may be wrong in a word taken as a typo: 1, or 2 from 6 letters on."""
    return 1 if len(word) <= 5 else 2


def one_edit_away(word: str, fixed: int = 0) -> set[str]:
    """Every string one edit (a letter deleted, added, changed, or two neighbours
    swapped) from ``word``, itself included, keeping its first ``fixed`` letters; new
    letters are :data:`TYPO_LETTERS` and digits, and Latin letters for a word that has
    any. Looking these up in the index finds the close spellings that are there
    without reading the term list (Whoosh's ``terms_within`` reads every term
    with the prefix and measures its distance, tens of thousands on a short prefix)."""
    letters = TYPO_LETTERS + _DIGITS
    if any(not ("\u0621" <= char <= "\u064a" or char.isdigit()) for char in word):
        letters += _LATIN
    found = {word}
    for i in range(max(fixed, 0), len(word) + 1):
        head, tail = word[:i], word[i:]
        found.update(head + letter + tail for letter in letters)
        if tail:
            found.add(head + tail[1:])
            found.update(head + letter + tail[1:] for letter in letters)
            if len(tail) > 1:
                found.add(head + tail[1] + tail[0] + tail[2:])
    return found


def fixed_prefix_length(word: str) -> int:
    """How many leading letters a close spelling of ``word`` must share with it."""
    for article in ARTICLES:
        if word.startswith(article) and len(word) > len(article) + 1:
            return len(article) + 1
    return 2 if word.startswith("ا") else 1





def _scan_close(reader, fieldname: str, word: str, fixed: int, maxdist: int,
                deadline: float | None) -> tuple[list[str], bool]:
    """The terms within ``maxdist`` edits of ``word`` among those sharing its first ``fixed``
    letters: a scan of the term list, stopped at ``deadline``; and whether it was whole."""
    decode = reader.schema[fieldname].from_bytes
    found = []
    for scanned, raw in enumerate(reader.expand_prefix(fieldname, word[:fixed]), start=1):
        if not scanned % SCAN_CLOCK_EVERY and deadline_passed(deadline):  # past it: one batch still
            return found, False
        term = decode(raw)
        if abs(len(term) - len(word)) <= maxdist and \
                damerau_levenshtein(term, word, limit=maxdist) <= maxdist:
            found.append(term)
    return found, True


class Vocabulary:
    """Term look-ups for one version of an index, with small caches. ``words`` is the index's
    word analysis (its lexicon decides proclitics); ``labels`` gives the display names of
    category and source codes (search/labels.py), so that a label is found by its name as
    well as its code."""

    def __init__(self, words: WordAnalysis, labels: LabelTable | None = None,
                 counters: CacheCounters | None = None, terms: SegmentTerms | None = None,
                 path: Path = Path()) -> None:
        #: The index's word analysis (its lexicon decides proclitics), for stemming words.
        self.words = words
        self._counters = counters if counters is not None else CacheCounters()
        #: what each segment's term list answered (kept across versions), for generation
        #: ``path``
        self.terms = terms if terms is not None else SegmentTerms(counters=self._counters)
        self.path = path
        self._lock = threading.Lock()
        self._cache: dict[Hashable, Any] = {}
        self._names = labels

    #: The kinds of entries that hold while the segments hold the same articles: they read
    #: term lists and document frequencies only, which a delete leaves as they were (Whoosh
    #: counts deleted articles in both until a merge).
    TERM_LIST_KINDS = frozenset({"labels", "prefix", "close"})

    def carry(self, earlier: Vocabulary) -> None:
        """Take the entries of :data:`TERM_LIST_KINDS` from the vocabulary of an earlier
        version whose segments held the same articles (a delete since)."""
        with earlier._lock:
            kept = {key: value for key, value in earlier._cache.items()
                    if isinstance(key, tuple) and key and key[0] in self.TERM_LIST_KINDS}
        with self._lock:
            self._cache.update(kept)

    def cached(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        """``compute()``, remembered under ``key`` for this version of the index."""
        return self._cached_scan(key, lambda: (compute(), True))

    def _cached_scan(self, key: Hashable, scan: Callable[[], tuple[Any, bool]]) -> Any:
        """The value of ``scan()`` (which gives it and whether it is whole), remembered
        under ``key`` unless a deadline cut it short."""
        try:
            found = self._cache[key]
        except KeyError:
            self._counters.count("vocabulary", False)
        else:
            self._counters.count("vocabulary", True)
            return found
        value, whole = scan()
        if not whole:
            return value
        with self._lock:
            if len(self._cache) >= _CACHE_SIZE:
                self._cache.clear()
            self._cache[key] = value
        return value

    def prefix_terms(
        self, searcher: WhooshSearcher, fieldname: str, prefix: str, limit: int,
        deadline: float | None = None,
    ) -> list[tuple[str, int]]:
        """``(term, documents)`` for the ``limit`` most frequent terms starting with ``prefix``
        (those found by ``deadline``, when it comes first: at least the first
        :data:`SCAN_CLOCK_EVERY` terms of each segment are read, past it too)."""
        key = ("prefix", fieldname, prefix, limit)
        return self._cached_scan(
            key, lambda: self._prefix_terms(searcher, fieldname, prefix, limit, deadline))

    def _prefix_terms(
        self, searcher: WhooshSearcher, fieldname: str, prefix: str, limit: int,
        deadline: float | None,
    ) -> tuple[list[tuple[str, int]], bool]:
        counts, whole = self.terms.prefixed(self.path, searcher.reader(), fieldname, prefix,
                                            MAX_SCAN, deadline)
        best = heapq.nsmallest(limit, counts.items(), key=lambda item: (-item[1], item[0]))
        return best, whole

    def close_terms(
        self, searcher: WhooshSearcher, fieldname: str, word: str, maxdist: int,
        deadline: float | None = None,
    ) -> list[tuple[str, int]]:
        """``(term, documents)`` within ``maxdist`` edits of ``word`` (itself included),
        the :data:`MAX_EXPANSIONS` most frequent, most frequent first (of those found by
        ``deadline``, when it comes first: a scan reads its first :data:`SCAN_CLOCK_EVERY`
        terms, past it too)."""
        key = ("close", fieldname, word, maxdist)
        return self._cached_scan(
            key, lambda: self._close_terms(searcher, fieldname, word, maxdist, deadline))

    def _close_terms(
        self, searcher: WhooshSearcher, fieldname: str, word: str, maxdist: int,
        deadline: float | None,
    ) -> tuple[list[tuple[str, int]], bool]:
        reader = searcher.reader()
        if fieldname not in reader.indexed_field_names():
            return [], True
        fixed = fixed_prefix_length(word)
        if maxdist == 1:  # the strings one edit away looked up, the word itself first
            near = [word, *sorted(one_edit_away(word, fixed) - {word})]
            held, whole = self.terms.held(self.path, reader, fieldname, word, near, deadline)
            counted = list(held.items())
        else:
            found, whole = _scan_close(reader, fieldname, word, fixed, maxdist, deadline)
            counted = [(term, reader.doc_frequency(fieldname, term)) for term in found]
        best = heapq.nsmallest(MAX_EXPANSIONS, counted, key=lambda item: (-item[1], item[0]))
        return best, whole

    def frequencies(self, searcher: WhooshSearcher, fieldname: str,
                    words: Sequence[str]) -> dict[str, int]:
        """How many articles hold each of ``words`` in ``fieldname`` (those held only)."""
        return self.terms.frequencies(self.path, searcher.reader(), fieldname, words)

    def near_terms(self, searcher: WhooshSearcher, word: str,
                   deadline: float | None = None) -> list[tuple[str, int]]:
        """``(term, documents)`` of ``content_exact`` a typo away from ``word``, most frequent
        first.

        Within :func:`typo_distance` edits, or that many edits once the first letter is
        dropped (a clitic or verb prefix: ``يتزوج`` → ``تزوج``, ``بوظيفتها`` → ``وظيفه``).
        """
        distance = typo_distance(word)
        found = dict(self.close_terms(searcher, "content_exact", word, distance, deadline))
        if len(word) >= 4:
            found.update(
                self.close_terms(searcher, "content_exact", word[1:], distance, deadline))
        return heapq.nsmallest(MAX_EXPANSIONS, found.items(), key=lambda item: (-item[1], item[0]))

    def labels(self, searcher: WhooshSearcher, fieldname: str) -> dict[str, tuple[str, ...]]:
        """The labels of a field (``category``, ``source``) by their normal form, and by the
        normal form of their display name (``اقتصاد`` → ``economy``)."""
        return self.cached(("labels", fieldname), lambda: self._labels(searcher, fieldname))

    def _labels(self, searcher: WhooshSearcher, fieldname: str) -> dict[str, tuple[str, ...]]:
        reader = searcher.reader()
        found: dict[str, tuple[str, ...]] = {}
        if fieldname in reader.indexed_field_names():
            for raw in reader.lexicon(fieldname):
                label = raw.decode("utf-8")
                names = {label}
                if self._names is not None:
                    names.add(self._names.label(fieldname, label))
                for key in dict.fromkeys(map(normalize, names)):
                    found[key] = (*found.get(key, ()), label)
        return found

    def surface_form(self, searcher: WhooshSearcher, term: str) -> str:
        """How ``term`` (normalised) is written in the articles, without diacritics."""
        return self.cached(("surface", term), lambda: self._surface_form(searcher, term))

    @staticmethod
    def _surface_form(searcher: WhooshSearcher, term: str) -> str:
        for docnum in searcher.docs_for_query(Term("content_exact", term)):
            stored = searcher.stored_fields(docnum)
            for text in (stored.get("title") or "", stored.get("body") or ""):
                for match in _WORD.finditer(text):
                    if normalize(match.group()) == term:
                        return "".join(c for c in match.group() if not _hidden(c))
            break
        return term
