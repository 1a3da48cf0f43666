"""Raw postings of a term in one segment, kept across versions of the index.

Sits under the score cache (search/whoosh/scoring.py). A term's scores depend on the whole
index (BM25F's idf and average length), so they are kept per version; but which articles of
a segment hold the term, and how often, never changes while the segment lives (deleting only
marks articles). So after an update or a delete the terms of the next queries are scored
again from these arrays, in memory, and only the segments the change wrote are read from
disk. One :class:`PostingCache` belongs to one index directory (search/whoosh/handle.py),
bounded by the postings it holds; it forgets the segments that left the live index whenever
a new version opens. A delete marks articles of a segment that stays: postings read before it
are filtered by the segment's marks (they only grow) instead of read again. A phrase's
matches in a segment, and each word's weight in them, are kept here the same way
(search/whoosh/phrases.py).
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Hashable, Iterable

from whoosh.codec.whoosh3 import W3LeafMatcher, W3TermsReader
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import TermNotFound

from search.whoosh.counters import CacheCounters
from search.whoosh.lru import BoundedLru

__all__ = ["PostingCache", "Postings", "read_postings", "read_weights_at", "ENTRY_POSTINGS",
           "TimeUp"]

#: ``(document numbers in the segment, weights, document frequency)`` of one term in one
#: segment; the frequency is Whoosh's (deleted articles included), for the idf.
Postings = tuple[array, array, int]
#: What is kept: how many articles of the segment were deleted, and the postings then.
_Entry = tuple[int, array, array, int]

#: What one cached entry costs besides its postings, counted in postings (12 bytes): its key,
#: its tuple, the headers of its two arrays and the map's node come to about 400 bytes, so a
#: cache of rare terms (a ``~`` word expands to hundreds, most in one segment or none) is
#: bounded by its memory, not only by its postings.
ENTRY_POSTINGS = 32

#: How many postings are read between two looks at the clock (a tenth of a millisecond).
_CLOCK_EVERY = 256


class TimeUp(Exception):
    """The time limit of a search was reached; ``partial`` holds what was found by then (a
    value that is never cached: the reading of it was cut short)."""

    def __init__(self, partial: object = None) -> None:
        super().__init__("the time limit was reached")
        self.partial = partial


class PostingCache:
    """``(segment, field, term) -> postings``, least recently used first out once
    ``max_postings`` are held (12 bytes each: 6 million take 72 MB; each entry also counts
    :data:`ENTRY_POSTINGS`, a segment without the term too); thread-safe."""

    def __init__(self, max_postings: int = 6_000_000,
                 counters: CacheCounters | None = None) -> None:
        counters = counters if counters is not None else CacheCounters()
        self._entries = BoundedLru(max_postings, lambda entry: ENTRY_POSTINGS + len(entry[1]),
                                   lambda hit: counters.count("postings", hit))

    def get(self, segment: Hashable, fieldname: str, term: Hashable, reader,
            read: Callable[[], Postings]) -> Postings:
        """The postings of ``term`` (its bytes; or a phrase's key, its matches without
        weights: search/whoosh/phrases.py) in ``fieldname`` of ``segment`` (whose Whoosh
        reader is ``reader``) without its deleted articles, read with ``read`` on first
        use."""
        key = (segment, fieldname, term)
        deleted = reader.doc_count_all() - reader.doc_count()
        entry: _Entry = self._entries.get(key, lambda: (deleted, *read()))
        if entry[0] != deleted:
            entry = _filtered(entry, reader) if entry[0] < deleted else (deleted, *read())
            self._entries.replace(key, entry)
        return entry[1], entry[2], entry[3]

    def peek(self, segment: Hashable, fieldname: str, term: Hashable, reader
             ) -> Postings | None:
        """What :meth:`get` would give when it is held, else None (nothing is read)."""
        key = (segment, fieldname, term)
        entry: _Entry | None = self._entries.peek(key)
        deleted = reader.doc_count_all() - reader.doc_count()
        if entry is None or entry[0] > deleted:
            return None
        if entry[0] < deleted:
            entry = _filtered(entry, reader)
            self._entries.replace(key, entry)
        return entry[1], entry[2], entry[3]

    def put(self, segment: Hashable, fieldname: str, term: Hashable, reader,
            postings: Postings) -> None:
        """Hold ``postings`` (read whole, deleted articles left out) unless some are held."""
        deleted = reader.doc_count_all() - reader.doc_count()
        self._entries.get((segment, fieldname, term), lambda: (deleted, *postings))

    def touch(self, segments: Iterable[Hashable], fieldname: str, terms: Iterable[Hashable]
              ) -> None:
        """Mark the postings of ``terms`` in ``segments`` as just used: the score cache
        answered from them (search/whoosh/scorecache.py), and after an update they are
        what the term is scored from again, so they must not be the first to go."""
        self._entries.touch([(segment, fieldname, term) for segment in segments
                             for term in terms])

    def keep_only(self, segments: Iterable[Hashable]) -> None:
        """Forget the postings of every segment not in ``segments``."""
        self._entries.keep_groups(segments)

    @property
    def held(self) -> int:
        return self._entries.held


def _filtered(entry: _Entry, reader) -> _Entry:
    """``entry`` without the articles deleted since, as the segment ``reader`` marks them."""
    _, docnums, weights, frequency = entry
    deleted = reader.deleted_docs_set
    kept = [i for i, docnum in enumerate(docnums) if docnum not in deleted]
    return (reader.doc_count_all() - reader.doc_count(), array("i", [docnums[i] for i in kept]),
            array("d", [weights[i] for i in kept]) if weights else weights, frequency)


def read_postings(reader, fieldname: str, btext: bytes, late: Callable[[], bool]) -> Postings:
    """Every ``(document number, weight)`` of a term in a segment (``reader``), without its
    deleted articles, and the term's document frequency there; looking at the clock every
    :data:`_CLOCK_EVERY` postings or so: when ``late()``, :class:`TimeUp` is raised with the
    postings read so far (at least the first :data:`_CLOCK_EVERY`, so a search past its
    time limit still finds some)."""
    found = _term_matcher(reader, fieldname, btext)
    if found is None:
        return array("i"), array("d"), 0
    matcher, frequency = found
    deleted = reader.deleted_docs_set
    if type(matcher) is W3LeafMatcher:
        return _read_blocks(matcher, deleted, frequency, late)
    if deleted:
        matcher = FilterMatcher(matcher, deleted, exclude=True)
    return _read_matcher(matcher, frequency, late)


def read_weights_at(reader, fieldname: str, btext: bytes, docnums: array) -> array:
    """The term's weight in each article of ``docnums`` (ascending, each holding the term)
    of a segment, skipping through its postings to them: a phrase's few matches cost a few
    blocks of a common word's postings, not all of them."""
    if not docnums:
        return array("d")
    found = _term_matcher(reader, fieldname, btext)
    if found is None:
        raise KeyError(f"{fieldname}:{btext!r} is not in the segment")
    matcher, _frequency = found
    weights = array("d")
    for docnum in docnums:
        if matcher.id() < docnum:
            matcher.skip_to(docnum)
        if not matcher.is_active() or matcher.id() != docnum:
            raise KeyError(f"article {docnum} does not hold {fieldname}:{btext!r}")
        weights.append(matcher.weight())
    return weights


