"""What one segment's term list answers, kept for the segment's life.

Sits under the vocabulary (search/whoosh/vocabulary.py) and the lexicon of suggestions and
name variants (search/whoosh/lexicon.py). Which strings are terms of a segment, and how many
of its articles hold each, never change while the segment lives: Whoosh's document
frequency counts deleted articles too, so a delete changes nothing here. So the look-ups
behind close spellings, prefixes and the frequencies of name variants are kept per segment
across versions of the index, like the raw postings (search/whoosh/postings.py): after an
update only the new segment is probed, where a version-wide cache would probe every segment
again. One :class:`SegmentTerms` belongs to one index directory (search/whoosh/handle.py);
it forgets the segments that left the live index whenever a new version opens.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable, Iterable, Sequence
from pathlib import Path

from search.whoosh.counters import CacheCounters
from search.whoosh.lru import BoundedLru
from search.whoosh.postings import ENTRY_POSTINGS
from search.whoosh.segments import segment_key

__all__ = ["SegmentTerms", "LOOK_UPS_EVERY", "SCAN_CLOCK_EVERY", "deadline_passed"]

#: Look-ups of strings (each one a probe of a segment's hash table, a few microseconds) look
#: at the clock once every this many.
LOOK_UPS_EVERY = 16
#: Scans of a term list look at the clock once every this many terms.
SCAN_CLOCK_EVERY = 256

#: ``term -> documents holding it`` in one segment.
Counts = dict[str, int]


def deadline_passed(deadline: float | None) -> bool:
    """True once ``deadline`` (``time.monotonic()``; None: none) has passed."""
    return deadline is not None and time.monotonic() > deadline


class SegmentTerms:
    """``(segment, question) -> {term: documents}``, least recently used first out once
    ``max_terms`` terms are held (each answer also counts
    :data:`~search.whoosh.postings.ENTRY_POSTINGS`); thread-safe."""

    def __init__(self, max_terms: int = 1_000_000, counters: CacheCounters | None = None) -> None:
        counters = counters if counters is not None else CacheCounters()
        self._entries = BoundedLru(max_terms, lambda counts: ENTRY_POSTINGS + len(counts),
                                   lambda hit: counters.count("segment_terms", hit))

    def keep_only(self, segments: Iterable[Hashable]) -> None:
        """Forget the answers of every segment not in ``segments``."""
        self._entries.keep_groups(segments)

    def _ask(self, path: Path, reader, question: Hashable,
             answer: Callable[[object], tuple[Counts, bool]]) -> tuple[Counts, bool]:
        """``{term: documents}`` over every segment of ``reader`` (generation ``path``), each
        segment's from ``answer(leaf)`` (which says whether it is whole) or kept; the
        segments after one cut short are not asked."""
        total: Counts = {}
        for leaf, _offset in reader.leaf_readers():
            key = (segment_key(path, leaf), question)
            try:
                found = self._entries.get(key, lambda leaf=leaf: _whole(answer(leaf)))
            except _Cut as cut:  # not kept
                _add(total, cut.found)
                return total, False
            _add(total, found)
        return total, True

    def frequencies(self, path: Path, reader, fieldname: str, words: Sequence[str]) -> Counts:
        """How many articles hold each of ``words`` in ``fieldname`` (those held only)."""
        question = ("frequencies", fieldname, tuple(words))
        return self._ask(path, reader, question,
                         lambda leaf: (_held(leaf, fieldname, words, None), True))[0]

    def held(self, path: Path, reader, fieldname: str, word: str, candidates: Sequence[str],
             deadline: float | None) -> tuple[Counts, bool]:
        """Which ``candidates`` (the strings near ``word``, which names the question) are
        terms, with their documents, looked up until ``deadline`` (past it: one batch still);
        and whether every one was."""
        clock = _Clock(deadline, LOOK_UPS_EVERY)
        return self._ask(path, reader, ("held", fieldname, word),
                         lambda leaf: _held_in_time(leaf, fieldname, candidates, clock))

    def prefixed(self, path: Path, reader, fieldname: str, prefix: str, most: int,
                 deadline: float | None) -> tuple[Counts, bool]:
        """The terms starting with ``prefix`` (at most ``most`` read per segment), with their
        documents, read until ``deadline`` (past it: one batch still); and whether whole."""
        clock = _Clock(deadline, SCAN_CLOCK_EVERY)
        return self._ask(path, reader, ("prefixed", fieldname, prefix, most),
                         lambda leaf: _prefixed(leaf, fieldname, prefix, most, clock))


class _Clock:
    """Looks at the clock once every ``every`` steps, across segments."""

    def __init__(self, deadline: float | None, every: int) -> None:
        self.deadline, self.every, self.steps = deadline, every, 0

    def late(self) -> bool:
        self.steps += 1
        return not self.steps % self.every and deadline_passed(self.deadline)


def _whole(answer: tuple[Counts, bool]) -> Counts:
    found, whole = answer
    if not whole:
        raise _Cut(found)
    return found


def _add(total: Counts, found: Counts) -> None:
    for term, count in found.items():
        total[term] = total.get(term, 0) + count


def _held(leaf, fieldname: str, words: Iterable[str], clock: _Clock | None) -> Counts:
    found: Counts = {}
    if fieldname not in leaf.indexed_field_names():
        return found
    frequency = leaf.doc_frequency  # 0 for a string that is not a term: one probe, not two
    for word in words:
        if clock is not None and clock.late():
            raise _Cut(found)
        if held := frequency(fieldname, word):
            found[word] = held
    return found


class _Cut(Exception):
    def __init__(self, found: Counts) -> None:
        super().__init__("cut by the deadline")
        self.found = found


def _held_in_time(leaf, fieldname: str, candidates: Sequence[str],
                  clock: _Clock) -> tuple[Counts, bool]:
    try:
        return _held(leaf, fieldname, candidates, clock), True
    except _Cut as cut:
        return cut.found, False


def _prefixed(leaf, fieldname: str, prefix: str, most: int,
              clock: _Clock) -> tuple[Counts, bool]:
    found: Counts = {}
    if fieldname not in leaf.indexed_field_names():
        return found, True
    for scanned, (text, info) in enumerate(leaf.iter_prefix(fieldname, prefix), start=1):
        if scanned > most:
            break
        if clock.late():
            return found, False
        term = text.decode("utf-8")
        found[term] = info.doc_frequency()
    return found, True
