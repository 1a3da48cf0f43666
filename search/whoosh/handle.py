"""The live index as the searcher sees it: opened once, reopened when it changes.

Sits between the index on disk (indexer/whoosh/store.py: generations and the ``CURRENT``
pointer) and the searcher (search/searcher.py). An :class:`IndexHandle` opens the
live generation, checks its schema version, and lends out Whoosh searchers.

* Many threads: every call borrows a Whoosh searcher of its own from a pool
  (Whoosh readers keep file positions, so one must not serve two threads at once)
  and gives it back afterwards; the pool grows to the number of concurrent calls.
* Changes: each :meth:`IndexHandle.reading` makes a cheap check, the ``CURRENT``
  pointer's (inode, mtime) for a rebuild swapped in and Whoosh's latest
  generation number for an update or delete in place. When either changed, one
  thread (under a lock) opens the new version; searchers of the old one are
  closed as they come back. An update or delete in place is opened once the writer has
  written its columns file (indexer/whoosh/columnfile.py: right after its commit), so the
  new version opens from it rather than from every segment; at once when the version in
  use has none, and after :attr:`IndexHandle.COLUMNS_WAIT` seconds in any case.
"""

from __future__ import annotations

import contextlib
import math
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.searching import Searcher as WhooshSearcher

from indexer.lexicon import LEXICON_FILE, Lexicon
from indexer.pairs import PAIRS_FILE, PairTable
from indexer.stopwords import normalized_stop_words
from indexer.whoosh.analysis import bind_lexicon
from indexer.whoosh.columnfile import column_file
from indexer.whoosh.schema import SCHEMA_VERSION
from indexer.whoosh.store import IndexStore
from indexer.words import WordAnalysis
from search.errors import FahrasError, IndexDamaged, IndexMismatch, IndexNotFound
from search.labels import LabelTable
from search.whoosh.counters import CacheCounters
from search.whoosh.damage import check_segment_files, is_index_failure
from search.whoosh.postings import PostingCache
from search.whoosh.scorecache import ScoreCache, score_epoch
from search.whoosh.segments import SegmentCache, segment_key
from search.whoosh.segmentterms import SegmentTerms
from search.whoosh.stored import StoredFieldCache
from search.whoosh.vocabulary import Vocabulary

__all__ = ["IndexHandle", "IndexVersion"]


def _load_words(path: Path) -> WordAnalysis:
    try:
        return WordAnalysis(Lexicon.open(path, normalized_stop_words()), memo=1 << 16)
    except FileNotFoundError:
        raise ValueError(f"{path} has no lexicon ({LEXICON_FILE})") from None


def _load_pairs(path: Path) -> PairTable:
    try:
        return PairTable.load(path)
    except FileNotFoundError:
        raise ValueError(f"{path} has no word pairs ({PAIRS_FILE})") from None


class IndexVersion:
    """One version of the index: its Whoosh index, its record (``meta``, fahras.json), a
    pool of searchers, its vocabulary and the cache of scored terms (search/whoosh/scoring.py);
    ``postings``, ``stored`` (the stored fields of hits shown, search/whoosh/stored.py) and
    ``terms`` (search/whoosh/segmentterms.py) are the index directory's, kept across
    versions."""

    def __init__(
        self, path: Path, stamp: tuple[int, int] | None, ix, segments: SegmentCache,
        meta: dict | None = None, labels: LabelTable | None = None,
        words: WordAnalysis | None = None, counters: CacheCounters | None = None,
        postings: PostingCache | None = None, pairs: PairTable | None = None,
        stored: StoredFieldCache | None = None, terms: SegmentTerms | None = None,
        scores: ScoreCache | None = None,
    ) -> None:
        self.path = path
        self.stamp = stamp
        self.meta = meta or {}
        self.ix = ix
        self.generation = ix.latest_generation()
        #: Whether the writer left a columns file for this version (an index written with them).
        self.has_column_file = column_file(path, self.generation).is_file()
        # the lexicon stored beside the index decides proclitics, as it did when indexing
        self.words = words if words is not None else _load_words(path)
        # the word pairs of suggestions (indexer/pairs.py), stored beside the lexicon: read
        # at the first suggestion, not at open (0.1-0.2 s on ANT); a missing file shows now
        if pairs is None and not (path / PAIRS_FILE).is_file():
            raise ValueError(f"{path} has no word pairs ({PAIRS_FILE})")
        self._pairs = pairs
        self._pairs_lock = threading.Lock()  # not the pool's: reading takes 0.1-0.2 s
        self.vocabulary = Vocabulary(self.words, labels, counters, terms, path)
        self.segments = segments
        # shared with the previous version of the same folder: its keys say which layout
        # of segments scored them (search/whoosh/scorecache.py)
        self.scores = scores if scores is not None else \
            ScoreCache(segments, path, counters=counters, postings=postings)
        self.stored = stored if stored is not None else StoredFieldCache(counters=counters)
        #: ``(segment id, articles)`` of each segment, set when the version is opened
        self.layout: tuple[tuple[str, int], ...] = ()
        self._idle: list = []
        self._lock = threading.Lock()
        self._retired = False

    @property
    def pairs(self) -> PairTable:
        """The word pairs of this version, read from its folder the first time."""
        with self._pairs_lock:
            if self._pairs is None:
                self._pairs = _load_pairs(self.path)
            return self._pairs

    @property
    def pairs_read(self) -> PairTable | None:
        """The word pairs if they were read already (for the next version), else None."""
        return self._pairs

    def borrow(self) -> WhooshSearcher:
        with self._lock:
            if self._idle:
                return self._idle.pop()
        searcher = self.ix.searcher()
        bind_lexicon(searcher.schema, self.path, self.words)  # "similar" analyses text
        return searcher

    def give_back(self, searcher: WhooshSearcher) -> None:
        with self._lock:
            if not self._retired:
                self._idle.append(searcher)
                return
        searcher.close()

    def retire(self) -> None:
        """Close the idle searchers now and the borrowed ones when they come back."""
        with self._lock:
            self._retired = True
            idle, self._idle = self._idle, []
        for searcher in idle:
            searcher.close()