def _term_matcher(reader, fieldname: str, btext: bytes) -> tuple | None:
    """``(matcher without deletions, document frequency)`` of a term in a segment, None
    when the segment lacks it. A Whoosh 3 segment's term is looked up once, where asking
    the reader (``in``, ``doc_frequency``, ``postings``) looks it up three times: after an
    update every query word is read from the new segment (a private API: whoosh3 is
    pinned, and tests/test_carried_caches.py checks the postings against the matcher's)."""
    terms = getattr(reader, "_terms", None)
    if type(terms) is not W3TermsReader or fieldname not in reader.schema:
        if (fieldname, btext) not in reader:
            return None
        matcher = reader.postings(fieldname, btext)
        leaf = matcher.child if type(matcher) is FilterMatcher else matcher
        return leaf, reader.doc_frequency(fieldname, btext)
    try:
        info = terms.term_info(fieldname, btext)
    except TermNotFound:
        return None
    matcher = terms._codec.postings_reader(terms._postfile, info,
                                           reader.schema[fieldname].format,
                                           term=(fieldname, btext))
    return matcher, info.doc_frequency()


def _read_blocks(leaf: W3LeafMatcher, deleted: frozenset[int], frequency: int,
                 late: Callable[[], bool]) -> Postings:
    """The postings of Whoosh's on-disk matcher a block at a time (its block reading is not
    public API: whoosh3 is pinned, and tests/test_carried_caches.py checks this against the
    matcher's own reading), about three times faster than a posting at a time."""
    docnums, weights = array("i"), array("d")
    since_clock = 0
    while leaf.is_active():
        leaf._read_ids()
        leaf._read_weights()
        ids, found = leaf._ids, leaf._weights
        if deleted:
            kept = [i for i, docnum in enumerate(ids) if docnum not in deleted]
            ids, found = [ids[i] for i in kept], [found[i] for i in kept]
        docnums.fromlist(list(ids))
        weights.fromlist(list(found))
        leaf._next_block()
        since_clock += len(ids)
        if since_clock >= _CLOCK_EVERY:
            since_clock = 0
            if late():
                raise TimeUp((docnums, weights, frequency))
    return docnums, weights, frequency


def _read_matcher(matcher, frequency: int, late: Callable[[], bool]) -> Postings:
    """The postings of any other matcher, a posting at a time."""
    docnums, weights = array("i"), array("d")
    add_docnum, add_weight = docnums.append, weights.append
    is_active, current, weight, advance = matcher.is_active, matcher.id, matcher.weight, \
        matcher.next
    count = 0
    while is_active():
        add_docnum(current())
        add_weight(weight())
        advance()
        count += 1
        if not count % _CLOCK_EVERY and late():
            raise TimeUp((docnums, weights, frequency))
    return docnums, weights, frequency