class IndexHandle:
    """The live index of one index directory, safe to share between threads."""

    def __init__(
        self, index_dir: str | os.PathLike[str] | None = None, labels: LabelTable | None = None
    ) -> None:
        self.store = IndexStore(index_dir)
        self.labels = labels
        self.segments = SegmentCache()
        self.counters = CacheCounters()  # hits and misses of every version's caches
        self.postings = PostingCache(counters=self.counters)  # kept across versions
        self.stored = StoredFieldCache(counters=self.counters)  # and so are these
        self.terms = SegmentTerms(counters=self.counters)  # and what term lists answered
        self._lock = threading.Lock()
        self._closed = False
        self._seen: tuple[int, float] | None = None  # a newer commit, and when it was seen
        # folder, its time, latest commit, and until when (monotonic) a listing made while
        # the folder's time was unsettled may be used
        self._listed: tuple[Path, int, int, float] | None = None
        self._version = self._open(None)

    @property
    def root(self) -> Path:
        return self.store.root

    #: How often opening is tried again when a rebuild swaps the pointer meanwhile.
    OPEN_ATTEMPTS = 3
    #: How old (ns) a folder's modification time must be to be trusted to change with the
    #: folder's next file: a file system's clock may tick in whole seconds.
    SETTLED_NS = 2_000_000_000
    #: How long (s) a listing of a folder whose time is not settled yet is used: the
    #: searches just after a commit would list it several times each (0.25 ms a time), and
    #: a commit whose file left the folder's time as it was is seen this much later.
    UNSETTLED_REUSE = 0.05
    #: The longest an update in place waits for its columns file before it is opened anyway
    #: (a writer stopped between its commit and the file), in seconds.
    COLUMNS_WAIT = 2.0

    def _open(self, previous: IndexVersion | None) -> IndexVersion:
        for _attempt in range(self.OPEN_ATTEMPTS):
            stamp = self.store.pointer_stamp()  # before the pointer: a swap is never missed
            path = self.store.current()
            if path is None:
                raise IndexNotFound(self.store.root)
            meta = self.read_meta(path)
            try:
                return self._open_version(path, stamp, meta, previous)
            except (whoosh_index.EmptyIndexError, FileNotFoundError) as exc:
                if self.store.pointer_stamp() != stamp:
                    continue  # the generation went away with a rebuild: open the new one
                raise IndexDamaged(self.store.root, exc) from exc  # files of it are missing
        raise IndexNotFound(self.store.root)

    def read_meta(self, path: Path) -> dict:
        """The record of generation ``path`` (fahras.json), checked for its schema version."""
        try:
            meta = self.store.read_meta(path)
            found = meta.get("schema_version")
        except (OSError, ValueError, AttributeError) as exc:  # unreadable or not a JSON object
            raise IndexDamaged(self.store.root, exc) from exc
        if found != SCHEMA_VERSION:
            raise IndexMismatch(self.store.root, found, SCHEMA_VERSION)
        return meta

    def _open_version(self, path: Path, stamp, meta: dict,
                      previous: IndexVersion | None) -> IndexVersion:
        try:
            same = previous is not None and previous.path == path
            ix = previous.ix if same else whoosh_index.open_dir(str(path))
            version = IndexVersion(path, stamp, ix, self.segments, meta, self.labels,
                                   previous.words if same else None, self.counters,
                                   self.postings, previous.pairs_read if same else None,
                                   self.stored, self.terms, previous.scores if same else None)
            # the version's first searcher, opened now: damaged files show here, the
            # segments the version no longer holds are forgotten, and the first call uses it
            searcher = version.borrow()
            leaves = [leaf for leaf, _ in searcher.reader().leaf_readers()]
            for leaf in leaves:
                check_segment_files(path, meta, leaf)
            live = [segment_key(path, leaf) for leaf in leaves]
            version.layout = tuple((leaf.segment().segment_id(), leaf.doc_count_all())
                                   for leaf in leaves)
            if same and previous.layout == version.layout:  # a delete: the same articles
                version.vocabulary.carry(previous.vocabulary)
            self.segments.keep_only(live)
            self.postings.keep_only(live)
            self.stored.keep_only(live)
            self.terms.keep_only(live)
            version.scores.keep_only(score_epoch(searcher.reader()))
            version.give_back(searcher)
        except (whoosh_index.EmptyIndexError, FileNotFoundError):
            raise
        except Exception as exc:  # noqa: BLE001 - index files Whoosh cannot read
            raise IndexDamaged(self.store.root, exc) from exc
        return version

    def _changed(self, version: IndexVersion) -> bool:
        if self.store.pointer_stamp() != version.stamp:
            return True
        try:
            latest = self._latest_commit(version)
        except OSError:  # the generation folder went away: the pointer moved on
            return True
        return latest != version.generation and self._complete(version, latest)

    def _latest_commit(self, version: IndexVersion) -> int:
        """The latest Whoosh commit in the version's folder: listed again only when the folder
        changed since it was last listed (a search asks several times; a listing costs tens
        of microseconds), or when its time is too recent to be sure it would change again
        and the listing is older than :attr:`UNSETTLED_REUSE`."""
        path = version.path
        mtime = os.stat(path).st_mtime_ns
        listed = self._listed
        now = time.monotonic()
        if listed is not None and listed[0] == path and listed[1] == mtime and now < listed[3]:
            return listed[2]
        latest = version.ix.latest_generation()
        settled = time.time_ns() - mtime >= self.SETTLED_NS
        self._listed = (path, mtime, latest,
                        math.inf if settled else now + self.UNSETTLED_REUSE)
        return latest

    def _complete(self, version: IndexVersion, latest: int) -> bool:
        """True when commit ``latest`` of the version's folder may be opened: its columns
        file is there, or the version in use had none, or it was first seen
        :attr:`COLUMNS_WAIT` seconds ago."""
        if not version.has_column_file or column_file(version.path, latest).is_file():
            return True
        now = time.monotonic()
        seen = self._seen
        if seen is None or seen[0] != latest:
            self._seen = seen = (latest, now)
        return now - seen[1] >= self.COLUMNS_WAIT

    def current(self) -> IndexVersion:
        """The newest version of the index, reopened first if it changed."""
        if self._closed:
            raise FahrasError(f"the searcher of {self.store.root} has been closed")
        version = self._version
        if not self._changed(version):
            return version
        with self._lock:
            if self._version is version:
                self._version = self._open(version)
                version.retire()
            return self._version

    @contextlib.contextmanager
    def reading(self) -> Iterator[tuple[IndexVersion, WhooshSearcher]]:
        """``(version, whoosh searcher)`` of the newest index, for the length of a call.

        A failure to read the index's files inside the call (search/whoosh/damage.py) is raised
        as :class:`~search.errors.IndexDamaged`, whichever step met it."""
        version = self.current()
        try:
            searcher = version.borrow()
        except Exception as exc:  # noqa: BLE001 - segment files Whoosh cannot open
            raise IndexDamaged(self.store.root, exc) from exc
        try:
            yield version, searcher
        except FahrasError:
            raise
        except Exception as exc:
            if is_index_failure(exc):
                raise IndexDamaged(self.store.root, exc) from exc
            raise
        finally:
            version.give_back(searcher)

    def close(self) -> None:
        self._closed = True
        self._version.retire()
